"""Data-quality findings on a setup read from a workbook name the sheet and row they came from.

A person fixes a workbook, not a graph: "required property missing on <…/mandaat-3>" helps
only once it also says "(sheet 'mandaten', row 5)". The reader records where each node was
first described (:class:`jeugdgov.workbook.Origin`); this adds it to the messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import SKOS, URIRef

from jeugdgov.resources import JGD, ontology
from jeugdgov.setups import Setup
from jeugdgov.validation.findings import Report
from jeugdgov.workbook import Origin, is_workbook, read_workbook


@cache
def data_quality_defects() -> frozenset[str]:
    """The catalogue ids of the data-quality defects (those under jgd:data-quality)."""
    group = URIRef(JGD["data-quality"])
    graph = ontology()
    return frozenset(str(graph.value(concept, SKOS.notation)) for concept in graph.subjects(SKOS.inScheme, URIRef(JGD))
                     if group in graph.transitive_objects(concept, SKOS.broader) and concept != group)


def point_back(reports: Iterable[Report]) -> None:
    """Add "(sheet X, row N)" to the messages of data-quality findings on nodes a workbook row describes."""
    for report in reports:
        origins = _origins(report.setup)
        if not origins:
            continue
        for finding in report.findings:
            origin = origins.get(finding.focus)
            if origin is None or finding.defect not in data_quality_defects():
                continue
            for lang in list(finding.messages):
                where = origin.describe(lang)
                if where not in finding.messages[lang]:
                    finding.messages[lang] = f"{finding.messages[lang]} ({where})"


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
