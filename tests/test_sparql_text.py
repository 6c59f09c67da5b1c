"""The one SPARQL lexer: words and braces outside comments, strings and IRIs."""

from __future__ import annotations

import random
import re

import pytest

from jeugdgov.sparql.text import Unreadable, lex, where_brace


def test_where_brace_skips_comments_strings_and_nested_groups():
    query = '# WHERE { in a comment\nSELECT ?x ("WHERE {" AS ?s) WHERE { { ?x ?p ?o } }'
    assert query[where_brace(query):].startswith("{ { ?x")


def test_where_brace_without_the_keyword_is_the_first_group_unless_required():
    query = "SELECT ?x { ?x ?p ?o }"
    assert where_brace(query) == query.index("{")
    assert where_brace(query, keyword_required=True) is None
    assert where_brace("ASK") is None


def test_strict_lexing_refuses_what_it_cannot_read_and_lenient_lexing_skips_it():
    with pytest.raises(Unreadable):
        lex("SELECT ` WHERE {}")
    assert [t.upper for t in lex("SELECT ` WHERE {}", strict=False) if t.kind == "word"] == ["SELECT", "WHERE"]


# The grammar's character classes (SPARQL 1.1, section 19.8), as the specification writes them: the
# lexer writes them as their complements, which Python compiles four times faster.
PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                 "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
PN_CHARS_U = PN_CHARS_BASE + "_"
PN_CHARS = PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
EDGES = [0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2FF, 0x300, 0x36F, 0x370, 0x37D, 0x37F, 0x1FFF, 0x200C, 0x200D, 0x203F,
         0x2040, 0x2070, 0x218F, 0x2C00, 0x2FEF, 0x3001, 0xD7FF, 0xF900, 0xFDCF, 0xFDF0, 0xFFFD, 0x10000, 0xEFFFF]


def _whole(text: str, kind: str) -> bool:
    tokens = lex(text, strict=False)
    return bool(tokens) and tokens[0].kind == kind and tokens[0].text == text


@pytest.mark.parametrize(("context", "kind", "allowed"), [
    ("?{}", "var", PN_CHARS_U + "0-9"),
    ("?a{}", "var", PN_CHARS_U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"),
    ("_:{}", "bnode", PN_CHARS_U + "0-9"),
    ("_:a{}b", "bnode", PN_CHARS + "."),
    ("{}x:y", "pname", PN_CHARS_BASE + ":"),
    ("a{}b:y", "pname", PN_CHARS + ".:"),
    ("p:{}", "pname", PN_CHARS_U + ":0-9"),
    ("p:a{}b", "pname", PN_CHARS + ".:"),
])
def test_names_hold_exactly_the_characters_the_grammar_allows(context: str, kind: str, allowed: str):
    grammar = re.compile(f"[{allowed}]")
    near_edges = {edge + step for edge in EDGES for step in (-1, 0, 1)}
    sample = set(range(0x800)) | near_edges | set(random.Random(7).sample(range(0x110000), 2000))
    wrong = [hex(code) for code in sorted(sample)
             if _whole(context.format(chr(code)), kind) != bool(grammar.fullmatch(chr(code)))]
    assert not wrong
