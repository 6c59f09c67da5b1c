"""The fast validation engine: every shape as one SPARQL query over all its focus nodes.

The setup and the ontology are loaded into one pyoxigraph store (the default graph holds
their merge, as the data graph pySHACL validates) and each constraint of each shape runs as
one query (see :mod:`jeugdgov.validation.fast.translate`). The results become the same
:class:`~jeugdgov.validation.Finding` objects as pySHACL's, through the conversion both
engines share. The same queries can run in an external SPARQL store instead
(:mod:`jeugdgov.validation.fast.in_store`).

Its parts: :mod:`~jeugdgov.validation.fast.evaluation` (running the queries),
:mod:`~jeugdgov.validation.fast.shacl_report` (findings and the SHACL report),
:mod:`~jeugdgov.validation.fast.local_store` (the pyoxigraph store and its terms) and
:mod:`~jeugdgov.validation.fast.pyshacl_fallback` (pySHACL for what it cannot translate).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rdflib import Graph, Literal

from jeugdgov.setups import Setup
from jeugdgov.validation.fast.evaluation import Progress, check_translatable, evaluate, translation_for
from jeugdgov.validation.fast.local_store import LocalRunner, store_for
from jeugdgov.validation.fast.pyshacl_fallback import with_pyshacl
from jeugdgov.validation.fast.shacl_report import report_for
from jeugdgov.validation.findings import RawResult, Report
from jeugdgov.validation.reference_date import default_as_of


def validate_setup(setup: Setup, defects: Iterable[str] | None = None, fallback: bool = False,
                   progress: Progress | None = None, as_of: date | None = None) -> Report:
    """Validate a setup held in an rdflib graph (the engine="fast" of validation.validate) on
    the reference date ``as_of`` (by default the end of the setup's period, else today)."""
    as_of = as_of or default_as_of(setup.graph, setup.node)
    selection = frozenset(defects or ())
    translation = translation_for(selection, as_of)
    if not fallback:
        check_translatable(translation)
    runner = LocalRunner(store_for(setup.graph))
    raw = evaluate(runner, translation.queries, progress)
    raw = _original_literals(raw, setup.graph)
    report = report_for(setup, raw, runner, defects, as_of=as_of)
    if translation.untranslatable:
        report = with_pyshacl(report, setup, set(translation.untranslatable), defects, as_of)
    return report


def _original_literals(raw: list[RawResult], graph: Graph) -> list[RawResult]:
    """Give literal values the lexical form of the data: the store keeps numbers canonically
    ("100.0" becomes "100"), pySHACL and users see what the file says."""
    index: dict[tuple[object, ...], Literal] | None = None
    restored = []
    for result in raw:
        value = result.value
        if isinstance(value, Literal) and (None, None, value) not in graph:
            if index is None:
                index = {_literal_key(o): o for o in graph.objects() if isinstance(o, Literal)}
            value = index.get(_literal_key(value), value)
            result = RawResult(result.focus, result.source, result.severity, result.path, value,
                               result.component, result.constraint)
        restored.append(result)
    return restored


def _literal_key(literal: Literal) -> tuple[object, ...]:
    value = literal.value if not literal.ill_typed else str(literal)
    return (literal.datatype, literal.language, value)
