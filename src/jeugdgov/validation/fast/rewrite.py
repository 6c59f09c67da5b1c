"""A rewrite that lets oxigraph's planner evaluate paths, EXISTS and sub-SELECTs from what is bound.

Inside a group, oxigraph joins a triple pattern whose path can be of length zero (``p*``,
``p?``) with its neighbours by a hash join: it evaluates the path on its own, for every node
of the graph, and does so again for every solution of an enclosing EXISTS. Inside EXISTS it
also plans joins without knowing which variables the enclosing solution binds. On national
data both are quadratic. Written as ``LATERAL { s p* o }`` where it stands, a path is
evaluated once per solution with its ends bound; inside EXISTS every triple after the first
of a block becomes a LATERAL block too, so the triples are joined one after the other,
anchored at the bound variables (as rdflib under pySHACL evaluates them; see ``_order``). For
triple patterns a lateral join is the plain join (substituting bound variables and joining
gives the same solutions), so the rewrite keeps the meaning. Only oxigraph (SEP-0006) knows
LATERAL, so the rewrite is not used for other stores.

An OPTIONAL after other patterns (or inside EXISTS) becomes ``LATERAL { OPTIONAL { ... } }``:
the same left join, but evaluated from the bound variables instead of for every node of the
graph (the periods of three contracts, not of every dated thing in the setup). Inside EXISTS a
group (or a UNION of groups) of triples only after other patterns becomes lateral too.
Variables count as bound in an EXISTS pattern when they occur around it, outside the other
branches of a UNION. oxigraph keeps a group's filters for its end: the patterns and filters
before the first OPTIONAL go into a group of their own, so that they filter before it.

oxigraph also moves the filters around a sub-SELECT into it, so that they test every row
instead of every distinct solution; a LIMIT that is never reached keeps them outside. For the
same reason a SELECT DISTINCT query makes its solutions distinct before the (NOT) EXISTS tests
that read only selected variables: a solution pair of (provider, municipality) found through
many contracts is then tested once. There, the first branch of a NOT EXISTS of a UNION is tested
first: oxigraph tries a UNION's branches in an order of its own, not the one written.

The rewriter reads just enough SPARQL to find triples blocks; on anything it does not
understand it returns the query unchanged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from jeugdgov.sparql import text as sparql_text
from jeugdgov.sparql.text import Token, Unreadable, closing_brace, lex
from jeugdgov.validation.fast.cache import DiskMemo

GROUP_KEYWORDS = {"OPTIONAL", "MINUS", "LATERAL"}
#: What a group may not hold to be joined laterally: a lateral join would let these see the
#: variables bound before the group, a plain join does not.
NOT_TRIPLES = {"FILTER", "BIND", "VALUES", "SELECT", "OPTIONAL", "MINUS", "LATERAL", "GRAPH", "SERVICE"}
NO_LIMIT = 10**15
EXISTS_FILTER = re.compile(r"FILTER (NOT )?EXISTS \{")
TERM_KINDS = {"iri", "string", "var", "number", "pname"}


def _order(triples: list[tuple[str, str, str, bool]], bound: set[str]) -> list[tuple[str, str, str, bool]]:
    """Greedy join order: next the triple that is cheapest to evaluate given what is bound.

    With no statistics at hand, a bound subject is taken to be cheaper than a bound object
    (a thing has few parties, a party many agreements) and a plain predicate cheaper than a
    path; a triple with nothing bound goes last. Ties keep the written order.
    """
    def cost(triple: tuple[str, str, str, bool]) -> int:
        subject, verb, obj, _zero = triple
        subject_bound = not subject.startswith(("?", "$")) or subject in bound
        object_bound = not obj.startswith(("?", "$")) or obj in bound
        path = any(c in verb for c in "/|^*+?(")
        if subject_bound and object_bound:
            return 1
        if subject_bound:
            return 10 if path else 5
        if object_bound:
            return 40 if path else 20
        return 1000

    remaining = list(triples)
    ordered = []
    while remaining:
        best = min(range(len(remaining)), key=lambda k: (cost(remaining[k]), k))
        chosen = remaining.pop(best)
        ordered.append(chosen)
        bound |= {term for term in (chosen[0], chosen[2]) if term.startswith("?")}
    return ordered


def _exists_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token positions of the braces of every EXISTS pattern."""
    return [(k + 1, closing_brace(tokens, k + 1)) for k, token in enumerate(tokens)
            if token.upper == "EXISTS" and k + 1 < len(tokens) and tokens[k + 1].text == "{"]


def _union_branch_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token positions of the braces of every branch of a UNION."""
    spans = set()
    for k, token in enumerate(tokens):
        if token.upper == "UNION" and k + 1 < len(tokens) and tokens[k + 1].text == "{":
            spans.add((k + 1, closing_brace(tokens, k + 1)))
            spans.add((_opening(tokens, k - 1), k - 1))
    return sorted(spans)


def _distinct_first(head: list[str], parts: list[str]) -> str:
    """The WHERE group of a query, with the solutions made distinct before the (NOT) EXISTS
    filters that read only selected variables, so that each distinct solution is tested once.

    Only for SELECT DISTINCT of plain variables: a filter that reads only selected variables
    gives the same answer on every solution that agrees on them.
    """
    selected = head[head.index("SELECT") + 1:-1] if "SELECT" in head else []
    late: list[int] = []
    if selected and selected[0].upper() == "DISTINCT" and all(v.startswith("?") for v in selected[1:]):
        parts = _project_early(selected[1:], parts)
        variables = [{t.text for t in lex(part) if t.kind == "var"} for part in parts]

        def reads_only_selected(k: int) -> bool:
            elsewhere = set().union(*(v for j, v in enumerate(variables) if j != k))
            return not (variables[k] & elsewhere) - set(selected[1:])

        late = [k for k, part in enumerate(parts) if EXISTS_FILTER.match(part) and reads_only_selected(k)]
    if not late or len(late) == len(parts):
        return _braced(_filters_before_optionals(parts))
    early = _filters_before_optionals([part for k, part in enumerate(parts) if k not in late])
    solutions = f"{{ SELECT {' '.join(selected)} WHERE {_braced(early)} LIMIT {NO_LIMIT} }}"
    # NOT EXISTS { {A} UNION {B} ... } is NOT EXISTS {A} and NOT EXISTS { {B} ... }. oxigraph
    # tries a UNION's branches in an order of its own; the first, written as the one that
    # holds most often, is tested first, on its own, behind a LIMIT that keeps it there.
    first, rest = [], []
    for k in late:
        branches = _union_branches(parts[k].removeprefix("FILTER NOT EXISTS "))
        if len(branches) > 1 and parts[k].startswith("FILTER NOT EXISTS"):
            first.append(f"FILTER NOT EXISTS {branches[0]}")
            rest.append(f"FILTER NOT EXISTS {{ {' UNION '.join(branches[1:])} }}")
        else:
            rest.append(parts[k])
    if first:
        solutions = f"{{ SELECT {' '.join(selected[1:])} WHERE {{ {solutions} {' '.join(first)} }} LIMIT {NO_LIMIT} }}"
    return f"{{ {solutions} {' '.join(rest)} }}"


def _union_branches(group: str) -> list[str]:
    """The branches of a group that is one UNION of groups (``{ {A} UNION {B} }``), else []."""
    tokens = lex(group)
    if len(tokens) < 2 or tokens[0].text != "{" or closing_brace(tokens, 0) != len(tokens) - 1:
        return []
    branches, k = [], 1
    while tokens[k].text == "{":
        end = closing_brace(tokens, k)
        branches.append(group[tokens[k].start:tokens[end].end])
        k = end + 1
        if tokens[k].upper != "UNION":
            break
        k += 1
    return branches if k == len(tokens) - 1 else []


def _project_early(selected: list[str], parts: list[str]) -> list[str]:
    """The parts of a SELECT DISTINCT group with its first patterns made distinct on the
    variables the rest of the query reads, where that leaves some out: a provider's many
    contracts for the same task then go on as one solution.

    The first patterns are triples and groups without OPTIONAL, and filters that read only
    what those bind (a filter reads its whole group, so one that reads a later variable would
    change its meaning), up to the first pattern that is not a plain filter.
    """
    def is_filter(part: str) -> bool:
        return part.startswith("FILTER") and not EXISTS_FILTER.match(part)

    bound: set[str] = set()
    for k, part in enumerate(parts[:-1]):
        if is_filter(part):
            if not _variables(part) <= bound:
                return parts
        elif (part.startswith(("{", "LATERAL")) or lex(part)[0].kind in TERM_KINDS) and "OPTIONAL" not in part:
            bound |= _variables(part)
        else:
            return parts
        if is_filter(parts[k + 1]):
            continue
        later = set().union(*(_variables(p) for p in parts[k + 1:])) | set(selected)
        if bound - later and bound & later:
            kept = " ".join(sorted(bound & later))
            return [f"{{ SELECT DISTINCT {kept} WHERE {_braced(parts[:k + 1])} LIMIT {NO_LIMIT} }}",
                    *parts[k + 1:]]
    return parts


def _filters_before_optionals(parts: list[str]) -> list[str]:
    """The parts of a group with the patterns and filters before its first (lateral) OPTIONAL
    in a group of their own, so that oxigraph filters before it joins the OPTIONALs instead
    of after (it keeps the filters of a group for its end).

    Only where those filters read no variable that the rest of the group binds and they do
    not: a filter reads its whole group."""
    first = next((k for k, part in enumerate(parts) if part.startswith("LATERAL { OPTIONAL")), 0)
    before, rest = parts[:first], parts[first:]
    filters = [part for part in before if part.startswith("FILTER")]
    if not filters or any("OPTIONAL" in part for part in before):
        return parts
    bound = set().union(*(_variables(part) for part in before if not part.startswith("FILTER")))
    later = set().union(*(_variables(part) for part in rest))
    if any((_variables(f) & later) - bound for f in filters):
        return parts
    return [_braced(before), *rest]


def _variables(part: str) -> set[str]:
    """The variables a part mentions; of a sub-SELECT, those it selects."""
    tokens = lex(part)
    if len(tokens) > 1 and tokens[1].upper == "SELECT":
        tokens = tokens[:next(k for k, t in enumerate(tokens) if t.upper == "WHERE")]
    return {t.text for t in tokens if t.kind == "var"}


def _braced(parts: list[str]) -> str:
    return "{ " + " ".join(parts) + " }"


def _opening(tokens: list[Token], end: int) -> int:
    depth = 0
    for start in range(end, -1, -1):
        depth += {"}": 1, "{": -1}.get(tokens[start].text, 0)
        if depth == 0:
            return start
    raise GiveUp("unbalanced braces")


class GiveUp(Exception):
    """Syntax the rewriter does not handle."""


#: The rewrites of the shapes' queries, for this code, kept from one run to the next.
KEPT = DiskMemo("oxigraph-rewrites", hashlib.sha256(Path(__file__).read_bytes()
                                                    + Path(sparql_text.__file__).read_bytes()).hexdigest()[:16])
_rewritten: dict[str, str] = {}  # this process's rewrites, by query


def for_oxigraph(query: str) -> str:
    """The query with paths and EXISTS triples in LATERAL blocks and sub-SELECTs limited, or
    unchanged."""
    found = _rewritten.get(query)
    if found is None:
        found = _rewritten[query] = _rewrite(query)
    return found


def rewrite_ahead(queries: Iterable[str]) -> None:
    """Rewrite the shapes' queries before they run, each as an earlier run kept it where it can:
    rewriting them all took a fifth of a small setup's validation. Not for queries with a
    setup's focus nodes written in, which would fill the cache with every setup's nodes."""
    for query in queries:
        _rewritten[query] = str(KEPT.answer(query, partial(_known_or_rewritten, query)))
    KEPT.save()


def _known_or_rewritten(query: str) -> str:
    return _rewritten.get(query) or _rewrite(query)


def _rewrite(query: str) -> str:
    try:
        tokens = lex(query)
        return _Rewriter(tokens, query).query()
    except (GiveUp, Unreadable, IndexError):
        return query


class _Rewriter:
    def __init__(self, tokens: list[Token], text: str) -> None:
        self.t = tokens
        self.text = text
        self.i = 0
        self.bound: list[set[str]] = []  # per enclosing EXISTS: variables bound around it
        self.spans = _exists_spans(tokens)
        self.branches = _union_branch_spans(tokens)

    def peek(self, offset: int = 0) -> Token:
        return self.t[self.i + offset]

    def take(self) -> Token:
        token = self.t[self.i]
        self.i += 1
        return token

    def query(self) -> str:
        head = self.copy(lambda token: token.text == "{")
        head_tokens = [t.text for t in self.t[:self.i]]
        if self.t[self.i - 1].upper != "WHERE" or self.t[self.i + 1].upper == "SELECT":
            where = self.group()
        else:
            self.take()
            parts = self.parts()
            # Not before solution modifiers: HAVING or ORDER BY may read other variables.
            where = (_distinct_first(head_tokens, parts) if self.i == len(self.t)
                     else _braced(_filters_before_optionals(parts)))
        return f"{head} {where} {self.copy(lambda token: False)}".strip()

    def copy(self, stop: Callable[[Token], bool]) -> str:
        """The text as written (a literal's ^^ must not be spaced out) up to a token that stops it."""
        start = self.i
        while self.i < len(self.t) and not stop(self.peek()):
            self.i += 1
        return self.text[self.t[start].start:self.t[self.i - 1].end] if self.i > start else ""

    def group(self) -> str:
        """A group graph pattern, from its '{' to its '}'."""
        if self.take().text != "{":
            raise GiveUp("expected {")
        if self.peek().upper == "SELECT":
            return "{ " + self.subquery() + " }"
        return _braced(_filters_before_optionals(self.parts()))

    def parts(self) -> list[str]:
        """The parts of a group, after its '{', to and with its '}'."""
        parts: list[str] = []
        while self.peek().text != "}":
            token = self.peek()
            word = token.upper
            if token.text == "{":
                parts.append(self.groups(lateral=bool(self.bound and parts)))
            elif token.text == ".":
                self.take()
            elif word == "OPTIONAL" and (self.bound or parts) and not self.holds_select(self.i + 1):
                self.take()  # after other patterns, or in EXISTS: from the bound variables
                parts.append(f"LATERAL {{ OPTIONAL {self.group()} }}")
            elif word in GROUP_KEYWORDS:
                parts.append(self.take().text)
                parts.append(self.group())
            elif word in ("GRAPH", "SERVICE"):
                parts.append(self.take().text)
                if self.peek().upper == "SILENT":
                    parts.append(self.take().text)
                parts.append(self.take().text)
                parts.append(self.group())
            elif word == "FILTER":
                parts.append(self.take().text + " " + self.constraint())
            elif word == "BIND":
                parts.append(self.take().text + " " + self.parenthesised())
            elif word == "VALUES":
                parts.append(self.values())
            elif token.kind in TERM_KINDS or word in ("TRUE", "FALSE"):
                parts.append(self.triples())
            else:
                raise GiveUp(f"unexpected {token.text!r} in a group")
        self.take()
        return parts

    def groups(self, lateral: bool) -> str:
        """A group or a UNION of groups; with ``lateral``, in EXISTS after other patterns, and
        made of triples only, joined laterally (so evaluated from the variables bound before it;
        for triples the same join)."""
        start = self.i
        chain = [self.group()]
        while self.peek().upper == "UNION":
            self.take()
            chain.append(self.group())
        text = " UNION ".join(chain)
        if lateral and not any(t.upper in NOT_TRIPLES for t in self.t[start:self.i]):
            return f"LATERAL {{ {text} }}"
        return text

    def holds_select(self, start: int) -> bool:
        """Whether the group from ``start`` holds a sub-SELECT (which a lateral join would let
        see the variables bound before it)."""
        return any(t.upper == "SELECT" for t in self.t[start:closing_brace(self.t, start)])

    def exists_group(self) -> str:
        """An EXISTS pattern; the variables used outside it count as bound inside it."""
        span = next(s for s in self.spans if s[0] == self.i)
        # Bound around it: variables outside every EXISTS pattern that does not enclose this one,
        # and outside every UNION branch that does not hold it (the other branches' variables).
        others = [s for s in self.spans + self.branches if not (s[0] <= span[0] and span[1] <= s[1])]
        outside = [t for k, t in enumerate(self.t) if t.kind == "var" and not span[0] <= k <= span[1]
                   and not any(a <= k <= b for a, b in others)]
        self.bound.append({t.text.replace("$", "?") for t in outside})
        try:
            return self.group()
        finally:
            self.bound.pop()

    def subquery(self) -> str:
        """A sub-SELECT, with a LIMIT that is never reached if it has none (see above)."""
        head = self.copy(lambda token: token.text == "{")
        where = self.group()
        start = self.i
        modifiers = self.copy(lambda token: token.text == "}" or token.upper == "VALUES")
        if not any(t.upper == "LIMIT" for t in self.t[start:self.i]):
            modifiers += f" LIMIT {NO_LIMIT}"
        values = self.values() if self.peek().upper == "VALUES" else ""
        self.take()
        return f"{head} {where} {modifiers} {values}".strip()

    def constraint(self) -> str:
        """What follows FILTER: a bracketted expression, a function call or (NOT) EXISTS."""
        if self.peek().upper == "NOT":
            return self.take().text + " " + self.constraint()
        if self.peek().upper == "EXISTS":
            return self.take().text + " " + self.exists_group()
        if self.peek().kind in ("word", "pname", "iri") and self.peek(1).text == "(":
            return self.take().text + " " + self.parenthesised()
        return self.parenthesised()

    def parenthesised(self) -> str:
        """A bracketted expression as written; EXISTS groups inside it are rewritten."""
        if self.peek().text != "(":
            raise GiveUp("expected (")
        out: list[str] = []
        start = self.peek().start
        depth = 0
        while True:
            token = self.peek()
            if token.upper == "EXISTS":
                out.append(self.text[start:token.end])
                self.take()
                out.append(" " + self.exists_group() + " ")
                start = self.t[self.i].start
                continue
            self.take()
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
                if depth == 0:
                    out.append(self.text[start:token.end])
                    return "".join(out)

    def values(self) -> str:
        head = self.copy(lambda token: token.text == "{")
        end = closing_brace(self.t, self.i)
        return f"{head} {self.copy(lambda token: self.i > end)}"

    def triples(self) -> str:
        """A triples block; zero-length-capable paths become LATERAL blocks where they stand.

        Inside EXISTS the triples are joined one after the other, cheapest first given what is
        already bound (see :func:`_order`)."""
        found: list[tuple[str, str, str, bool]] = []
        while True:
            subject = self.term()
            while True:
                verb, zero_length = self.verb()
                while True:
                    found.append((subject, verb, self.term(), zero_length))
                    if self.peek().text != ",":
                        break
                    self.take()
                if self.peek().text != ";":
                    break
                while self.peek().text == ";":
                    self.take()
                if self.peek().text in (".", "}") or self.peek().upper in GROUP_KEYWORDS:
                    break
            if self.peek().text != ".":
                break
            self.take()
            if self.peek().kind not in TERM_KINDS:
                break
        if self.bound:
            found = _order(found, set(self.bound[-1]))
        out: list[str] = []
        for subject, verb, obj, zero_length in found:
            lateral = zero_length or (self.bound and out)
            triple = f"{subject} {verb} {obj}"
            out.append(f"LATERAL {{ {triple} }}" if lateral else f"{triple} .")
        return " ".join(out)

    def term(self) -> str:
        token = self.take()
        if token.text in ("[", "("):
            raise GiveUp("blank node or collection syntax")
        if token.kind == "string":
            text = token.text
            if self.peek().kind == "lang":
                text += self.take().text
            elif self.peek().text == "^^":
                text += self.take().text + self.take().text
            return text
        if token.kind in TERM_KINDS or token.upper in ("TRUE", "FALSE"):
            return token.text
        raise GiveUp(f"unexpected {token.text!r} as a term")

    def verb(self) -> tuple[str, bool]:
        """A variable or a property path, and whether the path can have length zero."""
        if self.peek().kind == "var":
            return self.take().text, False
        start = self.i
        self.path_alternative()
        tokens = self.t[start:self.i]
        zero = any(t.kind == "punct" and t.text in ("*", "?") for t in tokens)
        return "".join(t.text for t in tokens), zero

    def path_alternative(self) -> None:
        self.path_sequence()
        while self.peek().text == "|":
            self.take()
            self.path_sequence()

    def path_sequence(self) -> None:
        self.path_element()
        while self.peek().text == "/":
            self.take()
            self.path_element()

    def path_element(self) -> None:
        if self.peek().text == "^":
            self.take()
        token = self.take()
        if token.text == "(":
            self.path_alternative()
            if self.take().text != ")":
                raise GiveUp("expected )")
        elif token.text == "!":
            raise GiveUp("negated property sets")
        elif not (token.kind in ("iri", "pname") or token.text == "a"):
            raise GiveUp(f"unexpected {token.text!r} in a path")
        if self.peek().kind == "punct" and self.peek().text in ("*", "+", "?"):
            self.take()
