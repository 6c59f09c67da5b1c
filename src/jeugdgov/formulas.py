"""Cells a spreadsheet would run as formulas, made inert (OWASP's advice on CSV injection).

A text from the data that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
becomes a live formula when a spreadsheet opens a CSV file (``=HYPERLINK("http://…")`` a link
that leaks, worse where DDE runs). In CSV such a text gets a leading apostrophe; a number
("-5") is left alone, it runs nothing. In an .xlsx file a text cell is written with the text
type instead, so its value stays exactly as in the data.

The workbook reader undoes the apostrophe of its own CSV files: an apostrophe is added to every
text matching ``'*[=+-@\\t\\r]…`` and one is taken from every text matching ``'+[=+-@\\t\\r]…``,
so every text reads back as written, and a name like ``'s-Hertogenbosch`` is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is slow to import, and only the workbook writers need it
    from openpyxl.cell.cell import Cell, MergedCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RUNNABLE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralised(value: object) -> object:
    """The value for a CSV cell: a text a spreadsheet would run, with a leading apostrophe."""
    if isinstance(value, str) and _RUNNABLE.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restored(value: str) -> str:
    """A CSV cell's text as it was before :func:`neutralised`."""
    return value[1:] if _ESCAPED.match(value) else value


def as_text(cells: Iterable[Cell | MergedCell]) -> None:
    """Make every cell whose text openpyxl would store as a formula a text cell."""
    for cell in cells:
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.data_type = "s"
