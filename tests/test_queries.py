"""The query library: headers, typed parameters, and what each query answers on the bundled data.

Expected answers come from the reports (the ZHZ cost totals) or are computed independently
from the same data with rdflib, so a query that drifts from the data's meaning fails.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import DATA, bundled_setups, query_examples
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Store
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from jeugdgov import load, validate
from jeugdgov.errors import InputError
from jeugdgov.norms import read_framework, score_setups
from jeugdgov.norms.rendering import write_table
from jeugdgov.resources import JG, JGR, JGT, ontology
from jeugdgov.sparql.library import NamedQuery, ParameterError, library, read_query, resolve, run, with_values
from jeugdgov.stores.embedded import memory_store
from jeugdgov.validation.evidence import EVIDENCE
from jeugdgov.validation.rendering import as_turtle
from jeugdgov.words import evidence_word, severity_word

ID = "https://w3id.org/jeugdgov/id/"
LEL = ID + "lelystad/"
GM0995 = "https://identifier.overheid.nl/tooi/id/gemeente/gm0995"
MODEL = ID + "zhz/model/"
QUERIES = library()


@pytest.fixture(scope="module")
def store() -> Store:
    return memory_store()


def rows(store: Store, name: str, **values: str) -> list[dict[str, str]]:
    """Solutions of a named query as dicts of plain values (unbound variables left out)."""
    query = QUERIES[name]
    result = run(store, query.text, query.bind(values))
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def setups_by_name() -> dict[str, Graph]:
    return {name: s.graph for name, s in bundled_setups().items()}


# ---- the library and its headers --------------------------------------------------------

def test_at_least_fifteen_queries():
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("query", QUERIES.values(), ids=lambda q: q.name)
def test_header_is_complete_in_dutch_and_english(query: NamedQuery):
    assert set(query.titles) == {"nl", "en"}
    assert set(query.descriptions) == {"nl", "en"}
    assert all(len(text) > 40 for text in query.descriptions.values())
    for parameter in query.parameters:
        assert set(parameter.descriptions) == {"nl", "en"}, parameter.name
    assert any("jeugdgov query " in e for e in query.examples), "an example call of the command"
    assert any(e.startswith(f"GET /queries/{query.name}.") for e in query.examples), "an example URL"


@pytest.mark.parametrize("query", QUERIES.values(), ids=lambda q: q.name)
def test_every_parameter_is_used_and_bindable(query: NamedQuery, store: Store):
    body = query.text.split("\nPREFIX", 1)[-1]
    for parameter in query.parameters:
        assert re.search(rf"\?{parameter.name}\b", body), f"?{parameter.name} is declared but not used"
    # With only the required parameters (defaults filled in) the query runs.
    required = {p.name: _sample(p.type) for p in query.parameters if p.required}
    list(run(store, query.text, query.bind(required)))


def _sample(kind: str) -> str:
    return {"xsd:date": "2016-06-01", "iri": GM0995, "xsd:string": "x", "xsd:decimal": "1.5",
            "xsd:integer": "1", "xsd:boolean": "true"}[kind]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    """The SHACL report of the Lelystad cooperative phase, as `jeugdgov validate -f turtle` writes it."""
    setup = next(s for s in load(DATA / "lelystad.trig") if s.name == "lelystad-cooperatie")
    path = tmp_path_factory.mktemp("report") / "report.ttl"
    path.write_text(as_turtle([validate(setup)]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def norm_table_file(tmp_path_factory) -> Path:
    """The norm table of the example framework on the Lelystad phases, for the query norm-table."""
    path = tmp_path_factory.mktemp("norms") / "scores.ttl"
    framework = read_framework(DATA.parent / "examples" / "normenkader.yaml")
    write_table(score_setups(load(DATA / "lelystad.trig"), framework), path)
    return path


@pytest.fixture(scope="module")
def store_with_report(report_file: Path, norm_table_file: Path) -> Store:
    return memory_store([DATA, report_file, norm_table_file])


@pytest.mark.parametrize("query", QUERIES.values(), ids=lambda q: q.name)
def test_examples_run_and_answer(query: NamedQuery, store_with_report: Store):
    for _files, params in query_examples(query):
        assert rows(store_with_report, query.name, **params), f"example {params} of {query.name} found nothing"


def test_malformed_header_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# @title nl Iets\n# @title en Something\n# @param when date\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(InputError) as caught:
        read_query(bad)
    assert caught.value.line == 3 and "@param" in str(caught.value)


def test_unknown_query_lists_the_names():
    with pytest.raises(InputError) as caught:
        resolve("rolls-in-period")
    assert "roles-in-period" in str(caught.value)


# ---- typed parameters ------------------------------------------------------------------

def test_parameters_become_typed_terms():
    query = QUERIES["roles-in-period"]
    bound = query.bind({"period_start": "2016-01-01", "period_end": "2016-12-31", "task": "jgt:access-decision"})
    assert bound["period_start"] == Literal("2016-01-01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert bound["task"] == NamedNode(str(JGT["access-decision"]))
    assert bound["lang"] == Literal("nl")  # the default


@pytest.mark.parametrize(("values", "named"), [
    ({"period_end": "2016-12-31"}, "period_start"),                             # missing
    ({"period_start": "31-12-2016", "period_end": "2016-12-31"}, "period_start"),  # not ISO
    ({"period_start": "2016-02-30", "period_end": "2016-12-31"}, "period_start"),  # no such day
    ({"period_start": "2016-01-01", "period_end": "2016-12-31", "task": "no iri"}, "task"),
    ({"period_start": "2016-01-01", "period_end": "2016-12-31", "tsak": "x"}, "tsak"),  # unknown
])
def test_bad_parameters_are_named(values, named):
    with pytest.raises(ParameterError) as caught:
        QUERIES["roles-in-period"].bind(values)
    assert caught.value.parameter == named
    assert f"'{named}'" in str(caught.value)


def test_values_cannot_break_out_of_their_term(store: Store):
    hostile = '" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o # {'
    query = QUERIES["findings"]
    text = with_values(query.text, query.bind({"defect": hostile}))
    assert list(run(store, text)) == []  # parsed as one literal: no finding has that id


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p ?o }',
    'PREFIX ex: <http://e/x#y>\n# a { comment\nSELECT ?s ("}" AS ?b) WHERE { ?s ?p ?o FILTER (?o != "{") }',
    'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }',
    'SELECT * { ?s ?p ?o }',
    "select ?where where { ?s ?p ?where }",
])
def test_values_go_first_in_the_where_group(text):
    injected = with_values(text, {"p": NamedNode("http://e/p")})
    braces = [m.start() for m in re.finditer(r"VALUES", injected)]
    assert len(braces) == 1
    head, tail = injected[:braces[0]], injected[braces[0]:]
    assert head.rstrip().endswith("{") and "?s" in tail
    Store().query(injected)  # valid SPARQL


BOUND_INSIDE = """# @title nl Iets
# @title en Something
# @param kind iri
# @param lang xsd:string = nl
# @param other iri?
SELECT ?s ?lang WHERE {
  { SELECT ?s ?kind WHERE {
      # @bind kind
      # @bind other
      ?s a ?kind } }
}
"""


def test_a_bind_line_puts_its_parameter_there_and_the_rest_first(tmp_path, store: Store):
    path = tmp_path / "inside.rq"
    path.write_text(BOUND_INSIDE)
    query = read_query(path)
    text = with_values(query.text, query.bind({"kind": "https://w3id.org/jeugdgov/def#Setup"}))
    assert "      VALUES ?kind { <https://w3id.org/jeugdgov/def#Setup> }\n" in text
    assert '{\n  VALUES (?lang) { ("nl") }' in text  # the other parameter where it always goes
    assert "# @bind other" in text  # absent: the line stays a comment
    found = list(run(store, text))
    assert found and all(row["lang"].value == "nl" for row in found)


def test_a_bind_line_must_name_a_parameter(tmp_path):
    path = tmp_path / "typo.rq"
    path.write_text(BOUND_INSIDE.replace("# @bind other", "# @bind othr"))
    with pytest.raises(InputError) as caught:
        read_query(path)
    assert caught.value.line == 9 and "othr" in str(caught.value) and caught.value.file == path


# ---- what the queries answer ------------------------------------------------------------

def _overlaps(graph: Graph, node, start: str, end: str) -> bool:
    begin = graph.value(graph.value(graph.value(node, JG.during), URIRef("http://www.w3.org/2006/time#hasBeginning")),
                        URIRef("http://www.w3.org/2006/time#inXSDDate"))
    finish = graph.value(graph.value(graph.value(node, JG.during), URIRef("http://www.w3.org/2006/time#hasEnd")),
                         URIRef("http://www.w3.org/2006/time#inXSDDate"))
    return (begin is None or str(begin) <= end) and (finish is None or str(finish) >= start)


@pytest.mark.parametrize(("start", "end"), [("2016-01-01", "2016-12-31"), ("2019-01-01", "2019-12-31"),
                                            ("2021-06-01", "2021-08-01")])
def test_roles_in_period_match_the_setups(store, start, end):
    expected = set()
    for name, graph in setups_by_name().items():
        for assignment in graph.subjects(RDF.type, JG.RoleAssignment):
            if _overlaps(graph, assignment, start, end):
                for task in graph.objects(assignment, JG.task):
                    expected.add((name, str(graph.value(assignment, JG.agent)), str(graph.value(assignment, JG.role)),
                                  str(task)))
    found = {(r["setup"], r["agent"], r["role"], r["task"])
             for r in rows(store, "roles-in-period", period_start=start, period_end=end)}
    assert found == expected
    phases = {name for name, *_ in found}
    if start.startswith("2016"):
        assert "lelystad-netwerk" in phases and "lelystad-cooperatie" not in phases
    if start.startswith("2021"):
        assert {"lelystad-cooperatie", "lelystad-jel"} <= phases and "lelystad-netwerk" not in phases


def test_roles_in_period_for_one_task(store):
    found = rows(store, "roles-in-period", period_start="2015-01-01", period_end="2030-12-31",
                 task="jgt:access-decision", lang="en")
    assert found and {r["task"] for r in found} == {str(JGT["access-decision"])}
    assert {r["taskLabel"] for r in found} == {"decision on access to youth care"}


def test_roles_of_jel(store):
    found = {(r["role"], r["task"]) for r in rows(store, "roles-of-party", party=LEL + "jel")}
    # L 2.3: JEL runs access and decides on behalf of the municipality, and arranges procurement
    # and contract management; it delivers no care.
    assert found == {(str(JGR.access), str(JGT["access-decision"])),
                     (str(JGR["decision-maker"]), str(JGT["access-decision"])),
                     (str(JGR.contractor), str(JGT.procurement)),
                     (str(JGR.contractor), str(JGT["contract-management"]))}


def test_mandate_chain_of_the_lelystad_competence(store):
    found = rows(store, "mandate-chain", competence="lel:bevoegdheid-voorziening")  # a prefixed name
    assert {r["instrument"] for r in found} == {LEL + "mandaat-actor", LEL + "mandaat-teamleider",
                                                LEL + "mandaat-teamleider-2018"}
    assert {(r["holder"], r["giver"], r["depth"], r["kind"]) for r in found} == {
        (LEL + "college", LEL + "college", "0", "mandate")}


def test_mandate_chain_includes_zhz_delegations(store):
    found = rows(store, "mandate-chain")
    delegations = {r["instrument"] for r in found if r["kind"] == "delegation"}
    graph = setups_by_name()["zhz-huidig"]
    assert {str(d) for d in graph.subjects(RDF.type, JG.Delegation)} <= delegations


SUBMANDATES = """
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:c a jg:Competence ; jg:attributedTo ex:college .
ex:m a jg:Mandate ; jg:mandateGiver ex:college ; jg:mandatary ex:director ; jg:competence ex:c ;
    jg:subMandatePermitted true .
ex:m1 a jg:SubMandate ; jg:subMandateOf ex:m ; jg:mandateGiver ex:director ; jg:mandatary ex:manager .
ex:m2 a jg:SubMandate ; jg:subMandateOf ex:m1 ; jg:mandateGiver ex:manager ; jg:mandatary ex:official .
ex:d1 a jg:IndividualDecision ; jg:decidedBy ex:official ; jg:competence ex:c ; jg:underMandate ex:m2 ;
    jg:date "2020-05-01"^^xsd:date .
ex:d2 a jg:IndividualDecision ; jg:decidedBy ex:manager ; jg:competence ex:c ; jg:underMandate ex:m2 ;
    jg:date "2020-05-01"^^xsd:date .
ex:d3 a jg:IndividualDecision ; jg:decidedBy ex:official ; jg:competence ex:other .
"""


def example_store(tmp_path, turtle: str) -> Store:
    path = tmp_path / "example.ttl"
    path.write_text(turtle, encoding="utf-8")
    return memory_store([path])


def test_sub_mandates_have_their_depth(tmp_path):
    found = rows(example_store(tmp_path, SUBMANDATES), "mandate-chain", competence=ID + "example/c")
    depth = {r["receiver"].rsplit("/", 1)[-1]: (int(r["depth"]), r["kind"]) for r in found}
    assert depth == {"director": (0, "mandate"), "manager": (1, "sub-mandate"), "official": (2, "sub-mandate")}


def test_decision_checks(tmp_path):
    found = {r["decision"].rsplit("/", 1)[-1]: r for r in rows(example_store(tmp_path, SUBMANDATES),
                                                                "decisions-and-mandates")}
    assert (found["d1"]["decidedByMandatary"], found["d1"]["competenceCovered"]) == ("true", "true")
    assert found["d2"]["decidedByMandatary"] == "false"   # the manager decided under the official's sub-mandate
    assert "mandate" not in found["d3"] and found["d3"]["competenceCovered"] == "false"


def test_lelystad_decisions_rest_on_their_mandates(store):
    found = {r["decision"]: r for r in rows(store, "decisions-and-mandates", date_from="2015-01-01",
                                            date_to="2020-12-31")}
    assert set(found) == {LEL + "beschikking-netwerk", LEL + "beschikking-cooperatie"}
    for row in found.values():
        assert (row["decidedByMandatary"], row["competenceCovered"], row["dateInPeriod"]) == ("true", "true", "true")
    assert rows(store, "decisions-and-mandates", date_from="2017-01-01", date_to="2018-12-31") == []


def test_money_reaches_the_cooperative_through_its_members(store):
    final = {r["origin"]: r for r in rows(store, "money-final-recipients", municipality=GM0995)}
    passed = final[LEL + "subsidie-leden-cooperatie"]
    # L 2.2.1: the members passed their subsidy on in full to the cooperative.
    assert (passed["finalRecipient"], passed["passThroughs"], passed["via"]) == (
        LEL + "jgt-cooperatie", "1", LEL + "zorgorganisaties-leden")
    direct = final[LEL + "subsidie-overig-cooperatie"]
    assert direct["finalRecipient"] == direct["firstPayee"] and direct["passThroughs"] == "0"
    chain = [r for r in rows(store, "money-flow-chains", municipality=GM0995)
             if r["origin"] == LEL + "subsidie-leden-cooperatie"]
    assert [(r["step"], r["kind"], r["finalRecipient"]) for r in chain] == [
        ("0", "Subsidy", "false"), ("1", "PassThrough", "true")]


AMOUNTS = """
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:town a jg:Municipality .
ex:f0 a jg:Subsidy ; jg:payer ex:town ; jg:payee ex:a ; jg:amount "1000.00"^^xsd:decimal .
ex:f1 a jg:PassThrough ; jg:passesOn ex:f0 ; jg:payer ex:a ; jg:payee ex:b ; jg:amount "800"^^xsd:decimal .
ex:f2 a jg:PassThrough ; jg:passesOn ex:f1 ; jg:payer ex:b ; jg:payee ex:c ; jg:amount "600"^^xsd:decimal .
"""


def test_amounts_along_a_chain(tmp_path):
    example = example_store(tmp_path, AMOUNTS)
    steps = rows(example, "money-flow-chains", municipality=ID + "example/town")
    assert [(r["step"], r["payee"].rsplit("/", 1)[-1], Decimal(r["amount"])) for r in steps] == [
        ("0", "a", Decimal(1000)), ("1", "b", Decimal(800)), ("2", "c", Decimal(600))]
    assert [Decimal(r["shareOfOrigin"]) for r in steps] == [Decimal(1), Decimal("0.8"), Decimal("0.6")]
    (final,) = rows(example, "money-final-recipients")
    assert final["finalRecipient"].endswith("/c") and final["passThroughs"] == "2"
    assert (Decimal(final["originAmount"]), Decimal(final["finalAmount"])) == (Decimal(1000), Decimal(600))
    assert set(final["via"].split()) == {ID + "example/a", ID + "example/b"}


def test_money_next_to_accountability(store):
    graph = setups_by_name()["lelystad-cooperatie"]
    expected = set()
    for line in graph.subjects(RDF.type, JG.AccountabilityLine):
        flow = graph.value(line, JG.aboutFlow)
        aligned = (graph.value(line, JG.accountableParty) == graph.value(flow, JG.payee)
                   and graph.value(line, JG.accountTo) == graph.value(flow, JG.payer))
        expected.add((str(flow), str(line), str(aligned).lower()))
    found = {(r["flow"], r["line"], r["aligned"]) for r in rows(store, "money-and-accountability",
                                                               setup="lelystad-cooperatie") if "line" in r}
    assert found == expected
    # L 2.2.6: the members account to the cooperative's board, not to the municipality that pays them.
    assert (LEL + "subsidie-leden-cooperatie", LEL + "verantwoording-leden-aan-directie", "false") in found


def test_parties_with_more_than_one_role(store):
    found = {(r["setup"], r["agent"], r["task"]): set(r["roles"].split(", "))
             for r in rows(store, "multiple-roles-per-task")}
    # L 2.1.3: JGT was contractor for youth care and delivered it; L 2.3: JEL does access and decides.
    assert found[("lelystad-netwerk", LEL + "jgt-netwerk", str(JGT["care-delivery"]))] == {"contractor", "delivery"}
    assert found[("lelystad-jel", LEL + "jel", str(JGT["access-decision"]))] == {"access", "decision-maker"}
    expected = set()
    for name, graph in setups_by_name().items():
        roles: dict[tuple[str, str, str], set] = {}
        for assignment in graph.subjects(RDF.type, JG.RoleAssignment):
            for task in graph.objects(assignment, JG.task):
                for broader in ontology().transitive_objects(task, SKOS.broader):
                    key = (name, str(graph.value(assignment, JG.agent)), str(broader))
                    roles.setdefault(key, set()).add(graph.value(assignment, JG.role))
        expected |= {key for key, held in roles.items() if len(held) > 1}
    assert set(found) == expected


# The report's figures (AEF, ZHZ 2.2 figuur 4 and 2.4 figuur 5 and 6).
TOTALS = {  # model: (fte min, fte max, cost min, cost max), then the same without the providers
    "huidig": (("131.0", "163.0", "13100000", "16300000"), ("73.5", "92.5", "7350000", "9250000")),
    "alles-lokaal": (("405.0", "480.0", "40500000", "48000000"), ("105.0", "130.0", "10500000", "13000000")),
    "alles-samen": (("117.5", "142.5", "11750000", "14250000"), ("60.0", "72.0", "6000000", "7200000")),
}
SUBTOTALS = {
    "huidig": {"gemeenten": ("25.0", "31.0"), "sjt": ("26.5", "32.5"), "soj": ("22.0", "29.0"),
               "aanbieders": ("57.5", "70.5")},
    "alles-lokaal": {"gemeenten": ("100.0", "120.0"), "sjt": ("5.0", "10.0"), "aanbieders": ("300.0", "350.0")},
    "alles-samen": {"gemeenten": ("10.0", "12.0"), "sjt": ("25.0", "30.0"), "soj": ("25.0", "30.0"),
                    "aanbieders": ("57.5", "70.5")},
}


def _decimals(row: dict[str, str], *names: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(row[n]) for n in names)


@pytest.mark.parametrize("model", sorted(TOTALS))
def test_cost_totals_per_model_reproduce_the_report(store, model):
    (row,) = rows(store, "cost-estimates-per-model", model=f"mdl:{model}")
    total, without_providers = TOTALS[model]
    assert _decimals(row, "fteMin", "fteMax", "costMin", "costMax") == tuple(map(Decimal, total))
    assert _decimals(row, "fteMinWithout", "fteMaxWithout", "costMinWithout", "costMaxWithout") == tuple(
        map(Decimal, without_providers))


def test_cost_totals_cover_the_three_models(store):
    assert {r["model"] for r in rows(store, "cost-estimates-per-model")} == {MODEL + m for m in TOTALS}


@pytest.mark.parametrize("model", sorted(SUBTOTALS))
def test_cost_subtotals_per_organisation_reproduce_the_report(store, model):
    found = {r["organisation"].rsplit("/", 1)[-1]: _decimals(r, "fteMin", "fteMax")
             for r in rows(store, "cost-estimates-per-organisation", model=MODEL + model)}
    assert found == {org: tuple(map(Decimal, figures)) for org, figures in SUBTOTALS[model].items()}


@pytest.mark.parametrize("model", sorted(TOTALS))
def test_costs_per_task_add_up_to_the_total(store, model):
    per_task = rows(store, "cost-estimates-per-task", model=f"mdl:{model}")
    assert sum(Decimal(r["fteMin"]) for r in per_task) == Decimal(TOTALS[model][0][0])
    assert sum(Decimal(r["costMax"]) for r in per_task) == Decimal(TOTALS[model][0][3])


def _matrix() -> Graph:
    return Graph().parse(DATA / "zhz-organisatiekosten.ttl")


@pytest.mark.parametrize("model", sorted(TOTALS))
def test_task_actor_matrix_has_every_cross(store, model):
    graph = _matrix()
    expected = {(str(graph.value(c, JG.task)), str(graph.value(c, JG.forOrganisation)))
                for c in graph.subjects(JG.inModel, URIRef(MODEL + model))
                if (c, RDF.type, JG.MatrixCell) in graph}
    found = {(r["task"], r["organisation"]) for r in rows(store, "task-actor-matrix", model=f"mdl:{model}")}
    assert found == expected and len(found) > 20


def test_matrix_comparison_marks_the_tasks_that_move(store):
    graph = _matrix()

    def doers(model: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for cell in graph.subjects(JG.inModel, URIRef(MODEL + model)):
            if (cell, RDF.type, JG.MatrixCell) in graph:
                found.setdefault(str(graph.value(cell, JG.task)), set()).add(str(graph.value(cell, JG.forOrganisation)))
        return found

    current, joint = doers("huidig"), doers("alles-samen")
    expected = {task for task in set(current) | set(joint) if current.get(task, set()) != joint.get(task, set())}
    found = rows(store, "task-actor-matrix-compare", model_a="mdl:huidig", model_b="mdl:alles-samen")
    assert {r["task"] for r in found if r["differs"] == "true"} == expected
    assert expected, "the models differ somewhere"
    same = rows(store, "task-actor-matrix-compare", model_a="mdl:huidig", model_b="mdl:huidig")
    assert {r["differs"] for r in same} == {"false"}


def test_findings_per_defect_count_the_validation_report(report_file):
    setup = next(s for s in load(DATA / "lelystad.trig") if s.name == "lelystad-cooperatie")
    counts: dict[tuple[str, str], int] = {}
    for finding in validate(setup).findings:
        counts[(finding.defect, finding.severity)] = counts.get((finding.defect, finding.severity), 0) + 1
    found = rows(memory_store([report_file]), "findings-per-defect", lang="en")
    assert {(r["defect"], r["severity"]): int(r["findings"]) for r in found} == counts
    assert {r["setup"] for r in found} == {"lelystad-cooperatie"}
    labels = {r["defect"]: r["defectLabel"] for r in found}
    assert labels["subsidy-passed-on"] == "subsidy passed on"
    # how many rest on established facts, on facts to verify and on claims
    by_evidence = {(f.defect, f.evidence): 0 for f in validate(setup).findings}
    for finding in validate(setup).findings:
        by_evidence[(finding.defect, finding.evidence)] += 1
    assert {(r["defect"], e): int(r[e]) for r in found for e in EVIDENCE if int(r[e])} == by_evidence
    assert {EVIDENCE[0], EVIDENCE[1]} <= {e for _d, e in by_evidence}, "both kinds occur in this setup"
    assert all(r["severityLabel"] == severity_word(r["severity"], "en") for r in found)


def test_findings_carry_messages_in_the_asked_language(report_file):
    found = rows(memory_store([report_file]), "findings", defect="subsidy-passed-on", lang="nl")
    assert len(found) == 1 and found[0]["setup"] == "lelystad-cooperatie"
    assert "subsidie" in found[0]["message"].lower()


def test_findings_carry_evidence_severity_and_sources(report_file):
    """What a BI table needs to tell an established finding from a question to verify."""
    setup = next(s for s in load(DATA / "lelystad.trig") if s.name == "lelystad-cooperatie")
    expected = {(f.defect, f.focus, f.value or f.focus): f for f in validate(setup).findings}
    store = memory_store([DATA / "lelystad.trig", report_file])
    found = rows(store, "findings", lang="en")
    assert len(found) == len(expected)
    sources = {str(s): str(label) for s, label in ontology().subject_objects(RDFS.label)
               if getattr(label, "language", None) == "en"}
    for row in found:
        finding = expected[(row["defect"], row["focus"], row.get("value", row["focus"]))]
        assert (row["evidence"], row["severity"]) == (finding.evidence, finding.severity)
        assert row["severityLabel"] == severity_word(finding.severity, "en")
        assert row.get("sources", "") == " | ".join(sorted(sources[s] for s in finding.sources))
    in_dutch = rows(store, "findings", lang="nl")
    assert {r["evidenceLabel"] for r in in_dutch} == {evidence_word(f.evidence, "nl") for f in expected.values()}
    assert {r["severityLabel"] for r in in_dutch} == {severity_word(f.severity, "nl") for f in expected.values()}
    assert any(r.get("sources") for r in found)


def test_setups_match_the_loader(store):
    loaded = {name: s for name, s in bundled_setups().items() if s.node is not None}
    found = {r["setup"]: r for r in rows(store, "setups")}
    assert set(found) == set(loaded)
    for name, row in found.items():
        setup_graph = loaded[name].graph
        assert int(row["roleAssignments"]) == len(set(setup_graph.subjects(RDF.type, JG.RoleAssignment)))
        assert row["label"] == loaded[name].label("nl")


def test_actors_of_a_kind(store):
    municipalities = {r["actor"] for r in rows(store, "actors", kind="jg:Municipality")}
    expected = {str(s) for g in setups_by_name().values() for s in g.subjects(RDF.type, JG.Municipality)}
    assert municipalities == expected and GM0995 in municipalities


def test_agreements_count_measurable_goals(store):
    found = {r["agreement"]: r for r in rows(store, "agreements", setup="lelystad-jel")}
    contract = found[LEL + "inkoopcontract-jel"]
    assert (contract["goals"], contract["measurableGoals"], contract["kind"]) == ("1", "1", "PurchaseContract")
    netwerk = {r["agreement"]: r for r in rows(store, "agreements", setup="lelystad-netwerk")}
    assert netwerk[LEL + "samenwerkingsovereenkomst-2015"]["measurableGoals"] == "0"


def test_competences_count_mandates_and_decisions(store):
    found = {r["competence"]: r for r in rows(store, "competences", holder=LEL + "college")}
    row = found[LEL + "bevoegdheid-voorziening"]
    assert (row["mandates"], row["decisions"]) == ("3", "2")
    assert "BWBR0034925" in row["legalBasis"]


def test_jel_is_fully_owned_by_the_municipality(store):
    found = rows(store, "memberships-and-shares", organisation="lel:jel")
    assert [(r["member"], r["kind"], Decimal(r["percentage"])) for r in found] == [
        (GM0995, "Shareholding", Decimal(100))]
    cooperative = rows(store, "memberships-and-shares", organisation=LEL + "jgt-cooperatie")
    # L 2.2.1: the municipality did not become a member of the cooperative.
    assert GM0995 not in {r["member"] for r in cooperative}


def test_results_serialise_as_csv(store):
    query = QUERIES["cost-estimates-per-model"]
    csv = run(store, query.text, query.bind({})).serialize(format=QueryResultsFormat.CSV).decode()
    header = csv.splitlines()[0].split(",")
    assert header[:6] == ["model", "modelLabel", "fteMin", "fteMax", "costMin", "costMax"]
    assert len(csv.splitlines()) == 4


def test_every_setup_in_the_store_is_a_named_graph(store):
    graphs = {str(g.value) for g in store.named_graphs()}
    for setup in bundled_setups().values():
        if setup.node is not None:
            assert str(setup.node) in graphs
    # a file without one setup is named from its path in the folder given, not where it lies on this machine
    assert "urn:jeugdgov:file:zhz-organisatiekosten.ttl" in graphs
    assert not any(graph.startswith("file:") for graph in graphs)


def test_dct_identifier_is_the_setup_name(store):
    names = {s.value for s in (q.object for q in store.quads_for_pattern(None, NamedNode(str(DCTERMS.identifier)),
                                                                       None, None))}
    assert {"lelystad-netwerk", "zhz-huidig", "flevoland-handelingskader"} <= names


# ---- the column convention -------------------------------------------------------------

#: column names of an earlier convention, where the setup id and the defect id had other names
OLD_NAMES = {"setupName", "defectId", "setupId"}


@pytest.mark.parametrize("query", QUERIES.values(), ids=lambda q: q.name)
def test_every_query_follows_the_column_convention(query: NamedQuery, store_with_report: Store):
    """`setup` is always the setup id and `defect` the defect id; no column echoes a parameter;
    a `...Label` column stands right after the IRI column it labels."""
    setup_ids = {r["setup"] for r in rows(store_with_report, "setups")}
    for _files, params in query_examples(query) or [([], {})]:
        required = {name: value for name, value in params.items() if query.parameter(name).required}
        result = run(store_with_report, query.text, query.bind(required))
        columns = [v.value for v in result.variables]
        solutions = list(result)
        assert solutions, f"{query.name} with {required} found nothing"
        assert not OLD_NAMES & set(columns), f"{query.name}: {OLD_NAMES & set(columns)}"
        for column in columns:
            parameter = query.parameter(column)
            # a required or defaulted parameter is always bound: as a column it could only echo its value
            assert not (parameter and (parameter.required or parameter.default)), f"{query.name}: '{column}' echoes"
            if parameter:  # an optional parameter's name as a column: a fact of each row, not the echo
                assert any(s[column] is not None for s in solutions), f"{query.name}: '{column}' echoes a parameter"
        if "setup" in columns:
            found = {s["setup"].value for s in solutions if s["setup"] is not None}
            assert found and found <= setup_ids, f"{query.name}: 'setup' holds {found - setup_ids}, not setup ids"
        if "defect" in columns:
            assert all(isinstance(s["defect"], Literal) and "/" not in s["defect"].value
                       for s in solutions if s["defect"] is not None), f"{query.name}: 'defect' is not the id"
        for position, column in enumerate(columns):
            if column.endswith("Label") and column != "Label":
                before = columns[position - 1] if position else None
                assert before and (before == column.removesuffix("Label")
                                   or any(isinstance(s[before], NamedNode) for s in solutions)), (
                    f"{query.name}: '{column}' does not follow the IRI column it labels")


LABELS = "SELECT ?l WHERE { { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?l } UNION " \
         "{ ?thing <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"


def _labels(store: Store, iri: NamedNode, lang: str) -> set[str]:
    """The rdfs:label and skos:prefLabel texts of a thing in a language or untagged."""
    found = store.query(LABELS.replace("?thing", str(iri)), use_default_graph_as_union=True)
    return {s["l"].value for s in found if s["l"].language in (lang, None)}


@pytest.mark.parametrize("query", QUERIES.values(), ids=lambda q: q.name)
def test_every_iri_column_has_its_label_beside_it(query: NamedQuery, store_with_report: Store):
    """A column holding IRIs of labelled things is followed by its `...Label` column, which is
    empty exactly where the IRI is (an unbound IRI must not pick up every label in the store)
    and holds one of the thing's labels in the language asked for, rdfs:label or, as the
    taxonomies have them, skos:prefLabel. `graph` names a named graph, not a thing; the setup it
    holds is labelled in `label`."""
    problems: list[str] = []
    for _files, params in query_examples(query) or [([], {})]:
        required = {name: value for name, value in params.items() if query.parameter(name).required}
        lang = params.get("lang", "nl") if query.parameter("lang") else "nl"
        bound = {**required, **({"lang": lang} if query.parameter("lang") else {})}
        result = run(store_with_report, query.text, query.bind(bound))
        columns = [v.value for v in result.variables]
        solutions = list(result)
        for position, column in enumerate(columns):
            labels = {s[column]: _labels(store_with_report, s[column], lang)
                      for s in solutions if isinstance(s[column], NamedNode)}
            if column == "graph" or not any(labels.values()):
                continue
            label = f"{column}Label"
            if columns[position + 1:position + 2] != [label]:
                problems.append(f"'{column}' has no '{label}' beside it")
                continue
            problems += [f"'{label}' is {s[label]} where '{column}' is {s[column]}"
                         for s in solutions if (s[column] is None) != (s[label] is None)][:1]
            problems += [f"'{label}' is '{s[label].value}', not a {lang} label of {s[column]}"
                         for s in solutions if labels.get(s[column]) and s[label].value not in labels[s[column]]][:1]
    assert not problems, f"{query.name}: " + "; ".join(dict.fromkeys(problems))


#: a cell joining several values: GROUP_CONCAT(... ; separator="...") AS ?column
LIST_CELL = re.compile(r'GROUP_CONCAT\((?:DISTINCT\s+)?[^;]+;\s*separator\s*=\s*"([^"]+)"\)\s+AS\s+\?(\w+)', re.I)


def test_list_cells_are_found():
    lists = {name: LIST_CELL.findall(q.text) for name, q in QUERIES.items()}
    assert (" | ", "sources") in lists["findings"] and (", ", "tasks") in lists["agreements"]


@pytest.mark.parametrize("query", [q for q in QUERIES.values() if LIST_CELL.search(q.text)], ids=lambda q: q.name)
def test_list_cells_are_sorted(query: NamedQuery, store_with_report: Store):
    """GROUP_CONCAT joins in no order the standard defines: each list cell must come sorted,
    so that a cell means the same on every run and every store."""
    lists = {column: separator for separator, column in LIST_CELL.findall(query.text)}
    several = 0
    for _files, params in query_examples(query) or [([], {})]:
        for bound in ({}, params):  # the whole data, and the example's narrower call
            for solution in run(store_with_report, query.text, query.bind(bound)):
                for column, separator in lists.items():
                    if solution[column] is not None and separator in solution[column].value:
                        parts = solution[column].value.split(separator)
                        several += 1
                        assert parts == sorted(parts), f"{query.name}: '{column}' is {parts}"
    assert several or query.name == "money-final-recipients", f"{query.name}: no list of several values to check"
