"""What the command line tells a person beside its output, in Dutch (the default) and English."""

from __future__ import annotations

from collections.abc import Sequence

MESSAGES: dict[str, dict[str, str]] = {
    "error": {"nl": "fout", "en": "error"},
    "hint": {"nl": "tip", "en": "hint"},
    "note": {"nl": "let op: {text}", "en": "note: {text}"},
    "wrote": {"nl": "{out} geschreven", "en": "wrote {out}"},
    "wrote_picture": {"nl": "{out} geschreven ({kind} van {setup})", "en": "wrote {out} ({kind} of {setup})"},
    "wrote_report": {"nl": "{out} geschreven ({count} inrichting(en))", "en": "wrote {out} ({count} setup(s))"},
    "wrote_template": {"nl": "het sjabloon is geschreven naar {out}", "en": "wrote the template to {out}"},
    "wrote_framework": {"nl": "het normenkader van de catalogus is geschreven naar {out}",
                        "en": "wrote the catalogue's norm framework to {out}"},
    "not_installed": {"nl": "(niet geïnstalleerd)", "en": "(not installed)"},
    "not_kept": {"nl": "let op: {count} {what} worden niet in het werkboek bewaard",
                 "en": "note: {count} {what} are not kept in the workbook"},
    "norms_not_converted": {"nl": "let op: de {count} normen op het blad 'normen' worden niet omgezet: een "
                                  "normenkader is geen feit van een inrichting (geef het werkboek zelf aan "
                                  "validate --norms)",
                            "en": "note: the {count} norms on the sheet 'norms' are not converted: a norm framework "
                                  "holds no facts of a setup (give the workbook itself to validate --norms)"},
    "loaded": {"nl": "{count} quads geladen in {store}; de store bevat {quads} quads in {graphs} benoemde grafen",
               "en": "loaded {count} quads into {store}; it holds {quads} quads in {graphs} named graphs"},
    "sent": {"nl": "{triples} triples verstuurd in {setups} grafen van inrichtingen en {others} grafen van "
                   "gedeelde triples, ontologie en indeling naar {to}",
             "en": "sent {triples} triples in {setups} setup graphs and {others} graphs of shared triples, "
                   "ontology and layout to {to}"},
    "generated": {"nl": "{triples} triples in {setups} inrichtingen in {folder}; {planted} geplante bevindingen in "
                        "{file}",
                  "en": "{triples} triples in {setups} setups under {folder}; {planted} planted findings in {file}"},
    "reachable": {"nl": "[yellow]waarschuwing:[/yellow] luistert op {host}: het endpoint is bereikbaar vanaf "
                        "andere machines",
                  "en": "[yellow]warning:[/yellow] listening on {host}: the endpoint is reachable from other "
                        "machines"},
    "watching": {"nl": "{time} {path} gevalideerd in {seconds} s; wacht op de volgende keer opslaan (Ctrl-C stopt)",
                 "en": "{time} validated {path} in {seconds} s; watching for the next save (Ctrl-C stops)"},
    "terminated": {"nl": "beëindigd: er is niets geschreven (geen rapport, geen halve uitvoer)",
                   "en": "terminated: nothing was written (no report, no partial output)"},
    "interrupted": {"nl": "onderbroken: er is niets geschreven (geen rapport, geen halve uitvoer)",
                    "en": "interrupted: nothing was written (no report, no partial output)"},
}
#: What a workbook conversion may leave out, in words.
DROPPED = {"labels of periods": {"nl": "namen van perioden", "en": "labels of periods"}}


#: The steps a progress line shows, in Dutch: the English words a step begins with.
PROGRESS = {"validating": "valideert", "validated": "gevalideerd:", "checking the store on": "controleert de store op",
            "reading": "leest", "writing": "schrijft", "scoring the norms": "scoort de normen",
            "drawing": "tekent", "generating": "genereert"}


def progress_step(step: str, lang: str) -> str:
    """A step of a progress line (``validating lelystad-netwerk``) in a language."""
    if lang != "nl":
        return step
    for english in sorted(PROGRESS, key=len, reverse=True):
        if step == english or step.startswith(english + " "):
            return PROGRESS[english] + step[len(english):]
    return step


def say(key: str, lang: str, **fields: object) -> str:
    """A message in a language (Dutch for a language it does not know), its fields filled in."""
    templates = MESSAGES[key]
    return templates.get(lang, templates["nl"]).format(**fields)


def language_of(arguments: Sequence[str]) -> str:
    """The language a command line asks for (--lang/-l; the last one counts, as for click),
    Dutch when it names none or one jeugdgov does not speak: what an error found before the
    options are read is written in."""
    named = "nl"
    for index, argument in enumerate(arguments):
        if argument.startswith("--lang="):
            named = argument.split("=", 1)[1]
        elif argument in ("--lang", "-l") and index + 1 < len(arguments):
            named = arguments[index + 1]
    return named if named in ("nl", "en") else "nl"
