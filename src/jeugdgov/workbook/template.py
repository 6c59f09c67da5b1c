"""Laying a workbook out: the template and converted setups as .xlsx or as a folder of CSV files.

The xlsx has, per sheet of the mapping, a row of headers in the chosen language, a second row
in the other language, help for each header as a cell comment, drop-down lists from the
taxonomies (on the hidden sheet of lists) and date formats; an instructions sheet generated
from the mapping; and the sheet that records the template version, base IRI and prefixes.
Files are written to a temporary name and moved into place whole, so a failure leaves nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jeugdgov.errors import InputError
from jeugdgov.formulas import as_text, neutralised
from jeugdgov.output import replacing_file, replacing_folder
from jeugdgov.workbook.mapping import (
    FALSE_WORDS,
    NONE_WORDS,
    TRUE_WORDS,
    UNKNOWN_WORDS,
    Column,
    Mapping,
    Sheet,
    mapping,
    text,
)
from jeugdgov.workbook.tables import Cell, column_letter
from jeugdgov.workbook.writing import Contents

#: Rows a drop-down list and a date format cover below the headers.
FORMATTED_ROWS = 500
_HEADER = Font(bold=True)
_SECOND_HEADER = Font(italic=True, color="666666")
_REQUIRED = PatternFill("solid", fgColor="FCE4D6")
_OPTIONAL = PatternFill("solid", fgColor="DDEBF7")


def other_language(lang: str) -> str:
    return "en" if lang == "nl" else "nl"


def write_workbook(contents: Contents, out: Path, lang: str = "nl") -> None:
    """Write the contents as .xlsx, or as a folder of CSV files when ``out`` has no .xlsx suffix."""
    if out.suffix.lower() == ".xlsx":
        with replacing_file(out) as temporary:
            # saved in memory first: a zip file that fails half-way complains again when collected
            buffer = io.BytesIO()
            _xlsx(contents, lang).save(buffer)
            temporary.write_bytes(buffer.getvalue())
    elif out.suffix:
        raise InputError(f"cannot write a workbook as '{out.suffix}'", file=out,
                         hint="write an .xlsx file, or give a folder name for CSV files",
                         nl=(f"een werkboek is niet te schrijven als '{out.suffix}'",
                             "schrijf een .xlsx-bestand, of geef een mapnaam voor CSV-bestanden"))
    else:
        _refuse_foreign_folder(out)
        with replacing_folder(out) as temporary:
            _csv_files(contents, temporary, lang)


def write_template(out: Path, lang: str = "nl") -> None:
    """The empty workbook with its headers, lists and instructions."""
    write_workbook(Contents(rows={}), out, lang)


def _refuse_foreign_folder(out: Path) -> None:
    """Only a folder of workbook CSV files (one jeugdgov wrote) is replaced."""
    from jeugdgov.workbook.tables import is_workbook

    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not is_workbook(out))):
        raise InputError("exists and is no folder of workbook CSV files", file=out,
                         hint="choose a new folder name; jeugdgov replaces only a folder it wrote",
                         nl=("bestaat en is geen map met CSV-bestanden van een werkboek",
                             "kies een nieuwe mapnaam; jeugdgov vervangt alleen een map die het zelf schreef"))


# -- what each sheet shows ---------------------------------------------------------------------

def _about_rows(contents: Contents, wb_mapping: Mapping, lang: str) -> list[list[Cell]]:
    about = wb_mapping.about
    rows: list[list[Cell]] = [[text(about["version_key"], lang), wb_mapping.version],
                              [text(about["base_key"], lang), contents.base]]
    rows += [[text(about["prefix_key"], lang), prefix, namespace] for prefix, namespace in contents.prefixes.items()]
    return rows


def _data_rows(sheet: Sheet, contents: Contents) -> list[list[Cell]]:
    return [[row.get(column.key) for column in sheet.columns] for row in contents.rows.get(sheet.key, [])]


def _csv_files(contents: Contents, folder: Path, lang: str) -> None:
    wb_mapping = mapping()

    def write(name: str, rows: list[list[Cell]]) -> None:
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            for row in rows:
                writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else neutralised(v)
                                 for v in row])

    write(text(wb_mapping.about["name"], lang), _about_rows(contents, wb_mapping, lang))
    for sheet in [*wb_mapping.sheets, wb_mapping.other]:
        write(sheet.title(lang), [[c.title(lang) for c in sheet.columns], *_data_rows(sheet, contents)])


# -- xlsx --------------------------------------------------------------------------------------

def _xlsx(contents: Contents, lang: str) -> Workbook:
    wb_mapping = mapping()
    book = Workbook()
    instructions = book.active
    assert isinstance(instructions, Worksheet)  # a new workbook holds one worksheet
    instructions.title = text(wb_mapping.instructions, lang)
    lists = book.create_sheet(text(wb_mapping.lists, lang))
    list_ranges = _lists(lists, wb_mapping, lang)
    list_ranges.update(_id_ranges(wb_mapping, lang))
    for sheet in [*wb_mapping.sheets, wb_mapping.other]:
        _data_sheet(book.create_sheet(sheet.title(lang)), sheet, _data_rows(sheet, contents), list_ranges, lang)
    about = book.create_sheet(text(wb_mapping.about["name"], lang))
    for row in _about_rows(contents, wb_mapping, lang):
        about.append(row)
    as_text(cell for row_cells in about.iter_rows() for cell in row_cells)
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 50
    about.column_dimensions["C"].width = 50
    _instructions(instructions, wb_mapping, lang)
    book.move_sheet(lists, offset=len(book.sheetnames) - 1)
    lists.sheet_state = "hidden"
    return book


def _list_name(column: Column, sheet: Sheet, lang: str) -> str:
    if column.kind == "types":
        return f"{sheet.title(lang)}: {column.title(lang)}"
    if column.kind == "literal":
        return "ja/nee" if lang == "nl" else "yes/no"
    if column.kind == "absence":
        return f"{NONE_WORDS[lang]}/{UNKNOWN_WORDS[lang]}"
    return column.title(lang) if column.kind == "concept" else ("bronnen" if lang == "nl" else "sources")


def _choices(column: Column, lang: str) -> list[str] | None:
    if column.kind == "absence":
        return [NONE_WORDS[lang], UNKNOWN_WORDS[lang]]
    if column.vocabulary is not None:
        extra = [] if column.kind == "types" else [UNKNOWN_WORDS[lang]]
        return column.vocabulary.choices(lang) + extra
    if column.kind == "literal" and column.datatype is not None and column.datatype.endswith("boolean"):
        return [TRUE_WORDS[lang], FALSE_WORDS[lang], UNKNOWN_WORDS[lang]]
    return None


def _lists(sheet: Worksheet, wb_mapping: Mapping, lang: str) -> dict[str, str]:
    """One column per list of choices; the range each list's name stands for."""
    ranges: dict[str, str] = {}
    for data_sheet in wb_mapping.sheets:
        for column in data_sheet.columns:
            choices = _choices(column, lang)
            name = _list_name(column, data_sheet, lang)
            if choices is None or name in ranges:
                continue
            index = len(ranges)
            letter = column_letter(index)
            sheet.cell(row=1, column=index + 1, value=name).font = _HEADER
            for offset, choice in enumerate(choices, start=2):
                sheet.cell(row=offset, column=index + 1, value=choice)
            ranges[name] = f"'{sheet.title}'!${letter}$2:${letter}${len(choices) + 1}"
    return ranges


def _id_ranges(wb_mapping: Mapping, lang: str) -> dict[str, str]:
    """The id column of each sheet (the name column of the setups), as the list a reference picks from."""
    ranges = {}
    for sheet in wb_mapping.sheets:
        key = "setup_name" if sheet.key == "setups" else "id"
        letter = column_letter([c.key for c in sheet.columns].index(key))
        ranges[f"ids:{sheet.key}"] = f"'{sheet.title(lang)}'!${letter}$3:${letter}${FORMATTED_ROWS + 2}"
    return ranges


def _data_sheet(sheet: Worksheet, spec: Sheet, rows: list[list[Cell]], list_ranges: dict[str, str],
                lang: str) -> None:
    second = other_language(lang)
    sheet.append([c.title(lang) for c in spec.columns])
    sheet.append([c.title(second) for c in spec.columns])
    for index, column in enumerate(spec.columns):
        letter = column_letter(index)
        header = sheet.cell(row=1, column=index + 1)
        header.font = _HEADER
        header.fill = _REQUIRED if column.required else _OPTIONAL
        help_text = text(column.help, lang) + (" (verplicht)" if lang == "nl" and column.required else
                                               " (required)" if column.required else "")
        header.comment = Comment(help_text, "jeugdgov", width=300, height=120)
        sheet.cell(row=2, column=index + 1).font = _SECOND_HEADER
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.title(lang)) + 4))
        cells = f"{letter}3:{letter}{FORMATTED_ROWS + 2}"
        if column.kind in ("start", "end") or (column.datatype is not None and column.datatype.endswith("date")):
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"  # for what a person types later
        name = _list_name(column, spec, lang)
        if column.kind == "setup" or (column.kind == "ref" and column.sheets):
            name = f"ids:{'setups' if column.kind == 'setup' else column.sheets[0]}"
        if name in list_ranges and (_choices(column, lang) is not None or name.startswith("ids:")):
            validation = DataValidation(type="list", formula1=list_ranges[name], allow_blank=True,
                                        showErrorMessage=True, errorStyle="warning",
                                        error="Niet uit de lijst; meerdere waarden scheiden met ';'." if lang == "nl"
                                        else "Not from the list; separate several values with ';'.")
            sheet.add_data_validation(validation)
            validation.add(cells)
    for row in rows:
        sheet.append(row)
    for row_cells in sheet.iter_rows(min_row=3):
        as_text(row_cells)  # a text from the data is never a formula
        for cell in row_cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"


def _instructions(sheet: Worksheet, wb_mapping: Mapping, lang: str) -> None:
    nl = lang == "nl"
    general = [
        "Een governance-inrichting beschrijven in dit werkboek" if nl else
        "Describing a governance setup in this workbook",
        "",
        ("Vul de bladen in de volgorde van de tabbladen in: eerst 'inrichtingen' (één rij per fase), dan 'actoren', "
         "dan rollen, bevoegdheden, mandaten, besluiten, afspraken, geldstromen en verantwoording." if nl else
         "Fill the sheets in the order of the tabs: first 'setups' (one row per phase), then 'actors', then roles, "
         "competences, mandates, decisions, agreements, money flows and accountability."),
        ("Rij 1 en 2 zijn kopregels (Nederlands en Engels); de gegevens beginnen op rij 3. Verplichte kolommen "
         "hebben een oranje kop; de opmerking bij elke kop legt de kolom uit." if nl else
         "Rows 1 and 2 are headers (in the workbook's language and the other); data start on row 3. Required "
         "columns have an orange header; the comment on each header explains the column."),
        ("Elke rij heeft een korte, unieke id (zonder spaties). Andere bladen verwijzen met die id naar de rij, "
         "bijvoorbeeld 'college' in de kolom 'partij' van 'rollen'." if nl else
         "Each row has a short unique id (without spaces). Other sheets refer to the row by that id, e.g. "
         "'college' in the column 'party' of 'roles'."),
        ("Kolom 'inrichting': de naam van de fase waartoe een rij hoort; leeg = geldt voor alle fasen van het "
         "werkboek (zoals de gemeente en haar organen). Dezelfde id mag op hetzelfde blad terugkomen in een rij "
         "van een andere fase, om feiten toe te voegen die alleen in die fase gelden." if nl else
         "Column 'setup': the name of the phase a row belongs to; empty = holds for every phase of the workbook "
         "(such as the municipality and its bodies). The same id may come back on the same sheet in a row of "
         "another phase, to add facts that hold in that phase only."),
        ("Ids zijn korte namen onder de basis-IRI van het blad 'werkboek'; een id als gm:gm0995 (TOOI-code van "
         "een gemeente) of een volledig IRI verwijst naar een bestaande identifier." if nl else
         "Ids are short names under the base IRI of the sheet 'workbook'; an id such as gm:gm0995 (the TOOI code "
         "of a municipality) or a full IRI refers to an existing identifier."),
        ("Meerdere waarden in één cel scheiden met ';'. Datums als datum (2021-06-30), bedragen als getal." if nl else
         "Separate several values in one cell with ';'. Dates as dates (2021-06-30), amounts as numbers."),
        ("'geen' betekent: vastgesteld dat er geen is (bijvoorbeeld geen doelen); 'onbekend': er is er een, maar "
         "welke is niet bekend; 'onduidelijk': de bron laat het open. Een lege cel betekent: niet vastgelegd." if nl
         else "'none' means: established that there is none (e.g. no goals); 'unknown': there is one, but which is "
         "not known; 'unclear': the source leaves it open. An empty cell means: not recorded."),
        ("'bron' noemt het rapportonderdeel waaraan een rij is ontleend (bijvoorbeeld 'Lelystad 2.2.1', of een "
         "eigen bron van het blad 'bronnen'); 'bewering van' de partij op wier uitspraak de rij alleen berust; "
         "'betwist door' een partij die de rij betwist." if nl else
         "'source' names the report section a row is taken from (e.g. 'Lelystad 2.2.1', or a source of your own "
         "on the sheet 'sources'); 'claim of' the party whose statement alone the row rests on; 'disputed by' a "
         "party that disputes the row."),
        ("Controleer het werkboek met: jeugdgov validate dit-bestand.xlsx" if nl else
         "Check the workbook with: jeugdgov validate this-file.xlsx"),
        "",
    ]
    for line in general:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    for spec in [*wb_mapping.sheets, wb_mapping.other]:
        sheet.append([])
        sheet.append([spec.title(lang), text(spec.about, lang)])
        sheet.cell(row=sheet.max_row, column=1).font = _HEADER
        sheet.append(["kolom" if nl else "column", "verplicht" if nl else "required", "uitleg" if nl else "help",
                      "geen / onbekend" if nl else "none / unknown"])
        for column in spec.columns:
            sheet.append([column.title(lang), ("ja" if nl else "yes") if column.required else "",
                          text(column.help, lang), _absence_help(column, lang)])
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 100
    sheet.column_dimensions["D"].width = 60
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=cell.column in (3, 4), vertical="top")


def _absence_help(column: Column, lang: str) -> str:
    """How a cell of the column says "there is none" and "there is one, but unknown"."""
    nl = lang == "nl"
    none, unknown = NONE_WORDS[lang], UNKNOWN_WORDS[lang]
    if column.kind in ("id", "setup", "types", "start", "end") or column.property is None:
        return ""
    if column.kind == "absence":
        return f"{none} / {unknown}"
    if column.kind == "literal" and column.datatype is not None and column.datatype.endswith("boolean"):
        return (f"{FALSE_WORDS[lang]} = vastgesteld van niet; {unknown} = niet bekend; leeg = niet vastgelegd" if nl
                else f"{FALSE_WORDS[lang]} = established it is not so; {unknown} = not known; empty = not recorded")
    title = column.title(lang)
    return (f"{none} = vastgesteld dat er geen '{title}' is; {unknown} = er is er een, niet bekend welke; "
            "leeg = niet vastgelegd" if nl else
            f"{none} = established that there is no '{title}'; {unknown} = there is one, not known which; "
            "empty = not recorded")
