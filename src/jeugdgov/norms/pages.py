"""A page per norm of a framework, as ``jeugdgov explain ID --norms FILE`` prints it: the norm,
where it comes from, how its pattern checks it, what makes it met or not, what absence it reads,
and the SHACL shape it compiles to (a ``defect`` norm points at the catalogue's rule page)."""

from __future__ import annotations

from rdflib import Graph

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import COLUMNS, Framework, Norm, in_dutch, short_name
from jeugdgov.norms.patterns import PER_NODE, absence_read, compile_framework, shape_of
from jeugdgov.norms.scoring import SCORE_LABELS
from jeugdgov.resources import JG
from jeugdgov.words import severity_word

#: What each pattern checks, in a sentence, by language.
CHECKS = {
    "required-fact": {"en": "every node of the class (meeting the condition) has the property or path, with the "
                            "value if one is given",
                      "nl": "elke knoop van de klasse (die aan de voorwaarde voldoet) heeft de eigenschap of het "
                            "pad, met de waarde als die gegeven is"},
    "forbidden-roles": {"en": "no party holds role A and role B for the same task in overlapping periods, itself or "
                              "through an organisation it belongs to",
                        "nl": "geen partij heeft rol A en rol B voor dezelfde taak in overlappende perioden, zelf of "
                              "via een organisatie waartoe zij behoort"},
    "threshold": {"en": "every node of the class has at least the minimum of values of the path (per year of its own "
                        "period, or as a share of the class's nodes, where the minimum says so)",
                  "nl": "elke knoop van de klasse heeft ten minste het minimum aan waarden van het pad (per jaar van "
                        "zijn eigen periode, of als aandeel van de knopen van de klasse, waar het minimum dat zegt)"},
    "path-exists": {"en": "from every node of the class the path reaches the value (a class or a node), or any node",
                    "nl": "vanuit elke knoop van de klasse bereikt het pad de waarde (een klasse of een knoop), of "
                          "een willekeurige knoop"},
    "path-absent": {"en": "from no node of the class the path reaches the value (a class or a node), or any node",
                    "nl": "vanuit geen enkele knoop van de klasse bereikt het pad de waarde (een klasse of een "
                          "knoop), of een willekeurige knoop"},
    "defect": {"en": "the catalogue finds no such defect", "nl": "de catalogus vindt dit gebrek niet"},
    "sparql": {"en": "the query selects none of the class's nodes", "nl": "de query kiest geen van de knopen van "
                                                                        "de klasse"},
}
#: The words of a norm page, by language.
WORDS = {
    "en": {"question": "Research question", "severity": "Severity", "source": "Source", "basis": "Basis",
           "written": "Written in", "checks": "What it checks", "pattern": "Pattern", "scores": "Scores",
           "catalogue": "The catalogue's shapes decide it: `jeugdgov explain {defect}` prints that rule.",
           "shape": "The SHACL shape it compiles to", "per_year": " per year",
           "met": "no finding, and the setup holds something the norm is about.",
           "partly": "some nodes fail on established facts while others meet it; or ",
           "claims": "only findings that rest on a party's claim.",
           "not_met": "established findings", "no_node": ", and no node meets it.",
           "not_assessable": "a fact the norm needs is not recorded, or the setup holds nothing the norm is about.",
           "absence": "It reads the absence of `{name}`: record it, or record that there is none (`jg:noValue "
                      "{name}`, which makes a finding established); left out, the norm is not assessable on that "
                      "node."},
    "nl": {"question": "Onderzoeksvraag", "severity": "Ernst", "source": "Bron", "basis": "Grondslag",
           "written": "Geschreven in", "checks": "Wat de norm toetst", "pattern": "Patroon", "scores": "Scores",
           "catalogue": "De shapes van de catalogus beslissen: `jeugdgov explain {defect}` toont die regel.",
           "shape": "De SHACL-shape waarin de norm wordt vertaald", "per_year": " per jaar",
           "met": "geen bevinding, en de inrichting bevat iets waarover de norm gaat.",
           "partly": "sommige knopen falen op vastgestelde feiten terwijl andere voldoen; of ",
           "claims": "alleen bevindingen die op een bewering van een partij steunen.",
           "not_met": "vastgestelde bevindingen", "no_node": ", en geen knoop voldoet.",
           "not_assessable": "een feit dat de norm nodig heeft is niet vastgelegd, of de inrichting bevat niets "
                             "waarover de norm gaat.",
           "absence": "De norm leest het ontbreken van `{name}`: leg het vast, of leg vast dat er geen is "
                      "(`jg:noValue {name}`, wat een bevinding vastgesteld maakt); weggelaten is de norm op die "
                      "knoop niet te beoordelen."},
}


def norm_page(framework: Framework, norm_id: str, lang: str = "en") -> str:
    """The Markdown page of one norm of the framework, in a language."""
    norm = next((n for n in framework.norms if n.id == norm_id), None)
    if norm is None:
        raise InputError(f"the norm framework has no norm '{norm_id}'", file=framework.source,
                         hint=f"choose from: {', '.join(n.id for n in framework.norms)}",
                         nl=(f"het normenkader heeft geen norm '{norm_id}'",
                             f"kies uit: {', '.join(n.id for n in framework.norms)}"))
    words = WORDS[lang]
    lines = [f"# Norm `{norm.id}`", "", norm.label(lang), ""]
    lines += [f"{words['question']}: {norm.question or '-'}",
              f"{words['severity']}: {severity_word(norm.severity, lang)}", f"{words['source']}: {norm.source or '-'}",
              f"{words['basis']}: {', '.join(short_name(b) for b in norm.basis) or '-'}",
              f"{words['written']}: {framework.source}, {in_dutch(norm.origin) if lang == 'nl' else norm.origin}",
              "", f"## {words['checks']}", "",
              f"{words['pattern']} `{norm.pattern}`: {CHECKS[norm.pattern][lang]}.", ""]
    lines += [f"- {key}: `{value}`" for key, value in _parameters(norm, lang)]
    lines += ["", f"## {words['scores']}", "", *_scores(norm, lang)]
    if norm.pattern == "defect":
        lines += ["", words["catalogue"].format(defect=norm.defect)]
    else:
        lines += ["", f"## {words['shape']}", "", "```turtle", _shape_turtle(framework, norm), "```"]
    return "\n".join(lines) + "\n"


def _parameters(norm: Norm, lang: str) -> list[tuple[str, str]]:
    values = {"class": norm.klass and short_name(str(norm.klass)), "property": norm.path,
              "condition": norm.condition, "value": norm.value and short_name(str(norm.value)) if norm.value else None,
              "role_a": " ".join(short_name(str(r)) for r in norm.roles_a),
              "role_b": " ".join(short_name(str(r)) for r in norm.roles_b),
              "minimum": _minimum(norm, lang), "defect": norm.defect, "sparql": norm.sparql}
    return [(key, str(values[key])) for key, _nl, _en in COLUMNS if values.get(key)]


def _minimum(norm: Norm, lang: str) -> str | None:
    if norm.minimum is None:
        return None
    unit = "%" if norm.minimum.share else WORDS[lang]["per_year"] if norm.minimum.per_year else ""
    return f"{norm.minimum.number}{unit}"


def _scores(norm: Norm, lang: str) -> list[str]:
    words = {score: labels[lang] for score, labels in SCORE_LABELS.items()}
    said = WORDS[lang]
    per_node = norm.pattern in PER_NODE and not (norm.minimum and norm.minimum.share)
    lines = [f"- **{words['met']}**: {said['met']}",
             f"- **{words['partly-met']}**: " + (said["partly"] if per_node else "") + said["claims"],
             f"- **{words['not-met']}**: {said['not_met']}" + (said["no_node"] if per_node else "."),
             f"- **{words['not-assessable']}**: {said['not_assessable']}"]
    read = absence_read(norm.path or "") if norm.pattern in ("required-fact", "path-exists", "threshold") \
        and not (norm.minimum and norm.minimum.share) else None
    if read:
        lines += ["", said["absence"].format(name=short_name(str(read[0])))]
    return lines


def _shape_turtle(framework: Framework, norm: Norm) -> str:
    shapes = compile_framework(Framework([norm], framework.source))
    shape = Graph()
    shape.bind("sh", "http://www.w3.org/ns/shacl#")
    shape.bind("jg", JG)
    keep = {shape_of(norm)}
    for s, p, o in shapes:
        if s in keep or s in set(shapes.objects(shape_of(norm), None)):
            shape.add((s, p, o))
    return shape.serialize(format="turtle").strip()
