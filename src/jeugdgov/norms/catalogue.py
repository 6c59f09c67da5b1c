"""The catalogue's own norm framework, and writing a framework's rows as a workbook, CSV or YAML.

Every defect of the catalogue becomes a ``defect`` norm ("no dual role"), grouped under a
research question per group of defects, with its severity, basis and sources: a ready-made
framework that an auditor copies, cuts down and adds norms of their own to.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import yaml
from rdflib import RDFS, SH, URIRef

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import COLUMNS, HEADERS, short_name
from jeugdgov.resources import JG, ontology, shapes
from jeugdgov.validation.catalogue import defect_label, defects, in_group
from jeugdgov.validation.findings import SEVERITIES
from jeugdgov.viz.static import atomic_write
from jeugdgov.workbook.tables import NORM_SHEETS

#: A research question per group of the catalogue, in the order a report asks them.
QUESTIONS = {
    "roles": {"nl": "Zijn de rollen in de jeugdzorg gescheiden?", "en": "Are the roles in youth care kept apart?"},
    "mandates": {"nl": "Berusten besluiten op een geldig mandaat of een geldige delegatie?",
                 "en": "Do decisions rest on a valid mandate or delegation?"},
    "money": {"nl": "Loopt het geld rechtmatig en langs de lijn van de verantwoording?",
              "en": "Does the money flow lawfully and along the line of accountability?"},
    "steering": {"nl": "Kan de gemeente sturen op de uitvoering?",
                 "en": "Can the municipality steer what is delivered?"},
}
NO = {"nl": "Het gebrek '{label}' doet zich niet voor.", "en": "The defect '{label}' does not occur."}


def catalogue_rows(lang: str = "nl") -> list[dict[str, str]]:
    """The catalogue's framework: one ``defect`` norm per defect, as rows keyed by column key."""
    found = []
    for group, question in QUESTIONS.items():
        for defect in (d for d in defects() if in_group(d, group)):
            shape = next((s for s, c in shapes().subject_objects(JG.detects) if str(c).endswith("/" + defect)), None)
            basis = sorted(str(b) for b in shapes().objects(shape, RDFS.seeAlso)) if shape is not None else []
            severity = SEVERITIES.get(shapes().value(shape, SH.severity), "Warning")
            found.append({
                "id": defect, "norm_nl": NO["nl"].format(label=defect_label(defect, "nl")),
                "norm_en": NO["en"].format(label=defect_label(defect, "en")), "question": question[lang],
                "severity": severity, "source": "; ".join(_label(b, lang) for b in basis),
                "basis": " ".join(short_name(b) for b in basis), "pattern": "defect", "defect": defect,
            })
    return found


def write_framework(out: Path, lang: str = "nl") -> None:
    """The catalogue's framework as a workbook (.xlsx), a CSV file or YAML, by the suffix of ``out``."""
    write_rows(catalogue_rows(lang), out, lang)


def write_rows(rows: Sequence[dict[str, str]], out: Path, lang: str = "nl") -> None:
    """Norm rows (keyed by column key) as a sheet ``normen`` (.xlsx), a CSV file or YAML."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".yaml", ".yml"):
        raise InputError(f"a norm framework is written as .xlsx, .csv or .yaml, not '{out.suffix or out.name}'",
                         file=out, hint="end the file name in .xlsx, .csv or .yaml")
    if out.is_dir() or not out.parent.is_dir():
        where = "a folder has this name" if out.is_dir() else "the folder does not exist"
        raise InputError(f"cannot write here: {where}", file=out, hint="give a file in an existing folder")
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
    else:
        document = {"norms": [{k: v for k, v in row.items() if v} for row in rows]}
        text_yaml = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
        atomic_write(out, lambda path: path.write_text(text_yaml, encoding="utf-8"))


def _xlsx(headers: list[str], table: list[list[str]], path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = NORM_SHEETS[0] if lang == "nl" else NORM_SHEETS[1]
    sheet.append(headers)
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(60, max(10, *(len(str(c.value or "")) for c in column)))
        for cell in column[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    book.save(path)


def _label(iri: str, lang: str) -> str:
    labels = {getattr(o, "language", None): str(o) for o in ontology().objects(URIRef(iri), RDFS.label)}
    return labels.get(lang) or next(iter(labels.values()), iri)
