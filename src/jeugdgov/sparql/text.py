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
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
_ECHAR = rf"\\[tbnrf\"'\\]|{_UCHAR}"

LEXER = re.compile(rf"""
    (?P<skip>[ \t\r\n]+|\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
              |"(?:[^"\\\n\r]|{_ECHAR})*"|'(?:[^'\\\n\r]|{_ECHAR})*')
  | (?P<var>[?$]{_VARNAME})
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
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
