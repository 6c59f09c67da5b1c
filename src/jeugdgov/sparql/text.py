"""Reading SPARQL text: the one lexer, and where a query's WHERE group opens.

Just enough SPARQL to find words, variables and braces outside comments, strings and IRIs; the
queries themselves are parsed by the stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEXER = re.compile(r"""
    (?P<skip>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w%-](?:[\w.%-]*[\w%-])?)?)
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\].;,|/^*+?!=<>-])
""", re.VERBOSE)


class Unreadable(ValueError):
    """Text the lexer cannot read as SPARQL."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def lex(text: str, strict: bool = True) -> list[Token]:
    """The tokens of a query, without whitespace and comments.

    Text that is no token is :class:`Unreadable`, or with ``strict`` off skipped (enough to
    find braces and keywords in a query a store will judge)."""
    tokens = []
    position = 0
    while position < len(text):
        match = LEXER.match(text, position)
        if match is None:
            if strict:
                raise Unreadable(f"cannot read {text[position:position + 20]!r}")
            position += 1
            continue
        if match.lastgroup != "skip":
            tokens.append(Token(match.lastgroup or "", match.group(), match.start(), match.end()))
        position = match.end()
    return tokens


def closing_brace(tokens: list[Token], opening: int) -> int:
    """Position of the brace that closes the one at ``opening`` (Unreadable when none does)."""
    depth = 0
    for end in range(opening, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[end].text, 0)
        if depth == 0:
            return end
    raise Unreadable("unbalanced braces")


def where_brace(query: str, keyword_required: bool = False) -> int | None:
    """Offset of the brace that opens the query's top-level WHERE group: the first top-level
    brace after the keyword WHERE, or (the keyword is optional in SPARQL) unless
    ``keyword_required`` the first top-level brace. None if there is none."""
    depth = 0
    first = None
    after_where = False
    for token in lex(query, strict=False):
        if token.text == "{":
            if depth == 0:
                if after_where:
                    return token.start
                first = token.start if first is None else first
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.upper == "WHERE":
            after_where = True
    return None if keyword_required else first
