"""Binding a named query's parameters for the endpoint: the same text as the library builds,
also when remembered, and every bad value refused every time."""

from __future__ import annotations

import pytest

from jeugdgov.server.app import CACHED_VALUES, bound_text, message_language
from jeugdgov.sparql.library import ParameterError, library, with_values


@pytest.mark.parametrize("values", [{}, {"lang": "en"}, {"lang": "nl"}])
def test_the_text_is_the_librarys_also_when_remembered(values):
    query = library()["actors"]
    expected = with_values(query.text, query.bind(values))
    assert bound_text(query, values) == expected
    assert bound_text(query, dict(values)) == expected  # from the remembered answer


def test_bad_values_are_refused_each_time():
    query = library()["actors"]
    for _ in range(2):
        with pytest.raises(ParameterError, match="lang"):
            bound_text(query, {"lang": "de"})
    with pytest.raises(ParameterError, match="lang"):
        bound_text(query, {"lang": "x" * (CACHED_VALUES + 1)})  # too long to be remembered


def test_different_parameters_give_different_texts():
    query = library()["actors"]
    assert bound_text(query, {"lang": "en"}) != bound_text(query, {"lang": "nl"})


@pytest.mark.parametrize(("header", "language"), [
    (None, "nl"), ("", "nl"), ("fr", "nl"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("nl-NL", "nl"),
    ("en;q=0.4, nl;q=0.6", "nl"), ("fr, en;q=0.8, nl;q=0.7", "en"), ("en;q=0", "nl"), ("en;q=x", "nl"),
])
def test_an_error_message_is_in_the_language_the_request_prefers_else_the_endpoints(header, language):
    assert message_language(header, "nl") == language
