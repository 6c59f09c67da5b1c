"""Filling the workbook template cell by cell, as a person would, for the workbook tests."""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import date, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook, load_workbook

from jeugdgov.workbook import write_template

#: L 2.2.3: the open budget was not tackled: no ceiling and no steering instrument, as the report states.
NO_BUDGET = {"budgetplafond (EUR)": "geen", "sturingsinstrument": "geen"}

#: The Lelystad cooperative phase (data/lelystad.trig, setup lelystad-cooperatie), typed into the
#: template sheet by sheet, with the drop-down values a person picks. Keys are the Dutch headers.
COOPERATIVE = {
    "inrichtingen": [
        {"inrichting": "lelystad-cooperatie", "id": "setup-cooperatie",
         "naam (nl)": "Lelystad: JGT als coöperatie (2018-2021)",
         "naam (en)": "Lelystad: JGT as a cooperative (2018-2021)",
         "begin": "2018-01-01", "einde": "2021-06-30", "gemeenten": "gm:gm0995", "rapport": "lelystad-2021"},
    ],
    "actoren": [
        {"id": "gm:gm0995", "soort": "gemeente", "naam": "Gemeente Lelystad"},
        {"id": "college", "soort": "college van burgemeester en wethouders", "naam": "College van B&W Lelystad",
         "orgaan van": "gm:gm0995"},
        {"id": "raad", "soort": "gemeenteraad", "naam": "Gemeenteraad Lelystad", "orgaan van": "gm:gm0995"},
        {"id": "ambtelijke-organisatie", "soort": "ambtelijke organisatie", "naam": "Ambtelijke organisatie Lelystad",
         "orgaan van": "gm:gm0995", "ondergeschikt aan": "college"},
        {"id": "team-beleid-jeugd", "soort": "team", "naam": "Team beleid jeugd",
         "ondergeschikt aan": "ambtelijke-organisatie"},
        {"id": "actor", "soort": "ambtenaar", "naam (nl)": "Actor van de gemeente in het programmateam",
         "ondergeschikt aan": "ambtelijke-organisatie"},
        {"id": "teamleider", "soort": "ambtenaar", "naam (nl)": "Teamleider maatschappelijk sociaal domein",
         "ondergeschikt aan": "ambtelijke-organisatie"},
        {"id": "zorgorganisaties-leden", "soort": "zorgaanbieder",
         "naam (nl)": "Zorgorganisaties die lid werden van de coöperatie (4)"},
        {"id": "zorgorganisaties-overig", "soort": "zorgaanbieder",
         "naam (nl)": "Overige zorgorganisaties (4, w.o. Triade en Vitree)"},
        {"inrichting": "lelystad-cooperatie", "id": "jgt-cooperatie", "soort": "zorgaanbieder",
         "rechtsvorm": "coöperatie", "naam (nl)": "Coöperatie JGT", "naam (en)": "JGT cooperative"},
        {"inrichting": "lelystad-cooperatie", "id": "directie-cooperatie", "soort": "team",
         "naam (nl)": "Directie coöperatie JGT", "orgaan van": "jgt-cooperatie"},
        {"inrichting": "lelystad-cooperatie", "id": "actor", "lid van": "directie-cooperatie"},
        {"inrichting": "lelystad-cooperatie", "id": "bestuurlijk-overleg", "soort": "bestuurlijk overleg",
         "naam (nl)": "Bestuurlijk Overleg JGT", "begin": "2018-01-01", "einde": "2021-06-30"},
    ],
    "rollen": [
        {"id": "rol-gemeente-opdrachtgever-cooperatie", "partij": "gm:gm0995", "rol": "opdrachtgever",
         "taak": "verlenen van jeugdhulp"},
        {"id": "rol-college-besluit-cooperatie", "partij": "college", "rol": "besluitnemer",
         "taak": "besluit over toegang tot jeugdhulp"},
        {"id": "rol-directie-advies", "partij": "directie-cooperatie", "rol": "adviseur",
         "taak": "besluit over toegang tot jeugdhulp", "in het kader van": "samenwerkingsovereenkomst-2018"},
        {"id": "rol-cooperatie-uitvoering", "partij": "jgt-cooperatie", "rol": "uitvoering (zorgverlening)",
         "taak": "basishulp"},
        {"id": "rol-leden-cooperatie", "partij": "zorgorganisaties-leden", "rol": "opdrachtnemer",
         "taak": "verlenen van jeugdhulp", "in het kader van": "samenwerkingsovereenkomst-2018"},
        {"id": "rol-overig-cooperatie", "partij": "zorgorganisaties-overig", "rol": "opdrachtnemer",
         "taak": "verlenen van jeugdhulp", "in het kader van": "samenwerkingsovereenkomst-2018"},
    ],
    "bevoegdheden": [
        {"id": "bevoegdheid-voorziening", "toegekend aan": "college", "taak": "besluit over toegang tot jeugdhulp",
         "wettelijke grondslag": "https://wetten.overheid.nl/jci1.3:c:BWBR0034925&artikel=2.3",
         "naam (nl)": "Beslissen op verzoeken om jeugdhulp (Jeugdwet 2.3)"},
    ],
    "mandaten": [
        {"id": "mandaat-teamleider-2018", "soort": "mandaat", "mandaatgever": "college", "gemandateerde": "teamleider",
         "bevoegdheid": "bevoegdheid-voorziening", "naam (nl)": "Mandaat jeugdhulpbesluiten aan de teamleider"},
    ],
    "besluiten": [
        {"id": "beschikking-cooperatie", "soort": "beschikking", "geadviseerd door": "directie-cooperatie",
         "genomen door": "teamleider", "namens": "college", "bevoegdheid": "bevoegdheid-voorziening",
         "krachtens mandaat": "mandaat-teamleider-2018", "datum": "2019-06-01"},
    ],
    "afspraken": [
        {"id": "samenwerkingsovereenkomst-2018", "soort": "samenwerkingsovereenkomst",
         "partijen": "gm:gm0995; zorgorganisaties-leden; zorgorganisaties-overig",
         "taken": "besluit over toegang tot jeugdhulp; verlenen van jeugdhulp", "doelen": "doelen-2018",
         # L 2.4: the agreed evaluation did not take place.
         "stelt orgaan in": "bestuurlijk-overleg", "geëvalueerd": "geen", **NO_BUDGET},
        # L 2.2.6 note 2: the basis for passing the subsidy on stayed unclear.
        {"id": "subsidiebeschikking-leden-2018", "soort": "subsidiebeschikking",
         "partijen": "gm:gm0995; zorgorganisaties-leden", "doorgeven toegestaan": "onduidelijk", **NO_BUDGET},
        {"id": "subsidiebeschikking-overig-2018", "soort": "subsidiebeschikking",
         "partijen": "gm:gm0995; zorgorganisaties-overig", **NO_BUDGET},
    ],
    "doelen": [
        {"id": "doelen-2018", "meetbaar": "nee", "naam (nl)": "Afspraken onvoldoende concreet en toetsbaar"},
    ],
    "geldstromen": [
        {"id": "subsidie-leden-cooperatie", "soort": "subsidie", "betaler": "gm:gm0995",
         "ontvanger": "zorgorganisaties-leden", "taak": "basishulp", "grondslag": "subsidiebeschikking-leden-2018",
         "naam (nl)": "subsidie aan de leden van de coöperatie"},
        {"id": "subsidie-overig-cooperatie", "soort": "subsidie", "betaler": "gm:gm0995",
         "ontvanger": "zorgorganisaties-overig", "taak": "basishulp", "grondslag": "subsidiebeschikking-overig-2018"},
        {"id": "doorbetaling-cooperatie", "soort": "doorbetaling", "betaler": "zorgorganisaties-leden",
         "ontvanger": "jgt-cooperatie", "geeft door": "subsidie-leden-cooperatie"},
        {"id": "beschikkingen-jgt-cooperatie", "soort": "financiering per beschikking", "betaler": "gm:gm0995",
         "ontvanger": "jgt-cooperatie", "taak": "verlenen van jeugdhulp",
         "grondslag": "samenwerkingsovereenkomst-2018"},
    ],
    "verantwoording": [
        {"id": "verantwoording-leden-aan-directie", "verantwoordende partij": "zorgorganisaties-leden",
         "verantwoording aan": "directie-cooperatie", "over geldstroom": "subsidie-leden-cooperatie"},
        {"id": "verantwoording-directie-aan-gemeente", "verantwoordende partij": "directie-cooperatie",
         "verantwoording aan": "gm:gm0995", "over geldstroom": "subsidie-leden-cooperatie"},
        {"id": "verantwoording-overig-cooperatie", "verantwoordende partij": "zorgorganisaties-overig",
         "verantwoording aan": "gm:gm0995", "over geldstroom": "subsidie-overig-cooperatie"},
    ],
    "lidmaatschappen": [
        {"id": "lidmaatschap-leden", "soort": "lidmaatschap coöperatie", "lid": "zorgorganisaties-leden",
         "organisatie": "jgt-cooperatie"},
    ],
}
DATE_HEADERS = ("begin", "einde", "datum")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Sheets whose rows all belong to the cooperative phase and hold during it (L 2.2).
PHASE_SHEETS = ("rollen", "mandaten", "afspraken", "geldstromen", "verantwoording", "lidmaatschappen")


def cooperative_rows() -> dict[str, list[dict[str, str]]]:
    """The cooperative phase, with the setup and its period filled in on each phase row."""
    rows = {sheet: [dict(row) for row in sheet_rows] for sheet, sheet_rows in COOPERATIVE.items()}
    for sheet in PHASE_SHEETS:
        for row in rows[sheet]:
            row.setdefault("inrichting", "lelystad-cooperatie")
            row.setdefault("begin", "2018-01-01")
            row.setdefault("einde", "2021-06-30")
    for sheet in ("besluiten", "doelen"):
        for row in rows[sheet]:
            row.setdefault("inrichting", "lelystad-cooperatie")
    return rows


def fill(book: Workbook, sheet_name: str, row: dict[str, object]) -> int:
    """Type one row below the last filled one, each value in the column under its header; its row number."""
    sheet = book[sheet_name]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    number = 3  # below the Dutch and the English header row
    while any(sheet.cell(row=number, column=c).value is not None for c in headers.values()):
        number += 1
    for header, value in row.items():
        if header not in headers:
            raise KeyError(f"the template's sheet {sheet_name} has no column {header!r}: {sorted(headers)}")
        if header in DATE_HEADERS and isinstance(value, str) and ISO_DATE.match(value):
            value = date.fromisoformat(value)  # a spreadsheet turns a typed date into a date cell
        sheet.cell(row=number, column=headers[header], value=value)
    return number


def set_about(book: Workbook, key: str, value: object) -> None:
    sheet = book["werkboek"]
    for cells in sheet.iter_rows():
        if cells[0].value == key:
            cells[1].value = value
            return
    sheet.append([key, value])


def filled_template(path: Path, rows: dict[str, list[dict[str, object]]],
                    base: str = "https://w3id.org/jeugdgov/id/lelystad/") -> Path:
    """The template written by jeugdgov, filled with the rows and saved at ``path``."""
    path.write_bytes(_template())
    book = load_workbook(path)
    set_about(book, "basis-IRI", base)
    for sheet_name, sheet_rows in rows.items():
        for row in sheet_rows:
            fill(book, sheet_name, row)
    book.save(path)
    return path


@cache
def _template() -> bytes:
    """The Dutch template as jeugdgov writes it, written once per test run."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path)
        return path.read_bytes()


def write_ods(path: Path, sheets: dict[str, list[tuple[object, ...]]]) -> Path:
    """A minimal OpenDocument spreadsheet with these cell values (strings, numbers, dates, booleans)."""
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, bool):
            return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        if isinstance(value, (date, datetime)):
            day = (value.date() if isinstance(value, datetime) else value).isoformat()
            return (f'<table:table-cell office:value-type="date" office:date-value="{day}">'
                    f"<text:p>{day}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>" for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path
