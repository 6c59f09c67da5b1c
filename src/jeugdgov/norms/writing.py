"""Writing a framework's rows: a sheet ``normen`` of a workbook (.xlsx), CSV, YAML or Turtle,
the forms :mod:`jeugdgov.norms.reading` reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import COLUMNS, HEADERS, PREFIXES, TURTLE, expand
from jeugdgov.norms.patterns import NORM
from jeugdgov.output import atomic_write
from jeugdgov.resources import JG
from jeugdgov.workbook.tables import NORM_SHEETS

#: The columns whose cells are IRIs (a value may be a literal too).
IRI_KEYS = ("basis", "role_a", "role_b", "class", "value")


def write_rows(rows: Sequence[dict[str, str]], out: Path, lang: str = "nl") -> None:
    """Norm rows (keyed by column key) as a sheet ``normen`` (.xlsx), CSV, YAML or Turtle, by the
    suffix of ``out``."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".yaml", ".yml", ".ttl"):
        raise InputError(f"a norm framework is written as .xlsx, .csv, .yaml or .ttl, not '{out.suffix or out.name}'",
                         file=out, hint="end the file name in .xlsx, .csv, .yaml or .ttl",
                         nl=(f"een normenkader wordt geschreven als .xlsx, .csv, .yaml of .ttl, niet "
                             f"'{out.suffix or out.name}'",
                             "laat de bestandsnaam eindigen op .xlsx, .csv, .yaml of .ttl"))
    if out.is_dir() or not out.parent.is_dir():
        where = "a folder has this name" if out.is_dir() else "the folder does not exist"
        raise InputError(f"cannot write here: {where}", file=out, hint="give a file in an existing folder",
                         nl=("hier is niet te schrijven: "
                             + ("er is een map met deze naam" if out.is_dir() else "de map bestaat niet"),
                             "geef een bestand in een bestaande map"))
    headers = [HEADERS[lang][key] for key, _nl, _en in COLUMNS]
    table = [[row.get(key, "") for key, _nl, _en in COLUMNS] for row in rows]
    if suffix == ".xlsx":
        atomic_write(out, lambda path: _xlsx(headers, table, path, lang))
    elif suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(table)
        atomic_write(out, lambda path: path.write_text(text.getvalue(), encoding="utf-8"))
    elif suffix == ".ttl":
        turtle = as_turtle(rows)
        atomic_write(out, lambda path: path.write_text(turtle, encoding="utf-8"))
    else:
        document = {"norms": [{k: v for k, v in row.items() if v} for row in rows]}
        text_yaml = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
        atomic_write(out, lambda path: path.write_text(text_yaml, encoding="utf-8"))


def as_turtle(rows: Sequence[dict[str, str]]) -> str:
    """Norm rows as Turtle: a jg:Norm each, the columns as the properties of ``TURTLE``."""
    graph = Graph()
    graph.bind("jg", JG)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for row in rows:
        node = URIRef(NORM + row["id"])
        graph.add((node, RDF.type, JG.Norm))
        for lang in ("nl", "en"):
            if row.get(f"norm_{lang}"):
                graph.add((node, RDFS.label, Literal(row[f"norm_{lang}"], lang=lang)))
        for key, predicate in TURTLE.items():
            text = row.get(key, "")
            terms = text.split() if key in IRI_KEYS else [text]
            for term in filter(None, terms):
                iri = expand(term) if key in IRI_KEYS else None
                graph.add((node, predicate, URIRef(iri) if iri else Literal(term)))
    return graph.serialize(format="turtle")


def _xlsx(headers: list[str], table: list[list[str]], path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook holds one worksheet
    sheet.title = NORM_SHEETS[0] if lang == "nl" else NORM_SHEETS[1]
    sheet.append(headers)
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(60, max(10, *(len(str(c.value or "")) for c in column)))
        for cell in column[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()  # in memory first: a zip file that fails half-way complains again
    book.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
