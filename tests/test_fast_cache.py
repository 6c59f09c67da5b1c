"""Checks of the shapes' SPARQL are kept on disk, keyed by the query, and never needed."""

from __future__ import annotations

import pytest

import jeugdgov.validation.fast.query_check as query_check
import jeugdgov.validation.fast.translate as engine_sparql
from jeugdgov.validation.fast.cache import DiskMemo
from jeugdgov.validation.fast.translate import Untranslatable, checked

QUERY = "SELECT ?this WHERE { ?this <http://example.org/p> ?o }"


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    memo = DiskMemo("sparql-checks", "test")
    monkeypatch.setattr(engine_sparql, "CHECKS", memo)
    return memo


def test_a_check_is_read_back_by_the_next_run_instead_of_parsing_again(fresh_cache, monkeypatch):
    assert checked(QUERY, {}, target=False) is True
    fresh_cache.save()
    next_run = DiskMemo("sparql-checks", "test")
    monkeypatch.setattr(engine_sparql, "CHECKS", next_run)
    monkeypatch.setattr(query_check, "parseQuery", lambda text: pytest.fail("parsed again"))
    assert checked(QUERY, {}, target=False) is True
    # Another query is parsed, whatever the cache holds.
    with pytest.raises(pytest.fail.Exception):
        checked(QUERY + " LIMIT 1", {}, target=False)


def test_refusals_are_not_kept_so_that_their_message_stays_complete(fresh_cache):
    bad = "SELECT ?this WHERE { ?this ?p ?o MINUS { ?this ?p 1 } }"
    for _ in range(2):
        with pytest.raises(Untranslatable, match="MINUS"):
            checked(bad, {}, target=False)
    fresh_cache.save()
    assert fresh_cache.path.exists() is False


def test_an_unusable_cache_means_parsing_again(fresh_cache, tmp_path, monkeypatch):
    fresh_cache.path.parent.mkdir(parents=True)
    fresh_cache.path.write_text("{ not json")
    assert checked(QUERY, {}, target=False) is True
    fresh_cache.save()  # replaces the broken file
    assert DiskMemo("sparql-checks", "test").answer(["x"], lambda: 1) == 1
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    unwritable = DiskMemo("sparql-checks", "test")
    assert unwritable.answer(["x"], lambda: 2) == 2
    unwritable.save()  # no error: the cache is an optimisation only
