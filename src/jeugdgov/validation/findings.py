"""Findings: the SHACL results of either engine, with the catalogue id, the parties involved, a
message in Dutch and English and the legal or normative basis of the defect."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from jeugdgov.display import frame, html_table, severity_badge
from jeugdgov.resources import (
    JG,
    LANGUAGES,
    is_vocabulary_term,
    local_name,
    ontology,
    ontology_quads,
    shapes,
    to_rdflib,
)
from jeugdgov.setups import Setup
from jeugdgov.validation.catalogue import defect_label, notation
from jeugdgov.validation.evidence import EVIDENCE as EVIDENCE  # the statuses, re-exported with the Finding
from jeugdgov.validation.evidence import UNRECORDED, EvidenceRule, evidence_rule, judge, lookups
from jeugdgov.words import evidence_word, severity_word

if TYPE_CHECKING:
    from pandas import DataFrame

LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label)  # rdflib namespace attributes are slow to look up
TYPE = RDF.type
#: The words for the severities a shape can name (any node, as a shapes graph gives it).
SEVERITIES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
PREFIXES = {
    "https://w3id.org/jeugdgov/def#": "jg:",
    "https://w3id.org/jeugdgov/role/": "jgr:",
    "https://w3id.org/jeugdgov/task/": "jgt:",
    "https://w3id.org/jeugdgov/defect/": "jgd:",
}


@dataclass(frozen=True)
class Party:
    """An actor a finding involves, with its labels."""

    iri: str
    labels: dict[str, str] = field(hash=False, compare=False)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("") or self.iri


@dataclass(frozen=True)
class Finding:
    """One defect found in one setup, traceable to the evidence and its basis."""

    setup: str
    defect: str
    severity: str
    focus: str
    shape: str
    path: str | None
    value: str | None
    parties: tuple[Party, ...]
    messages: dict[str, str] = field(hash=False, compare=False)
    #: The norm: law articles or public norm frameworks (a report section only where no general
    #: source exists).
    basis: tuple[str, ...] = ()
    #: Report sections where the norm was seen applied: examples, not its ground ("see also").
    seen_in: tuple[str, ...] = ()
    #: What the finding rests on: "established" (recorded facts, explicit absences included),
    #: "unrecorded" (a fact the data neither state nor deny) or "alleged" (a party's claim).
    evidence: str = "established"
    #: The documents or report sections the facts it rests on cite.
    sources: tuple[str, ...] = ()
    #: The labels of the focus node, by language ("" for an untagged one).
    focus_labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    #: For a setup read from a workbook: the sheet and row that describe the focus node.
    sheet: str | None = None
    row: int | None = None

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or next(iter(self.messages.values()), self.defect)

    def focus_label(self, lang: str = "en") -> str:
        return self.focus_labels.get(lang) or self.focus_labels.get("") or _curie(self.focus)

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "setup": self.setup,
            "defect": self.defect,
            "severity": self.severity,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "parties": [{"iri": p.iri, "label": p.label(lang)} for p in self.parties],
            "message": self.message(lang),
            "basis": list(self.basis),
            "seen_in": list(self.seen_in),
            "evidence": self.evidence,
            "sources": list(self.sources),
        }

    def as_row(self, lang: str = "en") -> dict[str, object]:
        """One row of a findings table: ids and labels in ``lang``, parties and sources as tuples."""
        return {
            "setup": self.setup, "defect": self.defect, "label": defect_label(self.defect, lang),
            "severity": self.severity, "evidence": self.evidence, "focus": self.focus,
            "focus_label": self.focus_label(lang), "parties": tuple(p.label(lang) for p in self.parties),
            "sources": tuple(source_label(s, lang) for s in self.sources), "message": self.message(lang),
            "sheet": self.sheet, "row": self.row,
        }

    def __repr__(self) -> str:
        return (f"Finding({self.setup}: {self.defect}, {self.severity}, {self.evidence}, "
                f"focus={_curie(self.focus)})")

    def _repr_html_(self) -> str:
        return Findings([self])._repr_html_()


#: The columns of a findings table (Findings.to_frame), in order.
FRAME_COLUMNS = ("setup", "defect", "label", "severity", "evidence", "focus", "focus_label", "parties", "sources",
                 "message", "sheet", "row")


class Findings(list[Finding]):
    """A list of findings that shows as a table in a notebook and turns into a DataFrame."""

    def to_frame(self, lang: str = "en") -> DataFrame:
        """One row per finding (pandas, the extra ``notebook``): the columns of FRAME_COLUMNS."""
        return frame([f.as_row(lang) for f in self], FRAME_COLUMNS)

    def counts(self) -> dict[str, int]:
        """How many findings of each severity, the gravest first."""
        found = [f.severity for f in self]
        return {s: found.count(s) for s in SEVERITIES.values() if s in found}

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in self.counts().items())
        return f"Findings({len(self)}{': ' + counts if counts else ''})"

    def _repr_html_(self, lang: str = "en") -> str:
        return findings_table(self, lang)


def findings_table(findings: Iterable[Finding], lang: str = "en", caption: str = "") -> str:
    """Findings as a compact HTML table, the severity in its colour."""
    return html_table(("severity", "evidence", "setup", "defect", "focus", "message"),
                      ((severity_badge(f.severity, severity_word(f.severity, lang)), evidence_word(f.evidence, lang),
                        f.setup, defect_label(f.defect, lang),
                        f.focus_label(lang), f.message(lang)) for f in findings), caption)


@cache
def _source_labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for source, label in ontology().subject_objects(RDFS.label):
        labels.setdefault(str(source), {})[getattr(label, "language", None) or ""] = str(label)
    return labels


def source_label(source: str, lang: str = "en") -> str:
    """The label of a source (a report section, a law article) in a language; its IRI when it has none."""
    labels = _source_labels().get(source, {})
    return labels.get(lang) or labels.get("") or source


@dataclass(frozen=True)
class RawResult:
    """One SHACL validation result as an engine computes it, before it becomes a Finding."""

    focus: Node
    source: Node
    severity: Node = SH.Violation
    path: Node | None = None
    value: Node | None = None
    component: Node | None = None
    constraint: Node | None = None


@dataclass
class Report:
    """The findings for one setup and the SHACL validation report they came from."""

    setup: Setup
    findings: Findings
    shacl_report: Graph
    #: The reference date: the "today" of every check that needs one.
    as_of: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.findings, Findings):  # a plain list of findings is taken too
            self.findings = Findings(self.findings)

    @property
    def conforms(self) -> bool:
        return not self.findings

    def to_frame(self, lang: str = "en") -> DataFrame:
        """The findings as a DataFrame, one row per finding (see Findings.to_frame)."""
        return self.findings.to_frame(lang)

    def __repr__(self) -> str:
        dated = f", as of {self.as_of.isoformat()}" if self.as_of else ""
        return f"Report({self.setup.name}: {self.findings!r}{dated})"

    def _repr_html_(self, lang: str = "en") -> str:
        dated = f", as of {self.as_of.isoformat()}" if self.as_of else ""
        caption = f"{self.setup.label(lang)} ({self.setup.name}{dated}): "
        if self.conforms:
            return html_table((), (), caption + "conforms, no defects found")
        counts = ", ".join(f"{n} {s}" for s, n in self.findings.counts().items())
        return findings_table(self.findings, lang, caption + counts)


def finding_order(finding: Finding) -> tuple[str, str, str, str, str, str]:
    """The order findings are reported in, whichever engine found them (and however an engine
    orders its results: pySHACL's order of two results on one focus node varies from run to run)."""
    return (finding.setup, finding.defect, finding.focus, finding.value or "", finding.path or "",
            finding.shape)


#: Severities from the most to the least severe.
SEVERITY_RANK = {"Violation": 3, "Warning": 2, "Info": 1}


def finding_numbers(findings: Iterable[Finding]) -> dict[str, int]:
    """The number of each defect among a setup's findings: most severe first, then by id.

    Pictures and the council report number with it, so that a defect has one number per setup.
    """
    severity: dict[str, int] = {}
    for finding in findings:
        severity[finding.defect] = max(severity.get(finding.defect, 0), SEVERITY_RANK.get(finding.severity, 0))
    ordered = sorted(severity, key=lambda defect: (-severity[defect], defect))
    return {defect: number for number, defect in enumerate(ordered, start=1)}


def findings_from(setup: str, raw: Iterable[RawResult], data: Iterable[tuple[Node, Node, Node]],
                  shapes_graph: Graph) -> Findings:
    """Findings for raw results; ``data`` (a graph or its triples) needs the labels and parties
    of their nodes and the facts their evidence is decided on (:mod:`jeugdgov.validation.evidence`):
    the evidence predicates and the properties the shapes read, of focus, value and the nodes
    ``jg:evidenceVia`` leads to, and the triples pointing at them with the inverse ones."""
    described = _Described(data, lookups()[1])
    return Findings(sorted((_finding(setup, result, described, shapes_graph) for result in raw),
                           key=finding_order))


class _Described:
    """The facts about result nodes that findings need, indexed once: many findings share
    their parties, and looking each up again in the graph costs more than the query did."""

    def __init__(self, data: Iterable[tuple[Node, Node, Node]], inverse: frozenset[URIRef]) -> None:
        self.facts: dict[Node, list[tuple[Node, Node]]] = {}
        self.pointing_at: dict[tuple[Node, Node], list[Node]] = {}  # only for ``inverse`` predicates
        for subject, predicate, obj in data:
            self.facts.setdefault(subject, []).append((predicate, obj))
            if predicate in inverse:
                self.pointing_at.setdefault((obj, predicate), []).append(subject)
        self._labels: dict[Node, dict[str, str]] = {}
        self._fact_sets: dict[Node, set[tuple[Node, Node]]] = {}

    def predicate_objects(self, node: Node) -> list[tuple[Node, Node]]:
        return self.facts.get(node, [])

    def has(self, node: Node, predicate: Node, obj: Node) -> bool:
        """Whether the node has this fact: a set per node, made when first asked (rdflib's terms
        compare in Python, so scanning a node's list of facts costs more than hashing)."""
        if node not in self._fact_sets:
            self._fact_sets[node] = set(self.facts.get(node, ()))
        return (predicate, obj) in self._fact_sets[node]

    def pointing(self, node: Node, predicate: Node) -> list[Node]:
        return self.pointing_at.get((node, predicate), [])

    def labels(self, node: Node) -> dict[str, str]:
        if node not in self._labels:
            by_predicate: dict[Node, list[Node]] = {p: [] for p in LABEL_PREDICATES}
            for p, text in self.predicate_objects(node):
                if p in by_predicate:
                    by_predicate[p].append(text)
            labels: dict[str, str] = {}
            for texts in by_predicate.values():  # a preferred label before a plain one
                for text in texts:
                    labels.setdefault(getattr(text, "language", None) or "", str(text))
            self._labels[node] = labels
        return self._labels[node]

    def label(self, node: Node | None, lang: str) -> str:
        """The best label of a node in a language: that language, then untagged, then any."""
        if node is None:
            return ""
        if isinstance(node, Literal):
            return str(node)
        labels = self.labels(node)
        if labels:
            return labels.get(lang) or labels.get("") or next(iter(labels.values()))
        return _curie(node)


def _finding(setup: str, result: RawResult, data: _Described, shapes_graph: Graph) -> Finding:
    shape, templates, defect, basis, seen_in, rule = _shape_facts(result.source, shapes_graph)
    focus = result.focus
    value = result.value
    path = result.path
    parties = _parties(data, focus, value)
    judgement = judge(rule, data, focus, value)
    messages = {}
    for lang in LANGUAGES:
        template = (rule.question(lang) if judgement.evidence == UNRECORDED else None) or templates[lang]
        messages[lang] = _render(template, data, focus, value, parties, lang)
        if judgement.claimants:
            claimants = ", ".join(data.label(c, lang) for c in judgement.claimants)
            messages[lang] += CLAIM_NOTE[lang].format(claimants=claimants)
        if judgement.disputants:
            disputants = ", ".join(data.label(d, lang) for d in judgement.disputants)
            messages[lang] += DISPUTE_NOTE[lang].format(disputants=disputants)
    if defect == "undefined-term" and value is not None:
        for lang, hint in _suggestion(value).items():
            messages[lang] += hint
    return Finding(
        setup=setup,
        defect=defect,
        severity=SEVERITIES.get(result.severity, "Violation"),
        focus=_node_id(focus),
        shape=_node_id(shape),
        path=_node_id(path) if isinstance(path, URIRef) else None,
        value=_node_id(value) if value is not None and value != focus else None,
        parties=parties,
        messages=messages,
        basis=basis,
        seen_in=seen_in,
        evidence=judgement.evidence,
        sources=judgement.sources,
        focus_labels=dict(data.labels(focus)) if isinstance(focus, URIRef) else {},
    )


#: What an alleged finding adds to its message: whose claim it rests on.
CLAIM_NOTE = {"nl": " Dit berust op een bewering van {claimants}, niet op een vastgesteld feit.",
              "en": " This rests on a claim of {claimants}, not on an established fact."}
#: What a finding resting on a contested fact adds: who contests it.
DISPUTE_NOTE = {"nl": " {disputants} betwist een feit waarop dit berust.",
                "en": " {disputants} disputes a fact this rests on."}


ShapeFacts = tuple[Node, dict[str, str], str, tuple[str, ...], tuple[str, ...], EvidenceRule]

#: Per shapes graph (held, so that its id is not reused), the facts of each source shape.
_SHAPE_FACTS: dict[int, tuple[Graph, dict[Node, ShapeFacts]]] = {}


def _shape_facts(source: Node, shapes_graph: Graph) -> ShapeFacts:
    """What a finding takes from its shape: the detecting shape, message templates, defect id
    and basis, looked up once per shapes graph and shape (not per finding or setup)."""
    if id(shapes_graph) not in _SHAPE_FACTS:
        if len(_SHAPE_FACTS) >= 16:
            _SHAPE_FACTS.clear()
        _SHAPE_FACTS[id(shapes_graph)] = (shapes_graph, {})
    known = _SHAPE_FACTS[id(shapes_graph)][1]
    if source not in known:
        shape = detecting_shape(source, shapes_graph)
        concept = shapes_graph.value(shape, JG.detects)
        templates = {lang: _template(shape, source, shapes_graph, lang) for lang in LANGUAGES}
        basis = tuple(sorted(str(b) for b in shapes_graph.objects(shape, RDFS.seeAlso)))
        seen_in = tuple(sorted(str(b) for b in shapes_graph.objects(shape, JG.seenIn)))
        # a concept of the catalogue, or one a shapes graph declares itself (a norm's, jeugdgov.norms)
        own = shapes_graph.value(concept, SKOS.notation) if concept is not None else None
        defect = str(own) if own is not None else notation(concept) if concept is not None \
            else local_name(shape) if isinstance(shape, URIRef) else "shacl"  # a user's shape: its name
        known[source] = (shape, templates, defect, basis, seen_in,
                         evidence_rule(shape, shapes_graph))
    return known[source]


def detecting_shape(source: Node, shapes_graph: Graph) -> Node:
    """The shape carrying jg:detects: the source itself or the node shape it is part of."""
    if (source, JG.detects, None) in shapes_graph:
        return source
    parent = shapes_graph.value(None, SH.property, source)
    return parent if parent is not None else source


def _template(shape: Node, source: Node, shapes_graph: Graph, lang: str) -> str:
    candidates = [source, shape, *shapes_graph.objects(shape, SH.sparql)]
    for language in (lang, None):  # a message in the language, else one without language tag
        for node in candidates:
            for message in shapes_graph.objects(node, SH.message):
                if isinstance(message, Literal) and message.language == language:
                    return str(message)
    return "{$this}: " + str(shapes_graph.value(shape, RDFS.label) or shape)


def _render(template: str, data: _Described, focus: Node, value: Node | None,
            parties: tuple[Party, ...], lang: str) -> str:
    return (template
            .replace("{$this}", data.label(focus, lang))
            .replace("{?value}", data.label(value, lang) if value is not None else "")
            .replace("{parties}", ", ".join(p.label(lang) for p in parties)))


def _parties(data: _Described, focus: Node, value: Node | None) -> tuple[Party, ...]:
    """Actors among focus and value, and the actors they involve (jg:involves and its subproperties)."""
    nodes = [n for n in (focus, value) if n is not None]
    found: list[Node] = [n for n in nodes if _is_actor(data, n)]
    order = _involving_order()
    for node in nodes:
        # By property, then sorted: the order must not depend on how a graph stores its triples.
        involved = sorted((order[p], o) for p, o in data.predicate_objects(node) if p in order)
        found.extend(o for _, o in involved)
    unique = list(dict.fromkeys(n for n in found if isinstance(n, URIRef)))
    return tuple(Party(str(n), data.labels(n)) for n in unique)


@cache
def involving_properties() -> tuple[URIRef, ...]:
    return tuple(p for p in _transitive_subjects(RDFS.subPropertyOf, JG.involves) if isinstance(p, URIRef))


@cache
def _involving_order() -> dict[Node, int]:
    return {p: k for k, p in enumerate(involving_properties())}


@cache
def _actor_classes() -> frozenset[Node]:
    return frozenset(_transitive_subjects(RDFS.subClassOf, JG.Actor))


def _transitive_subjects(predicate: URIRef, start: URIRef) -> list[Node]:
    """The start and every subject that reaches it by the predicate, in the ontology, as
    rdflib's ``Graph.transitive_subjects`` gives them (depth first, in the order of the files),
    read from the ontology's quads: a validation then needs no rdflib copy of the ontology."""
    found: dict[Node, None] = {}

    def visit(node: ox.NamedNode | ox.BlankNode) -> None:
        term = to_rdflib(node)
        if term in found:
            return
        found[term] = None
        for subject in _subjects_of(predicate).get(node, []):
            visit(subject)

    visit(ox.NamedNode(str(start)))
    return list(found)


@cache
def _subjects_of(predicate: URIRef) -> dict[object, list[ox.NamedNode | ox.BlankNode]]:
    """By object, the subjects of the ontology's triples with the predicate, each once, in order."""
    wanted = ox.NamedNode(str(predicate))
    subjects: dict[object, dict[ox.NamedNode | ox.BlankNode, None]] = {}
    for quad in ontology_quads():
        if quad.predicate == wanted and not isinstance(quad.subject, ox.Triple):
            subjects.setdefault(quad.object, {})[quad.subject] = None
    return {obj: list(found) for obj, found in subjects.items()}


def _is_actor(data: _Described, node: Node) -> bool:
    actor_classes = _actor_classes()
    return any(o in actor_classes and p == TYPE for p, o in data.predicate_objects(node))


@cache
def _defined_terms() -> dict[str, str]:
    """Local name → IRI of every term the ontology defines in our namespaces, in IRI order (so
    that of two equally close suggestions the same one is made in every run)."""
    typed = ox.NamedNode(str(RDF.type))
    iris = sorted({q.subject.value for q in ontology_quads()
                   if q.predicate == typed and isinstance(q.subject, ox.NamedNode)})
    return {_curie(iri): iri for iri in iris if is_vocabulary_term(iri)}


@cache
def _suggestion(term: Node) -> dict[str, str]:
    close = difflib.get_close_matches(_curie(term), list(_defined_terms()), n=1, cutoff=0.6)
    if not close:
        return {}
    return {"nl": f" Bedoelde u {close[0]}?", "en": f" Did you mean {close[0]}?"}


def _curie(node: Node | str) -> str:
    text = str(node)
    for namespace, prefix in PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return text


def _node_id(node: Node | None) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def attach_messages(results: Graph, findings: list[Finding], as_of: date | None = None,
                    shapes_graph: Graph | None = None) -> None:
    """Replace pySHACL's messages in the SHACL report by the rendered nl and en messages, and
    give each result its evidence status and sources, and the report its reference date.
    ``shapes_graph`` is where the results' shapes are (the catalogue's by default)."""
    if as_of is not None:
        for report in list(results.subjects(RDF.type, SH.ValidationReport)):
            results.add((report, JG.asOf, Literal(as_of.isoformat(), datatype=XSD.date)))
    by_key = {(f.focus, f.shape, f.value): f for f in findings}
    for result in list(results.subjects(RDF.type, SH.ValidationResult)):
        focus = _node_id(results.value(result, SH.focusNode))
        source = results.value(result, SH.sourceShape)
        if source is None:  # no shape, no finding
            continue
        value = results.value(result, SH.value)
        value_id = _node_id(value) if value is not None and _node_id(value) != focus else None
        shape = _node_id(detecting_shape(source, shapes() if shapes_graph is None else shapes_graph))
        finding = by_key.get((focus, shape, value_id))
        if finding is None:
            continue
        results.remove((result, SH.resultMessage, None))
        for lang, text in finding.messages.items():
            results.add((result, SH.resultMessage, Literal(text, lang=lang)))
        results.add((result, DCTERMS.identifier, Literal(finding.defect)))
        results.add((result, JG.evidence, Literal(finding.evidence)))
        for cited in finding.sources:
            results.add((result, PROV.hadPrimarySource, URIRef(cited)))
