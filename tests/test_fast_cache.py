"""What the fast engine compiles is kept on disk: checks of the shapes' SPARQL (keyed by the
query), rewrites for pyoxigraph, and the catalogue's queries (keyed by the shapes); never needed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from rdflib import BNode

import jeugdgov.resources as resources
import jeugdgov.validation.fast.query_check as query_check
import jeugdgov.validation.fast.rewrite as rewrite
import jeugdgov.validation.fast.translate as engine_sparql
from jeugdgov.validation.fast.cache import DiskMemo
from jeugdgov.validation.fast.compiled import kept_translation
from jeugdgov.validation.fast.engine import translation_for
from jeugdgov.validation.fast.translate import Translation, Untranslatable, checked, query_text, translate

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


@pytest.fixture
def fresh_rewrites(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    memo = DiskMemo("oxigraph-rewrites", "test")
    monkeypatch.setattr(rewrite, "KEPT", memo)
    return memo


def test_a_rewrite_is_kept_and_read_back_by_the_next_run(fresh_rewrites, monkeypatch):
    path = "SELECT ?this WHERE { ?this <http://example.org/p>* ?o }"
    rewrite.rewrite_ahead([path])
    assert "LATERAL" in rewrite.for_oxigraph(path)  # rewritten, and kept:
    assert DiskMemo("oxigraph-rewrites", "test").answer(path, lambda: None) == rewrite.for_oxigraph(path)
    # what the next run finds on disk is what it runs (a query this process never rewrote)
    unseen = "SELECT ?this WHERE { ?this <http://example.org/q>* ?o }"
    kept = DiskMemo("oxigraph-rewrites", "test")
    kept.answer(unseen, lambda: "SELECT ?this WHERE { ?this <http://example.org/kept> ?o }")
    kept.save()
    monkeypatch.setattr(rewrite, "KEPT", DiskMemo("oxigraph-rewrites", "test"))
    rewrite.rewrite_ahead([unseen])
    assert rewrite.for_oxigraph(unseen).endswith("<http://example.org/kept> ?o }")


def test_only_the_queries_without_the_reference_date_are_kept(fresh_rewrites):
    translation = translation_for(frozenset(), date(2019, 7, 1))
    kept = DiskMemo("oxigraph-rewrites", "test")
    assert sum(kept.answer(query_text(q), lambda: None) is not None for q in translation.queries) > 50
    assert all(kept.answer(query_text(q), lambda: None) is None for q in translation.queries
               if "2019-07-01" in query_text(q))
    assert any("2019-07-01" in query_text(q) for q in translation.queries)  # there are dated queries


def _translate_afresh() -> Translation:
    return translate(resources.shapes())


def _not_again() -> Translation:
    pytest.fail("translated again")


def test_the_catalogue_queries_are_kept_and_read_back_equal_by_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    afresh = _translate_afresh()
    assert kept_translation(_translate_afresh) == afresh  # translated, and kept
    read_back = kept_translation(_not_again)
    assert read_back == afresh and len(read_back.queries) > 100
    assert [q.prefixes for q in read_back.queries] == [q.prefixes for q in afresh.queries]  # not compared by ==
    assert any(isinstance(q.source, BNode) for q in read_back.queries)  # property shapes: blank nodes, kept too


def test_other_shapes_or_an_unusable_file_mean_translating_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    kept_translation(_translate_afresh)
    monkeypatch.setattr(resources, "shapes_digest", lambda: "other shapes")
    with pytest.raises(pytest.fail.Exception, match="translated again"):
        kept_translation(_not_again)
    kept_files = list((tmp_path / "jeugdgov").glob("translation-*.json"))
    assert len(kept_files) == 1
    for broken in ('{"shapes": "other shapes", "translation": {"queries": [[1]]}}',
                   '{"shapes": "other shapes", "translation": {"queries": [], "untranslatable": [[5, "x"]]}}',
                   "[]", "not json"):
        kept_files[0].write_text(broken)
        assert kept_translation(_translate_afresh) == _translate_afresh()  # a broken file is replaced
        assert kept_translation(_not_again) == _translate_afresh()
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    assert kept_translation(_translate_afresh) == _translate_afresh()  # nowhere to keep it: no error


def test_the_shapes_blank_nodes_have_the_same_names_in_every_run():
    # What makes kept queries name the nodes of the graph a later run reads.
    program = ("import json; from rdflib import BNode; from jeugdgov.resources import shapes; "
               "print(json.dumps(sorted(str(t) for triple in shapes() for t in triple if isinstance(t, BNode))))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                                      check=True, timeout=120).stdout) for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) > 100


def test_a_cache_written_by_this_code_removes_what_other_versions_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "jeugdgov"
    folder.mkdir()
    older = [folder / "translation-0123456789abcdef.json", folder / "sparql-checks-0123456789abcdef.json"]
    unrelated = [folder / "sparql-checks-extra-0123.json", folder / "notes.json"]
    for path in older + unrelated:
        path.write_text("{}")
    kept_translation(_translate_afresh)
    memo = DiskMemo("sparql-checks", "test")
    memo.answer(["x"], lambda: 1)
    memo.save()
    assert not any(path.exists() for path in older)
    assert all(path.exists() for path in unrelated)
    assert memo.path.exists() and len(list(folder.glob("translation-*.json"))) == 1
