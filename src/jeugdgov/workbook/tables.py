"""Reading the raw tables of a workbook: an .xlsx file, an .ods file or a folder of CSV files.

A table is a sheet's cells as Python values, row 1 first, before anything is interpreted.
What a spreadsheet can hide from a reader is refused here, where it is still visible: merged
cells (their value stands in one cell only), hidden header rows or columns, formula errors and
formulas without a computed value.

xlsx is read with openpyxl, which exposes merged ranges, hidden rows and formulas. ODS is read
with python-calamine (a binding to the Rust calamine reader, kept up to date and without
further dependencies), which gives the cell values; it cannot see merged or hidden cells.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jeugdgov.errors import InputError
from jeugdgov.formulas import restored

WORKBOOK_SUFFIXES = (".xlsx", ".ods")
#: A folder of CSV files is a workbook when it holds the sheet naming its template version.
ABOUT_FILES = ("werkboek.csv", "workbook.csv")
#: The sheet of a norm framework (jeugdgov.norms), which a setup workbook may hold beside its facts.
NORM_SHEETS = ("normen", "norms")
#: The error values spreadsheets show in a cell whose formula failed.
_ERROR_TEXT = re.compile(r"^#(DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|SPILL!|CALC!|GETTING_DATA)$")
Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class CellError:
    """A cell whose formula failed (#DIV/0!, #REF!, ...) or has no computed value."""

    shown: str


@dataclass
class Table:
    """One sheet: its name as written and its rows of cells (row 1 first)."""

    name: str
    rows: Sequence[Sequence[Cell | CellError]]


def is_workbook(path: Path) -> bool:
    """An .xlsx or .ods file, or a folder of CSV files with a workbook sheet."""
    if path.is_dir():
        return any((path / name).is_file() for name in ABOUT_FILES)
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith(("~$", ".~lock"))


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 is A)."""
    from openpyxl.utils import get_column_letter  # openpyxl only where a workbook is at hand

    return get_column_letter(index + 1)


def read_tables(path: Path) -> list[Table]:
    if path.is_dir():
        return _csv_tables(path)
    if path.suffix.lower() == ".xlsx":
        return _xlsx_tables(path)
    return _ods_tables(path)


def _has_formulas(path: Path) -> bool:
    """Whether a sheet of the .xlsx holds a formula (an ``<f>`` element)."""
    with zipfile.ZipFile(path) as archive:
        return any(_FORMULA.search(archive.read(name)) for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _xlsx_tables(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        # The formulas, to name one whose value was never computed: read only where there are
        # formulas (reading the workbook twice is most of the time a regional one takes).
        formulas = load_workbook(path, data_only=False) if _has_formulas(path) else None
    except Exception as error:  # zipfile, XML and openpyxl errors all mean: not a readable xlsx
        raise InputError(f"cannot read the workbook: {error}", file=path,
                         hint="save it again as an Excel workbook (.xlsx)",
                         nl=(f"het werkboek is niet te lezen: {error}",
                             "sla het opnieuw op als Excel-werkboek (.xlsx)")) from None
    tables = []
    for sheet in values.worksheets:
        with_formulas = formulas[sheet.title] if formulas else None
        if sheet.merged_cells.ranges:
            merged = min(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
            raise InputError(f"sheet '{sheet.title}': cells {merged.coord} are merged, so their value stands in "
                             f"one cell only", file=path, hint="unmerge the cells and type the value in each of them",
                             nl=(f"blad '{sheet.title}': cellen {merged.coord} zijn samengevoegd, dus hun waarde "
                                 "staat maar in één cel", "maak de samenvoeging ongedaan en typ de waarde in elke cel"))
        for row_number in (1, 2):
            if sheet.row_dimensions[row_number].hidden and sheet.sheet_state == "visible":
                raise InputError(f"sheet '{sheet.title}', row {row_number}: the header row is hidden", file=path,
                                 hint="unhide the row (the headers say which fact each column holds)",
                                 nl=(f"blad '{sheet.title}', rij {row_number}: de kopregel is verborgen",
                                     "maak de rij zichtbaar (de koppen zeggen welk feit elke kolom bevat)"))
        rows: list[list[Cell | CellError]] = []
        for row in sheet.iter_rows():
            cells: list[Cell | CellError] = []
            for cell in row:
                value = cell.value
                if cell.data_type == "e" or (isinstance(value, str) and _ERROR_TEXT.match(value)):
                    cells.append(CellError(str(value)))
                elif value is None and with_formulas and with_formulas[cell.coordinate].data_type == "f":
                    cells.append(CellError(f"={with_formulas[cell.coordinate].value}".replace("==", "=")))
                else:
                    cells.append(_plain(value))
            rows.append(cells)
        if sheet.sheet_state == "visible":
            width = max((len(r) for r in rows[:2]), default=0)
            for index in range(width):
                letter = column_letter(index)
                if sheet.column_dimensions[letter].hidden and any(r[index] not in (None, "") for r in rows[:1]
                                                                 if index < len(r)):
                    raise InputError(f"sheet '{sheet.title}', column {letter}: the column is hidden", file=path,
                                     hint="unhide the column, or delete it if it does not belong to the setup",
                                     nl=(f"blad '{sheet.title}', kolom {letter}: de kolom is verborgen",
                                         "maak de kolom zichtbaar, of verwijder hem als hij niet bij de inrichting "
                                         "hoort"))
        tables.append(Table(sheet.title, rows))
    return tables


def _ods_tables(path: Path) -> list[Table]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        tables = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            tables.append(Table(name, [[_ods_cell(v) for v in row] for row in rows]))
    except InputError:
        raise
    except Exception as error:  # calamine raises its own error types for damaged files
        raise InputError(f"cannot read the workbook: {error}", file=path,
                         hint="save it again as an OpenDocument spreadsheet (.ods) or as .xlsx",
                         nl=(f"het werkboek is niet te lezen: {error}",
                             "sla het opnieuw op als OpenDocument-spreadsheet (.ods) of als .xlsx")) from None
    return tables


def _ods_cell(value: object) -> Cell | CellError:
    if value == "":
        return None
    if isinstance(value, str) and _ERROR_TEXT.match(value):
        return CellError(value)
    return _plain(value)


def _plain(value: object) -> Cell:
    """A value a table holds as it is; any other (a time of day, a duration) as its text."""
    if value is None or isinstance(value, (str, int, float, bool, date, datetime)):
        return value
    return str(value)


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file saved as UTF-8, separated by ';' or ',' (whichever the first line
    has more of), read as a stream: a quoted cell may hold line breaks."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"the file is not UTF-8 text (byte {error.start})", file=path,
                         hint="save the CSV file as UTF-8",
                         nl=(f"het bestand is geen UTF-8-tekst (byte {error.start})",
                             "sla het CSV-bestand op als UTF-8")) from None
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(content), delimiter=delimiter))


def _csv_tables(folder: Path) -> list[Table]:
    tables = []
    for path in sorted(folder.glob("*.csv")):
        rows: list[list[Cell | CellError]] = [[restored(cell) if cell.strip() else None for cell in row]
                                              for row in csv_rows(path)]
        for row in rows:
            for index, cell in enumerate(row):
                if isinstance(cell, str) and _ERROR_TEXT.match(cell.strip()):
                    row[index] = CellError(cell.strip())
        tables.append(Table(path.stem, rows))
    return tables
