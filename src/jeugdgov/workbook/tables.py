"""Reading the raw tables of a workbook: an .xlsx file, an .ods file or a folder of CSV files.

A table is a sheet's cells as Python values, row 1 first, before anything is interpreted.
What a spreadsheet can hide from a reader is refused here, where it is still visible: merged
cells (their value stands in one cell only), hidden header rows or columns, formula errors and
formulas without a computed value.

Both kinds of spreadsheet are read with python-calamine (a binding to the Rust calamine reader,
kept up to date and without further dependencies), which reads a regional workbook's cells
about ten times faster than openpyxl (whose cell objects were most of the time a saved
workbook took to validate again). For .xlsx it also gives the sheets' visibility and merged
ranges; what it does not give is read from the sheets' XML with expat: hidden header rows and
columns, error cells (calamine reads them as empty) and formulas without a computed value. Only
the first rows of a sheet are read so, unless the sheet holds an error cell or a formula. In
.ods files calamine cannot see merged or hidden cells.
"""

from __future__ import annotations

import contextlib
import csv
import io
import posixpath
import re
import xml.parsers.expat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
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
#: Whole numbers are exact in a float up to 2**53 (calamine reads every number as a float).
_EXACT = 2**53
#: The header rows a reader refuses to see hidden: the column names, in Dutch and in English.
_HEADER_ROWS = 2
_TRUE = ("1", "true")
#: An error cell (t="e") or a formula (<f>): only then is the whole of a sheet's XML read.
_ERROR_OR_FORMULA = re.compile(rb"""<(?:\w+:)?f[\s>/]|\st\s*=\s*["']e["']""")
_REFERENCE = re.compile(r"([A-Z]+)(\d+)")
_RELATIONSHIP_ID = "relationship id"


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


def _xlsx_tables(path: Path) -> list[Table]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            tables = []
            for sheet in book.sheets_metadata:
                if sheet.typ != SheetTypeEnum.WorkSheet:
                    continue
                cells = book.get_sheet_by_name(sheet.name)
                tables.append(_xlsx_table(path, sheet.name, cells.to_python(skip_empty_area=False),
                                          cells.merged_cell_ranges or [], _layout(archive.read(parts[sheet.name])),
                                          visible=sheet.visible == SheetVisibleEnum.Visible))
    except InputError:
        raise
    except Exception as error:  # zip, XML and calamine errors, a part missing: not a readable xlsx
        raise InputError(f"cannot read the workbook: {error}", file=path,
                         hint="save it again as an Excel workbook (.xlsx)",
                         nl=(f"het werkboek is niet te lezen: {error}",
                             "sla het opnieuw op als Excel-werkboek (.xlsx)")) from None
    return tables


def _xlsx_table(path: Path, name: str, values: Sequence[Sequence[object]],
                merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
                layout: _Layout, visible: bool) -> Table:
    if merged:
        (top, left), (bottom, right) = min(merged)
        cells = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
        raise InputError(f"sheet '{name}': cells {cells} are merged, so their value stands in one cell only",
                         file=path, hint="unmerge the cells and type the value in each of them",
                         nl=(f"blad '{name}': cellen {cells} zijn samengevoegd, dus hun waarde staat maar in één "
                             "cel", "maak de samenvoeging ongedaan en typ de waarde in elke cel"))
    if visible and layout.hidden_rows:
        row = min(layout.hidden_rows)
        raise InputError(f"sheet '{name}', row {row}: the header row is hidden", file=path,
                         hint="unhide the row (the headers say which fact each column holds)",
                         nl=(f"blad '{name}', rij {row}: de kopregel is verborgen",
                             "maak de rij zichtbaar (de koppen zeggen welk feit elke kolom bevat)"))
    rows = [[_calamine_cell(value) for value in row] for row in values]
    for (row, column), error in layout.errors.items():  # calamine reads these cells as empty
        rows.extend([] for _ in range(row + 1 - len(rows)))
        rows[row].extend(None for _ in range(column + 1 - len(rows[row])))
        rows[row][column] = error
    header = rows[0] if rows else []
    for index in sorted(layout.hidden_columns):
        if visible and index < len(header) and header[index] not in (None, ""):
            letter = column_letter(index)
            raise InputError(f"sheet '{name}', column {letter}: the column is hidden", file=path,
                             hint="unhide the column, or delete it if it does not belong to the setup",
                             nl=(f"blad '{name}', kolom {letter}: de kolom is verborgen",
                                 "maak de kolom zichtbaar, of verwijder hem als hij niet bij de inrichting hoort"))
    return Table(name, rows)


def _ods_tables(path: Path) -> list[Table]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        tables = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            tables.append(Table(name, [[_calamine_cell(v) for v in row] for row in rows]))
    except Exception as error:  # calamine raises its own error types for damaged files
        raise InputError(f"cannot read the workbook: {error}", file=path,
                         hint="save it again as an OpenDocument spreadsheet (.ods) or as .xlsx",
                         nl=(f"het werkboek is niet te lezen: {error}",
                             "sla het opnieuw op als OpenDocument-spreadsheet (.ods) of als .xlsx")) from None
    return tables


def _calamine_cell(value: object) -> Cell | CellError:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT:
        return int(value)  # as typed: calamine reads every number as a float
    if isinstance(value, str) and _ERROR_TEXT.match(value):
        return CellError(value)
    if isinstance(value, (str, int, float, bool, date)):  # a datetime is a date
        return value
    return str(value)  # a time of day or a duration


# ---- what calamine does not read from an .xlsx file: its XML ----------------------------------

def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name -> the archive member holding its XML, as the workbook's relationships say."""
    package = _elements(archive.read("_rels/.rels"))
    workbook = next(a["Target"] for tag, a in package
                    if tag == "Relationship" and a["Type"].endswith("/officeDocument")).lstrip("/")
    folder, name = posixpath.split(workbook)
    targets = {a["Id"]: a["Target"] for tag, a in _elements(archive.read(f"{folder}/_rels/{name}.rels"))
               if tag == "Relationship"}
    parts = {}
    for tag, attributes in _elements(archive.read(workbook)):
        if tag == "sheet":
            target = targets[attributes[_RELATIONSHIP_ID]]
            parts[attributes["name"]] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
    return parts


def _elements(xml: bytes) -> list[tuple[str, dict[str, str]]]:
    """The local name and attributes of every element of a small XML part; a relationship id
    (in the transitional or the strict namespace) is named ``_RELATIONSHIP_ID``."""
    found: list[tuple[str, dict[str, str]]] = []
    parser = _xml_parser()
    parser.StartElementHandler = lambda tag, attributes: found.append((_local(tag), {
        _RELATIONSHIP_ID if k.endswith("/relationships id") else _local(k): v for k, v in attributes.items()}))
    parser.Parse(xml, True)
    return found


def _xml_parser() -> xml.parsers.expat.XMLParserType:
    """expat with namespaces, refusing a document type declaration (no .xlsx part has one; its
    entities could expand into gigabytes)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: object) -> None:
        raise ValueError("a part of the file declares a document type, which no .xlsx file does")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


@dataclass
class _Layout:
    """What calamine does not say about a sheet: hidden header rows (1-based), hidden columns
    (0-based), and the cells (0-based row and column) whose formula failed or has no value."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], CellError] = field(default_factory=dict)


class _Enough(Exception):
    """What matters of a sheet's XML has been read."""


def _layout(xml: bytes) -> _Layout:
    """A sheet's hidden columns and header rows, read up to its third row; its error cells and
    formulas without a value, read in the whole sheet where it holds any."""
    layout = _Layout()
    whole = _ERROR_OR_FORMULA.search(xml) is not None
    row = column = 0  # 1-based, of the current row and cell
    cell: dict[str, str] | None = None  # the current cell's type, formula and value
    text: list[str] | None = None  # the text of the current <f> or <v>
    shared: dict[str, str] = {}  # a shared formula's index -> its text

    def opened(tag: str, attributes: dict[str, str]) -> None:
        nonlocal row, column, cell, text
        tag = _local(tag)
        if tag == "col" and attributes.get("hidden") in _TRUE:
            layout.hidden_columns.update(range(int(attributes["min"]) - 1, int(attributes["max"])))
        elif tag == "row":
            row, column = int(attributes.get("r", row + 1)), 0
            if row > _HEADER_ROWS and not whole:
                raise _Enough
            if row <= _HEADER_ROWS and attributes.get("hidden") in _TRUE:
                layout.hidden_rows.add(row)
        elif tag == "c":
            reference = _REFERENCE.fullmatch(attributes.get("r", ""))
            column = _column_number(reference[1]) if reference else column + 1
            cell = {"type": attributes.get("t", "n")}
        elif tag in ("f", "v") and cell is not None:
            text, cell[tag] = [], ""
            if "si" in attributes:
                cell["si"] = attributes["si"]

    def closed(tag: str) -> None:
        nonlocal cell, text
        tag = _local(tag)
        if tag in ("f", "v") and cell is not None and text is not None:
            cell[tag], text = "".join(text), None
        elif tag == "c" and cell is not None:
            if cell.get("si") and cell.get("f"):
                shared[cell["si"]] = cell["f"]
            if cell["type"] == "e":
                layout.errors[(row - 1, column - 1)] = CellError(cell.get("v", ""))
            elif "f" in cell and not cell.get("v"):
                formula = cell["f"] or shared.get(cell.get("si", ""), "")
                layout.errors[(row - 1, column - 1)] = CellError(f"={formula}".replace("==", "="))
            cell = None

    def characters(data: str) -> None:
        if text is not None:
            text.append(data)

    parser = _xml_parser()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = opened, closed, characters
    with contextlib.suppress(_Enough):
        parser.Parse(xml, True)
    return layout


def _column_number(letters: str) -> int:
    """The 1-based number of a column's letters (A is 1)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number

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
