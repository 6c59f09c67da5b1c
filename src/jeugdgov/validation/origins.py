"""Findings on a setup read from a workbook name the sheet and row they came from.

A person fixes a workbook, not a graph: "required property missing on <…/mandaat-3>" helps
only once it also says "(sheet 'mandaten', row 5)". The reader records where each node was
first described (:class:`jeugdgov.workbook.Origin`); this adds it to the messages, and to a
question (a finding to verify) the column to fill in instead of the RDF term to record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from jeugdgov.resources import shapes
from jeugdgov.setups import Setup
from jeugdgov.validation.evidence import UNRECORDED, evidence_rule
from jeugdgov.validation.findings import Finding, Findings, Report
from jeugdgov.workbook.tables import is_workbook

if TYPE_CHECKING:
    from jeugdgov.workbook import Origin

#: What a question on a workbook's setup adds: the cells that answer it.
FILL_IN = {"nl": "vul in: {cells}", "en": "fill in: {cells}"}
CELL = {"nl": "blad '{sheet}', kolom '{column}'", "en": "sheet '{sheet}', column '{column}'"}


def point_back(reports: Iterable[Report]) -> None:
    """Give findings on nodes a workbook row describes that sheet and row, also in their
    messages ("(sheet X, row N)"), and to a question the sheet and column that answer it."""
    for report in reports:
        origins = _origins(report.setup)
        if not origins:
            continue
        report.findings = Findings(_pointed(finding, _origin(finding, origins)) for finding in report.findings)


def _origin(finding: Finding, origins: dict[str, Origin]) -> Origin | None:
    """The row a finding comes from: that of its focus node, but for a term the ontology lacks,
    the row of the sheet of other facts that used it."""
    if finding.defect == "undefined-term" and finding.value in origins:
        return origins[finding.value]
    return origins.get(finding.focus)


def _pointed(finding: Finding, origin: Origin | None) -> Finding:
    if origin is None:
        return finding
    for lang in list(finding.messages):
        where = origin.describe(lang)
        if finding.evidence == UNRECORDED and (cells := _cells_to_fill(finding, origin, lang)):
            where += "; " + FILL_IN[lang].format(cells=cells)
        if where not in finding.messages[lang]:
            finding.messages[lang] = f"{finding.messages[lang]} ({where})"
    return replace(finding, sheet=origin.sheet, row=origin.row)


def _cells_to_fill(finding: Finding, origin: Origin, lang: str) -> str:
    """The columns holding what the finding's rule reads the absence of: on the focus node's
    sheet first, else wherever a column holds it (the subsidy decision of a pass-through)."""
    from jeugdgov.workbook.mapping import mapping  # yaml only where a workbook was read

    wb_mapping = mapping()
    own = next((s for s in wb_mapping.sheets if origin.sheet in s.name.values()), None)
    # the workbook's own language names its sheets and columns
    book = next((language for language, name in own.name.items() if name == origin.sheet), lang) if own else lang
    cells = []
    for term, _inverse in evidence_rule(URIRef(finding.shape), shapes()).absences:
        holding = [(s, c) for s in wb_mapping.sheets for c in s.columns if c.property == term]
        holding = [(s, c) for s, c in holding if s is own] or holding
        cells += [CELL[lang].format(sheet=s.title(book), column=c.title(book)) for s, c in holding[:1]]
    return "; ".join(dict.fromkeys(cells))


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
    from jeugdgov.workbook import read_workbook

    return read_workbook(Path(path)).origins
