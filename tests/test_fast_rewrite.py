"""The oxigraph rewrite keeps each query's meaning and gives the planner what it needs."""

from __future__ import annotations

import pyoxigraph as ox

from jeugdgov.validation.fast.rewrite import NO_LIMIT, for_oxigraph

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


def test_an_optional_in_exists_is_joined_from_the_bound_variables():
    rewritten = same_solutions(
        "SELECT ?s WHERE { ?s ex:p ?o . FILTER EXISTS { ?o ex:p ?n . OPTIONAL { ?s ex:q ?w } FILTER (!BOUND(?w)) } }")
    assert "LATERAL { OPTIONAL { ?s ex:q ?w . } }" in rewritten


def test_an_optional_after_other_patterns_is_joined_from_the_bound_variables():
    rewritten = same_solutions("SELECT ?s ?w WHERE { ?s ex:p ?o . OPTIONAL { ?o ex:q ?w } }")
    assert "LATERAL { OPTIONAL { ?o ex:q ?w . } }" in rewritten
    # A filter of the left join sees the variables bound before it either way.
    same_solutions("SELECT ?s ?w WHERE { ?s ex:p ?o . OPTIONAL { ?s ex:q ?w FILTER (?o != ex:b) } }")
    # Nothing before it, or a sub-SELECT in it (which a lateral join would let see ?o): as written.
    assert "LATERAL" not in for_oxigraph("SELECT ?s ?w WHERE { OPTIONAL { ?s ex:q ?w } }")
    rewritten = same_solutions(
        "SELECT ?s ?w WHERE { ?s ex:p ?o . OPTIONAL { SELECT ?o ?w WHERE { ?o ex:q ?w } } }")
    assert "LATERAL" not in rewritten


def test_filters_before_an_optional_are_applied_before_it():
    rewritten = same_solutions("SELECT ?s ?w WHERE { ?s ex:p ?o . FILTER (?o != ex:c) OPTIONAL { ?o ex:q ?w } }")
    assert "{ { ?s ex:p ?o . FILTER (?o != ex:c) } LATERAL { OPTIONAL" in rewritten
    # Not a filter that reads what the OPTIONAL binds: it reads its whole group.
    rewritten = same_solutions("SELECT ?s WHERE { ?s ex:p ?o . FILTER (!BOUND(?w)) OPTIONAL { ?o ex:q ?w } }")
    assert "{ { ?s ex:p ?o" not in rewritten


def test_variables_of_another_union_branch_are_not_bound_in_exists():
    # ?x is bound in the first branch only: in the second branch's EXISTS, the triple from the
    # bound ?s comes first, not the one that would look bound if ?x were.
    rewritten = same_solutions(
        "SELECT ?s WHERE { { ?x ex:q ?s } UNION { ?s ex:p ?y . FILTER EXISTS { ?x ex:p ?s . ?s ex:q ?w } } }")
    assert "FILTER EXISTS { ?s ex:q ?w . LATERAL { ?x ex:p ?s } }" in rewritten


def test_distinct_solutions_are_made_before_tests_that_read_only_selected_variables():
    query = ("SELECT DISTINCT ?s WHERE { ?s ex:p ?o . ?o ex:p* ?n . "
             "FILTER NOT EXISTS { ?s ex:q '3' } FILTER EXISTS { ?n ex:q ?w } }")
    rewritten = same_solutions(query)
    # The first test reads only ?s: after the distinct solutions. The second reads ?n, which is
    # not selected: it stays with the solutions it tests.
    assert rewritten.index("FILTER EXISTS") < rewritten.index(f"LIMIT {NO_LIMIT} }} FILTER NOT EXISTS")
    assert "SELECT DISTINCT ?s WHERE { { SELECT DISTINCT ?s WHERE {" in rewritten


def test_the_first_patterns_of_a_distinct_query_are_made_distinct_on_what_is_read_later():
    # ?o is read no more after the first triples: they go on as distinct ?s, once each.
    rewritten = same_solutions("SELECT DISTINCT ?s ?w WHERE { { ?s ex:p ?o } ?s ex:q ?w }")
    assert f"{{ SELECT DISTINCT ?s WHERE {{ {{ ?s ex:p ?o . }} }} LIMIT {NO_LIMIT} }} ?s ex:q ?w ." in rewritten
    # A filter that reads only those variables goes with them; one that reads a later variable
    # (its group's) or an OPTIONAL before the cut keeps the query as written.
    rewritten = same_solutions("SELECT DISTINCT ?s ?w WHERE { { ?s ex:p ?o } FILTER (?o != ex:c) ?s ex:q ?w }")
    assert "SELECT DISTINCT ?s WHERE { { ?s ex:p ?o . } FILTER (?o != ex:c) }" in rewritten
    for query in ("SELECT DISTINCT ?s ?w WHERE { { ?s ex:p ?o } FILTER (?w != '3') ?s ex:q ?w }",
                  "SELECT DISTINCT ?s WHERE { { ?s ex:p ?x } OPTIONAL { ?x ex:r ?w } FILTER (BOUND(?w)) ?s ex:q ?w }"):
        assert str(NO_LIMIT) not in same_solutions(query)


def test_a_not_exists_of_a_union_tests_its_first_branch_first():
    query = ("SELECT DISTINCT ?s WHERE { ?s ex:p ?o . "
             "FILTER NOT EXISTS { { ?s ex:q '3' } UNION { ?s ex:q '2' } UNION { ?s ex:p ex:d } } }")
    rewritten = same_solutions(query)
    assert solutions(rewritten) == [(f"<{EX}b>",)]
    first = rewritten.index("FILTER NOT EXISTS { ?s ex:q '3' . }")
    assert first < rewritten.index(f"LIMIT {NO_LIMIT} }} FILTER NOT EXISTS {{ {{ ?s ex:q '2' . }} UNION")
    # A positive EXISTS, or a NOT EXISTS of one group, stays as it is.
    for query in ("SELECT DISTINCT ?s WHERE { ?s ex:p ?o . FILTER EXISTS { { ?s ex:q '3' } UNION { ?o ex:q ?w } } }",
                  "SELECT DISTINCT ?s WHERE { ?s ex:p ?o . FILTER NOT EXISTS { { ?s ex:q '3' } } }"):
        assert same_solutions(query).count("FILTER") == 1


def test_tests_stay_in_place_without_distinct():
    query = "SELECT ?s WHERE { ?s ex:p ?o . FILTER NOT EXISTS { ?s ex:q '3' } }"
    assert str(NO_LIMIT) not in for_oxigraph(query)


def test_a_group_of_triples_after_other_patterns_in_exists_is_joined_laterally():
    rewritten = same_solutions(
        "SELECT ?s WHERE { ?s ex:p ?o . FILTER EXISTS { ?s ex:p ?x . { ?x ex:q ?w } UNION { ?x ex:p ?w } } }")
    assert "LATERAL { { ?x ex:q ?w . } UNION { ?x ex:p ?w . } }" in rewritten
    # A filter in the group would see ?x in a lateral join, and not in a plain one.
    rewritten = same_solutions(
        "SELECT ?s WHERE { ?s ex:p ?o . FILTER EXISTS { ?s ex:p ?x . { ?y ex:q ?w FILTER (?x != ?y) } } }")
    assert "LATERAL { {" not in rewritten


def test_tests_stay_in_place_before_solution_modifiers():
    query = ("SELECT DISTINCT ?s WHERE { ?s ex:p ?o . FILTER NOT EXISTS { ?s ex:q '3' } } "
             "GROUP BY ?s HAVING (COUNT(?o) > 0)")
    assert str(NO_LIMIT) not in same_solutions(query)


def test_typed_literals_in_projections_modifiers_and_values_are_copied_as_written():
    rewritten = same_solutions(
        "SELECT ?o ?n WHERE { { SELECT ?o (COALESCE(?o, '0'^^<http://www.w3.org/2001/XMLSchema#string>) AS ?n) "
        "WHERE { ?s ex:q ?o } VALUES ?o { '1'^^<http://www.w3.org/2001/XMLSchema#string> '3' } } }")
    assert "'0'^^<" in rewritten and "'1'^^<" in rewritten
