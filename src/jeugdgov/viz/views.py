"""What a picture shows: one projection of a setup, laid out, with the findings it touches.

A :class:`View` is shared by the static figures (:mod:`jeugdgov.viz.static`) and the
interactive HTML (:mod:`jeugdgov.viz.interactive`), so both draw the same nodes in the same places
with the same numbered findings. A finding touches a view when an edge in it is the relation
the finding is about (its focus or value), or runs from the focus or value to another party
of the finding, or when the focus itself is a node of the view. Findings of one defect share a
number, and the numbers belong to the setup (:func:`finding_numbers`), not to the view: a defect
has the same number in every picture of a setup and in the report.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import RDFS, URIRef

from jeugdgov.analysis.projection import (
    KIND_LABELS,
    KINDS,
    NODE_KINDS,
    Period,
    project,
    require_edges,
)
from jeugdgov.analysis.projection import aggregate as merge_equivalent
from jeugdgov.display import SEVERITY_COLOURS as SEVERITY_COLOURS  # the colours of report, pictures, tables
from jeugdgov.resources import LANGUAGES, local_name
from jeugdgov.setups import Setup
from jeugdgov.validation import Finding, validate
from jeugdgov.validation.evidence import EVIDENCE
from jeugdgov.validation.findings import SEVERITY_RANK, finding_numbers
from jeugdgov.viz.layout import Layout, layered, longest_path_layers
from jeugdgov.viz.placement import BADGE_GAP, Placement, place
from jeugdgov.words import SEVERITY_WORDS, evidence_word, severity_word

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import RendererAgg

FONT_SIZE = 8.0
BADGE_FONT_SIZE = 6.5
LINE_LABEL_FONT_SIZE = 6.5
#: The order of tasks in the middle column of a roles picture: from policy to delivery, the
#: same in every setup, so that pictures of several setups line up. Other tasks follow by name.
TASK_ORDER = ("policy", "procurement", "contract-management", "monitoring", "business-operations", "financing",
              "access-decision", "care-delivery", "basic-care", "specialist-care", "child-protection")
SEVERITY_LABELS = SEVERITY_WORDS
KIND_COLOURS = {
    "municipality": "#6baed6",
    "municipal-body": "#9ecae1",
    "municipal-organisation": "#c6dbef",
    "joint-arrangement": "#bcbddc",
    "governance-body": "#dadaeb",
    "organisation": "#d9d9d9",
    "care-provider": "#a1d99b",
    "referrer": "#fcc5e0",
    "chain-partner": "#d4b9da",
    "person": "#f0f0f0",
    "task": "#fff7bc",
}
#: Colour and line style of each relation; unknown relations are grey.
RELATION_STYLES = {
    "commissioner": ("#08519c", "solid"),
    "contractor": ("#238b45", "solid"),
    "subcontractor": ("#74c476", "dashed"),
    "delivery": ("#8c510a", "solid"),
    "access": ("#6a51a3", "solid"),
    "adviser": ("#9e9ac8", "dashed"),
    "decision-maker": ("#252525", "solid"),
    "referrer": ("#e7298a", "dotted"),
    "funder": ("#1b9e9e", "solid"),
    "supervision": ("#737373", "dashed"),
    "owner": ("#bcbd22", "solid"),
    "accountholder": ("#8c6d31", "dashed"),
    "contact-point": ("#bd9e39", "dotted"),
    "mandate": ("#3182bd", "solid"),
    "sub-mandate": ("#6baed6", "dashed"),
    "delegation": ("#31a354", "solid"),
    "subsidy": ("#2b8cbe", "solid"),
    "contract-payment": ("#31a354", "solid"),
    "per-case-financing": ("#756bb1", "solid"),
    "joint-arrangement-contribution": ("#636363", "solid"),
    "pass-through": ("#a63603", "dashed"),
    "money-flow": ("#969696", "solid"),
    "accountability": ("#7b4173", "solid"),
}
TEXT = {
    "legend": {"nl": "Legenda", "en": "Legend"},
    "finding": {"nl": "bevinding", "en": "finding"},
    "numbered": {"nl": "[n] bevinding n, zie onder", "en": "[n] finding n, see below"},
    "also": {"nl": "ook", "en": "also"},
    "not_shown": {"nl": "Niet in dit beeld", "en": "Not in this view"},
    "elsewhere": {"nl": "niet in dit beeld", "en": "not in this view"},
    "no_findings": {"nl": "Geen bevindingen in dit beeld.", "en": "No findings in this view."},
    "aggregated": {"nl": "actoren met dezelfde relaties samengevoegd", "en": "actors with the same relations merged"},
    "members": {"nl": "bestaat uit", "en": "consists of"},
    "findings": {"nl": "Bevindingen", "en": "Findings"},
    "period": {"nl": "periode", "en": "period"},
    "amount": {"nl": "bedrag", "en": "amount"},
    "kind": {"nl": "soort", "en": "kind"},
    "legal_form": {"nl": "rechtsvorm", "en": "legal form"},
    "relation": {"nl": "relatie", "en": "relation"},
}


@dataclass
class Group:
    """The findings of one defect in a view, drawn with one number."""

    number: int
    defect: str
    severity: str
    findings: list[Finding]
    nodes: set[str] = field(default_factory=set)
    edges: set[tuple] = field(default_factory=set)
    edge_focus: set[tuple] = field(default_factory=set)
    elsewhere: int = 0
    reach: list[tuple[set[str], set[tuple]]] = field(default_factory=list)  # per finding: its nodes and edges

    def about(self, lang: str, node: str | None = None, edges: Iterable[tuple] = ()) -> str:
        """The numbered message of the findings involving a node or one of some edges."""
        edges = set(edges)
        chosen = [f for f, (nodes, lines) in zip(self.findings, self.reach, strict=True)
                  if (node is not None and node in nodes) or edges & lines] or self.findings[:1]
        chosen = _strongest_first(chosen)
        text = f"[{self.number}] {self._heading(chosen[0], lang)}: {chosen[0].message(lang)}"
        return text + (f" (+{len(chosen) - 1})" if len(chosen) > 1 else "")

    def _heading(self, finding: Finding, lang: str) -> str:
        """The defect with its severity, and the evidence of the finding when it is not established."""
        words = [severity_word(self.severity, lang)]
        if finding.evidence != "established":
            words.append(evidence_word(finding.evidence, lang))
        return f"{self.defect} ({', '.join(words)})"

    describe: Callable[[Finding], str] | None = None

    def caption(self, lang: str, width: int = 0, numbered: bool = True) -> str:
        first, *rest = _strongest_first(self.findings)
        text = f"[{self.number}] " if numbered else ""
        text += f"{self._heading(first, lang)}: {first.message(lang)}"
        if rest:
            describe = self.describe or (lambda f: local_name(f.focus))
            others = [describe(f) for f in rest]
            text += f" — {TEXT['also'][lang]} ({len(others)}): {', '.join(dict.fromkeys(others))}"
        if self.elsewhere:
            text += f" (+{self.elsewhere} {TEXT['elsewhere'][lang]})"
        return textwrap.fill(text, width, subsequent_indent="     ") if width else text


def _strongest_first(findings: list[Finding]) -> list[Finding]:
    """Established findings before questions to verify and claims: a caption leads with a fact."""
    return sorted(findings, key=lambda f: EVIDENCE.index(f.evidence))


@dataclass
class Bundle:
    """Parallel edges with the same relation, drawn as one line."""

    source: str
    target: str
    relation: str
    relation_label: str
    keys: list
    amount: Decimal | None
    count: int = 0
    severity: str | None = None
    numbers: list[int] = field(default_factory=list)
    focus_numbers: list[int] = field(default_factory=list)
    offset: float = 0.0

    @property
    def style(self) -> tuple[str, str]:
        return RELATION_STYLES.get(self.relation, ("#969696", "solid"))


@dataclass
class View:
    setup: Setup
    kind: str
    lang: str
    graph: nx.MultiDiGraph
    layout: Layout
    labels: dict[str, str]
    bundles: list[Bundle]
    groups: list[Group]
    hidden: dict[str, int]
    period: Period | None
    aggregated: bool
    placement: Placement = field(default_factory=Placement)

    @property
    def title(self) -> str:
        return f"{self.setup.label(self.lang)} — {KIND_LABELS[self.kind][self.lang]}"

    @property
    def subtitle(self) -> str:
        parts = []
        if self.period is not None:
            parts.append(f"{TEXT['period'][self.lang]}: {self.period.describe(self.lang)}")
        if self.aggregated:
            parts.append(TEXT["aggregated"][self.lang])
        return "; ".join(parts)

    def numbers(self, node: str) -> list[int]:
        return [g.number for g in self.groups if node in g.nodes]

    def badge(self, node: str) -> str:
        """The text of a node's badge: the numbers of the findings it is part of."""
        return ",".join(map(str, self.numbers(node)))

    def line_label(self, bundle: Bundle, lang: str | None = None) -> str:
        """The text on a line: the findings it is the focus of, how many relations, the amount."""
        parts = []
        if bundle.focus_numbers:
            parts.append("".join(f"[{n}]" for n in bundle.focus_numbers))
        if bundle.count > 1:
            parts.append(f"×{bundle.count}")
        if bundle.amount is not None:
            parts.append(format_amount(bundle.amount, lang or self.lang))
        return " ".join(parts)

    def severity(self, node: str) -> str | None:
        found = [g.severity for g in self.groups if node in g.nodes]
        return max(found, key=SEVERITY_RANK.__getitem__) if found else None

    def node_details(self, node: str) -> list[str]:
        """Lines for a tooltip: label, kind, legal form, members and findings."""
        data, lang = self.graph.nodes[node], self.lang
        lines = [data["label"], f"{TEXT['kind'][lang]}: {data[f'kind_label_{lang}']}"]
        if data.get("legal_form"):
            lines.append(f"{TEXT['legal_form'][lang]}: {data[f'legal_form_label_{lang}']}")
        if data.get("aggregate"):
            members = list(data.get("member_labels", ()))
            shown = ", ".join(members[:25]) + (", …" if len(members) > 25 else "")
            lines.append(f"{TEXT['members'][lang]} ({len(members)}): {shown}")
        lines += [g.about(lang, node=node) for g in self.groups if node in g.nodes]
        return lines

    def bundle_details(self, bundle: Bundle) -> list[str]:
        lang = self.lang
        edges = [self.graph.edges[bundle.source, bundle.target, k] for k in bundle.keys]
        times = f" (×{bundle.count})" if bundle.count > 1 else ""
        lines = [f"{self.labels[bundle.source]} → {self.labels[bundle.target]}",
                 f"{TEXT['relation'][lang]}: {bundle.relation_label}{times}"]
        for edge in edges[:12]:
            period = Period(_day(edge.get("start")), _day(edge.get("end")))
            line = f"• {edge['label']} ({period.describe(lang)})"
            if edge.get("amount") is not None:
                line += f", {format_amount(edge['amount'], lang)}"
            if edge.get("competence_label_" + lang):
                line += f" — {edge['competence_label_' + lang]}"
            lines.append(line)
        if len(edges) > 12:
            lines.append(f"• … (+{len(edges) - 12})")
        keys = {(bundle.source, bundle.target, k) for k in bundle.keys}
        lines += [g.about(lang, edges=keys) for g in self.groups if g.number in bundle.numbers]
        return lines


def prepare(setup: Setup, kind: str, *, lang: str = "en", period: Period | None = None, at: date | None = None,
            findings: Iterable[Finding] | None = None, highlight: bool = True,
            aggregate: bool = True, font_size: float = FONT_SIZE, numbers: dict[str, int] | None = None) -> View:
    """Project, aggregate, lay out and match findings; raises InputError when there is nothing to draw.

    ``findings`` are all findings of the setup (validated when not given); ``numbers`` maps
    their defect ids to the numbers drawn, by default :func:`finding_numbers` of them.
    """
    graph = require_edges(project(setup, kind, lang=lang, period=period, at=at))
    before = graph.number_of_nodes()
    if aggregate:
        graph = merge_equivalent(graph)
    if findings is None and highlight:
        findings = validate(setup).findings
    shown = list(findings or []) if highlight else []
    groups, hidden = _match(graph, shown, numbers if numbers is not None else finding_numbers(shown))
    describe = _describer(setup, graph, lang)
    for group in groups:
        group.describe = describe
    labels = {n: a["label"] for n, a in graph.nodes(data=True)}
    numbered = {n for g in groups for n in g.nodes}
    layout = _layout(graph, kind, font_size, numbered)
    bundles = _bundles(graph, groups)
    view = View(setup=setup, kind=kind, lang=lang, graph=graph, layout=layout, labels=labels, bundles=bundles,
                groups=groups, hidden=hidden, period=graph.graph.get("period"),
                aggregated=graph.number_of_nodes() < before)
    view.placement = _place(view)
    return view


def wrap_label(node_data: dict) -> str:
    width = 20 if node_data.get("kind") == "task" else 24
    return textwrap.fill(node_data["label"], width, break_on_hyphens=False) or "?"


def format_amount(amount: Decimal, lang: str) -> str:
    text = f"{amount:,.0f}"
    return "€ " + text.replace(",", ".") if lang == "nl" else "EUR " + text


def kind_order(node_data: dict) -> int:
    return list(NODE_KINDS).index(node_data.get("kind", "organisation"))


# ---------------------------------------------------------------------------------------------


def _match(graph: nx.MultiDiGraph, findings: Sequence[Finding],
           numbers: dict[str, int]) -> tuple[list[Group], dict[str, int]]:
    members = {m: n for n, a in graph.nodes(data=True) for m in a.get("members", ())}

    def in_graph(iri: str | None) -> str | None:
        if iri is None:
            return None
        return iri if iri in graph else members.get(iri)

    by_defect: dict[str, Group] = {}
    hidden: dict[str, int] = defaultdict(int)
    for finding in findings:
        ends = {n for n in (in_graph(finding.focus), in_graph(finding.value)) if n is not None}
        involved = ends | {n for p in finding.parties if (n := in_graph(p.iri)) is not None}
        reified = {finding.focus, finding.value} - {None}
        edges: set[tuple] = set()
        focus_edges: set[tuple] = set()
        for u, v, k, a in graph.edges(keys=True, data=True):
            if reified & ({a["node"]} | set(a.get("merged", ()))):
                focus_edges.add((u, v, k))
            elif (u in ends and v in involved) or (v in ends and u in involved):
                edges.add((u, v, k))
        edges |= focus_edges
        focus_node = in_graph(finding.focus)
        if not edges and focus_node is None:
            hidden[finding.defect] += 1
            continue
        nodes = involved if edges else ends
        group = by_defect.get(finding.defect)
        if group is None:
            group = by_defect[finding.defect] = Group(0, finding.defect, finding.severity, [])
        group.findings.append(finding)
        group.reach.append((nodes, edges))
        if SEVERITY_RANK.get(finding.severity, 0) > SEVERITY_RANK.get(group.severity, 0):
            group.severity = finding.severity
        group.nodes |= nodes
        group.edges |= edges
        group.edge_focus |= focus_edges
    for defect in [d for d in hidden if d in by_defect]:
        by_defect[defect].elsewhere = hidden.pop(defect)
    # Defects the given numbering lacks are numbered after it, rather than all drawn as 0.
    unnumbered = finding_numbers(f for g in by_defect.values() if g.defect not in numbers for f in g.findings)
    last = max(numbers.values(), default=0)
    for group in by_defect.values():
        group.number = numbers[group.defect] if group.defect in numbers else last + unnumbered[group.defect]
    groups = sorted(by_defect.values(), key=lambda g: (g.number, g.defect))
    return groups, dict(hidden)


def _bundles(graph: nx.MultiDiGraph, groups: list[Group]) -> list[Bundle]:
    collected: dict[tuple, Bundle] = {}
    for u, v, k, a in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        bundle = collected.get((u, v, a["relation"]))
        amount = a.get("amount")
        if bundle is None:
            bundle = collected[(u, v, a["relation"])] = Bundle(u, v, a["relation"], a["relation_label"], [], amount)
        elif bundle.amount is not None:
            bundle.amount = bundle.amount + amount if amount is not None else None
        bundle.keys.append(k)
        bundle.count += a.get("count", 1)
        for group in groups:
            if (u, v, k) in group.edges:
                if group.number not in bundle.numbers:
                    bundle.numbers.append(group.number)
                if (u, v, k) in group.edge_focus and group.number not in bundle.focus_numbers:
                    bundle.focus_numbers.append(group.number)
                if bundle.severity is None or SEVERITY_RANK[group.severity] > SEVERITY_RANK[bundle.severity]:
                    bundle.severity = group.severity
    # Lines between the same two nodes (either direction) are spread apart.
    pairs: dict[frozenset, list[Bundle]] = defaultdict(list)
    for bundle in collected.values():
        pairs[frozenset((bundle.source, bundle.target))].append(bundle)
    for family in pairs.values():
        for i, bundle in enumerate(sorted(family, key=lambda b: (b.source, b.relation))):
            bundle.offset = (i - (len(family) - 1) / 2) * 0.1
    return list(collected.values())


def _place(view: View) -> Placement:
    badge_sizes = {n: _badge_size(view.badge(n)) for n in view.graph.nodes if view.numbers(n)}
    label_sizes = {}
    for index, bundle in enumerate(view.bundles):
        texts = [view.line_label(bundle, lang) for lang in LANGUAGES]
        if texts[0]:
            sizes = [box_size(text, LINE_LABEL_FONT_SIZE) for text in texts]
            label_sizes[index] = (max(w for w, _ in sizes), max(h for _, h in sizes))
    lines = [(b.source, b.target) for b in view.bundles]
    return place(view.layout, lines, badge_sizes, label_sizes)


def _badge_size(text: str) -> tuple[float, float]:
    """A badge's box: its text in bold is about a tenth wider than box_size measures."""
    width, height = box_size(text, BADGE_FONT_SIZE)
    return width * 1.1, height


def _labels_in_every_language(data: dict) -> list[str]:
    return [wrap_label({**data, "label": data.get(f"label_{lang}") or data["label"]}) for lang in LANGUAGES]


def _task_rank(node: str) -> tuple[int, str]:
    name = local_name(node)
    return (TASK_ORDER.index(name), name) if name in TASK_ORDER else (len(TASK_ORDER), name)


def _layout(graph: nx.MultiDiGraph, kind: str, font_size: float, numbered: set[str]) -> Layout:
    # A box is as large as its label in the longest language, and numbered boxes reserve room
    # for their badge above and below: the layout is the same in every language.
    sizes = {}
    for node, data in graph.nodes(data=True):
        measured = [box_size(text, font_size) for text in _labels_in_every_language(data)]
        width, height = max(w for w, _ in measured), max(h for _, h in measured)
        if node in numbered:
            height += 2 * (_badge_size("0")[1] + BADGE_GAP)
        sizes[node] = (width, height)
    fixed: set[int] = set()
    if kind == "roles":
        municipal = {"municipality", "municipal-body", "municipal-organisation"}
        has_left = any(a["kind"] in municipal for _, a in graph.nodes(data=True))
        layers = {}
        for node, a in graph.nodes(data=True):
            column = 1 if a["kind"] == "task" else 0 if a["kind"] in municipal else 2
            layers[node] = column - (0 if has_left else 1)
        fixed.add(1 - (0 if has_left else 1))
    else:
        layers = longest_path_layers(graph, reverse=kind == "accountability")

    def order(node: Hashable) -> tuple:
        data = graph.nodes[node]
        rank = _task_rank(str(node)) if data["kind"] == "task" else (0, "")
        return kind_order(data), rank, data.get("label_en") or data["label"], node

    layout = layered(graph, layers, sizes, order_key=order, column_gap=1.5 if kind == "roles" else 1.6,
                     row_gap=0.28, fixed=fixed)
    # Lines and badges are placed around the boxes as drawn, without the badges' room.
    for node, data in graph.nodes(data=True):
        measured = [box_size(text, font_size) for text in _labels_in_every_language(data)]
        layout.sizes[node] = (max(w for w, _ in measured), max(h for _, h in measured))
    return layout


@cache
def box_size(text: str, font_size: float) -> tuple[float, float]:
    """Width and height in inches of a text box (with the padding the figures use)."""
    from matplotlib.font_manager import FontProperties

    renderer = _renderer()
    font = FontProperties(size=font_size)
    lines = text.split("\n")
    width = max(renderer.get_text_width_height_descent(line or " ", font, ismath=False)[0] for line in lines)
    pad = 0.35 * font_size
    height = len(lines) * 1.2 * font_size + 2 * pad
    return (width + 2 * pad + 2) / 72, (height + 1) / 72


@cache
def _renderer() -> RendererAgg:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, 72)


def _describer(setup: Setup, graph: nx.MultiDiGraph, lang: str) -> Callable[[Finding], str]:
    """A short name for a finding's focus: a node's label, else the label of the relation it is."""
    names: dict[str, str] = {n: a["label"] for n, a in graph.nodes(data=True)}

    def describe(finding: Finding) -> str:
        if finding.focus not in names:
            for party in finding.parties:
                names.setdefault(party.iri, party.label(lang))
        if finding.focus not in names:
            for kind in KINDS:
                for _, _, a in project(setup, kind, lang=lang).edges(data=True):
                    names.setdefault(a["node"], a["label"])
        if finding.focus not in names:  # a node no picture draws (an agreement): its own label
            labels = {getattr(o, "language", None) or "": str(o)
                      for o in setup.graph.objects(URIRef(finding.focus), RDFS.label)}
            if labels:
                names[finding.focus] = labels.get(lang) or labels.get("") or next(iter(labels.values()))
        return names.get(finding.focus) or local_name(finding.focus)

    return describe


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
