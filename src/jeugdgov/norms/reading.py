"""Reading a norm framework's rows: the sheet ``normen`` (or ``norms``) of a workbook (.xlsx,
.ods, a folder of CSV files), a CSV file, YAML (a mapping per norm, keyed by column key) or
Turtle (a ``jg:Norm`` per norm, the columns as properties). :mod:`jeugdgov.norms.framework`
checks them.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import (
    HEADERS,
    TURTLE,
    Framework,
    Row,
    cell_text,
    framework_from_rows,
    rows_from_mappings,
    short_name,
)
from jeugdgov.resources import JG
from jeugdgov.workbook.tables import (
    NORM_SHEETS,
    CellError,
    Table,
    column_letter,
    csv_rows,
    is_workbook,
    read_tables,
)


def read_framework(path: str | Path) -> Framework:
    """The framework in a workbook (its sheet ``normen`` or ``norms``), a CSV, YAML or Turtle file.

    Raises an InputError listing every bad row, each with where it is and how to fix it."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", file=path,
                         hint="write one with: jeugdgov template --norms --out normen.xlsx",
                         nl=("bestand of map bestaat niet", "schrijf er een met: jeugdgov template --norms --out "
                             "normen.xlsx"))
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    elif suffix in (".ttl", ".turtle"):
        rows = _turtle_rows(path)
    elif suffix == ".csv":
        rows = _table_rows(Table(path.stem, csv_rows(path)), path)
    elif is_workbook(path) or path.is_dir():
        tables = [t for t in read_tables(path) if t.name.strip().lower() in NORM_SHEETS]
        if not tables:
            raise InputError(f"no sheet '{NORM_SHEETS[0]}' (or '{NORM_SHEETS[1]}') with norms", file=path,
                             hint="add the sheet: jeugdgov template --norms --out normen.xlsx writes one to copy",
                             nl=(f"geen blad '{NORM_SHEETS[0]}' met normen", "voeg het blad toe: jeugdgov template "
                                 "--norms --out normen.xlsx schrijft er een om over te nemen"))
        rows = _table_rows(tables[0], path)
    else:
        raise InputError(f"a norm framework is a workbook (.xlsx, .ods), a CSV, YAML or Turtle file, not '{suffix}'",
                         file=path, hint="write one with: jeugdgov template --norms --out normen.xlsx",
                         nl=(f"een normenkader is een werkboek (.xlsx, .ods), een CSV-, YAML- of Turtle-bestand, "
                             f"geen '{suffix}'", "schrijf er een met: jeugdgov template --norms --out normen.xlsx"))
    return framework_from_rows(rows, path)


def norms_in_workbook(path: Path) -> int:
    """How many rows a workbook's sheet of norms holds under its header (0 without one): what
    ``jeugdgov convert`` says it leaves behind, as a setup's facts are all it converts."""
    tables = [t for t in read_tables(path) if t.name.strip().lower() in NORM_SHEETS]
    return sum(1 for table in tables for row in table.rows[1:] if any(cell not in (None, "") for cell in row))


def _table_rows(table: Table, file: Path) -> list[Row]:
    if not table.rows:
        return []
    known = {header.lower(): key for lang in HEADERS for key, header in HEADERS[lang].items()}
    header = table.rows[0]
    positions: dict[str, int] = {}
    problems: list[tuple[str, str]] = []  # (English, Dutch)
    for index, cell in enumerate(header):
        title = str(cell).strip() if cell not in (None, "") else ""
        if not title:
            continue
        key = known.get(title.lower())
        if key is None:
            close = difflib.get_close_matches(title.lower(), list(known), n=1, cutoff=0.6)
            headers = ", ".join(HEADERS["nl"].values())
            problems.append((f"sheet '{table.name}', row 1, column {column_letter(index)}: '{title}' is not a "
                             "column of a norm framework — fix: " + (f"did you mean '{close[0]}'? " if close else "")
                             + f"the columns are: {headers}",
                             f"blad '{table.name}', rij 1, kolom {column_letter(index)}: '{title}' is geen kolom "
                             "van een normenkader — oplossing: " + (f"bedoelt u '{close[0]}'? " if close else "")
                             + f"de kolommen zijn: {headers}"))
        elif key in positions:
            problems.append((f"sheet '{table.name}', row 1, column {column_letter(index)}: the column '{title}' "
                             "appears twice — fix: keep one of them",
                             f"blad '{table.name}', rij 1, kolom {column_letter(index)}: de kolom '{title}' staat er "
                             "twee keer — oplossing: houd er één"))
        else:
            positions[key] = index
    if "id" not in positions and not problems:
        problems.append((f"sheet '{table.name}', row 1: no column 'id' — fix: start from the header row that "
                         "jeugdgov template --norms writes",
                         f"blad '{table.name}', rij 1: geen kolom 'id' — oplossing: begin met de kopregel die "
                         "jeugdgov template --norms schrijft"))
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the norm framework's header:\n  - "
                         + "\n  - ".join(en for en, _nl in problems),
                         file=file, hint="copy the header row of jeugdgov template --norms",
                         nl=(f"{len(problems)} {'probleem' if len(problems) == 1 else 'problemen'} in de kopregel "
                             "van het normenkader:\n  - "
                             + "\n  - ".join(nl for _en, nl in problems),
                             "neem de kopregel van jeugdgov template --norms over"))
    columns = {key: f"column '{table.rows[0][i]}' ({column_letter(i)})" for key, i in positions.items()}
    rows = []
    for number, cells in enumerate(table.rows[1:], start=2):
        values: dict[str, str] = {}
        for key, index in positions.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, CellError):
                value = f"#ERROR {value.shown}"
            text = cell_text(value)
            if text:
                values[key] = text
        if values:
            rows.append(Row(values, f"sheet '{table.name}', row {number}", columns))
    return rows


def _yaml_rows(path: Path) -> list[Row]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError(f"not valid YAML: {error}", file=path,
                         hint="see docs/norm-frameworks.md for a framework in YAML",
                         nl=(f"geen geldige YAML: {error}",
                             "zie docs/norm-frameworks.md voor een normenkader in YAML")) from None
    norms = loaded.get("norms") if isinstance(loaded, dict) else loaded
    if not isinstance(norms, list) or not all(isinstance(item, dict) for item in norms):
        raise InputError("the YAML holds no list of norms", file=path,
                         hint="write 'norms:' followed by one '- id: ...' mapping per norm",
                         nl=("de YAML bevat geen lijst van normen",
                             "schrijf 'norms:' gevolgd door één '- id: ...'-mapping per norm"))
    return rows_from_mappings(norms)


def _turtle_rows(path: Path) -> list[Row]:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises parser errors of several kinds
        raise InputError(f"not valid Turtle: {' '.join(str(error).split())[:300]}", file=path,
                         hint="see docs/norm-frameworks.md for a framework in Turtle",
                         nl=(f"geen geldige Turtle: {' '.join(str(error).split())[:300]}",
                             "zie docs/norm-frameworks.md voor een normenkader in Turtle")) from None
    keys: dict[Node, str] = {predicate: key for key, predicate in TURTLE.items()}
    rows = []
    for node in sorted(graph.subjects(RDF.type, JG.Norm), key=lambda n: str(graph.value(n, JG.normId) or n)):
        cells: dict[str, list[str]] = {}
        unknown = []
        for predicate, value in graph.predicate_objects(node):
            if predicate == RDFS.label:
                lang = getattr(value, "language", None) or "nl"
                cells.setdefault(f"norm_{lang}", []).append(str(value))
            elif predicate in keys:
                written = f"<{value}>" if isinstance(value, URIRef) else str(value)
                cells.setdefault(keys[predicate], []).append(written)
            elif predicate != RDF.type:
                unknown.append(short_name(str(predicate)))
        row = Row({k: " ".join(sorted(v)) for k, v in cells.items()}, f"norm {short_name(str(node))}",
                  {k: f"property {short_name(str(p))}" for k, p in TURTLE.items()}
                  | {"norm_nl": "property rdfs:label@nl", "norm_en": "property rdfs:label@en"})
        if unknown:
            listed = ", ".join(sorted(unknown))
            row.cells["_bad"] = f"unknown properties {listed}\nonbekende eigenschappen {listed}"  # English, Dutch
        rows.append(row)
    if not rows:
        raise InputError("the Turtle file holds no jg:Norm", file=path,
                         hint="describe each norm as [] a jg:Norm ; jg:normId \"N1\" ; ... (docs/norm-frameworks.md)",
                         nl=("het Turtle-bestand bevat geen jg:Norm", "beschrijf elke norm als [] a jg:Norm ; "
                             "jg:normId \"N1\" ; ... (docs/norm-frameworks.md)"))
    return rows
