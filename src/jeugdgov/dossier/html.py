"""Rendering a report as one self-contained HTML file: CSS inline, pictures as inline SVG, no
script and no link that loads anything when the file is opened.

The page is rendered by a Jinja2 template (``templates/report.html.j2``) with autoescaping on,
so that labels and messages from the data can never become markup. Only the SVG pictures,
which matplotlib writes with their text escaped, are inserted as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from jeugdgov.display import SEVERITY_COLOURS
from jeugdgov.dossier.comparison import STATUS_LABELS, STATUSES, chronological
from jeugdgov.dossier.content import build
from jeugdgov.errors import InputError
from jeugdgov.norms.scoring import SCORE_LABELS, NormTable
from jeugdgov.output import atomic_write
from jeugdgov.validation.catalogue import defect_label
from jeugdgov.validation.findings import EVIDENCE, Report, finding_numbers
from jeugdgov.words import SEVERITY_WORDS, evidence_word

#: The words of the page, in each language.
TEXT = {
    "nl": {
        "title": "Rapport governance jeugdzorg", "contents": "Inhoud", "summary": "Samenvatting",
        "period": "Periode", "as_of": "Peildatum",
        "sources": "Bronnen", "severity": "Ernst", "evidence": "Bewijs", "count": "Aantal",
        "findings": "Bevindingen", "no_findings": "Geen gebreken gevonden.", "basis": "Grondslag", "seen_in": "Zie ook",
        "parties": "Betrokken partijen", "facts": "Feiten", "fact_sources": "Bronnen van de feiten",
        "no_sources": "geen bron vastgelegd", "to_verify": "Te verifiëren",
        "to_verify_intro": "Deze bevindingen steunen op een feit dat de gegevens niet vastleggen: een vraag om "
                           "na te gaan, geen oordeel.",
        "nothing_to_verify": "Geen open vragen.", "alleged": "Beweringen",
        "alleged_intro": "Deze bevindingen steunen op een bewering van een partij, niet op vastgestelde feiten.",
        "claim": "Bewering", "data_quality": "Kwaliteit van de gegevens",
        "data_quality_intro": "Gebreken in de beschrijving zelf: een controle op onvolledige gegevens bewijst "
                              "niets, dus deze gaan voor.",
        "pictures": "Beelden", "phases": "Vergelijking van de fasen",
        "phases_intro": "Per gebrek: nieuw in de latere fase, blijft, of verdwenen.",
        "from_to": "Van {a} naar {b}", "defect": "Gebrek", "change": "Verandering", "before": "eerder",
        "after": "later", "question": "Vast te leggen",
        "norm_table": "Normentabel", "norm": "Norm", "see_findings": "Zie de bevindingen bij dit gebrek",
        "norm_intro": "Per norm en inrichting: voldaan, deels voldaan (sommige knopen voldoen, andere niet; of "
                      "alleen beweringen), niet voldaan, of niet te beoordelen (een feit ontbreekt, of er is niets "
                      "om te toetsen). Elke cel verwijst naar wat zij vaststelt.",
        "generated": "Gemaakt met jeugdgov. Bevindingen zijn genummerd per inrichting; dezelfde nummers staan in "
                     "de beelden.",
    },
    "en": {
        "title": "Youth-care governance report", "contents": "Contents", "summary": "Summary",
        "period": "Period", "as_of": "Reference date",
        "sources": "Sources", "severity": "Severity", "evidence": "Evidence", "count": "Count",
        "findings": "Findings", "no_findings": "No defects found.", "basis": "Basis", "seen_in": "Seen in",
        "parties": "Parties involved", "facts": "Facts", "fact_sources": "Sources of the facts",
        "no_sources": "no source recorded", "to_verify": "To verify",
        "to_verify_intro": "These findings rest on a fact the data do not record: a question to check, "
                           "not a verdict.",
        "nothing_to_verify": "No open questions.", "alleged": "Claims",
        "alleged_intro": "These findings rest on a claim of a party, not on established facts.",
        "claim": "Claim", "data_quality": "Data quality",
        "data_quality_intro": "Defects in the description itself: a check on incomplete data proves nothing, "
                              "so these come first.",
        "pictures": "Pictures", "phases": "Comparison of the phases",
        "phases_intro": "Per defect: new in the later phase, persists, or gone.",
        "from_to": "From {a} to {b}", "defect": "Defect", "change": "Change", "before": "before",
        "after": "after", "question": "To record",
        "norm_table": "Norm table", "norm": "Norm", "see_findings": "See the findings of this defect",
        "norm_intro": "Per norm and setup: met, partly met (some nodes meet it, others do not; or only claims), "
                      "not met, or not assessable (a fact is missing, or there is nothing to assess). Each cell "
                      "links to what it rests on.",
        "generated": "Made with jeugdgov. Findings are numbered per setup; the pictures use the same numbers.",
    },
}


#: A picture on the page: its title, and its SVG inlined as it is.
Picture = tuple[str, str]


def render(reports: Sequence[Report], lang: str = "nl", norms: NormTable | None = None,
           pictures: Mapping[str, Sequence[Picture]] | None = None) -> str:
    """The report on these validation reports as an HTML page (a string); with ``norms``, the
    norm table comes first; ``pictures`` are each setup's pictures by setup name, as
    :func:`jeugdgov.viz.inline.pictures_of` draws them."""
    if lang not in TEXT:
        raise InputError(f"unknown language '{lang}'", hint=f"choose from: {', '.join(TEXT)}",
                         nl=(f"onbekende taal '{lang}'", f"kies uit: {', '.join(TEXT)}"))
    reports = chronological(reports)
    document = build(reports, lang)
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document, t=TEXT[lang], lang=lang,
        pictures={r.setup.name: [(title, Markup(svg)) for title, svg in (pictures or {}).get(r.setup.name, ())]
                  for r in reports},
        severity_words={s: SEVERITY_WORDS[s][lang] for s in SEVERITY_WORDS},
        severity_colours=SEVERITY_COLOURS,
        evidence=EVIDENCE, evidence_words={e: evidence_word(e, lang) for e in EVIDENCE},
        statuses=STATUSES, status_words={s: STATUS_LABELS[s][lang] for s in STATUSES},
        defect_name=lambda defect: defect_label(defect, lang),
        norms=norms, score_words={s: SCORE_LABELS[s][lang] for s in SCORE_LABELS},
        defect_anchors={r.setup.name: {d: f"defect-{n}-{d}" for d, n in finding_numbers(r.findings).items()}
                        for r in reports},
    )


def write(reports: Sequence[Report], out: str | Path, lang: str = "nl", norms: NormTable | None = None,
          pictures: Mapping[str, Sequence[Picture]] | None = None) -> Path:
    """Write the report to ``out`` atomically: a failure leaves no half-written file."""
    out = Path(out)
    check_output(out)
    page = render(reports, lang, norms, pictures)
    atomic_write(out, lambda path: path.write_text(page, encoding="utf-8"))
    return out


def check_output(out: Path) -> None:
    """An InputError when the report cannot be written to ``out``, before any work is done."""
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"the report is HTML, not '{out.suffix or out.name}'", file=out,
                         hint="end the file name in .html",
                         nl=(f"het rapport is HTML, niet '{out.suffix or out.name}'",
                             "laat de bestandsnaam eindigen op .html"))
    if out.is_dir():
        raise InputError("--out is a folder", file=out, hint="give the path of the .html file to write",
                         nl=("--out is een map", "geef het pad van het .html-bestand dat geschreven moet worden"))
    if not out.parent.exists():
        raise InputError("the output folder does not exist", file=out, hint="create the folder first",
                         nl=("de uitvoermap bestaat niet", "maak de map eerst aan"))


def _environment() -> Environment:
    return Environment(loader=PackageLoader("jeugdgov.dossier", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
