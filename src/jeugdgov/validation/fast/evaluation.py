"""Evaluating shapes: each shape's queries, dated for the reference date, run by a runner (a
local pyoxigraph store or an external SPARQL store) over all focus nodes at once, and their
rows read as pySHACL reads a SPARQL constraint's solutions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache
from typing import Protocol

from rdflib import SH, BNode, Literal, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.resources import JG, TIME, local_name
from jeugdgov.setups import Setup
from jeugdgov.validation.catalogue import undated_shapes
from jeugdgov.validation.fast.compiled import kept_translation
from jeugdgov.validation.fast.rewrite import rewrite_ahead
from jeugdgov.validation.fast.translate import (
    FOCUS_NODES,
    FocusFirst,
    ShapeQuery,
    Translation,
    query_text,
    translate,
)
from jeugdgov.validation.findings import RawResult, detecting_shape
from jeugdgov.validation.law_in_time import ENDED, NOT_YET_IN_FORCE, period
from jeugdgov.validation.reference_date import AS_OF, date_term

Triple = tuple[Node, Node, Node]
FOCUS_BATCH = 1000  # focus nodes written into one query
Progress = Callable[[str], None]


class Runner(Protocol):
    """Where the queries run: a local pyoxigraph store or a SPARQL endpoint."""

    def select(self, text: str) -> Iterator[dict[str, Node]]: ...

    def describe(self, nodes: set[Node]) -> Iterable[Triple]: ...

    def pointing(self, nodes: Iterable[Node], predicates: Sequence[URIRef]) -> Iterable[Triple]: ...


@lru_cache(maxsize=32)
def translation_for(selection: frozenset[str], as_of: date | None = None) -> Translation:
    """The queries for all shapes (empty selection) or for a selection of defect ids, on the
    reference date ``as_of`` (today for None): translated once, then the date written into the
    text and the law in force on it applied, as :func:`jeugdgov.validation.law_in_time.in_time`
    applies it to the shapes (a repealed norm checks nothing, one not yet in force gives Info)."""
    on = as_of or date.today()
    undated = _undated_translation(selection)
    graph = undated_shapes(selection or None)
    term = date_term(on)
    queries, undated_texts = [], []
    for query in undated.queries:
        shape = detecting_shape(query.source, graph)
        status = period(graph, shape).status(on)
        if status == ENDED:
            continue
        if status == NOT_YET_IN_FORCE and query.source == shape:
            query = replace(query, severity=SH.Info)
        dated = _dated(query, term)
        queries.append(dated)
        if dated is query:  # the same text on every date: kept on disk, where dated ones would pile up
            undated_texts.append(query.focus_first.query if query.focus_first else query_text(query))
    rewrite_ahead(undated_texts)
    untranslatable = {shape: why for shape, why in undated.untranslatable.items()
                      if period(graph, shape).status(on) != ENDED}
    return Translation(queries, untranslatable)


@cache
def _undated_translation(selection: frozenset[str]) -> Translation:
    if selection:
        return translate(undated_shapes(selection))
    return kept_translation(lambda: translate(undated_shapes(None)))


def _dated(query: ShapeQuery, term: str) -> ShapeQuery:
    first = query.focus_first
    if AS_OF not in query.text and (first is None or AS_OF not in first.query + first.text):
        return query
    if first is not None:
        first = FocusFirst(first.query.replace(AS_OF, term), first.text.replace(AS_OF, term))
    return replace(query, text=query.text.replace(AS_OF, term), focus_first=first)


def check_translatable(translation: Translation) -> None:
    """Refuse, naming them, shapes this engine cannot evaluate."""
    if translation.untranslatable:
        names = "; ".join(f"{local_name(shape)}: {why}" for shape, why in sorted(translation.untranslatable.items()))
        raise InputError(f"the fast engine cannot evaluate these shapes: {names}",
                         hint="validate with --engine pyshacl, or add --fallback to let pySHACL "
                         "check only these shapes",
                         nl=(f"de snelle engine kan deze shapes niet evalueren: {names}",
                             "valideer met --engine pyshacl, of voeg --fallback toe zodat pySHACL alleen deze "
                             "shapes controleert"))


def evaluate(runner: Runner, queries: Sequence[ShapeQuery], progress: Progress | None = None) -> list[RawResult]:
    """Every result of every query, in the order of the queries.

    One after the other: pyoxigraph holds the GIL while it evaluates, so threads would not
    run queries side by side; several setups are validated in parallel processes instead
    (:mod:`jeugdgov.validation.fast.parallel`), one large setup's queries in two
    (:mod:`jeugdgov.validation.fast.split`)."""
    return [result for results in results_per_query(runner, queries, progress) for result in results]


def results_per_query(runner: Runner, queries: Sequence[ShapeQuery],
                      progress: Progress | None = None) -> Iterator[list[RawResult]]:
    """The results of each query in turn; queries that share a target query select its focus
    nodes once."""
    focus_nodes: dict[str, list[Node]] = {}  # per target query: the shape's constraints share it
    for query in queries:
        first = query.focus_first
        if first is None:
            rows = runner.select(query_text(query))
        else:
            if first.query not in focus_nodes:
                focus_nodes[first.query] = [row["this"] for row in runner.select(first.query) if "this" in row]
            rows = _on_focus_nodes(runner, query, first.text, focus_nodes[first.query])
        results = list(_results(query, rows))
        if progress:
            progress(local_name(query.source))
        yield results


def _on_focus_nodes(runner: Runner, query: ShapeQuery, text: str, nodes: list[Node]) -> Iterator[dict[str, Node]]:
    """The constraint on the focus nodes, written into the query a batch at a time; joined with
    the target instead where a focus node is a blank node, which a query cannot name."""
    if any(isinstance(node, BNode) for node in nodes):
        yield from runner.select(query_text(query))
        return
    for start in range(0, len(nodes), FOCUS_BATCH):
        batch = " ".join(node.n3() for node in nodes[start:start + FOCUS_BATCH])
        yield from runner.select(text.replace(FOCUS_NODES, batch))


def _results(query: ShapeQuery, rows: Iterable[dict[str, Node]]) -> Iterator[RawResult]:
    """Rows to results the way pySHACL reads a SPARQL constraint's solutions."""
    seen: set[tuple[tuple[str, Node], ...]] = set()
    for row in rows:
        focus = row.get("this")
        if focus is None:
            continue
        key = tuple(sorted(row.items()))
        if key in seen:  # pySHACL reports identical solutions once
            continue
        seen.add(key)
        value = row.get("value")
        if value is None and query.value_is_focus:
            value = focus
        yield RawResult(focus=focus, source=query.source, severity=query.severity,
                        path=row.get("path", query.path), value=value, component=query.component,
                        constraint=query.constraint)


def setup_as_of(runner: Runner, setup: Setup) -> date:
    """The default reference date of a setup whose data a runner holds: the end of its period,
    else today (:func:`jeugdgov.validation.reference_date.default_as_of` for data at hand)."""
    if setup.node is not None:
        text = (f"SELECT ?end WHERE {{ {setup.node.n3()} <{JG.during}>/<{TIME.hasEnd}>/<{TIME.inXSDDate}> ?end }}")
        for row in runner.select(text):
            end = row.get("end")
            if isinstance(end, Literal) and isinstance(end.value, date):
                return end.value
    return date.today()
