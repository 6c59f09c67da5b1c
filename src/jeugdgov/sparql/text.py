"""Reading SPARQL text: the one lexer, and where a query's WHERE group opens.

Just enough SPARQL to find words, variables and braces outside comments, strings and IRIs; the
queries themselves are parsed by the stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Terminals of the SPARQL 1.1 grammar (section 19.8) as pyoxigraph's parser reads them: a comment
# ends at CR as well as LF, a prefixed name may hold escapes (``e:a\#``) and %-escapes, a short
# string holds no line break, and only space, tab, CR and LF are white space. A reading that ends
# a comment, string or name elsewhere than the engine does would hide words from whoever looks.
_Ranges = tuple[tuple[int, int], ...]  # code points, first and last
_PN_CHARS_BASE: _Ranges = (
    (0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF),
    (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF))
_PN_CHARS_U = (*_PN_CHARS_BASE, (0x5F, 0x5F))
_DIGITS: _Ranges = ((0x30, 0x39),)
_COMBINING: _Ranges = ((0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))
_PN_CHARS = (*_PN_CHARS_U, (0x2D, 0x2D), *_DIGITS, *_COMBINING)
_DOT, _COLON = ((0x2E, 0x2E),), ((0x3A, 0x3A),)


def _one_of(*sets: _Ranges) -> str:
    """A regular-expression class of exactly these code points, written as its complement:
    Python's ``re`` compiles a class in time that grows with the code points below U+10000 it
    names, and these classes name most of them (the lexer compiled in 32 ms, now in 8)."""
    complement, next_free = [], 0
    for first, last in sorted(r for ranges in sets for r in ranges):
        if first > next_free:
            complement.append(f"\\U{next_free:08X}-\\U{first - 1:08X}")
        next_free = max(next_free, last + 1)
    if next_free <= 0x10FFFF:
        complement.append(f"\\U{next_free:08X}-\\U0010FFFF")
    return f"[^{''.join(complement)}]"


_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_PREFIX = f"{_one_of(_PN_CHARS_BASE)}(?:{_one_of(_PN_CHARS, _DOT)}*{_one_of(_PN_CHARS)})?"
_LOCAL = (f"(?:{_one_of(_PN_CHARS_U, _COLON, _DIGITS)}|{_PLX})"
          f"(?:(?:{_one_of(_PN_CHARS, _DOT, _COLON)}|{_PLX})*(?:{_one_of(_PN_CHARS, _COLON)}|{_PLX}))?")
_VARNAME = f"{_one_of(_PN_CHARS_U, _DIGITS)}{_one_of(_PN_CHARS_U, _DIGITS, _COMBINING)}*"
_BLANK_LABEL = f"{_one_of(_PN_CHARS_U, _DIGITS)}(?:{_one_of(_PN_CHARS, _DOT)}*{_one_of(_PN_CHARS)})?"
_ECHAR = rf"\\[tbnrf\"'\\]|{_UCHAR}"

LEXER = re.compile(rf"""
    (?P<skip>[ \t\r\n]+|\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
              |"(?:[^"\\\n\r]|{_ECHAR})*"|'(?:[^'\\\n\r]|{_ECHAR})*')
  | (?P<var>[?$]{_VARNAME})
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<bnode>_:{_BLANK_LABEL})
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[a-z]+)?)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|<<\(|<<|>>|\)>>|\{{\||\|}}|[{{}}()\[\].;,|/^*+?!=<>~-])
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
