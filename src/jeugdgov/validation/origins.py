"""Data-quality findings on a setup read from a workbook name the sheet and row they came from.

A person fixes a workbook, not a graph: "required property missing on <…/mandaat-3>" helps
only once it also says "(sheet 'mandaten', row 5)". The reader records where each node was
first described (:class:`jeugdgov.workbook.Origin`); this adds it to the messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from rdflib import SKOS, URIRef

from jeugdgov.resources import JGD, ontology
from jeugdgov.setups import Setup
from jeugdgov.validation.findings import Finding, Findings, Report
from jeugdgov.workbook import Origin, is_workbook, read_workbook


@cache
def data_quality_defects() -> frozenset[str]:
    """The catalogue ids of the data-quality defects (those under jgd:data-quality)."""
    group = URIRef(JGD["data-quality"])
    graph = ontology()
    return frozenset(str(graph.value(concept, SKOS.notation)) for concept in graph.subjects(SKOS.inScheme, URIRef(JGD))
                     if group in graph.transitive_objects(concept, SKOS.broader) and concept != group)


def point_back(reports: Iterable[Report]) -> None:
    """Give findings on nodes a workbook row describes that sheet and row, and add "(sheet X,
    row N)" to the messages of the data-quality findings among them."""
    for report in reports:
        origins = _origins(report.setup)
        if not origins:
            continue
        report.findings = Findings(_pointed(finding, origins.get(finding.focus)) for finding in report.findings)


def _pointed(finding: Finding, origin: Origin | None) -> Finding:
    if origin is None:
        return finding
    if finding.defect in data_quality_defects():
        for lang in list(finding.messages):
            where = origin.describe(lang)
            if where not in finding.messages[lang]:
                finding.messages[lang] = f"{finding.messages[lang]} ({where})"
    return replace(finding, sheet=origin.sheet, row=origin.row)


def _origins(setup: Setup) -> dict[str, Origin]:
    if setup.origins:
        return setup.origins
    source = setup.source
    if isinstance(source, Path) or (isinstance(source, str) and "://" not in source):
        path = Path(source)
        if path.exists() and is_workbook(path):
            return _read_origins(str(path.resolve()), path.stat().st_mtime_ns)
    return {}


@cache
def _read_origins(path: str, _modified: int) -> dict[str, Origin]:
    return read_workbook(Path(path)).origins
