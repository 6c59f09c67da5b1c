"""Graph analytics over the projections of a setup.

- :func:`money_paths`: the paths money takes from a municipality to its final recipients, with
  the amount reaching each where the data has amounts (and a note saying so where it has none).
- :func:`role_combinations`: parties holding two roles at once in the roles graph (commissioner
  and contractor of related tasks, access and delivery of care, advising on and deciding the
  same task), directly or through an organisation they belong to, in overlapping periods. It
  reads the graph, not the shapes: the defects are what :func:`jeugdgov.validate` reports
  (dual-role, access-and-delivery, advises-and-decides), which add conditions of their own.
- :func:`throughput`: actors ranked by how much money passes through them.
- :func:`compare_phases`: which relations appear and disappear between two setups.

Every result shows as a table in a notebook (``_repr_markdown_``) and prints as text; its
``rows`` are plain dictionaries for pandas or further processing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import cast

import networkx as nx

from jeugdgov.analysis.projection import (
    Period,
    belongs_to,
    edge_period,
    project,
    require_edges,
    task_and_narrower,
    total_amount,
)
from jeugdgov.errors import InputError
from jeugdgov.resources import local_name
from jeugdgov.setups import Setup

ACCESS_DECISION = "https://w3id.org/jeugdgov/task/access-decision"
CARE_DELIVERY = "https://w3id.org/jeugdgov/task/care-delivery"
PATH_LIMIT = 1000


@dataclass
class Table:
    """Rows of plain values with a title and a note, shown as a Markdown table in notebooks."""

    title: str
    columns: list[str]
    rows: list[dict]
    note: str = ""

    def to_markdown(self) -> str:
        lines = [f"**{self.title}**", ""]
        if self.rows:
            lines.append("| " + " | ".join(self.columns) + " |")
            lines.append("|" + "---|" * len(self.columns))
            for row in self.rows:
                lines.append("| " + " | ".join(_cell(row.get(c)).replace("|", "/") for c in self.columns) + " |")
        else:
            lines.append("(none)")
        if self.note:
            lines += ["", f"*{self.note}*"]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        cells = [[_cell(r.get(c)) for c in self.columns] for r in self.rows]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(self.columns)]
        lines = [self.title, "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
        if not self.rows:
            lines.append("(none)")
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Money paths


@dataclass
class MoneyPath:
    source: str
    recipient: str
    nodes: list[str]
    flows: list[str]
    labels: list[str]
    kinds: list[str]
    amount: Decimal | None


@dataclass
class Recipient:
    node: str
    label: str
    received: Decimal | None
    passed_on: Decimal | None
    retained: Decimal | None
    final: bool


@dataclass
class MoneyPaths:
    """Paths from municipalities to final recipients and what reaches each recipient."""

    setup: str
    sources: list[str]
    paths: list[MoneyPath]
    recipients: dict[str, list[Recipient]]
    missing: list[str]
    has_amounts: bool
    note: str
    truncated: bool = False

    @property
    def rows(self) -> list[dict]:
        return [{"from": p.labels[0], "path": " → ".join(p.labels), "flows": " → ".join(p.kinds),
                 "to": p.labels[-1], "amount": p.amount} for p in self.paths]

    def table(self) -> Table:
        return Table(f"Money paths in {self.setup}", ["from", "path", "flows", "amount"], self.rows, self.note)

    def recipient_table(self) -> Table:
        rows = [{"from": source, "recipient": r.label, "received": r.received, "passed on": r.passed_on,
                 "retained": r.retained, "final": "yes" if r.final else ""}
                for source, found in self.recipients.items() for r in found]
        return Table(f"Money reaching each recipient in {self.setup}",
                     ["from", "recipient", "received", "passed on", "retained", "final"], rows, self.note)

    def _repr_markdown_(self) -> str:
        return self.table().to_markdown() + "\n\n" + self.recipient_table().to_markdown()

    def __str__(self) -> str:
        return f"{self.table()}\n\n{self.recipient_table()}"


def money_paths(setup: Setup, *, source: str | None = None, lang: str = "en", period: Period | None = None,
                at: date | None = None) -> MoneyPaths:
    """Every path money takes from a municipality (or ``source``) to a party that passes nothing on.

    The amount along a path follows the flows: a pass-through (``jg:passesOn``) carries on the
    part of the flow it names; otherwise an intermediary's outgoing flows are taken to share in
    its incoming money in proportion to their amounts. A recipient *retains* what it receives
    and does not pass on. Where a flow on the way has no amount, amounts that depend on it are
    unknown (None), and the note says which flows lack one.
    """
    graph = require_edges(project(setup, "money", lang=lang, period=period, at=at))
    if source is not None:
        if source not in graph:
            raise InputError(f"'{source}' pays or receives no money in the setup '{setup.name}'",
                             hint="give the IRI of a payer in the setup",
                             nl=(f"'{source}' betaalt of ontvangt geen geld in de inrichting '{setup.name}'",
                                 "geef de IRI van een betaler in de inrichting"))
        sources = [source]
    else:
        sources = sorted(n for n, a in graph.nodes(data=True) if a["kind"] == "municipality" and graph.out_degree(n))
        if not sources:
            raise InputError(f"no municipality pays money in the setup '{setup.name}'",
                             hint="give the payer to start from with source=<IRI>",
                             nl=(f"geen gemeente betaalt geld in de inrichting '{setup.name}'",
                                 "geef de betaler om mee te beginnen met source=<IRI>"))
    inflow, outflow = _totals(graph, "in"), _totals(graph, "out")
    paths: list[MoneyPath] = []
    recipients: dict[str, list[Recipient]] = {}
    truncated = False
    on_paths: set[tuple] = set()
    for start in sources:
        sinks = [n for n in nx.descendants(graph, start) if graph.out_degree(n) == 0]
        received: dict[str, Decimal | None] = defaultdict(lambda: Decimal(0))
        passed: dict[str, Decimal | None] = defaultdict(lambda: Decimal(0))
        prefixes: set[tuple] = set()
        for sink in sorted(sinks):
            # On a multigraph each edge is (payer, payee, key), which networkx's stubs do not say.
            paths_to_sink = cast("Iterable[list[tuple[str, str, str]]]", nx.all_simple_edge_paths(graph, start, sink))
            for edges in paths_to_sink:
                if len(paths) >= PATH_LIMIT:
                    truncated = True
                    break
                amounts = _path_amounts(graph, edges, inflow, outflow)
                on_paths.update(edges)
                for i in range(len(edges)):
                    prefix = tuple(edges[: i + 1])
                    if prefix in prefixes:
                        continue
                    prefixes.add(prefix)
                    u, v, _ = edges[i]
                    received[v] = _add(received[v], amounts[i])
                    if u != start:
                        passed[u] = _add(passed[u], amounts[i])
                paths.append(MoneyPath(
                    source=start, recipient=sink, nodes=[start] + [v for _, v, _ in edges],
                    flows=[graph.edges[e]["node"] for e in edges],
                    labels=[graph.nodes[start]["label"]] + [graph.nodes[v]["label"] for _, v, _ in edges],
                    kinds=[graph.edges[e]["relation_label"] for e in edges], amount=amounts[-1]))
        found = []
        for node in sorted(received, key=lambda n: graph.nodes[n]["label"]):
            got, gave = received[node], passed[node] if node in passed else Decimal(0)
            retained = got - gave if got is not None and gave is not None else None
            final = node in sinks or (retained is not None and retained > 0)
            found.append(Recipient(node, graph.nodes[node]["label"], got, gave, retained, final))
        recipients[graph.nodes[start]["label"]] = found
    missing = sorted({graph.edges[e]["label"] for e in on_paths if graph.edges[e].get("amount") is None})
    has_amounts = not missing
    return MoneyPaths(setup=setup.name, sources=sources, paths=paths, recipients=recipients, missing=missing,
                      has_amounts=has_amounts, note=_money_note(missing, len(on_paths), truncated),
                      truncated=truncated)


def _path_amounts(graph: nx.MultiDiGraph, edges: list[tuple], inflow: dict, outflow: dict) -> list[Decimal | None]:
    amounts: list[Decimal | None] = []
    for i, edge in enumerate(edges):
        attributes = graph.edges[edge]
        own = attributes.get("amount")
        if i == 0:
            amounts.append(own)
            continue
        before, previous = amounts[-1], graph.edges[edges[i - 1]]
        if own is None or before is None:
            amounts.append(None)
        elif attributes.get("passes_on"):
            # A pass-through carries on part of the one flow it names, and nothing of the others.
            if attributes["passes_on"] != previous["node"]:
                amounts.append(Decimal(0))
            elif previous.get("amount"):
                amounts.append(before * own / previous["amount"])
            else:
                amounts.append(None)
        else:
            node = edge[0]
            base = max(v for v in (inflow[node], outflow[node]) if v is not None) \
                if inflow[node] is not None or outflow[node] is not None else None
            amounts.append(before * own / base if base else None)
    return amounts


def _totals(graph: nx.MultiDiGraph, direction: str) -> dict[str, Decimal | None]:
    totals: dict[str, Decimal | None] = {}
    for node in graph.nodes:
        edges = graph.in_edges(node, data=True) if direction == "in" else graph.out_edges(node, data=True)
        totals[node] = total_amount(a.get("amount") for _, _, a in edges)
    return totals


def _add(total: Decimal | None, amount: Decimal | None) -> Decimal | None:
    return None if total is None or amount is None else total + amount


def _money_note(missing: list[str], flows: int, truncated: bool) -> str:
    note = ""
    if missing and len(missing) == flows:
        note = (f"The data has no amounts (jg:amount) for any of the {flows} flows on these paths, "
                "so the paths are shown without amounts.")
    elif missing:
        note = f"No amount in the data for: {'; '.join(missing)}. Amounts that depend on these are unknown."
    if truncated:
        note += f" Only the first {PATH_LIMIT} paths are listed."
    return note.strip()


# ---------------------------------------------------------------------------------------------
# Role combinations

COMBINATIONS = {
    "commissioner-contractor": "commissioner and contractor of the same task",
    "access-delivery": "assesses or advises on access and delivers care",
    "advises-decides": "advises on and decides the same matter",
}


@dataclass
class RoleCombination:
    party: str
    label: str
    combination: str
    first: str
    second: str
    via: str | None
    period: Period

    def as_row(self) -> dict:
        return {"party": self.label, "combination": self.combination, "role": self.first, "and role": self.second,
                "through": self.via or "", "period": self.period.describe()}


@dataclass
class RoleCombinations:
    setup: str
    combinations: list[RoleCombination] = field(default_factory=list)

    @property
    def rows(self) -> list[dict]:
        return [c.as_row() for c in self.combinations]

    def parties(self) -> set[str]:
        return {c.party for c in self.combinations}

    def table(self) -> Table:
        return Table(f"Role combinations in {self.setup}",
                     ["party", "combination", "role", "and role", "through", "period"], self.rows,
                     "A role 'through' an organisation is held by an organisation the party belongs to.")

    def _repr_markdown_(self) -> str:
        return self.table().to_markdown()

    def __str__(self) -> str:
        return str(self.table())


def role_combinations(setup: Setup, *, lang: str = "en", period: Period | None = None,
                      at: date | None = None) -> RoleCombinations:
    """Parties holding two roles at once, found from the roles graph.

    A party is listed when it holds one role itself and the other itself or through an
    organisation it is a body or member of (``jg:bodyOf``, ``org:memberOf``, membership), in
    overlapping periods: commissioner and (sub)contractor of the same or a narrower task;
    access (or advice on the access decision) and delivery of care; adviser and decision-maker
    of the same task.
    """
    graph = require_edges(project(setup, "roles", lang=lang, period=period, at=at))
    belongs = belongs_to(setup.graph)
    held: dict[str, list[tuple[dict, str | None]]] = defaultdict(list)
    for actor, _, attributes in graph.edges(data=True):
        held[actor].append((attributes, None))
    result = RoleCombinations(setup.name)
    seen: set[tuple] = set()
    for party in sorted(held, key=lambda n: graph.nodes[n]["label"]):
        through = [(a, org) for org in sorted(belongs.get(party, ())) for a, _ in held.get(org, ())]
        reachable = list(held[party]) + through
        for own, _ in held[party]:
            for other, via in reachable:
                if other is own:
                    continue
                name = _combination(own, other)
                overlap = _overlap(edge_period(own), edge_period(other))
                if name is None or overlap is None:
                    continue
                key = (party, name, frozenset({(own["node"], own["task"]), (other["node"], other["task"])}))
                if key in seen:
                    continue
                seen.add(key)
                result.combinations.append(RoleCombination(
                    party=party, label=graph.nodes[party]["label"], combination=name,
                    first=_role_text(graph, own), second=_role_text(graph, other),
                    via=graph.nodes[via]["label"] if via in graph else (local_name(via) if via else None),
                    period=overlap))
    return result


def _combination(a: dict, b: dict) -> str | None:
    roles = {a["relation"], b["relation"]}
    if "commissioner" in roles and roles & {"contractor", "subcontractor"} and len(roles) == 2 and _related(a, b):
        return "commissioner-contractor"
    access = [e for e in (a, b) if e["relation"] == "access"
              or (e["relation"] == "adviser" and e["task"] == ACCESS_DECISION)]
    delivery = [e for e in (a, b) if e["relation"] == "delivery" and e["task"] in task_and_narrower(CARE_DELIVERY)]
    if access and delivery and access[0] is not delivery[0]:
        return "access-delivery"
    if roles == {"adviser", "decision-maker"} and a["task"] == b["task"]:
        return "advises-decides"
    return None


def _related(a: dict, b: dict) -> bool:
    return a["task"] in task_and_narrower(b["task"]) or b["task"] in task_and_narrower(a["task"])


def _overlap(a: Period, b: Period) -> Period | None:
    if not a.overlaps(b):
        return None
    starts = [d for d in (a.start, b.start) if d]
    ends = [d for d in (a.end, b.end) if d]
    return Period(max(starts) if starts else None, min(ends) if ends else None)


def _role_text(graph: nx.MultiDiGraph, attributes: dict) -> str:
    return f"{attributes['relation_label']}: {graph.nodes[attributes['task']]['label']}"


# ---------------------------------------------------------------------------------------------
# Throughput


@dataclass
class Throughput:
    setup: str
    rows: list[dict]
    has_amounts: bool
    note: str

    def table(self) -> Table:
        return Table(f"Money passing through each actor in {self.setup}",
                     ["actor", "kind", "inflow", "outflow", "passed through", "flows in", "flows out", "betweenness"],
                     self.rows, self.note)

    def _repr_markdown_(self) -> str:
        return self.table().to_markdown()

    def __str__(self) -> str:
        return str(self.table())


def throughput(setup: Setup, *, lang: str = "en", period: Period | None = None, at: date | None = None) -> Throughput:
    """Actors ranked by the money passing through them: the smaller of what comes in and goes out.

    Without amounts in the data the ranking falls back on the structure: betweenness centrality
    in the money graph (how many payer-to-payee routes run through the actor), then the number
    of flows in and out; the note says so.
    """
    graph = require_edges(project(setup, "money", lang=lang, period=period, at=at))
    inflow, outflow = _totals(graph, "in"), _totals(graph, "out")
    betweenness = nx.betweenness_centrality(nx.DiGraph(graph))
    rows = []
    for node, attributes in graph.nodes(data=True):
        into, out = inflow[node], outflow[node]
        through = min(into, out) if into is not None and out is not None else None
        rows.append({"iri": node, "actor": attributes["label"], "kind": attributes[f"kind_label_{lang}"],
                     "inflow": inflow[node], "outflow": outflow[node], "passed through": through,
                     "flows in": graph.in_degree(node), "flows out": graph.out_degree(node),
                     "betweenness": round(betweenness[node], 3)})
    amounts = [a.get("amount") for _, _, a in graph.edges(data=True)]
    has_amounts = None not in amounts
    if any(a is not None for a in amounts):
        rows.sort(key=lambda r: (r["passed through"] is None, -(r["passed through"] or 0), -r["betweenness"]))
    else:
        rows.sort(key=lambda r: (-r["betweenness"], -r["flows in"] * r["flows out"], r["actor"]))
    if not any(a is not None for a in amounts):
        note = ("The data has no amounts (jg:amount) on its money flows: actors are ranked by betweenness "
                "(the share of payer-to-payee routes that run through them), then by flows in and out.")
    elif not has_amounts:
        note = "Some flows have no amount; totals that depend on them are unknown and ranked last."
    else:
        note = "Passed through = the smaller of inflow and outflow, in EUR."
    return Throughput(setup.name, rows, has_amounts, note)


# ---------------------------------------------------------------------------------------------
# Comparing phases


@dataclass
class PhaseComparison:
    before: str
    after: str
    kind: str
    appeared: list[dict]
    disappeared: list[dict]
    kept: list[dict]
    nodes_appeared: list[str]
    nodes_disappeared: list[str]

    @property
    def rows(self) -> list[dict]:
        return ([{"change": "+", **r} for r in self.appeared] + [{"change": "−", **r} for r in self.disappeared]
                + [{"change": "=", **r} for r in self.kept])

    def table(self) -> Table:
        new, gone = ", ".join(self.nodes_appeared) or "-", ", ".join(self.nodes_disappeared) or "-"
        note = (f"{len(self.appeared)} appeared, {len(self.disappeared)} disappeared, {len(self.kept)} kept. "
                f"New nodes: {new}; gone: {gone}.")
        return Table(f"{self.kind}: {self.before} → {self.after}", ["change", "from", "relation", "to"], self.rows,
                     note)

    def _repr_markdown_(self) -> str:
        return self.table().to_markdown()

    def __str__(self) -> str:
        return str(self.table())


def compare_phases(before: Setup, after: Setup, kind: str = "roles", *, lang: str = "en") -> PhaseComparison:
    """Which relations of one kind appear, disappear or stay between two setups.

    Relations are compared by what they connect and how (source, target, relation; for mandates
    also the competence), not by their IRIs, which differ between setups.
    """
    graphs = [project(before, kind, lang=lang), project(after, kind, lang=lang)]
    if not any(g.number_of_edges() for g in graphs):
        require_edges(graphs[0])
    labels: dict[str, str] = {}
    signatures: list[dict[tuple, dict]] = []
    for graph in graphs:
        labels.update({n: a["label"] for n, a in graph.nodes(data=True)})
        found: dict[tuple, dict] = {}
        for u, v, a in graph.edges(data=True):
            found.setdefault((u, v, a["relation"], a.get("competence")), a)
        signatures.append(found)

    def row(signature: tuple, attributes: dict) -> dict:
        return {"from": labels[signature[0]], "relation": attributes["relation_label"], "to": labels[signature[1]]}

    old, new = signatures
    nodes = [set(g.nodes) for g in graphs]
    return PhaseComparison(
        before=before.name, after=after.name, kind=kind,
        appeared=[row(s, new[s]) for s in sorted(set(new) - set(old), key=repr)],
        disappeared=[row(s, old[s]) for s in sorted(set(old) - set(new), key=repr)],
        kept=[row(s, new[s]) for s in sorted(set(old) & set(new), key=repr)],
        nodes_appeared=sorted(labels[n] for n in nodes[1] - nodes[0]),
        nodes_disappeared=sorted(labels[n] for n in nodes[0] - nodes[1]))


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(map(str, value))
    return str(value)
