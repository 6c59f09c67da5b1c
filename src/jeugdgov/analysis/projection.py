"""Projecting a governance setup to networkx graphs, one graph per kind of relation.

Each projection is a :class:`networkx.MultiDiGraph` whose nodes are IRIs (strings):

``roles``
    actor -> task, one edge per role assignment and task; ``relation`` is the role id
    (``commissioner``, ``contractor``, ...).
``mandates``
    mandate giver -> mandatary (``relation`` ``mandate`` or ``sub-mandate``) and delegator ->
    delegate (``delegation``), with the competence.
``money``
    payer -> payee, one edge per money flow; ``kind`` is the type of flow, ``amount`` the amount
    in EUR where the data has one, and then also ``weight`` (a float, for networkx algorithms).
``accountability``
    accountable party -> the party it accounts to, with the flow it accounts for.

Every edge carries ``node`` (the IRI of the role assignment, mandate, flow or line in the setup,
so findings can be traced to it), ``label``/``label_nl``/``label_en``, ``relation`` with its
labels, and ``start``/``end`` (ISO dates or None). Relations without a period of their own hold
during the setup's period. Nodes carry ``label``/``label_nl``/``label_en``, ``node_type``
(``actor`` or ``task``), ``kind`` (municipality, care provider, ...) with its labels, and
``legal_form`` with its labels where the data gives one.

Given findings (``project(setup, kind, findings=report.findings)`` or :func:`with_findings`),
every node and edge also carries ``findings``: a list, empty when none, of the setup's findings
as dicts (defect, severity, evidence, focus, value, message in the graph's language, ...) whose
focus or value is that node, or, for an edge, the relation it comes from or its two ends.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, LANGUAGES, ORG, TIME, local_name, ontology
from jeugdgov.setups import Setup
from jeugdgov.validation.findings import Finding

if TYPE_CHECKING:
    from typing_extensions import Unpack

KINDS = ("roles", "mandates", "money", "accountability")

#: Labels of the projections, for titles and messages.
KIND_LABELS = {
    "roles": {"nl": "rollen", "en": "roles"},
    "mandates": {"nl": "mandaten en delegaties", "en": "mandates and delegations"},
    "money": {"nl": "geldstromen", "en": "money flows"},
    "accountability": {"nl": "verantwoordingslijnen", "en": "accountability lines"},
}

#: Node kinds, most specific first; each actor gets the first that applies.
NODE_KINDS = {
    "municipality": {"nl": "gemeente", "en": "municipality"},
    "municipal-body": {"nl": "gemeentelijk bestuursorgaan", "en": "municipal governing body"},
    "municipal-organisation": {"nl": "gemeentelijke organisatie", "en": "municipal organisation"},
    "care-provider": {"nl": "zorgaanbieder", "en": "care provider"},
    "chain-partner": {"nl": "partner jeugdbeschermingsketen", "en": "child-protection chain partner"},
    "referrer": {"nl": "huisarts", "en": "general practitioner"},
    "joint-arrangement": {"nl": "gemeenschappelijke regeling", "en": "joint arrangement"},
    "governance-body": {"nl": "overlegorgaan", "en": "governance body"},
    "organisation": {"nl": "overige organisatie", "en": "other organisation"},
    "person": {"nl": "persoon", "en": "person"},
    "task": {"nl": "taak", "en": "task"},
}

_KIND_BY_CLASS = (
    (JG.Municipality, "municipality"),
    (JG.MunicipalExecutive, "municipal-body"),
    (JG.MunicipalCouncil, "municipal-body"),
    (JG.Mayor, "municipal-body"),
    (JG.Alderman, "municipal-body"),
    (JG.CivilService, "municipal-organisation"),
    (JG.CareProvider, "care-provider"),
    (JG.ProtectionChainPartner, "chain-partner"),
    (JG.GeneralPractitioner, "referrer"),
    (JG.JointArrangement, "joint-arrangement"),
    (JG.GeneralBoard, "joint-arrangement"),
    (JG.ExecutiveBoard, "joint-arrangement"),
    (JG.GovernanceBody, "governance-body"),
)

#: Classes that say what legal form an actor has, most specific first.
_LEGAL_FORMS = (JG.Municipality, JG.JointArrangement, JG.Foundation, JG.Cooperative, JG.PrivateCompany,
                JG.Network, JG.LegalEntity)

_MONEY_KINDS = (
    (JG.PassThrough, "pass-through"),
    (JG.Subsidy, "subsidy"),
    (JG.ContractPayment, "contract-payment"),
    (JG.PerCaseFinancing, "per-case-financing"),
    (JG.JointArrangementContribution, "joint-arrangement-contribution"),
    (JG.MoneyFlow, "money-flow"),
)
_MONEY_CLASS = {kind: cls for cls, kind in _MONEY_KINDS}

#: More care providers than this are merged into one node (the ZHZ case has more than 150).
MAX_PROVIDERS = 12
#: This many structurally equivalent actors are merged into one node (ZHZ: ten municipalities).
MIN_GROUP = 4


@dataclass(frozen=True)
class Period:
    """A closed interval of days; ``None`` on either side means open-ended."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise InputError(f"the period starts ({self.start}) after it ends ({self.end})",
                             hint="give the start date first, e.g. --period-start 2018-01-01 --period-end 2020-12-31",
                             nl=(f"de periode begint ({self.start}) na het einde ({self.end})", "geef eerst de "
                                 "begindatum, bijv. --period-start 2018-01-01 --period-end 2020-12-31"))

    @classmethod
    def on(cls, day: date) -> Period:
        return cls(day, day)

    def overlaps(self, other: Period) -> bool:
        return ((self.start is None or other.end is None or self.start <= other.end)
                and (other.start is None or self.end is None or other.start <= self.end))

    def describe(self, lang: str = "en") -> str:
        if self.start and self.end and self.start == self.end:
            return ("op " if lang == "nl" else "on ") + self.start.isoformat()
        if self.start and self.end:
            return f"{self.start.isoformat()} – {self.end.isoformat()}"
        if self.start:
            return ("vanaf " if lang == "nl" else "from ") + self.start.isoformat()
        if self.end:
            return ("tot en met " if lang == "nl" else "until ") + self.end.isoformat()
        return "altijd" if lang == "nl" else "always"

    def __str__(self) -> str:
        return self.describe("en")


def require_complete(setup: Setup) -> None:
    """Refuse a setup whose graph holds only its description: projecting it would draw an
    empty picture instead of the setup."""
    if not setup.complete:
        raise InputError(f"the setup '{setup.name}' ({setup.source}) carries only its description, "
                         "not its graph, so it cannot be projected or drawn",
                         hint="load the setup with jeugdgov.load(...) and draw that",
                         nl=(f"de inrichting '{setup.name}' ({setup.source}) bevat alleen haar beschrijving, niet "
                             "haar graaf, en kan dus niet geprojecteerd of getekend worden",
                             "laad de inrichting met jeugdgov.load(...) en teken die"))


def project(setup: Setup, kind: str, *, lang: str = "en", period: Period | None = None,
            at: date | None = None, findings: Iterable[Finding] | None = None) -> nx.MultiDiGraph:
    """Project one kind of relation of a setup to a graph, optionally restricted in time.

    ``period`` keeps the relations holding at some time in that period; ``at`` those holding on
    that day. With ``findings``, nodes and edges carry those of this setup (:func:`with_findings`).
    The result may have no edges: :func:`require_edges` turns that into a message.
    """
    require_complete(setup)
    if kind not in KINDS:
        raise InputError(f"unknown kind of graph '{kind}'", hint=f"choose one of: {', '.join(KINDS)}",
                         nl=(f"onbekende soort graaf '{kind}'", f"kies een van: {', '.join(KINDS)}"))
    if lang not in LANGUAGES:
        raise InputError(f"unknown language '{lang}'", hint="choose nl or en",
                         nl=(f"onbekende taal '{lang}'", "kies nl of en"))
    if period is not None and at is not None:
        raise InputError("give a period or a date, not both",
                         hint="use --period-start/--period-end for a period or --date for one day",
                         nl=("geef een periode of een datum, niet beide",
                             "gebruik --period-start/--period-end voor een periode of --date voor één dag"))
    if not len(setup.graph):
        raise InputError(f"the setup '{setup.name}' is empty", file=setup.source,
                         hint="describe actors and their roles, mandates, money flows or accountability lines",
                         nl=(f"de inrichting '{setup.name}' is leeg", "beschrijf actoren en hun rollen, mandaten, "
                             "geldstromen of verantwoordingslijnen"))
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(setup=setup.name, kind=kind, lang=lang,
                                                  setup_label_nl=setup.label("nl"), setup_label_en=setup.label("en"))
    data = setup.graph
    default = _setup_period(setup)
    for source, target, key, attributes in _EDGES[kind](data):
        attributes["start"], attributes["end"] = _iso(_period_of(data, attributes["node"], default, setup.source))
        for node in (source, target):
            if node not in graph:
                graph.add_node(node, **_node_attributes(data, URIRef(node), lang))
        if not _has_label(data, URIRef(attributes["node"])):
            for lg in LANGUAGES:
                ends = f"{graph.nodes[source][f'label_{lg}']} → {graph.nodes[target][f'label_{lg}']}"
                attributes[f"label_{lg}"] = f"{attributes[f'relation_label_{lg}']}: {ends}"
        attributes["label"] = attributes[f"label_{lang}"]
        attributes["relation_label"] = attributes[f"relation_label_{lang}"]
        graph.add_edge(source, target, key=key, **attributes)
    graph.graph["coverage"] = coverage(graph)
    graph.graph["edges_unrestricted"] = graph.number_of_edges()
    if at is not None:
        period = Period.on(at)
    if period is not None:
        graph = restrict(graph, period)
    return with_findings(graph, findings) if findings is not None else graph


def with_findings(graph: nx.MultiDiGraph, findings: Iterable[Finding]) -> nx.MultiDiGraph:
    """A copy of a projection whose nodes and edges carry ``findings``: a list, empty when none.

    Only findings of the graph's setup count. A node carries those whose focus or value it is
    (or one of its ``members``); an edge those whose focus or value is the relation it comes from
    (``node``, or one of the ``merged`` relations), or whose focus and value are its two ends,
    either way round. On an :func:`aggregate` graph, add the findings after aggregating.
    """
    lang = graph.graph.get("lang", "en")
    own = [f for f in findings if f.setup == graph.graph.get("setup")]
    result = graph.copy()
    for node, attributes in result.nodes(data=True):
        nodes = {node, *attributes.get("members", ())}
        attributes["findings"] = [f.as_dict(lang) for f in own if nodes & {f.focus, f.value}]
    for source, target, attributes in result.edges(data=True):
        relations = set(attributes.get("merged") or (attributes["node"],))
        attributes["findings"] = [f.as_dict(lang) for f in own
                                  if relations & {f.focus, f.value} or {f.focus, f.value} == {source, target}]
    return result


class ProjectionOptions(TypedDict, total=False):
    """The keyword arguments of :func:`project`, which the functions of one kind pass on."""

    lang: str
    period: Period | None
    at: date | None
    findings: Iterable[Finding] | None


def project_all(setup: Setup, **options: Unpack[ProjectionOptions]) -> dict[str, nx.MultiDiGraph]:
    """All four projections of a setup, by kind."""
    return {kind: project(setup, kind, **options) for kind in KINDS}


def roles(setup: Setup, **options: Unpack[ProjectionOptions]) -> nx.MultiDiGraph:
    """Actor -> task, one edge per role assignment and task."""
    return project(setup, "roles", **options)


def mandates(setup: Setup, **options: Unpack[ProjectionOptions]) -> nx.MultiDiGraph:
    """Mandate giver -> mandatary and delegator -> delegate, with the competence."""
    return project(setup, "mandates", **options)


def money(setup: Setup, **options: Unpack[ProjectionOptions]) -> nx.MultiDiGraph:
    """Payer -> payee, one edge per money flow, the amount as weight where known."""
    return project(setup, "money", **options)


def accountability(setup: Setup, **options: Unpack[ProjectionOptions]) -> nx.MultiDiGraph:
    """Accountable party -> the party it accounts to."""
    return project(setup, "accountability", **options)


def restrict(graph: nx.MultiDiGraph, period: Period) -> nx.MultiDiGraph:
    """The relations that hold at some time in the period, and the nodes they connect."""
    kept: nx.MultiDiGraph[str] = nx.MultiDiGraph(**graph.graph)
    kept.graph["period"] = period
    for source, target, key, attributes in graph.edges(keys=True, data=True):
        if period.overlaps(edge_period(attributes)):
            for node in (source, target):
                kept.add_node(node, **graph.nodes[node])
            kept.add_edge(source, target, key=key, **attributes)
    return kept


def total_amount(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the amounts; None when one of them is unknown."""
    total = Decimal(0)
    for amount in amounts:
        if amount is None:
            return None
        total += amount
    return total


def edge_period(attributes: dict) -> Period:
    return Period(_day(attributes.get("start")), _day(attributes.get("end")))


def coverage(graph: nx.MultiDiGraph) -> Period | None:
    """The smallest period holding every relation of the graph; None when it has none."""
    periods = [edge_period(a) for _, _, a in graph.edges(data=True)]
    if not periods:
        return None
    starts = [p.start for p in periods if p.start is not None]
    ends = [p.end for p in periods if p.end is not None]
    return Period(min(starts) if len(starts) == len(periods) else None,
                  max(ends) if len(ends) == len(periods) else None)


def require_edges(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph itself, or an InputError saying why it has no edges."""
    if graph.number_of_edges():
        return graph
    setup, kind = graph.graph.get("setup", "?"), graph.graph.get("kind", "?")
    what, wat = (KIND_LABELS.get(kind, {}).get(lang, kind) for lang in ("en", "nl"))
    period = graph.graph.get("period")
    if period is not None and graph.graph.get("edges_unrestricted"):
        covered = graph.graph.get("coverage")
        when = period.describe("en") if period.start == period.end else f"during {period.describe('en')}"
        wanneer = period.describe("nl") if period.start == period.end else f"in {period.describe('nl')}"
        raise InputError(
            f"the setup '{setup}' has no {what} {when}",
            hint=f"its {what} cover {covered.describe('en') if covered else 'no period'}; choose a period in there",
            nl=(f"de inrichting '{setup}' heeft geen {wat} {wanneer}",
                f"haar {wat} beslaan {covered.describe('nl') if covered else 'geen periode'}; kies een periode "
                "daarbinnen"))
    others = ", ".join(k for k in KINDS if k != kind)
    raise InputError(f"the setup '{setup}' has no {what}",
                     hint=f"choose another kind ({others}) or another setup",
                     nl=(f"de inrichting '{setup}' heeft geen {wat}", f"kies een andere soort ({others}) of een "
                         "andere inrichting"))


def aggregate(graph: nx.MultiDiGraph, *, min_group: int = MIN_GROUP,
              max_providers: int = MAX_PROVIDERS) -> nx.MultiDiGraph:
    """Merge actors into aggregate nodes so that a picture stays readable.

    Actors of one kind with the same relations to the same other nodes (structurally
    equivalent, such as ten municipalities that each commission the same tasks, or 150 providers
    each contracted by the same intermediary) become one node when there are at least
    ``min_group`` of them. If a graph still has more than ``max_providers`` care providers, the
    remaining plain care providers become one node as well. Data that already models the
    providers as one aggregate node is left alone. Merged nodes list their ``members``; merged
    edges their ``merged`` relations, their ``count`` and (when all are known) summed ``amount``.
    """
    groups: dict[tuple, list[str]] = defaultdict(list)
    for node, attributes in graph.nodes(data=True):
        if attributes.get("node_type") == "actor":
            groups[(attributes["kind"], attributes.get("plain_provider"), _signature(graph, node))].append(node)
    merge = [sorted(members) for members in groups.values() if len(members) >= min_group]
    merged = {n for members in merge for n in members}
    providers = [n for n, a in graph.nodes(data=True) if a.get("kind") == "care-provider"]
    merged_providers = sum(len(m) - 1 for m in merge if graph.nodes[m[0]]["kind"] == "care-provider")
    if len(providers) - merged_providers > max_providers:
        plain = sorted(n for n in providers if n not in merged and graph.nodes[n].get("plain_provider"))
        if len(plain) > 1:
            merge.append(plain)
    result = graph
    for members in merge:
        result = _merge(result, members)
    return result


def belongs_to(data: Graph) -> dict[str, set[str]]:
    """For each actor the organisations it belongs to, directly or in steps (body of, member of)."""
    direct: dict[str, set[str]] = defaultdict(set)
    for part, whole in data.subject_objects(JG.bodyOf):
        direct[str(part)].add(str(whole))
    for part, whole in data.subject_objects(ORG.memberOf):
        direct[str(part)].add(str(whole))
    for membership in data.subjects(ORG.member, None):
        for member in data.objects(membership, ORG.member):
            for whole in data.objects(membership, ORG.organization):
                direct[str(member)].add(str(whole))
    closure: dict[str, set[str]] = {}
    for start in list(direct):
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            node = todo.pop()
            if node not in seen and node != start:
                seen.add(node)
                todo.extend(direct.get(node, ()))
        closure[start] = seen
    return closure


def task_and_narrower(task: str) -> set[str]:
    """A task and every task under it in the task scheme (skos:broader)."""
    return {str(t) for t in ontology().transitive_subjects(SKOS.broader, URIRef(task))}


# ---------------------------------------------------------------------------------------------
# Edges of each kind: (source, target, key, attributes) with labels in both languages.


def _role_edges(data: Graph) -> Iterable[tuple[str, str, str, dict]]:
    for assignment in _instances(data, JG.RoleAssignment):
        agent = data.value(assignment, JG.agent)
        role = data.value(assignment, JG.role)
        if agent is None or role is None:
            continue
        for task in sorted(data.objects(assignment, JG.task), key=str):
            relation = _labels(data, role)
            yield str(agent), str(task), str(assignment), {
                "node": str(assignment),
                "relation": local_name(role),
                "role": str(role),
                "task": str(task),
                "context": _str(data.value(assignment, JG.inContextOf)),
                "on_behalf_of": _str(data.value(assignment, JG.onBehalfOf)),
                **_both("label", _labels(data, assignment, fallback=relation)),
                **_both("relation_label", relation),
            }


def _mandate_edges(data: Graph) -> Iterable[tuple[str, str, str, dict]]:
    for mandate in _instances(data, JG.Mandate):
        giver, mandatary = data.value(mandate, JG.mandateGiver), data.value(mandate, JG.mandatary)
        if giver is None or mandatary is None:
            continue
        sub = JG.SubMandate in _types(data, mandate)
        cls = JG.SubMandate if sub else JG.Mandate
        competence = data.value(mandate, JG.competence)
        yield str(giver), str(mandatary), str(mandate), {
            "node": str(mandate),
            "relation": "sub-mandate" if sub else "mandate",
            "competence": _str(competence),
            **_both("competence_label", _labels(data, competence) if competence is not None else {}),
            "sub_mandate_of": _str(data.value(mandate, JG.subMandateOf)),
            "sub_mandate_permitted": _bool(data.value(mandate, JG.subMandatePermitted)),
            "consent_recorded": _bool(data.value(mandate, JG.consentGiven)),
            **_both("label", _labels(data, mandate, fallback=_labels(ontology(), cls))),
            **_both("relation_label", _labels(ontology(), cls)),
        }
    for delegation in _instances(data, JG.Delegation):
        delegator, delegate = data.value(delegation, JG.delegator), data.value(delegation, JG.delegate)
        if delegator is None or delegate is None:
            continue
        competence = data.value(delegation, JG.competence)
        yield str(delegator), str(delegate), str(delegation), {
            "node": str(delegation),
            "relation": "delegation",
            "competence": _str(competence),
            **_both("competence_label", _labels(data, competence) if competence is not None else {}),
            "legal_basis": _str(data.value(delegation, JG.legalBasis)),
            **_both("label", _labels(data, delegation, fallback=_labels(ontology(), JG.Delegation))),
            **_both("relation_label", _labels(ontology(), JG.Delegation)),
        }


def _money_edges(data: Graph) -> Iterable[tuple[str, str, str, dict]]:
    for flow in _instances(data, JG.MoneyFlow):
        payer, payee = data.value(flow, JG.payer), data.value(flow, JG.payee)
        if payer is None or payee is None:
            continue
        types = _types(data, flow)
        kind = next(k for cls, k in _MONEY_KINDS if cls in types)
        amount = _amount(data.value(flow, JG.amount))
        attributes: dict[str, object] = {
            "node": str(flow),
            "relation": kind,
            "kind": kind,
            "amount": amount,
            "basis": _str(data.value(flow, JG.basis)),
            "passes_on": _str(data.value(flow, JG.passesOn)),
            "task": _str(data.value(flow, JG.task)),
            **_both("label", _labels(data, flow, fallback=_labels(ontology(), _MONEY_CLASS[kind]))),
            **_both("relation_label", _labels(ontology(), _MONEY_CLASS[kind])),
        }
        if amount is not None:
            attributes["weight"] = float(amount)
        yield str(payer), str(payee), str(flow), attributes


def _accountability_edges(data: Graph) -> Iterable[tuple[str, str, str, dict]]:
    for line in _instances(data, JG.AccountabilityLine):
        party, recipient = data.value(line, JG.accountableParty), data.value(line, JG.accountTo)
        if party is None or recipient is None:
            continue
        flow = data.value(line, JG.aboutFlow)
        relation = _labels(ontology(), JG.AccountabilityLine)
        yield str(party), str(recipient), str(line), {
            "node": str(line),
            "relation": "accountability",
            "about_flow": _str(flow),
            **_both("about_flow_label", _labels(data, flow) if flow is not None else {}),
            **_both("label", _labels(data, line, fallback=relation)),
            **_both("relation_label", relation),
        }


_EDGES = {
    "roles": _role_edges,
    "mandates": _mandate_edges,
    "money": _money_edges,
    "accountability": _accountability_edges,
}


# ---------------------------------------------------------------------------------------------
# Nodes


def _node_attributes(data: Graph, node: URIRef, lang: str) -> dict:
    labels = _labels(data, node)
    if _is_task(node):
        kind, legal_form = "task", None
    else:
        kind, legal_form = _actor_kind(data, node), _legal_form(data, node)
    types = _types(data, node)
    attributes = {
        "node_type": "task" if kind == "task" else "actor",
        "kind": kind,
        **_both("kind_label", NODE_KINDS[kind]),
        **_both("label", labels),
        "legal_form": _curie(legal_form) if legal_form is not None else None,
        **_both("legal_form_label", _labels(ontology(), legal_form) if legal_form is not None else {}),
        "types": tuple(sorted(_curie(t) for t in data.objects(node, RDF.type))),
        # A provider that is nothing else (no foundation, cooperative, ...) may be merged with others.
        "plain_provider": JG.CareProvider in types and legal_form is None
        and not types & {JG.GovernanceBody, JG.JointArrangement, JG.Team},
    }
    attributes["label"] = attributes[f"label_{lang}"]
    return attributes


def _actor_kind(data: Graph, node: URIRef, seen: frozenset = frozenset()) -> str:
    types = _types(data, node)
    for cls, kind in _KIND_BY_CLASS:
        if cls in types:
            return kind
    # A team, official or unnamed body takes the kind of what it is part of or works under.
    for predicate in (JG.bodyOf, JG.subordinateTo, ORG.memberOf):
        for whole in data.objects(node, predicate):
            if isinstance(whole, URIRef) and whole not in seen:
                kind = _actor_kind(data, whole, seen | {node})
                if kind in ("municipality", "municipal-body", "municipal-organisation"):
                    return "municipal-organisation"
                if kind not in ("organisation", "person"):
                    return kind
    return "person" if JG.Person in types else "organisation"


def _legal_form(data: Graph, node: URIRef) -> URIRef | None:
    types = _types(data, node)
    return next((cls for cls in _LEGAL_FORMS if cls in types), None)


@cache
def _task_iris() -> frozenset[str]:
    return frozenset(str(s) for s in ontology().subjects(SKOS.inScheme, URIRef("https://w3id.org/jeugdgov/task/")))


def _is_task(node: URIRef) -> bool:
    return str(node) in _task_iris()


def _types(data: Graph, node: Node) -> set[Node]:
    """The node's classes and all their superclasses in the ontology."""
    found: set[Node] = set()
    for cls in data.objects(node, RDF.type):
        found |= _superclasses(cls)
    return found


@cache
def _superclasses(cls: Node) -> frozenset[Node]:
    return frozenset(c for c in ontology().transitive_objects(cls, RDFS.subClassOf) if c is not None)


def _instances(data: Graph, cls: URIRef) -> list[Node]:
    found = {s for s, _, t in data.triples((None, RDF.type, None)) if cls in _superclasses(t)}
    return sorted(found, key=str)


# ---------------------------------------------------------------------------------------------
# Aggregation


def _signature(graph: nx.MultiDiGraph, node: str) -> tuple:
    """What an actor is connected to, and how, ignoring which actor it is."""
    out = sorted((t, a["relation"], a.get("task") or "") for _, t, a in graph.out_edges(node, data=True))
    into = sorted((s, a["relation"], a.get("task") or "") for s, _, a in graph.in_edges(node, data=True))
    return tuple(out), tuple(into)


_PLURALS = {
    "municipality": {"nl": "Gemeenten", "en": "Municipalities"},
    "care-provider": {"nl": "Zorgaanbieders", "en": "Care providers"},
}


def _merge(graph: nx.MultiDiGraph, members: list[str]) -> nx.MultiDiGraph:
    digest = hashlib.sha1("|".join(sorted(members)).encode()).hexdigest()[:10]
    aggregate = f"urn:jeugdgov:aggregate:{digest}"
    merged: nx.MultiDiGraph[str] = nx.MultiDiGraph(**graph.graph)
    member_set = set(members)
    lang = graph.graph.get("lang", "en")
    for node, attributes in graph.nodes(data=True):
        if node not in member_set:
            merged.add_node(node, **attributes)
    first = graph.nodes[members[0]]
    labels = _aggregate_labels(graph, members)
    merged.add_node(aggregate, **{
        **first,
        **_both("label", labels),
        "label": labels[lang],
        "aggregate": True,
        "members": tuple(members),
        "member_labels": tuple(graph.nodes[m]["label"] for m in members),
    })
    bundles: dict[tuple, list[dict]] = defaultdict(list)
    for source, target, key, attributes in graph.edges(keys=True, data=True):
        source2 = aggregate if source in member_set else source
        target2 = aggregate if target in member_set else target
        if source2 == target2 == aggregate:
            continue  # relations among the members stay inside the aggregate
        if source2 == source and target2 == target:
            merged.add_edge(source, target, key=key, **attributes)
        else:
            bundles[(source2, target2, attributes["relation"], attributes.get("task"))].append(attributes)
    for (source, target, _relation, _task), edges in bundles.items():
        first_edge = dict(edges[0])
        first_edge["merged"] = tuple(n for e in edges for n in (e.get("merged") or (e["node"],)))
        first_edge["count"] = sum(e.get("count", 1) for e in edges)
        if "amount" in first_edge:
            first_edge.pop("weight", None)
            first_edge["amount"] = total_amount(e.get("amount") for e in edges)
            if first_edge["amount"] is not None:
                first_edge["weight"] = float(first_edge["amount"])
        merged.add_edge(source, target, key=first_edge["node"], **first_edge)
    return merged


def _aggregate_labels(graph: nx.MultiDiGraph, members: list[str]) -> dict[str, str]:
    """'Municipalities (10)', or the shared class or kind with a count: 'municipal executive ×10'."""
    count, kind = len(members), graph.nodes[members[0]]["kind"]
    if kind in _PLURALS:
        return {lang: f"{_PLURALS[kind][lang]} ({count})" for lang in LANGUAGES}
    common = set.intersection(*(set(graph.nodes[m].get("types", ())) for m in members))
    singular = _labels(ontology(), URIRef(_expand(common.pop()))) if len(common) == 1 else NODE_KINDS[kind]
    return {lang: f"{singular[lang][:1].upper()}{singular[lang][1:]} ×{count}" for lang in LANGUAGES}


def _expand(curie: str) -> str:
    return str(JG) + curie[3:] if curie.startswith("jg:") else curie


# ---------------------------------------------------------------------------------------------
# Small helpers


def _labels(data: Graph, node: Node | None, fallback: dict[str, str] | None = None) -> dict[str, str]:
    """Labels of a node in nl and en, from the setup, then the ontology, then the fallback."""
    if node is None:
        return dict(fallback or {})
    found: dict[str, str] = {}
    for graph in (data, ontology()):
        for predicate in (SKOS.prefLabel, RDFS.label):
            for text in graph.objects(node, predicate):
                if isinstance(text, Literal):
                    found.setdefault(text.language or "", str(text))
        if found:
            break
    if not found and fallback:
        return dict(fallback)
    plain = found.get("") or next(iter(found.values()), None) or local_name(node)
    return {lang: found.get(lang) or plain for lang in LANGUAGES}


def _has_label(data: Graph, node: URIRef) -> bool:
    return any(True for p in (RDFS.label, SKOS.prefLabel) for _ in data.objects(node, p))


def _both(name: str, labels: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{lang}": labels.get(lang, "") for lang in LANGUAGES}


def setup_period(setup: Setup) -> Period:
    """The period of a setup (its jg:during); open on both sides when it has none."""
    return _setup_period(setup)


def _setup_period(setup: Setup) -> Period:
    if setup.node is None:
        return Period()
    return _period_of(setup.graph, str(setup.node), Period(), setup.source)


def _period_of(data: Graph, node: str, default: Period, source: Path | str) -> Period:
    """The period of jg:during of a node in the data; its file is named when the period is backwards."""
    interval = data.value(URIRef(node), JG.during)
    if interval is None:
        return default
    start, end = _instant(data, interval, TIME.hasBeginning), _instant(data, interval, TIME.hasEnd)
    if start and end and start > end:
        raise InputError(f"the period of {node} (jg:during) begins on {start} after it ends on {end}",
                         file=source, hint="fix its time:hasBeginning or time:hasEnd in the data",
                         nl=(f"de periode van {node} (jg:during) begint op {start}, na het einde op {end}",
                             "verbeter time:hasBeginning of time:hasEnd in de gegevens"))
    return Period(start, end)


def _instant(data: Graph, interval: Node, side: URIRef) -> date | None:
    instant = data.value(interval, side)
    value = data.value(instant, TIME.inXSDDate) if instant is not None else None
    day = value.toPython() if isinstance(value, Literal) else None
    return day if isinstance(day, date) else None


def _iso(period: Period) -> tuple[str | None, str | None]:
    return (period.start.isoformat() if period.start else None, period.end.isoformat() if period.end else None)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _amount(value: Node | None) -> Decimal | None:
    if not isinstance(value, Literal):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _bool(value: Node | None) -> bool | None:
    return bool(value.toPython()) if isinstance(value, Literal) else None


def _str(node: Node | None) -> str | None:
    return str(node) if node is not None else None


def _curie(node: Node) -> str:
    text = str(node)
    return "jg:" + text[len(str(JG)):] if text.startswith(str(JG)) else text
