"""Checking a shape's SPARQL query before the fast engine joins its target into it.

rdflib's SPARQL parser (pyparsing) reads the query; a query whose meaning would change when
?this is joined instead of pre-bound is refused. The parser is slow to import and to run, so
:func:`jeugdgov.validation.fast.translate.checked` keeps the answers from run to run and
imports this module only for a query it has not seen.
"""

from __future__ import annotations

from typing import Any, cast

from pyparsing import ParseResults
from rdflib import RDF, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue


class Refused(Exception):
    """A query the fast engine cannot evaluate with pySHACL's meaning."""


def binds_this_cheaply(text: str, prefixes: dict[str, str], target: bool) -> bool:
    """Refuse what :func:`_check_select` refuses; say whether the query binds ?this cheaply.

    The target binds ?this first, except where the query itself binds ?this cheaply; there the
    target is a test on its solutions. Cheaply: only the branches of a UNION bind it (oxigraph
    would evaluate every branch again for each focus node), or ?this is the subject of a
    property, which the things of the target class have and few others do."""
    where = _get(_check_select(text, prefixes, target), "where")
    return _subject_of_a_property(where) or (_binds_this(where, union_only=True) and not _this_in_scoped(where))


def _subject_of_a_property(group: CompValue) -> bool:
    """Whether a triple of the group's own triples has ?this as subject and a plain property
    (not a path, not rdf:type, which all things have) as predicate."""
    for part in _get(group, "part") or []:
        if part.name != "TriplesBlock":
            continue
        for block in _get(part, "triples") or []:
            for k in range(0, len(block) - 2, 3):
                if block[k] == Variable("this") and _plain_property(block[k + 1]) not in (None, RDF.type):
                    return True
    return False


def _plain_property(verb: object) -> object:
    """The IRI (or prefixed name) of a predicate that is one property, else None."""
    for name in ("PathAlternative", "PathSequence"):  # each of one part
        parts = _get(verb, "part") if isinstance(verb, CompValue) and verb.name == name else None
        if not isinstance(parts, list) or len(parts) != 1:
            return None
        verb = parts[0]
    if not (isinstance(verb, CompValue) and verb.name == "PathElt") or _get(verb, "mod") is not None:
        return None  # an inverse, or a path with * + ?
    verb = _get(verb, "part")
    if isinstance(verb, CompValue) and verb.name == "pname":
        return RDF.type if (_get(verb, "prefix"), _get(verb, "localname")) == ("rdf", "type") else verb
    return verb if isinstance(verb, URIRef) else None


def _binds_this(group: CompValue, union_only: bool = False) -> bool:
    """Whether every solution of a group's required patterns binds ?this (with ``union_only``:
    and only a UNION of two or more branches binds it)."""
    parts = _get(group, "part") or []
    if any(part.name == "TriplesBlock" and _mentions_this(part) for part in parts):
        return not union_only
    for part in parts:
        branches = _get(part, "graph") or [] if part.name == "GroupOrUnionGraphPattern" else []
        if branches and all(_binds_this(b) for b in branches) and (len(branches) > 1 or not union_only):
            return True
    return False


def _this_in_scoped(node: object) -> bool:
    """Whether ?this occurs where a join would bind it differently than pre-binding does."""
    if isinstance(node, CompValue):
        if node.name in ("OptionalGraphPattern", "Bind", "SubSelect", "MinusGraphPattern") \
                or node.name.startswith("InlineData"):
            return _mentions_this(node)
        if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            return False  # evaluated per solution, with ?this substituted
    return any(_this_in_scoped(child) for child in _children(node))


def _check_select(text: str, prefixes: dict[str, str], target: bool) -> CompValue:
    """Refuse queries whose meaning would change when ?this is joined instead of pre-bound."""
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    try:
        parsed = parseQuery(header + text)
    except Exception as error:
        raise Refused(f"the query does not parse: {error}") from None
    query = parsed[1]
    if query.name != "SelectQuery":
        raise Refused("only SELECT queries are supported")
    projected = _projected(query)
    if projected is not None and Variable("this") not in projected:
        raise Refused("the query does not select $this")
    if not target and _aggregates(query) and Variable("this") not in _group_variables(query):
        raise Refused("an aggregate query that does not GROUP BY $this")
    problems: list[str] = []
    if not target:  # a target query runs as written, nothing is pre-bound in it
        _walk(_get(query, "where"), "top", False, problems)
    if problems:
        raise Refused("; ".join(sorted(set(problems))))
    return cast(CompValue, query)


def _projected(query: CompValue) -> set[Variable] | None:
    projection = _get(query, "projection")
    if not projection:
        return None  # SELECT *
    return {_get(p, "evar") or _get(p, "var") for p in projection}


def _aggregates(query: CompValue) -> bool:
    found: list[bool] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name.startswith("Aggregate_"):
            found.append(True)
        for child in _children(node):
            visit(child)
    visit(_get(query, "projection"))
    visit(_get(query, "having"))
    return bool(found) or _get(query, "groupby") is not None


def _group_variables(query: CompValue) -> set[Variable]:
    group = _get(query, "groupby")
    return {c for c in _get(group, "condition") or []} if group is not None else set()


def _walk(node: object, scope: str, in_expression: bool, problems: list[str]) -> None:
    """Find uses of ?this that a join does not reach (scope: top, exists or nested)."""
    if isinstance(node, Variable):
        if node == Variable("this") and in_expression and scope == "nested":
            problems.append("$this is used in an expression of a nested group")
        return
    if not isinstance(node, CompValue):
        for child in _children(node):
            _walk(child, scope, in_expression, problems)
        return
    name = node.name
    if name == "SubSelect" and not _only_selects_this(node):
        problems.append("sub-SELECT")
    elif name in ("MinusGraphPattern", "ServiceGraphPattern"):
        problems.append(name.removesuffix("GraphPattern").upper())
    elif name.startswith("InlineData") and _mentions_this(node):
        problems.append("VALUES binding $this")
    elif name == "Bind" and _get(node, "var") == Variable("this"):
        problems.append("BIND to $this")
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        # EXISTS patterns are evaluated by substitution of the current solution.
        _walk(_get(node, "graph"), "exists" if scope != "nested" else "nested", False, problems)
        return
    if name == "GroupOrUnionGraphPattern":
        for group in _get(node, "graph") or []:
            _walk(group, "nested" if scope == "top" else scope, False, problems)
        return
    if name == "OptionalGraphPattern":
        # Filters at the top of an OPTIONAL group are conditions of the left join.
        for part in _get(_get(node, "graph"), "part") or []:
            inner = scope if part.name == "Filter" else ("nested" if scope == "top" else scope)
            _walk(part, inner, False, problems)
        return
    expression = in_expression or name in ("Filter", "Bind")
    for child in _children(node):
        _walk(child, scope, expression, problems)


def _children(node: object) -> list[object]:
    if isinstance(node, CompValue):
        return list(node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return list(node)
    return []


def _get(node: CompValue, key: str) -> Any:
    # CompValue.get answers a missing key with the key itself. The values are whatever the
    # parser made of the query: CompValues, lists, terms.
    return dict.get(node, key)


def _only_selects_this(select: CompValue) -> bool:
    """Whether a sub-SELECT selects ?this, as pySHACL requires, and reads it nowhere else: it is
    then evaluated without it, pre-bound or joined alike, and its solutions join with either.
    (One that does not select ?this goes to pySHACL, which refuses it.)"""
    projection = _get(select, "projection") or []
    if not any(_get(p, "var") == Variable("this") for p in projection):
        return False
    others = [p for p in projection if _get(p, "var") != Variable("this")]
    return not _mentions_this(others) and not any(_mentions_this(v) for k, v in select.items() if k != "projection")


def _mentions_this(node: object) -> bool:
    return node == Variable("this") or any(_mentions_this(c) for c in _children(node))
