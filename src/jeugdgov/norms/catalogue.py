"""The catalogue's own norm framework, for ``jeugdgov template --norms``.

Every defect of the catalogue becomes a ``defect`` norm ("no dual role"), grouped under a
research question per group of defects, with its severity, basis and sources: a ready-made
framework that an auditor copies, cuts down and adds norms of their own to.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, SH, URIRef

from jeugdgov.norms.framework import short_name
from jeugdgov.norms.writing import write_rows
from jeugdgov.resources import JG, ontology, shapes
from jeugdgov.validation.catalogue import defect_label, defects, in_group
from jeugdgov.validation.findings import SEVERITIES

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
            severity_term = shapes().value(shape, SH.severity) if shape is not None else None
            severity = SEVERITIES.get(severity_term, "Warning") if severity_term is not None else "Warning"
            found.append({
                "id": defect, "norm_nl": NO["nl"].format(label=defect_label(defect, "nl")),
                "norm_en": NO["en"].format(label=defect_label(defect, "en")), "question": question[lang],
                "severity": severity, "source": "; ".join(_label(b, lang) for b in basis),
                "basis": " ".join(short_name(b) for b in basis), "pattern": "defect", "defect": defect,
            })
    return found


def write_framework(out: Path, lang: str = "nl") -> None:
    """The catalogue's framework as a workbook (.xlsx), CSV, YAML or Turtle, by the suffix of ``out``."""
    write_rows(catalogue_rows(lang), out, lang)


def _label(iri: str, lang: str) -> str:
    labels = {getattr(o, "language", None): str(o) for o in ontology().objects(URIRef(iri), RDFS.label)}
    return labels.get(lang) or next(iter(labels.values()), iri)
