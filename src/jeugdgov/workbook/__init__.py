"""Governance setups in workbooks: a template, reading .xlsx, .ods and CSV folders, writing RDF back.

The sheets and columns are declared once, in ``mapping/workbook.yaml`` (:mod:`.mapping`);
:mod:`.tables` reads the raw cells, :mod:`.reading` turns them into RDF, :mod:`.writing` turns
RDF into rows and :mod:`.template` lays rows out as .xlsx or CSV files. :mod:`.origins` points
findings back at the sheet and row they came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdgov.workbook.tables import WORKBOOK_SUFFIXES, is_workbook

if TYPE_CHECKING:
    from jeugdgov.workbook.reading import Origin, WorkbookData, read_workbook
    from jeugdgov.workbook.template import write_template, write_workbook
    from jeugdgov.workbook.writing import Contents, contents_from

__all__ = ["WORKBOOK_SUFFIXES", "Contents", "Origin", "WorkbookData", "contents_from", "is_workbook",
           "read_workbook", "write_template", "write_workbook"]


def __getattr__(name: str) -> object:
    # The writers need openpyxl, which takes longer to import than validating a region, and
    # the reader yaml and the mapping: imported when first asked for, not by every command
    # that reads setups.
    if name in ("Origin", "WorkbookData", "read_workbook"):
        from jeugdgov.workbook import reading
        return getattr(reading, name)
    if name in ("write_template", "write_workbook"):
        from jeugdgov.workbook import template
        return getattr(template, name)
    if name in ("Contents", "contents_from"):
        from jeugdgov.workbook import writing
        return getattr(writing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
