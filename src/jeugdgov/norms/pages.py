"""A page per norm of a framework, as ``jeugdgov explain ID --norms FILE`` prints it: the norm,
where it comes from, how its pattern checks it, what makes it met or not, what absence it reads,
and the SHACL shape it compiles to (a ``defect`` norm points at the catalogue's rule page)."""

from __future__ import annotations

from rdflib import Graph

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import COLUMNS, Framework, Norm, short_name
from jeugdgov.norms.patterns import PER_NODE, absence_read, compile_framework, shape_of
from jeugdgov.norms.scoring import SCORE_LABELS
from jeugdgov.resources import JG

#: What each pattern checks, in a sentence.
CHECKS = {
    "required-fact": "every node of the class (meeting the condition) has the property or path, with the value "
                     "if one is given",
    "forbidden-roles": "no party holds role A and role B for the same task in overlapping periods, itself or "
                       "through an organisation it belongs to",
    "threshold": "every node of the class has at least the minimum of values of the path (per year of its own "
                 "period, or as a share of the class's nodes, where the minimum says so)",
    "path-exists": "from every node of the class the path reaches the value (a class or a node), or any node",
    "path-absent": "from no node of the class the path reaches the value (a class or a node), or any node",
    "defect": "the catalogue finds no such defect",
    "sparql": "the query selects none of the class's nodes",
}


def norm_page(framework: Framework, norm_id: str) -> str:
    """The Markdown page of one norm of the framework."""
    norm = next((n for n in framework.norms if n.id == norm_id), None)
    if norm is None:
        raise InputError(f"the norm framework has no norm '{norm_id}'", file=framework.source,
                         hint=f"choose from: {', '.join(n.id for n in framework.norms)}",
                         nl=(f"het normenkader heeft geen norm '{norm_id}'",
                             f"kies uit: {', '.join(n.id for n in framework.norms)}"))
    lines = [f"# Norm `{norm.id}`", ""]
    lines += [f"- **{lang}**: {norm.text[lang]}" for lang in ("nl", "en") if lang in norm.text]
    lines += ["", f"Research question: {norm.question or '-'}", f"Severity: {norm.severity}",
              f"Source: {norm.source or '-'}", f"Basis: {', '.join(short_name(b) for b in norm.basis) or '-'}",
              f"Written in: {framework.source}, {norm.origin}", "", "## What it checks", "",
              f"Pattern `{norm.pattern}`: {CHECKS[norm.pattern]}.", ""]
    lines += [f"- {key}: `{value}`" for key, value in _parameters(norm)]
    lines += ["", "## Scores", "", *_scores(norm)]
    if norm.pattern == "defect":
        lines += ["", f"The catalogue's shapes decide it: `jeugdgov explain {norm.defect}` prints that rule."]
    else:
        lines += ["", "## The SHACL shape it compiles to", "", "```turtle", _shape_turtle(framework, norm), "```"]
    return "\n".join(lines) + "\n"


def _parameters(norm: Norm) -> list[tuple[str, str]]:
    values = {"class": norm.klass and short_name(str(norm.klass)), "property": norm.path,
              "condition": norm.condition, "value": norm.value and short_name(str(norm.value)) if norm.value else None,
              "role_a": " ".join(short_name(str(r)) for r in norm.roles_a),
              "role_b": " ".join(short_name(str(r)) for r in norm.roles_b),
              "minimum": _minimum(norm), "defect": norm.defect, "sparql": norm.sparql}
    return [(key, str(values[key])) for key, _nl, _en in COLUMNS if values.get(key)]


def _minimum(norm: Norm) -> str | None:
    if norm.minimum is None:
        return None
    unit = "%" if norm.minimum.share else " per year" if norm.minimum.per_year else ""
    return f"{norm.minimum.number}{unit}"


def _scores(norm: Norm) -> list[str]:
    words = {score: labels["en"] for score, labels in SCORE_LABELS.items()}
    per_node = norm.pattern in PER_NODE and not (norm.minimum and norm.minimum.share)
    lines = [f"- **{words['met']}**: no finding, and the setup holds something the norm is about.",
             f"- **{words['partly-met']}**: " + ("some nodes fail on established facts while others meet it; or "
                                                 if per_node else "") + "only findings that rest on a party's claim.",
             f"- **{words['not-met']}**: established findings" + (", and no node meets it." if per_node else "."),
             f"- **{words['not-assessable']}**: a fact the norm needs is not recorded, or the setup holds "
             "nothing the norm is about."]
    read = absence_read(norm.path or "") if norm.pattern in ("required-fact", "path-exists", "threshold") \
        and not (norm.minimum and norm.minimum.share) else None
    if read:
        name = short_name(str(read[0]))
        lines += ["", f"It reads the absence of `{name}`: record it, or record that there is none "
                  f"(`jg:noValue {name}`, which makes a finding established); left out, the norm is not "
                  "assessable on that node."]
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
