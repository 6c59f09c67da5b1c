"""Translating SHACL shapes into SPARQL queries that compute all their results at once.

pySHACL evaluates a shape focus node by focus node: for a SHACL-SPARQL constraint it runs
the shape's SELECT once per focus node with ``$this`` pre-bound. Here each constraint
becomes one query over all focus nodes: the target selection binds ``?this`` and the
constraint is joined with it. The two agree when ``$this`` is visible wherever the shape's
query uses it: in the top-level group, in OPTIONAL filters and in (NOT) EXISTS, whose
patterns SPARQL evaluates by substitution. A query that uses ``$this`` in an expression
of a nested group, a sub-SELECT, MINUS, SERVICE or VALUES would mean something else
under a join; such shapes are reported as untranslatable instead of guessed at.

Each query selects ``?this`` and, where the result has one, ``?value``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection

from jeugdgov.resources import JG
from jeugdgov.sparql.text import where_brace
from jeugdgov.validation.catalogue import TARGETS
from jeugdgov.validation.fast.cache import DiskMemo

#: Predicates on a shape that are no constraint: targets, annotations, messages, structure.
NOT_CONSTRAINTS = {
    *TARGETS, RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, JG.detects, SH.message,
    SH.severity, SH.name, SH.description, SH.order, SH.group, SH.path, SH.deactivated,
    SH.defaultValue, SH.property, SH.sparql,
}
#: Core constraint parameters this engine translates.
CORE = {SH.minCount, SH.maxCount, SH.datatype, SH.minInclusive, SH.maxInclusive,
        SH.minExclusive, SH.maxExclusive, SH["class"], SH.hasValue, SH.node}
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
#: Datatypes whose lexical forms SPARQL can check by casting; others pass, as in pySHACL.
CASTABLE = {XSD.decimal, XSD.integer, XSD.date, XSD.dateTime, XSD.boolean, XSD.double, XSD.float}
THIS = re.compile(r"\$this\b")
#: Where the focus nodes of a shape with a SPARQL target go, once its target query has run.
FOCUS_NODES = "FOCUS_NODES"
FOCUS_VALUES = f"VALUES ?this {{ {FOCUS_NODES} }}"


#: What checking a query found, by query, for this code and this rdflib (see engine_cache).
CHECKS = DiskMemo("sparql-checks", hashlib.sha256(Path(__file__).read_bytes()
                                                  + (Path(__file__).parent / "query_check.py").read_bytes()
                                                  + rdflib.__version__.encode()).hexdigest()[:16])


class Untranslatable(Exception):
    """A shape this engine cannot evaluate with pySHACL's meaning."""


@dataclass(frozen=True)
class ShapeQuery:
    """One query computing every result of one constraint of one shape.

    ``text`` always works; ``focus_first`` is a faster way, where the focus nodes can be
    written in a query (blank nodes cannot)."""

    source: Node
    component: URIRef
    severity: Node
    text: str
    path: Node | None = None
    constraint: Node | None = None
    value_is_focus: bool = False
    prefixes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    focus_first: FocusFirst | None = None


@dataclass(frozen=True)
class FocusFirst:
    """For a shape with a SPARQL target: its focus nodes are selected first (``query``), then
    the constraint runs on them (``text``, with ``VALUES ?this { FOCUS_NODES }``). A SPARQL
    target often selects few nodes, and a join would make the store evaluate the constraint
    for the whole graph."""

    query: str
    text: str


@dataclass
class Translation:
    """The queries for a shapes graph and the shapes that could not be translated."""

    queries: list[ShapeQuery]
    untranslatable: dict[Node, str]


def translate(shapes_graph: Graph) -> Translation:
    """One query per constraint of every shape that has targets."""
    queries: list[ShapeQuery] = []
    problems: dict[Node, str] = {}
    for shape in sorted(_targeted_shapes(shapes_graph), key=str):
        try:
            queries.extend(_shape_queries(shapes_graph, shape))
        except Untranslatable as problem:
            problems[shape] = str(problem)
    CHECKS.save()
    return Translation(queries, problems)


def _targeted_shapes(g: Graph) -> set[Node]:
    return {s for t in TARGETS for s in g.subjects(t, None)
            if (s, SH.deactivated, Literal(True)) not in g}


def _shape_queries(g: Graph, shape: Node) -> Iterator[ShapeQuery]:
    target, prefixes = _target(g, shape)
    queries = list(_constraint_queries(g, shape, target, prefixes))
    if not target.sparql:
        return iter(queries)
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    focus = f"{header}SELECT DISTINCT ?this WHERE {{ {target.pattern} }}"
    on_values = _constraint_queries(g, shape, Target(FOCUS_VALUES, sparql=True), prefixes)
    return (replace(q, focus_first=FocusFirst(focus, query_text(v))) for q, v in zip(queries, on_values, strict=True))


def _constraint_queries(g: Graph, shape: Node, target: Target, prefixes: dict[str, str]) -> Iterator[ShapeQuery]:
    severity = g.value(shape, SH.severity) or SH.Violation
    if (shape, SH.path, None) in g:
        yield from _property_queries(g, shape, target, prefixes, severity)
        return
    _check_parameters(g, shape, allowed=CORE | {SH.sparql, SH.property})
    for constraint in g.objects(shape, SH.sparql):
        yield _sparql_query(g, shape, constraint, target, prefixes, severity)
    for parameter in CORE & set(g.predicates(shape)):
        for argument in g.objects(shape, parameter):
            yield _node_level_query(g, shape, parameter, argument, target, prefixes, severity)
    for prop in g.objects(shape, SH.property):
        if (prop, SH.deactivated, Literal(True)) not in g:
            yield from _property_queries(g, prop, target, prefixes, g.value(prop, SH.severity) or SH.Violation)


def _check_parameters(g: Graph, shape: Node, allowed: set[URIRef]) -> None:
    for predicate in set(g.predicates(shape)):
        if str(predicate).startswith(str(SH)) and predicate not in allowed | NOT_CONSTRAINTS:
            raise Untranslatable(f"constraint parameter sh:{str(predicate).removeprefix(str(SH))} is not supported")
        if predicate == SH.sparql and SH.sparql not in allowed:
            raise Untranslatable("SPARQL constraints on nested shapes are not supported")


#################################################################
# Targets
#################################################################

@dataclass(frozen=True)
class Target:
    """The focus nodes of a shape, as a pattern binding ?this."""

    pattern: str
    subjects_of: frozenset[URIRef] = frozenset()
    sparql: bool = False  # a SPARQL-based target: too costly to test per solution
    check: str = ""  # the same condition, written to start from a bound ?this

    def binding(self) -> str:
        if self.pattern == FOCUS_VALUES:
            return FOCUS_VALUES
        return f"{{ SELECT DISTINCT ?this WHERE {{ {self.pattern} }} }}"

    def test(self) -> str:
        """The target as a condition on an already bound ?this."""
        if self.pattern == FOCUS_VALUES:
            return FOCUS_VALUES
        return f"FILTER EXISTS {{ {self.check or self.pattern} }}"

    def for_values_of(self, path: Node) -> str:
        """The target as needed where ?this must have a value for ``path``: nothing when
        every subject of the (predicate) path is a focus node anyway."""
        if isinstance(path, URIRef) and path in self.subjects_of:
            return ""
        return self.test()


def _target(g: Graph, shape: Node) -> tuple[Target, dict[str, str]]:
    parts: list[str] = []
    checks: list[str] = []
    prefixes: dict[str, str] = {}
    subjects_of = frozenset(o for o in g.objects(shape, SH.targetSubjectsOf) if isinstance(o, URIRef))
    for k, cls in enumerate(g.objects(shape, SH.targetClass)):
        # The subclasses first, in a sub-SELECT of their own: Virtuoso mis-evaluates (NOT) EXISTS
        # next to a sub-SELECT that joins a type with a subclass path.
        parts.append(f"?this {_term(RDF.type)} ?targetType{k} . {{ SELECT DISTINCT ?targetType{k} WHERE "
                     f"{{ ?targetType{k} {_term(RDFS.subClassOf)}* {_term(cls)} }} }}")
        # From a bound ?this: its few types first, then the subclass path with both ends bound.
        checks.append(f"?this {_term(RDF.type)} ?targetClass{k} . "
                      + reaches(f"?targetClass{k}", f"{_term(RDFS.subClassOf)}*", _term(cls), f"?targetSuper{k}"))
    if subjects_of:
        values = " ".join(_term(p) for p in sorted(subjects_of))
        parts.append(f"VALUES ?targetPredicate {{ {values} }} ?this ?targetPredicate ?targetObject .")
    for predicate in g.objects(shape, SH.targetObjectsOf):
        parts.append(f"?targetSubject {_term(predicate)} ?this .")
    nodes = list(g.objects(shape, SH.targetNode))
    if nodes:
        parts.append(f"VALUES ?this {{ {' '.join(_term(n) for n in nodes)} }}")
    for target in g.objects(shape, SH.target):
        if (target, RDF.type, SH.SPARQLTarget) not in g or (target, SH.select, None) not in g:
            raise Untranslatable("only SPARQL-based targets (sh:SPARQLTarget with sh:select) are supported")
        text = THIS.sub("?this", str(g.value(target, SH.select)))
        checked(text, _prefixes(g, target), target=True)
        prefixes = _merge(prefixes, _prefixes(g, target))
        parts.append(f"{{ {text} }}")
    sparql = (shape, SH.target, None) in g
    checks += parts[len(checks):]
    if len(parts) == 1 and not subjects_of:
        return Target(parts[0], sparql=sparql, check=checks[0]), prefixes
    only_subjects = len(parts) == 1
    return Target(_union(parts), subjects_of if only_subjects else frozenset(), sparql, _union(checks)), prefixes


def _union(parts: list[str]) -> str:
    return " UNION ".join(f"{{ {p} }}" for p in parts)


#################################################################
# SHACL-SPARQL constraints
#################################################################

def _sparql_query(g: Graph, shape: Node, constraint: Node, target: Target, prefixes: dict[str, str],
                  severity: Node, path: Node | None = None) -> ShapeQuery:
    select = g.value(constraint, SH.select)
    if select is None:
        raise Untranslatable("a SPARQL constraint without sh:select")
    if (constraint, SH.deactivated, Literal(True)) in g:
        raise Untranslatable("deactivated SPARQL constraints are not supported")
    text = THIS.sub("?this", str(select)).replace("$currentShape", _term(shape))
    if "$PATH" in text:
        if path is None:
            raise Untranslatable("$PATH in a SPARQL constraint of a shape without sh:path")
        text = text.replace("$PATH", _sparql_path(g, path))
    if re.search(r"\$(shapesGraph|value)\b", text):
        raise Untranslatable("$shapesGraph and pre-bound $value are not supported")
    own = _prefixes(g, constraint)
    binds_this_cheaply = checked(text, own, target=False)
    brace = where_brace(text, keyword_required=True)
    if brace is None:
        raise Untranslatable("the SPARQL constraint has no WHERE clause")
    as_test = not target.sparql and binds_this_cheaply
    focus = target.test() if as_test else target.binding()
    joined = f"{text[:brace + 1]}\n    {focus}\n{text[brace + 1:]}"
    return ShapeQuery(source=shape, component=SH.SPARQLConstraintComponent, severity=severity,
                      text=joined, path=path, constraint=constraint, value_is_focus=path is None,
                      prefixes=_merge(prefixes, own))


def checked(text: str, prefixes: dict[str, str], target: bool) -> bool:
    """:func:`jeugdgov.validation.fast.query_check.binds_this_cheaply`, from the answers of
    earlier runs where there is one (rdflib's SPARQL parser is then not even imported)."""
    def check() -> bool:
        from jeugdgov.validation.fast.query_check import Refused, binds_this_cheaply

        try:
            return binds_this_cheaply(text, prefixes, target)
        except Refused as error:
            raise Untranslatable(str(error)) from None

    return bool(CHECKS.answer([text, prefixes, target], check))


#################################################################
# Core constraints
#################################################################

def _property_queries(g: Graph, prop: Node, target: Target, prefixes: dict[str, str],
                      severity: Node) -> Iterator[ShapeQuery]:
    _check_parameters(g, prop, allowed=CORE | {SH.sparql})
    path = _path(g, prop)
    sparql_path = _sparql_path(g, path)
    for constraint in g.objects(prop, SH.sparql):
        yield _sparql_query(g, prop, constraint, target, prefixes, severity, path=path)
    for parameter in sorted(CORE & set(g.predicates(prop))):
        for argument in g.objects(prop, parameter):
            text = _property_constraint(g, parameter, argument, sparql_path, path, target)
            yield ShapeQuery(source=prop, component=COMPONENTS[parameter], severity=severity,
                             text=text, path=path, prefixes=prefixes)


def _property_constraint(g: Graph, parameter: URIRef, argument: Node, sparql_path: str, path: Node,
                         target: Target) -> str:
    if parameter == SH.minCount:
        minimum = _integer(argument)
        if minimum <= 0:
            return "SELECT ?this WHERE { FILTER (false) }"
        if minimum == 1:
            return f"SELECT ?this WHERE {{ {target.binding()} FILTER NOT EXISTS {{ ?this {sparql_path} ?v }} }}"
        return (f"SELECT ?this WHERE {{ {target.binding()} OPTIONAL {{ ?this {sparql_path} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {minimum})")
    if parameter == SH.maxCount:
        # Counted first: the target is then tested on the few subjects with too many values.
        counted = (f"SELECT ?this WHERE {{ ?this {sparql_path} ?v }} "
                   f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {_integer(argument)})")
        test = target.for_values_of(path)
        return f"SELECT ?this WHERE {{ {{ {counted} }} {test} }}" if test else counted
    if parameter == SH.hasValue:
        return (f"SELECT ?this WHERE {{ {target.binding()} "
                f"FILTER NOT EXISTS {{ {_has('?this', sparql_path, _term(argument), count())} }} }}")
    # The condition depends on the value node alone: test each distinct value once, then find
    # the focus nodes of the values that fail (national data has few distinct values).
    condition = _value_condition(g, parameter, argument, "?value", count())
    distinct = f"SELECT DISTINCT ?value WHERE {{ ?owner {sparql_path} ?value }}"
    return (f"SELECT DISTINCT ?this ?value WHERE {{ "
            f"{{ SELECT ?value WHERE {{ {{ {distinct} }} FILTER ({condition}) }} }} "
            f"?this {sparql_path} ?value . {target.for_values_of(path)} }}")


def _node_level_query(g: Graph, shape: Node, parameter: URIRef, argument: Node, target: Target,
                      prefixes: dict[str, str], severity: Node) -> ShapeQuery:
    """A core constraint on the focus node itself (its only value node)."""
    if parameter in (SH.minCount, SH.maxCount):
        raise Untranslatable("sh:minCount and sh:maxCount need sh:path")
    if parameter == SH.hasValue:
        text = f"SELECT ?this WHERE {{ {target.binding()} FILTER (!sameTerm(?this, {_term(argument)})) }}"
    else:
        condition = _value_condition(g, parameter, argument, "?this", count())
        text = f"SELECT ?this WHERE {{ {target.binding()} FILTER ({condition}) }}"
    return ShapeQuery(source=shape, component=COMPONENTS[parameter], severity=severity, text=text,
                      value_is_focus=True, prefixes=prefixes)


def _value_condition(g: Graph, parameter: URIRef, argument: Node, var: str, names: count,
                     depth: int = 0) -> str:
    """An expression that is true when the value node ``var`` violates the constraint."""
    if parameter == SH.datatype:
        valid = f"isLiteral({var}) && DATATYPE({var}) = {_term(argument)}"
        if argument in CASTABLE:
            valid += f" && COALESCE(STRLEN(STR({_term(argument)}({var}))) >= 0, false)"
        return f"!({valid})"
    if parameter in COMPARISONS:
        return f"!COALESCE({var} {COMPARISONS[parameter]} {_term(argument)}, false)"
    if parameter == SH["class"]:
        # Its few types first, then the subclass path with both ends bound (as a sequence path
        # oxigraph would walk the subclasses of the class for every value node).
        number = next(names)
        kind = f"?class{number}"
        return (f"NOT EXISTS {{ {var} {_term(RDF.type)} {kind} . "
                f"{reaches(kind, f'{_term(RDFS.subClassOf)}*', _term(argument), f'?super{number}')} }}")
    if parameter == SH.node:
        branches = _violation(g, argument, var, names, depth + 1)
        if all(b.startswith(FILTER) for b in branches):
            # A group that holds only a filter is its filter's expression, written as one: Virtuoso
            # mis-evaluates an EXISTS around such a group.
            return "(" + " || ".join(b.removeprefix(FILTER) for b in branches) + ")"
        return f"EXISTS {{ {_union(branches)} }}"
    raise Untranslatable(f"sh:{parameter.removeprefix(str(SH))} on a value node is not supported")


FILTER = "FILTER "


def reaches(subject: str, path: str, target: str, free: str) -> str:
    """``subject path target`` for a path with ``*``, ``+`` or ``?`` and a constant target,
    written with the path's end as a fresh variable compared afterwards: Virtuoso mis-evaluates
    such a path with both ends bound where the subject comes from outside a (NOT) EXISTS or an
    OPTIONAL. The meaning is the same."""
    return f"{subject} {path} {free} . FILTER (sameTerm({free}, {target}))"


def _is_complex(path: str) -> bool:
    return any(mark in path for mark in "*+?")


def _violation(g: Graph, shape: Node, focus: str, names: count, depth: int) -> list[str]:
    """Patterns that have a solution when ``focus`` does not conform to ``shape`` (for sh:node),
    one for each way it can fail; a pattern that is a filter alone starts with ``FILTER``."""
    if depth > 8:
        raise Untranslatable("sh:node nests too deep (or is recursive)")
    _check_parameters(g, shape, allowed=CORE | {SH.property})
    branches: list[str] = []
    for parameter in CORE & set(g.predicates(shape)):
        for argument in g.objects(shape, parameter):
            if parameter in (SH.minCount, SH.maxCount):
                raise Untranslatable("sh:minCount and sh:maxCount need sh:path")
            if parameter == SH.hasValue:
                branches.append(f"{FILTER}(!sameTerm({focus}, {_term(argument)}))")
            else:
                branches.append(f"{FILTER}({_value_condition(g, parameter, argument, focus, names, depth)})")
    for prop in g.objects(shape, SH.property):
        _check_parameters(g, prop, allowed=CORE)
        path = _sparql_path(g, _path(g, prop))
        for parameter in CORE & set(g.predicates(prop)):
            for argument in g.objects(prop, parameter):
                v = f"?n{next(names)}"
                if parameter == SH.minCount:
                    if _integer(argument) > 1:
                        raise Untranslatable("sh:minCount above 1 in a nested shape is not supported")
                    if _integer(argument) == 1:
                        branches.append(f"{FILTER}(NOT EXISTS {{ {focus} {path} {v} }})")
                elif parameter == SH.maxCount:
                    if _integer(argument) != 1:
                        raise Untranslatable("sh:maxCount other than 1 in a nested shape is not supported")
                    w = f"?n{next(names)}"
                    branches.append(f"{focus} {path} {v}, {w} . FILTER (!sameTerm({v}, {w}))")
                elif parameter == SH.hasValue:
                    branches.append(f"{FILTER}(NOT EXISTS {{ {_has(focus, path, _term(argument), names)} }})")
                else:
                    condition = _value_condition(g, parameter, argument, v, names, depth)
                    branches.append(f"{focus} {path} {v} . FILTER ({condition})")
    return branches or [f"{FILTER}(false)"]


def _has(subject: str, path: str, value: str, names: count) -> str:
    """The pattern ``subject path value`` for a constant value."""
    return reaches(subject, path, value, f"?has{next(names)}") if _is_complex(path) else f"{subject} {path} {value}"


#################################################################
# Terms, paths and prefixes
#################################################################

def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise Untranslatable("a blank node as a constraint argument is not supported")
    return node.n3()


def _path(g: Graph, prop: Node) -> Node:
    path = g.value(prop, SH.path)
    if path is None:
        raise Untranslatable("a property shape without sh:path")
    return path


def _integer(argument: Node) -> int:
    value = argument.value if isinstance(argument, Literal) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Untranslatable(f"{argument} is not an integer")
    return value


def _sparql_path(g: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return _term(path)
    if (path, RDF.first, None) in g:
        return "(" + "/".join(_sparql_path(g, p) for p in Collection(g, path)) + ")"
    for kind, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(path, kind)
        if inner is not None:
            return f"({_sparql_path(g, inner)}){suffix}"
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({_sparql_path(g, inverse)})"
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_sparql_path(g, p) for p in Collection(g, alternatives)) + ")"
    raise Untranslatable(f"the path {path} is not a SHACL path")


def _prefixes(g: Graph, node: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for source in g.objects(node, SH.prefixes):
        for declaration in g.objects(source, SH.declare):
            prefix = g.value(declaration, SH.prefix)
            namespace = g.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found = _merge(found, {str(prefix): str(namespace)})
    return found


def _merge(a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    for prefix, namespace in b.items():
        if a.get(prefix, namespace) != namespace:
            raise Untranslatable(f"prefix '{prefix}' is declared for two namespaces")
    return {**a, **b}


def query_text(query: ShapeQuery) -> str:
    """The full query: its prefix declarations and the select."""
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(query.prefixes.items()))
    return header + query.text
