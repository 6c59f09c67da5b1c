"""Which addresses a SPARQL query or update would make pyoxigraph fetch (SERVICE, LOAD).

pyoxigraph evaluates ``SERVICE <iri>`` and ``LOAD <iri>`` by making HTTP requests itself, and its
Python API offers neither the parsed query nor a hook on those requests. The calls are therefore
found by reading the text to the grammar's own terminals (:mod:`jeugdgov.sparql.text`, which
ends comments, strings and prefixed names where the engine's parser does), and a text that
reading cannot place, yet spells SERVICE or LOAD somewhere, counts as a call to an unknown
address. tests/test_sparql_calls.py checks the reading against the requests the engine makes
for thousands of generated texts.

Targets are compared with an allow-list after normalisation (RFC 3986 section 6: case of scheme
and host, default port, ``.``/``..`` segments, %-escapes of unreserved characters), so
``http://h/sparql/../admin`` is not taken for a page under ``http://h/sparql``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from jeugdgov.sparql.text import Token, Unreadable, lex

#: a SERVICE or LOAD keyword cannot occur in a text without these letters (keywords are ASCII,
#: matched regardless of case); most queries lack both, and need no reading to be let through
MAY_CALL_OUT = re.compile("service|load", re.IGNORECASE)
#: allow-list entry that allows every SERVICE and LOAD
ANY = "*"
#: texts up to this many characters have their calls remembered: BI tools and dashboards send the
#: same queries over and over, and reading one costs a fair share of a quick request's time
CACHED_TEXT = 64 * 1024

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_UNRESERVED_ESCAPE = re.compile(r"%(2[DEde]|5[Ff]|7[Ee]|[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9])")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def remote_calls(text: str) -> list[str | None]:
    """The IRIs a query or update would fetch, after SERVICE or LOAD (SILENT allowed); None where
    the target is unknown before the query runs (a variable, a relative IRI, unreadable text)."""
    if not MAY_CALL_OUT.search(text):
        return []
    return list(_cached_calls(text) if len(text) <= CACHED_TEXT else _calls(text))


def _calls(text: str) -> tuple[str | None, ...]:
    try:
        tokens = lex(text)
    except Unreadable:
        return (None,)  # the engine may read there what this reading cannot: assume the worst
    prefixes = _prefixes(tokens)
    targets: list[str | None] = []
    for position, token in enumerate(tokens):
        if token.upper not in ("SERVICE", "LOAD"):
            continue
        following = tokens[position + 1:position + 3]
        if following and following[0].upper == "SILENT":
            following = following[1:]
        targets.append(_iri(following[0], prefixes) if following else None)
    return tuple(targets)


_cached_calls = functools.lru_cache(maxsize=256)(_calls)


def _prefixes(tokens: list[Token]) -> dict[str, str | None]:
    declared: dict[str, str | None] = {}
    for position, token in enumerate(tokens[:-2]):
        name, iri = tokens[position + 1], tokens[position + 2]
        if token.upper == "PREFIX" and name.kind == "pname" and iri.kind == "iri":
            declared[name.text[:-1]] = _iri(iri, {})
    return declared


def _iri(token: Token, prefixes: dict[str, str | None]) -> str | None:
    """The absolute IRI a token names, or None (a variable, a relative IRI, an unknown prefix)."""
    iri: str | None
    if token.kind == "iri":
        iri = _UCHAR.sub(lambda m: chr(int(m[1] or m[2], 16)), token.text[1:-1])
    elif token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        namespace = prefixes.get(prefix)
        iri = None if namespace is None else namespace + _LOCAL_ESCAPE.sub(r"\1", local)
    else:
        return None
    return iri if iri and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) else None


class _Address(NamedTuple):
    scheme: str
    user: str | None
    host: str
    port: int | None
    path: str
    query: str


def _address(iri: str) -> _Address | None:
    try:
        parts = urlsplit(_UNRESERVED_ESCAPE.sub(lambda m: chr(int(m[1], 16)), iri))
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    return _Address(parts.scheme.lower(), parts.username, (parts.hostname or "").lower(), port,
                    _without_dot_segments(parts.path) or "/", parts.query)


def _without_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: the path with ``.`` and ``..`` segments resolved."""
    kept: list[str] = []
    segments = path.split("/")
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
            if last:
                kept.append("")
        elif segment == ".":
            if last:
                kept.append("")
        else:
            kept.append(segment)
    return "/".join(kept)


def is_allowed(target: str | None, entries: Sequence[str]) -> bool:
    """Whether an allow-list entry covers the IRI: the same scheme, host and port, and the
    entry's path or a path below it (with the entry's query, if it has one). An unknown target
    (None) only by ``*``."""
    if ANY in entries:
        return True
    address = None if target is None else _address(target)
    if address is None or address.user is not None:
        return False
    for entry in entries:
        allowed = _address(entry)
        if allowed is None or allowed[:4] != (address.scheme, None, address.host, address.port):
            continue
        if allowed.query and (address.path, address.query) == (allowed.path, allowed.query):
            return True
        if not allowed.query and (address.path == allowed.path or
                                  address.path.startswith(allowed.path.rstrip("/") + "/")):
            return True
    return False


def refused_call(text: str, allowed: Sequence[str]) -> tuple[str, str] | None:
    """Why the text may not run here (a SERVICE or LOAD not on the allow-list), in English and
    Dutch, or None."""
    for target in remote_calls(text):
        if not is_allowed(target, allowed):
            shown = f"<{target}>" if target else "an address only known when it runs"
            getoond = f"<{target}>" if target else "een adres dat pas bij het uitvoeren bekend is"
            return (f"SERVICE and LOAD calls are off here (the request calls {shown}); "
                    "an endpoint started with --allow-service IRI may call that endpoint or document",
                    f"SERVICE- en LOAD-aanroepen staan hier uit (het verzoek roept {getoond} aan); een endpoint "
                    "gestart met --allow-service IRI mag dat endpoint of document aanroepen")
    return None
