"""The oxigraph rewrite keeps each query's meaning and gives the planner what it needs."""

from __future__ import annotations

import pyoxigraph as ox

from jeugdgov.engine_plan import NO_LIMIT, for_oxigraph

EX = "http://example.org/"
DATA = f"""
<{EX}a> <{EX}p> <{EX}b> . <{EX}b> <{EX}p> <{EX}c> . <{EX}c> <{EX}q> "1" .
<{EX}d> <{EX}q> "2" . <{EX}a> <{EX}q> "3" .
"""


def store() -> ox.Store:
    s = ox.Store()
    s.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    return s


def solutions(query: str) -> list[tuple[str, ...]]:
    results = store().query(f"PREFIX ex: <{EX}> {query}")
    names = [v.value for v in results.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in results)


def same_solutions(query: str) -> str:
    rewritten = for_oxigraph(query)
    assert solutions(rewritten) == solutions(query)
    return rewritten


def test_a_sub_select_gets_a_limit_that_is_never_reached():
    rewritten = same_solutions(
        "SELECT ?s ?o WHERE { { SELECT DISTINCT ?o WHERE { ?x ex:q ?o } } FILTER (?o != '2') ?s ex:q ?o }")
    assert f"LIMIT {NO_LIMIT}" in rewritten


def test_a_sub_select_keeps_its_own_limit_and_values():
    rewritten = same_solutions("SELECT ?o WHERE { { SELECT ?o WHERE { ?x ex:q ?o } ORDER BY ?o LIMIT 2 } }")
    assert "LIMIT 2" in rewritten and str(NO_LIMIT) not in rewritten
    rewritten = same_solutions("SELECT ?o WHERE { { SELECT ?o WHERE { ?x ex:q ?o } VALUES ?o { '1' '3' } } }")
    assert rewritten.index(str(NO_LIMIT)) < rewritten.index("VALUES")


def test_paths_of_length_zero_and_exists_triples_become_lateral():
    rewritten = same_solutions(
        "SELECT ?s WHERE { ?s ex:q ?v . FILTER EXISTS { ?s ex:p* ?end . ?end ex:q ?w } }")
    assert "LATERAL { ?s ex:p* ?end }" in rewritten
    assert "LATERAL { ?end ex:q ?w }" in rewritten


def test_syntax_it_does_not_read_is_left_alone():
    query = "SELECT ?s WHERE { ?s ex:p [ ex:q ?o ] }"
    assert for_oxigraph(query) == query
