"""The Virtuoso rewrite writes the forms Virtuoso evaluates correctly and keeps each query's meaning
(checked here on pyoxigraph; tests/test_virtuoso.py checks the answers of a real Virtuoso)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pyoxigraph as ox
import pytest
from helpers import bundled_setups

from jeugdgov.validation.fast.evaluation import translation_for
from jeugdgov.validation.fast.local_store import store_for
from jeugdgov.validation.fast.translate import query_text
from jeugdgov.validation.fast.virtuoso import for_virtuoso

EX = "http://example.org/"
PREFIXES = f"PREFIX ex: <{EX}>\n"
DATA = f"""
<{EX}a> a <{EX}Sub> . <{EX}b> a <{EX}Top> . <{EX}c> a <{EX}Other> .
<{EX}Sub> <{EX}sub> <{EX}Mid> . <{EX}Mid> <{EX}sub> <{EX}Top> .
<{EX}team> <{EX}part> <{EX}org> . <{EX}m> <{EX}member> <{EX}team> . <{EX}n> <{EX}member> <{EX}org> .
"""


def solutions(query: str) -> Counter:
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    results = store.query(PREFIXES + query)
    names = [v.value for v in results.variables]
    return Counter(tuple(str(row[n]) for n in names) for row in results)


def same_solutions(query: str) -> str:
    rewritten = for_virtuoso(query)
    assert solutions(rewritten) == solutions(query), rewritten
    return rewritten


def test_a_constant_end_of_a_path_from_a_bound_start_becomes_a_fresh_variable_compared_by_text():
    rewritten = same_solutions("SELECT ?x WHERE { ?x a ?t . FILTER EXISTS { ?x a ?c . ?c ex:sub* ex:Top } }")
    assert "ex:sub* ?virtuosoEnd0" in rewritten
    assert "STR(?virtuosoEnd0) = STR(ex:Top)" in rewritten


def test_a_path_from_a_start_bound_only_outside_its_group_beside_other_patterns_is_left_alone():
    """Virtuoso would refuse the fresh end there ("transitive start not given")."""
    query = "SELECT ?c WHERE { ?x a ?c . FILTER EXISTS { ?c ex:sub* ex:Top . ?y a ?t } }"
    assert same_solutions(query) == query


def test_a_path_from_an_unbound_start_is_left_alone():
    query = "SELECT ?c WHERE { ?c ex:sub* ex:Top }"
    assert same_solutions(query) == query


def test_a_constant_inside_a_path_or_an_expression_is_no_end():
    query = "SELECT ?x ?y WHERE { ?x (ex:sub*|^ex:sub+) ?y . FILTER (?y IN (ex:Top, ex:Mid)) }"
    assert same_solutions(query) == query


def test_same_term_with_a_constant_is_compared_by_text():
    rewritten = same_solutions("SELECT ?x WHERE { ?x a ?c . ?c ex:sub* ?e . FILTER (sameTerm(?e, ex:Top)) }")
    assert "sameTerm" not in rewritten and "isIRI(?e) && STR(?e) = STR(ex:Top)" in rewritten


def test_the_subclasses_of_a_target_class_are_joined_directly():
    query = ("SELECT DISTINCT ?this WHERE { { SELECT DISTINCT ?this WHERE { ?this a ?targetType0 . "
             "{ SELECT DISTINCT ?targetType0 WHERE { ?targetType0 ex:sub* ex:Top } } } } }")
    rewritten = same_solutions(query)
    assert rewritten.count("SELECT") == 1


def test_a_target_sub_select_is_joined_directly_only_in_a_select_distinct():
    target = "{ SELECT DISTINCT ?this WHERE { ?this a ?type . } }"
    distinct = same_solutions(f"SELECT DISTINCT ?this ?o WHERE {{ {target} ?this a ?o }}")
    assert distinct.count("SELECT") == 1
    counted = f"SELECT ?this (COUNT(*) AS ?n) WHERE {{ {target} ?this a ?o }} GROUP BY ?this"
    assert same_solutions(counted) == counted
    distinct_count = f"SELECT DISTINCT ?this (COUNT(*) AS ?n) WHERE {{ {target} ?this a ?o }} GROUP BY ?this"
    assert same_solutions(distinct_count) == distinct_count


def test_the_zero_length_case_of_a_star_path_in_a_union_branch_is_split_off():
    query = ("SELECT ?x ?m WHERE { VALUES ?x { ex:team ex:org ex:m } VALUES ?m { ex:m ex:n } FILTER NOT EXISTS { "
             "{ ?x ex:part* ?joined . ?m ex:member ?joined } UNION { ?x ex:part* ?own . ?m ex:part* ?own } } }")
    rewritten = same_solutions(query)
    assert "{ {  ?m ex:member ?x } UNION { ?x ex:part+ ?joined . ?m ex:member ?joined  } }" in rewritten
    # One path per branch: the other, from ?m, stays in both.
    assert "{ {  ?m ex:part* ?x } UNION { ?x ex:part+ ?own . ?m ex:part* ?own  } }" in rewritten


def test_a_star_path_in_a_union_branch_outside_an_exists_is_left_alone():
    """There the branch's solutions are the answer: the zero-length branch would leave ?o unbound."""
    query = "SELECT ?x ?o WHERE { VALUES ?x { ex:team ex:m } { ?x ex:part* ?o . ?o a ?t } UNION { ?x ex:member ?o } }"
    assert same_solutions(query) == query


def test_an_exists_sharing_no_variable_with_the_query_is_joined_as_a_one_row_sub_select():
    for present in ("ex:Top", "ex:Nowhere"):
        query = (f"SELECT ?x WHERE {{ ?x a ?t . "
                 f"FILTER EXISTS {{ ?c ex:sub ?end . ?any a ?c FILTER (?end = {present}) }} }}")
        rewritten = same_solutions(query)
        assert "{ SELECT (1 AS ?virtuosoOnce0) WHERE { ?c ex:sub ?end" in rewritten and "LIMIT 1 }" in rewritten
    assert solutions(for_virtuoso("SELECT ?x WHERE { ?x a ?t . FILTER EXISTS { ?c ex:sub ex:Nowhere } }")) == Counter()


def test_an_exists_sharing_a_variable_or_under_select_star_is_left_alone():
    correlated = "SELECT ?x WHERE { ?x a ?t . FILTER EXISTS { ?t ex:sub ?up } }"
    assert same_solutions(correlated) == correlated
    star = "SELECT * WHERE { ?x a ?t . FILTER EXISTS { ?c ex:sub ?up } }"
    assert same_solutions(star) == star
    negated = "SELECT ?x WHERE { ?x a ?t . FILTER NOT EXISTS { ?c ex:sub ex:Nowhere } }"
    assert same_solutions(negated) == negated


def test_an_exists_holding_only_a_path_to_a_constant_gets_the_path_twice_with_a_fresh_end():
    rewritten = same_solutions("SELECT ?x WHERE { ?x a ?c . FILTER EXISTS { ?c ex:sub* ex:Top } }")
    assert ("{ ?c ex:sub* ?virtuosoTwice0 . ?c ex:sub* ?virtuosoTwice0 . "
            "FILTER (isIRI(?virtuosoTwice0) && STR(?virtuosoTwice0) = STR(ex:Top)) }") in rewritten
    plain = "SELECT ?x WHERE { ?x a ?c . FILTER EXISTS { ?c ex:sub ex:Top } }"  # no repeated path
    assert same_solutions(plain) == plain


def test_what_it_cannot_read_is_left_alone():
    assert for_virtuoso("SELECT ?x WHERE { ?x ex:p* ex:q ") == "SELECT ?x WHERE { ?x ex:p* ex:q "


@pytest.mark.slow
def test_every_shape_query_means_the_same_rewritten_on_every_bundled_setup():
    queries = translation_for(frozenset(), date(2024, 1, 1)).queries
    texts = [query_text(q) for q in queries] + [q.focus_first.query for q in queries if q.focus_first]
    assert any(for_virtuoso(text) != text for text in texts)
    for name, setup in bundled_setups().items():
        store = store_for(setup.graph)
        for text in texts:
            if "FOCUS_NODES" in text:
                continue
            original, rewritten = store.query(text), store.query(for_virtuoso(text))
            names = [v.value for v in original.variables]
            assert Counter(tuple(row[n] for n in names) for row in original) == Counter(
                tuple(row[n] for n in names) for row in rewritten), (name, for_virtuoso(text))
