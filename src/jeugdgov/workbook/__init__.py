"""Governance setups in workbooks: a template, reading .xlsx, .ods and CSV folders, writing RDF back.

The sheets and columns are declared once, in ``mapping/workbook.yaml`` (:mod:`.mapping`);
:mod:`.tables` reads the raw cells, :mod:`.reading` turns them into RDF, :mod:`.writing` turns
RDF into rows and :mod:`.template` lays rows out as .xlsx or CSV files. :mod:`.origins` points
findings back at the sheet and row they came from.
"""

from __future__ import annotations

from jeugdgov.workbook.reading import Origin, WorkbookData, read_workbook
from jeugdgov.workbook.tables import WORKBOOK_SUFFIXES, is_workbook
from jeugdgov.workbook.template import write_template, write_workbook
from jeugdgov.workbook.writing import Contents, contents_from

__all__ = ["WORKBOOK_SUFFIXES", "Contents", "Origin", "WorkbookData", "contents_from", "is_workbook",
           "read_workbook", "write_template", "write_workbook"]
