"""A page per rule of the catalogue, from one source: the shapes, the defect taxonomy, the law
articles and report sections of ``ontology/sources.ttl`` and the example graphs of
``shapes/examples/``. ``jeugdgov explain ID`` prints it; ``docs/defects/ID.md`` is the same text,
written by ``python -m jeugdgov.validation.generate`` and checked to be current.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import RDFS, SH, SKOS, Graph, Literal, Node, URIRef

from jeugdgov.resources import JG, JGD, LANGUAGES, ontology, shapes
from jeugdgov.validation.catalogue import TARGETS, defect_ids, notation, refuse_unknown_defects
from jeugdgov.validation.evidence import evidence_rule
from jeugdgov.validation.examples import PREFIXES, examples, without_prefixes
from jeugdgov.validation.law_in_time import period, versioned

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


def rule_page(defect: str) -> str:
    """The Markdown page of a catalogue id: a defect, or a group of defects."""
    refuse_unknown_defects([defect])
    concept = _concept(defect)
    members = sorted(notation(c) for c in ontology().subjects(SKOS.broader, concept))
    label = f"{_text(concept, SKOS.prefLabel, 'en')} ({_text(concept, SKOS.prefLabel, 'nl')})"
    lines = [f"# `{defect}`: {label}", "", "## What it does", ""]
    lines += [f"- **{lang}**: {_text(concept, SKOS.definition, lang)}" for lang in LANGUAGES]
    lines += [""]
    if members:
        lines += ["A group of defects; `--shapes " + defect + "` checks them all:", ""]
        lines += [f"- [`{m}`]({m}.md): {_text(_concept(m), SKOS.prefLabel, 'en')}" for m in members]
        return "\n".join(lines) + "\n"
    detecting = sorted(shapes().subjects(JG.detects, concept), key=str)
    group = ontology().value(concept, SKOS.broader)
    assert group is not None  # every defect is in a group of the taxonomy
    severities = sorted({_local(shapes().value(s, SH.severity)) for s in detecting})
    lines += [f"Group [`{notation(group)}`]({notation(group)}.md), severity {', '.join(severities)}; "
              f"detected by {', '.join(f'`jgs:{_local(s)}`' for s in detecting)}.", ""]
    lines += ["## What it reads", ""]
    lines += [", ".join(f"`{t}`" for t in _terms_read(detecting)) or "(the shape's targets only)", ""]
    lines += _evidence_section(detecting)
    lines += ["## Why it matters: the basis", ""]
    basis = {b for s in detecting for b in shapes().objects(s, RDFS.seeAlso)}
    lines += [f"- {_basis_line(b)}" for b in sorted(basis, key=str)]
    seen = {b for s in detecting for b in shapes().objects(s, JG.seenIn)}
    if seen:
        lines += ["", "Seen applied in (an example, not the ground):", ""]
        lines += [f"- {_basis_line(b)}" for b in sorted(seen, key=str)]
    lines += ["", "## When it applies", ""]
    for shape in detecting:
        norm = period(shapes(), shape)
        lines += [f"- **en**: {norm.describe('en')}; **nl**: {norm.describe('nl')}."]
        if norm.start or norm.date_not_set:
            lines += ["", "On a reference date before that, a finding is at most an Info that begins "
                      f"\"{norm.prefix('en').rstrip(': ')}\"; never a Violation."]
        if norm.end:
            lines += ["", "After that date the rule finds nothing: the norm no longer applies."]
    lines += ["", "## Example", "", "A minimal setup with the defect (with these prefixes):", ""]
    lines += _turtle(PREFIXES)
    example = examples()[defect]
    lines += _turtle(without_prefixes(example.violating))
    lines += ["## Use instead", "", "The same setup without it:", ""]
    lines += _turtle(without_prefixes(example.conforming))
    if example.lookalike:
        lines += ["A lawful case the rule leaves alone:", ""]
        lines += _turtle(without_prefixes(example.lookalike))
    return "\n".join(lines).rstrip("\n") + "\n"


def rule_pages() -> dict[str, str]:
    """Every catalogue id's page, by id."""
    return {defect: rule_page(defect) for defect in defect_ids()}


def _evidence_section(detecting: list[Node]) -> list[str]:
    lines = ["## Established, to verify or alleged", ""]
    rules = [evidence_rule(s, shapes()) for s in detecting]
    absences = sorted({(term, inverse) for rule in rules for term, inverse in rule.absences})
    via = sorted({_curie(p) for rule in rules for p in rule.via})
    if absences:
        where = f"on the node and the nodes its `{'`, `'.join(via)}` leads to" if via else "on the node"
        read = ", ".join(f"`{_curie(t)}`" + (" (pointing at the node)" if inverse else "")
                         for t, inverse in absences)
        lines += [f"The rule reads the absence of {read} {where}. A finding is **established** when the data "
                  "state that absence: `jg:noValue` names the property, or a value is recorded that the rule "
                  "rejects (`false`, a goal that is not measurable, too few meetings). When the data neither "
                  "state nor deny it (or say `jg:unknownValue`), the finding is **unrecorded** and asks what "
                  "to record:", ""]
        for rule in rules:
            lines += [f"- **{lang}**: {rule.question(lang)}" for lang in LANGUAGES if rule.question(lang)]
        lines += [""]
    else:
        lines += ["The rule reads only recorded facts: its findings are **established**.", ""]
    lines += ["A finding is **alleged** when a fact it rests on (the node, the value, or a node reached "
              "through the rule's evidence property) is a claim of a party (`jg:claimedBy`); the message "
              "names that party.", ""]
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


def _basis_line(source: Node) -> str:
    label = _text(source, RDFS.label, "en") or str(source)
    label_nl = _text(source, RDFS.label, "nl")
    juriconnect = ontology().value(source, JG.juriconnect)
    if juriconnect is not None:
        version = period(ontology(), source).start
        text = f" (text in force from {version.isoformat()})" if version else ""
        return f"[{label}]({versioned(LAW_SITE + str(juriconnect), version)}){text} ({label_nl})"
    report = ontology().value(source, JG.partOfReport)
    if report is not None:
        return f"{label} ({label_nl}), report section of: {_text(report, RDFS.label, 'en')}"
    if str(source).startswith("https://"):
        return f"[{label}]({source})" + (f" ({label_nl})" if label_nl and label_nl != label else "")
    return f"{label} ({label_nl})" if label_nl and label_nl != label else label


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

