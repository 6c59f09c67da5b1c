"""A page per rule of the catalogue, from one source: the shapes, the defect taxonomy, the law
articles and report sections of ``ontology/sources.ttl``, the example graphs of
``shapes/examples/`` and the workbook mapping (where a user states each term the rule reads).
``jeugdgov explain ID`` prints it in the chosen language; ``docs/defects/ID.md`` (English) and
``docs/defects/nl/ID.md`` (Dutch) are the same text, written by
``python -m jeugdgov.validation.generate`` and checked to be current.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import RDFS, SH, SKOS, Graph, Literal, Node, URIRef

from jeugdgov.resources import JG, JGD, ontology, shapes
from jeugdgov.validation.catalogue import TARGETS, defect_ids, notation, refuse_unknown_defects
from jeugdgov.validation.evidence import evidence_rule
from jeugdgov.validation.examples import PREFIXES, examples, without_prefixes
from jeugdgov.validation.law_in_time import period, versioned
from jeugdgov.words import severity_word
from jeugdgov.workbook.mapping import mapping

#: Where a bundled vocabulary term is written as a CURIE on a page.
CURIES = {
    "https://w3id.org/jeugdgov/def#": "jg:",
    "https://w3id.org/jeugdgov/role/": "jgr:",
    "https://w3id.org/jeugdgov/task/": "jgt:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2006/time#": "time:",
    "http://www.w3.org/ns/prov#": "prov:",
}
TERM_IN_QUERY = re.compile(r"\b(?:jg|jgr|org|time):[A-Za-z][\w-]*")
LAW_SITE = "https://wetten.overheid.nl/"


#: The words of a page, by language.
WORDS = {
    "en": {
        "other": "Nederlands: [nl/{id}.md](nl/{id}.md)", "does": "What it does",
        "group": "A group of defects; `--shapes {id}` checks them all:",
        "detected": "Group [`{group}`]({group}.md), severity {severities}; detected by {shapes}.",
        "reads": "What it reads",
        "reads_intro": "Each term the rule reads, and where a workbook states it (sheet: column); a term with no "
                       "column is stated as a row of the sheet *{other}* (subject, property, value).",
        "term": "RDF term", "workbook": "in the workbook", "each_row": "each row",
        "targets": "(the shape's targets only)",
        "basis": "Why it matters: the basis", "seen": "Seen applied in (an example, not the ground):",
        "applies": "When it applies",
        "before": "On a reference date before that, a finding is at most an Info that begins \"{prefix}\"; "
                  "never a Violation.",
        "after": "After that date the rule finds nothing: the norm no longer applies.",
        "example": "Example", "minimal": "A minimal setup with the defect (with these prefixes):",
        "instead": "Use instead", "without": "The same setup without it:",
        "lookalike": "A lawful case the rule leaves alone:",
        "evidence": "Established, to verify or alleged",
        "node": "on the node", "via": "on the node and the nodes its {via} leads to",
        "pointing": " (pointing at the node)",
        "absence": "The rule reads the absence of {read} {where}. A finding is **established** when the data state "
                   "that absence: `jg:noValue` names the property, or a value is recorded that the rule rejects "
                   "(`false`, a goal that is not measurable, too few meetings). When the data neither state nor deny "
                   "it (or say `jg:unknownValue`), the finding is **unrecorded** and asks what to record:",
        "needs": "A fact pointing at the node counts only when it records {needs}: without it the finding stays "
                 "**unrecorded**.",
        "recorded": "The rule reads only recorded facts: its findings are **established**.",
        "alleged": "A finding is **alleged** when a fact it rests on (the node, the value, or a node reached "
                   "through the rule's evidence property) is a claim of a party (`jg:claimedBy`); the message "
                   "names that party.",
        "law": " (text in force from {date})", "section": "{label}, report section of: {report}",
    },
    "nl": {
        "other": "English: [../{id}.md](../{id}.md)", "does": "Wat de regel doet",
        "group": "Een groep gebreken; `--shapes {id}` controleert ze allemaal:",
        "detected": "Groep [`{group}`]({group}.md), ernst {severities}; gevonden door {shapes}.",
        "reads": "Wat de regel leest",
        "reads_intro": "Elke term die de regel leest, en waar een werkboek hem vastlegt (blad: kolom); een term "
                       "zonder kolom staat als rij op het blad *{other}* (onderwerp, eigenschap, waarde).",
        "term": "RDF-term", "workbook": "in het werkboek", "each_row": "elke rij",
        "targets": "(alleen de doelen van de shape)",
        "basis": "Waarom het ertoe doet: de grondslag", "seen": "Toegepast gezien in (een voorbeeld, geen grondslag):",
        "applies": "Wanneer de regel geldt",
        "before": "Op een peildatum daarvoor is een bevinding hoogstens advies (Info) dat begint met \"{prefix}\"; "
                  "nooit een overtreding.",
        "after": "Na die datum vindt de regel niets: de norm geldt niet meer.",
        "example": "Voorbeeld", "minimal": "Een minimale inrichting met het gebrek (met deze voorvoegsels):",
        "instead": "Zo wel", "without": "Dezelfde inrichting zonder het gebrek:",
        "lookalike": "Een rechtmatig geval dat de regel met rust laat:",
        "evidence": "Vastgesteld, na te gaan of bewering",
        "node": "op de knoop", "via": "op de knoop en de knopen waar {via} naar leidt",
        "pointing": " (wijzend naar de knoop)",
        "absence": "De regel leest het ontbreken van {read} {where}. Een bevinding is **vastgesteld** als de "
                   "gegevens dat ontbreken vastleggen: `jg:noValue` noemt de eigenschap, of er is een waarde "
                   "vastgelegd die de regel afwijst (`false`, een doel dat niet meetbaar is, te weinig vergaderingen). "
                   "Als de gegevens het vastleggen noch ontkennen (of `jg:unknownValue` zeggen), is de bevinding **na "
                   "te gaan** en vraagt zij wat vast te leggen:",
        "needs": "Een feit dat naar de knoop wijst telt alleen als het {needs} vastlegt: zonder blijft de bevinding "
                 "**na te gaan**.",
        "recorded": "De regel leest alleen vastgelegde feiten: zijn bevindingen zijn **vastgesteld**.",
        "alleged": "Een bevinding is een **bewering** als een feit waarop zij steunt (de knoop, de waarde, of een "
                   "knoop bereikt via de bewijseigenschap van de regel) een bewering van een partij is "
                   "(`jg:claimedBy`); de melding noemt die partij.",
        "law": " (tekst geldend vanaf {date})", "section": "{label}, onderdeel van het rapport: {report}",
    },
}


def rule_page(defect: str, lang: str = "en") -> str:
    """The Markdown page of a catalogue id (a defect, or a group of defects) in a language."""
    refuse_unknown_defects([defect])
    words = WORDS[lang]
    other = "nl" if lang == "en" else "en"
    concept = _concept(defect)
    members = sorted(notation(c) for c in ontology().subjects(SKOS.broader, concept))
    label = f"{_text(concept, SKOS.prefLabel, lang)} ({_text(concept, SKOS.prefLabel, other)})"
    lines = [f"# `{defect}`: {label}", "", words["other"].format(id=defect), "", f"## {words['does']}", ""]
    lines += [_text(concept, SKOS.definition, lang), ""]
    if members:
        lines += [words["group"].format(id=defect), ""]
        lines += [f"- [`{m}`]({m}.md): {_text(_concept(m), SKOS.prefLabel, lang)}" for m in members]
        return "\n".join(lines) + "\n"
    detecting = sorted(shapes().subjects(JG.detects, concept), key=str)
    group = ontology().value(concept, SKOS.broader)
    assert group is not None  # every defect is in a group of the taxonomy
    severities = sorted({severity_word(_local(shapes().value(s, SH.severity)), lang) for s in detecting})
    lines += [words["detected"].format(group=notation(group), severities=", ".join(severities),
                                       shapes=", ".join(f"`jgs:{_local(s)}`" for s in detecting)), ""]
    lines += [f"## {words['reads']}", ""]
    lines += _reads_section(detecting, lang)
    lines += _evidence_section(detecting, lang)
    lines += [f"## {words['basis']}", ""]
    basis = {b for s in detecting for b in shapes().objects(s, RDFS.seeAlso)}
    lines += [f"- {_basis_line(b, lang)}" for b in sorted(basis, key=str)]
    seen = {b for s in detecting for b in shapes().objects(s, JG.seenIn)}
    if seen:
        lines += ["", words["seen"], ""]
        lines += [f"- {_basis_line(b, lang)}" for b in sorted(seen, key=str)]
    lines += ["", f"## {words['applies']}", ""]
    for shape in detecting:
        norm = period(shapes(), shape)
        lines += [f"{norm.describe(lang)[:1].upper()}{norm.describe(lang)[1:]}."]
        if norm.start or norm.date_not_set:
            lines += ["", words["before"].format(prefix=norm.prefix(lang).rstrip(": "))]
        if norm.end:
            lines += ["", words["after"]]
    lines += ["", f"## {words['example']}", "", words["minimal"], ""]
    lines += _turtle(PREFIXES)
    example = examples()[defect]
    lines += _turtle(without_prefixes(example.violating))
    lines += [f"## {words['instead']}", "", words["without"], ""]
    lines += _turtle(without_prefixes(example.conforming))
    if example.lookalike:
        lines += [words["lookalike"], ""]
        lines += _turtle(without_prefixes(example.lookalike))
    return "\n".join(lines).rstrip("\n") + "\n"


def rule_pages(lang: str = "en") -> dict[str, str]:
    """Every catalogue id's page in a language, by id."""
    return {defect: rule_page(defect, lang) for defect in defect_ids()}


def _reads_section(detecting: list[Node], lang: str) -> list[str]:
    """The terms the shapes read, each with the sheets and columns of the workbook that state it."""
    words = WORDS[lang]
    terms = _terms_read(detecting)
    if not terms:
        return [words["targets"], ""]
    book = mapping()
    lines = [words["reads_intro"].format(other=book.other.title(lang)), "",
             f"| {words['term']} | {words['workbook']} |", "|---|---|"]
    for term in terms:
        expanded = book.expand(term)
        sheets: dict[str, list[str]] = {}  # column (or "each row") -> the sheets it is on
        for sheet, column in book.where_stated(expanded) if expanded is not None else []:
            sheets.setdefault(column.title(lang) if column else words["each_row"], []).append(sheet.title(lang))
        columns: dict[tuple[str, ...], list[str]] = {}  # the same sheets -> their columns (begin, end)
        for title, on in sheets.items():
            columns.setdefault(tuple(on), []).append(title)
        stated = "; ".join(f"{', '.join(on)}: {', '.join(named)}" for on, named in columns.items())
        lines.append(f"| `{term}` | {stated or '*' + book.other.title(lang) + '*'} |")
    return [*lines, ""]


def _evidence_section(detecting: list[Node], lang: str) -> list[str]:
    words = WORDS[lang]
    lines = [f"## {words['evidence']}", ""]
    rules = [evidence_rule(s, shapes()) for s in detecting]
    absences = sorted({(term, inverse) for rule in rules for term, inverse in rule.absences})
    via = sorted({_curie(p) for rule in rules for p in rule.via})
    needs = sorted({_curie(p) for rule in rules for p in rule.needs})
    if absences:
        where = words["via"].format(via="`" + "`, `".join(via) + "`") if via else words["node"]
        read = ", ".join(f"`{_curie(t)}`" + (words["pointing"] if inverse else "") for t, inverse in absences)
        lines += [words["absence"].format(read=read, where=where), ""]
        lines += [f"- {rule.question(lang)}" for rule in rules if rule.question(lang)]
        lines += [""]
        if needs:
            lines += [words["needs"].format(needs=", ".join(f"`{n}`" for n in needs)), ""]
    else:
        lines += [words["recorded"], ""]
    lines += [words["alleged"], ""]
    return lines


def _terms_read(detecting: list[Node]) -> list[str]:
    """Classes and properties the shapes target, constrain or query."""
    graph = shapes()
    terms: set[str] = set()
    nodes = [*detecting, *(p for s in detecting for p in graph.objects(s, SH.property))]
    for node in nodes:
        for predicate in (*TARGETS, SH.path, SH["class"]):
            terms.update(_curie(o) for o in graph.objects(node, predicate) if isinstance(o, URIRef))
        for constraint in graph.objects(node, SH.sparql):
            terms.update(TERM_IN_QUERY.findall(str(graph.value(constraint, SH.select) or "")))
    return sorted(t for t in terms if ":" in t and not t.startswith("http"))


def _basis_line(source: Node, lang: str) -> str:
    label = _text(source, RDFS.label, lang) or _text(source, RDFS.label, "en") or str(source)
    juriconnect = ontology().value(source, JG.juriconnect)
    if juriconnect is not None:
        version = period(ontology(), source).start
        text = WORDS[lang]["law"].format(date=version.isoformat()) if version else ""
        return f"[{label}]({versioned(LAW_SITE + str(juriconnect), version)}){text}"
    report = ontology().value(source, JG.partOfReport)
    if report is not None:
        return WORDS[lang]["section"].format(label=label,
                                             report=_text(report, RDFS.label, lang) or _text(report, RDFS.label, "en"))
    if str(source).startswith("https://"):
        return f"[{label}]({source})"
    return label


def _turtle(body: str) -> list[str]:
    return ["```turtle", body.strip(), "```", ""]


@cache
def _concepts() -> dict[str, Node]:
    return {notation(c): c for c in ontology().subjects(SKOS.inScheme, URIRef(JGD))}


def _concept(defect: str) -> Node:
    return _concepts()[defect]


def _text(node: Node, predicate: Node, lang: str) -> str:
    graph = ontology() if (node, None, None) in ontology() else Graph()
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _curie(node: Node) -> str:
    text = str(node)
    for namespace, prefix in CURIES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return text


def _local(node: Node | None) -> str:
    return re.split(r"[#/]", str(node))[-1]

