"""A rewrite that lets Virtuoso Open Source 7 evaluate the shape queries correctly.

Virtuoso 7.2.5 answers some standard SPARQL wrongly without an error (docs/production-stores.md).
Its optimiser turns a comparison of a variable with a constant into a binding of that variable,
and a path with ``*``, ``+`` or ``?`` whose end is a constant (written so, or compared so
afterwards) is then evaluated from that end: where the start is bound from outside (a join, an
enclosing (NOT) EXISTS) the result is wrong, missing or extra rows, for some rows, in some runs.

Written with the path's end as a fresh variable and compared by its string afterwards
(``?t rdfs:subClassOf* ?end . FILTER (isIRI(?end) && STR(?end) = STR(jg:Actor))``), the path is
walked from its bound start and Virtuoso answers as SPARQL says. For an IRI the meaning is the
same: ``sameTerm(?end, <c>)`` holds exactly when ``?end`` is an IRI with the same text. A
filter applies to the whole group it stands in, so it goes at the group's end.

Other forms Virtuoso answers right but evaluates again for every solution around them, far too
slowly on national data (a test of a path's zero-length case, an EXISTS sharing no variable
with the query), are written so that it evaluates them once or joins them from a bound start.

The rewriter reads just enough SPARQL to find paths and groups; on anything it does not
understand it returns the query unchanged.
"""

from __future__ import annotations

import re
from functools import cache

from jeugdgov.sparql.text import Token, Unreadable, closing_brace, lex

#: Tokens a property path is made of (a variable is never part of one).
PATH_TOKENS = {"(", ")", "|", "/", "^", "*", "+", "?", "!"}
REPEATS = {"*", "+", "?"}
CONSTANTS = {"iri", "pname"}
FRESH = "?virtuosoEnd"
ONCE = "?virtuosoOnce"
TWICE = "?virtuosoTwice"
#: The subclasses of a target class, selected first (translate._target): Virtuoso joins such a
#: sub-SELECT wrongly with the rest of a query; joined directly the meaning is the same.
SUBCLASSES_FIRST = re.compile(r"\{ SELECT DISTINCT (\?targetType\d+) WHERE \{ \1 (\S+) (\S+) \} \}")
#: A target written as a sub-SELECT of distinct focus nodes (translate.Target.binding) at the
#: start of a SELECT DISTINCT query: Virtuoso loses rows of the join with it. Joined directly,
#: its solutions repeat, which changes nothing where the query keeps distinct ones and
#: aggregates nothing.
DISTINCT_TARGET = re.compile(r"(SELECT DISTINCT [^{]*\{\s*)"
                             r"\{ SELECT DISTINCT \?this WHERE \{ ((?:[^{}]|\{[^{}]*\})*) \} \}")
#: A query that counts or groups: there repeated solutions would change the answer.
AGGREGATES = re.compile(r"\bGROUP\s+BY\b|\b(COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)


@cache
def for_virtuoso(query: str) -> str:
    """The query with every constant end of a ``*``/``+``/``?`` path replaced by a fresh variable
    compared by its text, every ``sameTerm(?v, constant)`` compared so too, and the zero-length
    case of a ``*`` path from outside a group split off into a branch of its own, and every
    ``FILTER EXISTS`` that shares no variable with the rest of the query joined as a one-row
    sub-SELECT, and an EXISTS holding only a path to a constant written with a fresh end, twice;
    or unchanged."""
    try:
        return _uncorrelated_once(_zero_length_apart(_constant_ends(_lone_path_twice(query))))
    except Unreadable:
        return query


def _constant_ends(query: str) -> str:
    query = SUBCLASSES_FIRST.sub(r"\1 \2 \3 .", query)
    if not AGGREGATES.search(query):
        query = DISTINCT_TARGET.sub(r"\1\2", query, count=1)
    tokens = lex(query)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text
    groups: list[list[str]] = []  # per open group: the filters to add before its '}'
    opened: list[int] = []  # positions of the open groups' braces
    names = iter(range(1_000_000))
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if token.text == "{":
            groups.append([])
            opened.append(k)
        elif token.text == "}":
            if not groups:
                raise Unreadable("unbalanced braces")
            added = groups.pop()
            opened.pop()
            if added:
                edits.append((token.start, token.start, " ".join(added) + " "))
        elif groups and token.kind in CONSTANTS and _ends_repeated_path(tokens, k, opened[-1]):
            fresh = f"{FRESH}{next(names)}"
            edits.append((token.start, token.end, fresh))
            groups[-1].append(f"FILTER (isIRI({fresh}) && STR({fresh}) = STR({token.text}))")
        elif token.kind == "word" and token.text.lower() == "sameterm":
            found = _same_term(tokens, k)
            if found is not None:
                variable, constant, end = found
                edits.append((token.start, tokens[end].end,
                              f"(isIRI({variable}) && STR({variable}) = STR({constant}))"))
                k = end
        k += 1
    if groups:
        raise Unreadable("unbalanced braces")
    return _edited(query, edits)


def _ends_repeated_path(tokens: list[Token], k: int, group: int) -> bool:
    """Whether the constant at ``k`` is the object of a triple whose predicate is a path with
    ``*``, ``+`` or ``?`` (after a ``,`` the object list's predicate counts), and whose subject
    is a constant or a variable that the group (opening at ``group``) mentions elsewhere.
    Virtuoso evaluates a path to a constant from an unbound start (or one bound only outside
    an EXISTS group) from the constant; written with a fresh end it refuses it ("transitive
    start not given")."""
    if k + 1 < len(tokens) and not (tokens[k + 1].text in (".", ";", ",", "}") or tokens[k + 1].kind == "word"):
        return False  # part of a path, or no object
    j = k - 1
    while j >= 1 and tokens[j].text == "," and tokens[j - 1].kind in CONSTANTS | {"var", "string", "number"}:
        j -= 2  # an object list: back to its predicate
    verb: list[Token] = []
    while j >= 0 and (tokens[j].text in PATH_TOKENS or tokens[j].kind in CONSTANTS or tokens[j].text == "a"):
        verb.append(tokens[j])
        j -= 1
    if j >= 0 and tokens[j].kind != "var" and tokens[j].text not in (";", ".", "{", "}"):
        return False
    if j >= 0 and tokens[j].text in (".", "{", "}") and verb:
        verb.pop()  # the subject, a constant
    elif j >= 0 and tokens[j].kind == "var" and not any(
            tokens[i].text == tokens[j].text for i in range(group, closing_brace(tokens, group)) if i != j):
        return False
    return any(t.kind == "punct" and t.text in REPEATS for t in verb) and any(
        t.kind in CONSTANTS or t.text == "a" for t in verb)


def _same_term(tokens: list[Token], k: int) -> tuple[str, str, int] | None:
    """``sameTerm ( ?v , constant )`` (either order) at ``k``: the variable, the constant and
    the position of the closing parenthesis; else None."""
    if k + 5 >= len(tokens):
        return None
    opening, first, comma, second, closing = tokens[k + 1:k + 6]
    if (opening.text, comma.text, closing.text) != ("(", ",", ")"):
        return None
    if first.kind == "var" and second.kind in CONSTANTS:
        return first.text, second.text, k + 5
    if second.kind == "var" and first.kind in CONSTANTS:
        return second.text, first.text, k + 5
    return None


def _zero_length_apart(query: str) -> str:
    """A UNION branch inside a (NOT) EXISTS with ``?s (p)* ?o``, where the branch mentions ``?o``
    elsewhere but ``?s`` nowhere else (``?s`` is bound outside it, an EXISTS pattern's focus
    node), as two branches: the zero-length case, the rest of the branch with ``?o`` replaced by
    ``?s``, and the branch with ``(p)+``. The same test: a (NOT) EXISTS asks only whether some
    solution exists. Virtuoso misses the zero-length case of such a path (``?o`` the node ``?s``
    itself); and a test of it per solution (``FILTER (sameTerm(?s, ?o) || EXISTS { ?s (p)+ ?o })``)
    it evaluates for every solution of the rest of the branch, a municipality's hundreds of
    agreements, where the split branches join from ``?s``'s few organisations."""
    tokens = lex(query)
    found: list[tuple[int, int, int, int]] = []  # (subject, star, object, group) positions
    opened: list[int] = []
    for k, token in enumerate(tokens):
        if token.text == "{":
            opened.append(k)
        elif token.text == "}" and opened:
            opened.pop()
        elif (opened and token.kind == "var" and tokens[k - 1].text in ("{", ".")
              and _union_branch(tokens, opened[-1]) and _inside_exists(tokens, opened)):
            triple = _zero_or_more_triple(tokens, k, opened[-1])
            if triple is not None:
                found.append((k, triple[0] - 1, triple[0], opened[-1]))
    edits: list[tuple[int, int, str]] = []
    rewritten: list[tuple[int, int]] = []  # the branches rewritten, one path each
    for k, star, end, group in found:
        closing = closing_brace(tokens, group)
        if any(start <= closing and group <= stop for start, stop in rewritten):
            continue
        rewritten.append((group, closing))
        subject, obj = tokens[k].text, tokens[end].text
        after = end + 1 if tokens[end + 1].text == "." else end
        zero_text = "".join(query[tokens[i - 1].end:tokens[i].start]
                            + (subject if tokens[i].text == obj else tokens[i].text)
                            for i in range(group + 1, closing) if not k <= i <= after)
        inner = query[tokens[group + 1].start:tokens[star].start] + "+" + query[tokens[star].end:tokens[closing].start]
        edits.append((tokens[group].start, tokens[closing].end, f"{{ {{ {zero_text} }} UNION {{ {inner} }} }}"))
    return _edited(query, edits)


def _inside_exists(tokens: list[Token], opened: list[int]) -> bool:
    """Whether one of the open groups (positions of their braces) is an EXISTS pattern."""
    return any(group > 0 and tokens[group - 1].upper == "EXISTS" for group in opened)


def _union_branch(tokens: list[Token], group: int) -> bool:
    """Whether the group opening at ``group`` is a branch of a UNION."""
    closing = closing_brace(tokens, group)
    return (group > 0 and tokens[group - 1].upper == "UNION") or (
        closing + 1 < len(tokens) and tokens[closing + 1].upper == "UNION")


def _zero_or_more_triple(tokens: list[Token], k: int, group: int) -> tuple[int, str] | None:
    """For ``?s X* ?o`` at ``k`` (X one IRI or a bracketed path) ending a triple, where the group
    opening at ``group`` mentions ``?o`` elsewhere and ``?s`` nowhere else: the position of
    ``?o`` and X; else None."""
    j = k + 1
    if j < len(tokens) and tokens[j].text == "(":
        depth = 0
        while j < len(tokens):
            depth += {"(": 1, ")": -1}.get(tokens[j].text, 0)
            if depth == 0:
                break
            j += 1
    elif not (j < len(tokens) and tokens[j].kind in CONSTANTS):
        return None
    star, end = j + 1, j + 2
    if end + 1 >= len(tokens) or tokens[star].text != "*" or tokens[end].kind != "var":
        return None
    if tokens[end + 1].text not in (".", "}"):
        return None
    closing = closing_brace(tokens, group)
    elsewhere = [tokens[i].text for i in range(group, closing) if not k <= i <= end]
    if tokens[k].text in elsewhere or tokens[end].text not in elsewhere:
        return None
    return end, "".join(t.text for t in tokens[k + 1:star])


def _uncorrelated_once(query: str) -> str:
    """``FILTER EXISTS { P }`` where ``P`` shares no variable with the rest of the query, as a
    join with ``{ SELECT (1 AS ?fresh) WHERE { P } LIMIT 1 }``: one row if ``P`` has a solution,
    none if not, the same test. Virtuoso evaluates such an EXISTS again for every solution of
    its group (a national setup's every typed node, walked up its classes, per municipality);
    the sub-SELECT it evaluates once. Not where a ``SELECT *`` would show the fresh variable."""
    tokens = lex(query)
    if any(t.upper == "SELECT" and "*" in (tokens[i + 1].text, tokens[i + 2].text)
           for i, t in enumerate(tokens[:-2])):
        return query
    edits: list[tuple[int, int, str]] = []
    names = iter(range(1_000_000))
    k = 0
    while k + 2 < len(tokens):
        if tokens[k].upper == "FILTER" and tokens[k + 1].upper == "EXISTS" and tokens[k + 2].text == "{":
            closing = closing_brace(tokens, k + 2)
            inside = {t.text for t in tokens[k + 3:closing] if t.kind == "var"}
            outside = {t.text for i, t in enumerate(tokens) if t.kind == "var" and not k < i < closing}
            if not inside & outside:
                pattern = query[tokens[k + 2].start:tokens[closing].end]
                edits.append((tokens[k].start, tokens[closing].end,
                              f"{{ SELECT (1 AS {ONCE}{next(names)}) WHERE {pattern} LIMIT 1 }}"))
                k = closing
        k += 1
    return _edited(query, edits)


def _lone_path_twice(query: str) -> str:
    """``EXISTS { ?v p* C }`` (a ``*``/``+``/``?`` path to a constant, alone in its group, from a
    variable bound outside it) as ``EXISTS { ?v p* ?end . ?v p* ?end . FILTER (isIRI(?end) &&
    STR(?end) = STR(C)) }``: the same test. Beside OPTIONALs of the enclosing group Virtuoso
    answers the original wrongly for some solutions on national data (access-and-delivery:
    16 findings missing of 10,000 decisions), refuses the fresh end written once ("transitive
    start not given") and answers the path written twice right."""
    tokens = lex(query)
    edits: list[tuple[int, int, str]] = []
    names = iter(range(1_000_000))
    for k, token in enumerate(tokens[:-3]):
        if token.upper != "EXISTS" or tokens[k + 1].text != "{" or tokens[k + 2].kind != "var":
            continue
        closing = closing_brace(tokens, k + 1)
        path, end = tokens[k + 3:closing - 1], tokens[closing - 1]
        if not (path and end.kind in CONSTANTS and any(t.text in REPEATS for t in path)
                and all(t.text in PATH_TOKENS or t.kind in CONSTANTS for t in path)):
            continue
        fresh = f"{TWICE}{next(names)}"
        triple = f"{tokens[k + 2].text} {query[path[0].start:path[-1].end]} {fresh}"
        edits.append((tokens[k + 2].start, end.end,
                      f"{triple} . {triple} . FILTER (isIRI({fresh}) && STR({fresh}) = STR({end.text}))"))
    return _edited(query, edits)


def _edited(query: str, edits: list[tuple[int, int, str]]) -> str:
    """The query with each (start, end, replacement) made, the last first so that the offsets hold."""
    for start, end, replacement in sorted(edits, reverse=True):
        query = query[:start] + replacement + query[end:]
    return query
