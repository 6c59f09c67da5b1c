"""The one SPARQL lexer: words and braces outside comments, strings and IRIs."""

from __future__ import annotations

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
