"""The norm patterns, compiled into SHACL shapes that both engines evaluate like the catalogue's.

Each norm (but ``defect``, which reuses the catalogue's own shapes) becomes one node shape with
a SHACL-SPARQL constraint whose solutions are the nodes that do not meet it. The shape carries
what a catalogue shape carries: ``jg:detects`` a concept whose notation is the norm's id, a
severity, nl and en messages, its basis (``rdfs:seeAlso``), and the absence it reads
(``jg:readsAbsenceOf``, ``jg:readsAbsenceOfInverse``) with the question to ask when that
absence is not recorded. So the evidence status of a norm's finding is decided exactly as for
a built-in defect: an explicit ``jg:noValue`` makes a failure established, plain absence makes
it unrecorded.

- ``required-fact``: every node of a class (meeting the condition) has the property (path),
  with the given value if one is given.
- ``forbidden-roles``: no party holds role A and role B for the same task in overlapping
  periods, directly or through an organisation it belongs to (as ``dual-role`` does for
  commissioner and contractor).
- ``threshold``: every node of a class has at least N values of the path (N per year of its
  period for "N per jaar", each value dated by ``jg:date``); or ("P%") at least P percent of the
  nodes of the class have the path, checked once per setup.
- ``path-exists`` / ``path-absent``: from every node of a class the path must (must not) reach
  a node (of the class) given as value, or any node when none is given.
- ``sparql``: a SELECT of ``$this`` over the nodes of a class; each solution fails the norm.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Node, URIRef

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import PREFIXES, SPARQL_PREFIXES, Framework, Norm, is_class, short_name, sparql_error
from jeugdgov.resources import JG

NORM = "urn:jeugdgov:norm:"
SHAPE = "urn:jeugdgov:norm-shape:"
SEVERITY = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}
BELONGS_TO = "(jg:bodyOf|org:memberOf|^org:member/org:organization)*"
OVERLAP = """
                OPTIONAL { ?first jg:during/time:hasBeginning/time:inXSDDate ?s1 }
                OPTIONAL { ?first jg:during/time:hasEnd/time:inXSDDate ?e1 }
                OPTIONAL { ?second jg:during/time:hasBeginning/time:inXSDDate ?s2 }
                OPTIONAL { ?second jg:during/time:hasEnd/time:inXSDDate ?e2 }
                FILTER ((!BOUND(?s1) || !BOUND(?e2) || ?s1 <= ?e2) && (!BOUND(?s2) || !BOUND(?e1) || ?s2 <= ?e1))"""
#: Patterns whose norm applies to each node of a class on its own: some may meet it while others
#: do not (partly met). A forbidden combination or path is not met wherever it occurs.
PER_NODE = ("required-fact", "path-exists", "threshold", "sparql")


def shape_of(norm: Norm) -> URIRef:
    return URIRef(SHAPE + norm.id)


def compile_framework(framework: Framework) -> Graph:
    """The SHACL shapes of a framework's norms (none for ``defect`` norms)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("jg", JG)
    prefixes = URIRef(SHAPE)
    for prefix, namespace in PREFIXES.items():
        declaration = BNode()
        graph.add((prefixes, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#anyURI"))))
    for norm in framework.norms:
        if norm.pattern != "defect":
            _compile(norm, graph, prefixes)
    return graph


def _compile(norm: Norm, graph: Graph, prefixes: Node) -> None:
    shape, concept, constraint = shape_of(norm), URIRef(NORM + norm.id), BNode()
    graph.add((concept, SKOS.notation, Literal(norm.id)))
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, JG.detects, concept))
    graph.add((shape, SH.severity, SEVERITY[norm.severity]))
    for lang in ("nl", "en"):
        graph.add((shape, RDFS.label, Literal(norm.label(lang), lang=lang)))
    for basis in norm.basis:
        graph.add((shape, RDFS.seeAlso, URIRef(basis)))
    if norm.pattern == "forbidden-roles":
        graph.add((shape, SH.targetObjectsOf, JG.agent))
        link = BNode()
        graph.add((shape, JG.evidenceLink, link))
        graph.add((link, JG.linksFocusBy, JG.agent))
        graph.add((link, JG.linksValueBy, JG.task))
    elif norm.minimum is not None and norm.minimum.share:
        graph.add((shape, SH.targetClass, JG.Setup))
    else:
        assert norm.klass is not None  # the reader requires a class of every pattern but forbidden-roles
        graph.add((shape, SH.targetClass, norm.klass))
    if norm.pattern in ("required-fact", "path-exists", "threshold") and not (norm.minimum and norm.minimum.share):
        absence = absence_read(norm.path or "")
        if absence is not None:
            prop, inverse = absence
            graph.add((shape, JG.readsAbsenceOfInverse if inverse else JG.readsAbsenceOf, prop))
            for lang, text in _question(norm, prop).items():
                graph.add((shape, JG.unrecordedMessage, Literal(text, lang=lang)))
    graph.add((shape, SH.sparql, constraint))
    graph.add((constraint, RDF.type, SH.SPARQLConstraint))
    graph.add((constraint, SH.prefixes, prefixes))
    query = select(norm)
    error = sparql_error(query)  # each part was checked on reading; this catches what only their combination breaks
    if error is not None:
        raise InputError(f"{norm.origin}: the check of norm {norm.id} is no valid SPARQL once its cells are "
                         f"put together ({' '.join(error.split())[:160]})",
                         hint="check the cells 'eigenschap', 'voorwaarde' and 'waarde' together",
                         nl=(f"{norm.origin}: de controle van norm {norm.id} is geen geldige SPARQL als de cellen "
                             f"worden samengevoegd ({' '.join(error.split())[:160]})",
                             "bekijk de cellen 'eigenschap', 'voorwaarde' en 'waarde' samen"))
    graph.add((constraint, SH.select, Literal(query)))
    for lang, text in _message(norm).items():
        graph.add((constraint, SH.message, Literal(text, lang=lang)))


def select(norm: Norm) -> str:
    """The SELECT whose solutions are the nodes (``$this``, with ``?value``) that fail the norm."""
    condition = norm.condition or ""
    if norm.pattern == "required-fact":
        wanted = _wanted(norm.value)
        return f"SELECT $this WHERE {{ {condition} FILTER NOT EXISTS {{ $this {norm.path} {wanted} }} }}"
    if norm.pattern == "path-exists":
        return (f"SELECT $this WHERE {{ {condition} FILTER NOT EXISTS {{ $this {norm.path} ?end . "
                f"{_reaches(norm.value)} }} }}")
    if norm.pattern == "path-absent":
        return (f"SELECT DISTINCT $this ?value WHERE {{ {condition} $this {norm.path} ?value . "
                f"{_reaches(norm.value, '?value')} }}")
    if norm.pattern == "forbidden-roles":
        return _forbidden(norm)
    if norm.pattern == "threshold":
        return _threshold(norm, condition)
    return norm.sparql or ""


def _wanted(value: URIRef | str | None) -> str:
    if value is None:
        return "?any"
    return value.n3() if isinstance(value, URIRef) else value


def _reaches(value: URIRef | str | None, end: str = "?end") -> str:
    if value is None:
        return ""
    term = URIRef(str(value))
    if is_class(term):
        return f"FILTER EXISTS {{ {end} rdf:type ?endType . ?endType rdfs:subClassOf* {term.n3()} }}"
    return f"FILTER ({end} = {term.n3()})"


def _forbidden(norm: Norm) -> str:
    def branch(own: tuple[URIRef, ...], other: tuple[URIRef, ...]) -> str:
        return f"""{{
                {{ ?first jg:agent $this . }}
                ?first jg:role ?firstRole ; jg:task ?value .
                FILTER (?firstRole IN ({", ".join(r.n3() for r in own)}))
                FILTER EXISTS {{
                $this {BELONGS_TO} ?holder .
                ?second jg:agent ?holder ; jg:task ?value ; jg:role ?secondRole .
                FILTER (?secondRole IN ({", ".join(r.n3() for r in other)}) && ?second != ?first){OVERLAP}
                }}
            }}"""
    return (f"SELECT DISTINCT $this ?value WHERE {{\n            {branch(norm.roles_a, norm.roles_b)} UNION "
            f"{branch(norm.roles_b, norm.roles_a)}\n        }}")


def _threshold(norm: Norm, condition: str) -> str:
    minimum = norm.minimum
    assert minimum is not None
    value = f" FILTER (?counted = {_wanted(norm.value)})" if norm.value is not None else ""
    if minimum.share:  # on the setup node: the share of the class's nodes that have the path
        return f"""SELECT $this (CONCAT(STR(COUNT(DISTINCT ?good)), "/", STR(COUNT(DISTINCT ?node))) AS ?value) WHERE {{
            ?node rdf:type ?nodeType . ?nodeType rdfs:subClassOf* {norm.klass.n3() if norm.klass else ""} .
            {_on(condition, "?node")}
            OPTIONAL {{ ?node {norm.path} ?counted .{value} BIND (?node AS ?good) }}
        }}
        GROUP BY $this
        HAVING (COUNT(DISTINCT ?good) * 100 < {minimum.number} * COUNT(DISTINCT ?node))"""
    if minimum.per_year:
        return f"""SELECT $this (COUNT(DISTINCT ?counted) AS ?value) WHERE {{
            {condition}
            $this jg:during/time:hasBeginning/time:inXSDDate ?from ; jg:during/time:hasEnd/time:inXSDDate ?until .
            OPTIONAL {{
                $this {norm.path} ?counted .{value} ?counted jg:date ?date .
                FILTER (?from <= ?date && ?date <= ?until)
            }}
        }}
        GROUP BY $this ?from ?until
        HAVING (COUNT(DISTINCT ?counted) * 12 <
                {minimum.number} * ((YEAR(?until) - YEAR(?from)) * 12 + MONTH(?until) - MONTH(?from) + 1))"""
    return f"""SELECT $this (COUNT(DISTINCT ?counted) AS ?value) WHERE {{
            {condition}
            OPTIONAL {{ $this {norm.path} ?counted .{value} }}
        }}
        GROUP BY $this
        HAVING (COUNT(DISTINCT ?counted) < {minimum.number})"""


def _on(condition: str, node: str) -> str:
    return re.sub(r"\$this\b", node, condition)


def population(norm: Norm) -> str | None:
    """A SELECT of the nodes a norm is about (``?this``): without them it cannot be assessed.
    None for a ``defect`` norm, which the catalogue's shape decides."""
    if norm.pattern == "forbidden-roles":
        roles = ", ".join(r.n3() for r in (*norm.roles_a, *norm.roles_b))
        return f"{SPARQL_PREFIXES}SELECT DISTINCT ?this WHERE {{ ?held jg:agent ?this ; jg:role ?role . " \
               f"FILTER (?role IN ({roles})) }}"
    if norm.klass is None:
        return None
    condition = _on(f"{{ {norm.condition} }}", "?this") if norm.condition else ""
    if norm.minimum is not None and norm.minimum.per_year:  # counted over the node's own period
        condition += (" ?this jg:during/time:hasBeginning/time:inXSDDate ?from ;"
                      " jg:during/time:hasEnd/time:inXSDDate ?until .")
    return (f"{SPARQL_PREFIXES}SELECT DISTINCT ?this WHERE {{ ?this rdf:type ?type . "
            f"?type rdfs:subClassOf* {norm.klass.n3()} . {condition} }}")


def absence_read(path: str) -> tuple[URIRef, bool] | None:
    """The property whose absence a path reads first, and whether it is read inversely."""
    first = re.split(r"[/|*+?()]", path.strip(), maxsplit=1)[0].strip()
    inverse = first.startswith("^")
    first = first.lstrip("^").strip()
    prefix, _, local = first.partition(":")
    if first.startswith("<") and first.endswith(">"):
        return URIRef(first[1:-1]), inverse
    if local and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local), inverse
    return None


def _message(norm: Norm) -> dict[str, str]:
    text = {lang: norm.label(lang) for lang in ("nl", "en")}
    if norm.pattern == "forbidden-roles":
        return {"nl": f"{{$this}} heeft, zelf of via een organisatie waartoe het behoort, beide rollen voor "
                      f"'{{?value}}' in dezelfde periode: norm {norm.id} ({text['nl']}) wordt niet gehaald.",
                "en": f"{{$this}} holds both roles for '{{?value}}' in the same period, itself or through an "
                      f"organisation it belongs to: norm {norm.id} ({text['en']}) is not met."}
    if norm.pattern == "threshold":
        return {"nl": f"'{{$this}}' haalt norm {norm.id} ({text['nl']}) niet: {{?value}}.",
                "en": f"'{{$this}}' does not meet norm {norm.id} ({text['en']}): {{?value}}."}
    if norm.pattern == "path-absent":
        return {"nl": f"'{{$this}}' bereikt '{{?value}}': norm {norm.id} ({text['nl']}) wordt niet gehaald.",
                "en": f"'{{$this}}' reaches '{{?value}}': norm {norm.id} ({text['en']}) is not met."}
    return {"nl": f"'{{$this}}' haalt norm {norm.id} niet: {text['nl']}",
            "en": f"'{{$this}}' does not meet norm {norm.id}: {text['en']}"}


def _question(norm: Norm, prop: URIRef) -> dict[str, str]:
    name = short_name(str(prop))
    return {"nl": f"Voor '{{$this}}' is niet vastgelegd wat norm {norm.id} toetst ({name}): leg het vast, of "
                  f"leg vast dat het er niet is (jg:noValue {name}).",
            "en": f"What norm {norm.id} checks is not recorded for '{{$this}}' ({name}): record it, or record "
                  f"that there is none (jg:noValue {name})."}
