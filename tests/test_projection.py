"""Projection of setups to networkx graphs: edges, attributes, periods, aggregation, bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import ROOT, setup_from
from rdflib import Graph

from jeugdgov import InputError, Setup, validate
from jeugdgov.analysis.projection import KINDS, Period, aggregate, project, require_edges, with_findings
from jeugdgov.resources import ontology

LEL = "https://w3id.org/jeugdgov/id/lelystad/"
ZHZ = "https://w3id.org/jeugdgov/id/zhz/"
LELYSTAD = "https://identifier.overheid.nl/tooi/id/gemeente/gm0995"
TASK = "https://w3id.org/jeugdgov/task/"
SETUPS = ["lelystad-netwerk", "lelystad-cooperatie", "lelystad-jel", "zhz-huidig", "zhz-aanbevolen"]

#: The relations each projection must turn into edges, as SPARQL over setup and ontology.
RELATIONS = {
    "roles": "SELECT DISTINCT ?x ?t { ?x a jg:RoleAssignment ; jg:agent ?a ; jg:role ?r ; jg:task ?t }",
    "mandates": "SELECT DISTINCT ?x { { ?x a/rdfs:subClassOf* jg:Mandate ; jg:mandateGiver ?a ; jg:mandatary ?b }"
                " UNION { ?x a jg:Delegation ; jg:delegator ?a ; jg:delegate ?b } }",
    "money": "SELECT DISTINCT ?x { ?x a/rdfs:subClassOf* jg:MoneyFlow ; jg:payer ?a ; jg:payee ?b }",
    "accountability": "SELECT DISTINCT ?x { ?x a jg:AccountabilityLine ; jg:accountableParty ?a ; jg:accountTo ?b }",
}


def relations_in(setup: Setup, kind: str) -> int:
    data = Graph()
    data += setup.graph
    data += ontology()
    prefixes = "PREFIX jg: <https://w3id.org/jeugdgov/def#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    return len(list(data.query(prefixes + RELATIONS[kind])))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", SETUPS)
def test_one_edge_per_relation_in_the_data(setups, name, kind):
    graph = project(setups[name], kind)
    assert graph.number_of_edges() == relations_in(setups[name], kind)
    for _, _, attributes in graph.edges(data=True):
        assert attributes["node"] and attributes["label_nl"] and attributes["label_en"]
        assert attributes["relation"] and attributes["relation_label_nl"] and attributes["relation_label_en"]


def test_cooperative_members_pass_their_subsidy_through_to_the_cooperative(setups):
    graph = project(setups["lelystad-cooperatie"], "money")
    edges = graph.get_edge_data(LEL + "zorgorganisaties-leden", LEL + "jgt-cooperatie")
    assert edges is not None, "the member providers pay the cooperative"
    (flow,) = edges.values()
    assert flow["kind"] == "pass-through"
    assert flow["passes_on"] == LEL + "subsidie-leden-cooperatie"
    assert flow["amount"] is None and "weight" not in flow, "the report gives no amounts"
    assert graph.get_edge_data(LELYSTAD, LEL + "zorgorganisaties-leden")[LEL + "subsidie-leden-cooperatie"]["kind"] \
        == "subsidy"


def test_role_edges_carry_role_task_context_and_period(setups):
    graph = project(setups["lelystad-jel"], "roles")
    # One assignment names two tasks: one edge per task, both keyed by the assignment.
    assignment = LEL + "rol-jel-inkoop"
    for task in ("procurement", "contract-management"):
        edge = graph.edges[LEL + "jel", TASK + task, assignment]
        assert edge["relation"] == "contractor" and edge["on_behalf_of"] == LELYSTAD
        assert (edge["start"], edge["end"]) == ("2021-07-01", None)
    delivery = graph.edges[LEL + "zorgorganisaties-leden", TASK + "care-delivery", LEL + "rol-leden-jel"]
    assert delivery["context"] == LEL + "inkoopcontract-jel"
    assert delivery["label_en"] == "care delivery: Care providers that became members of the cooperative (4) → " \
        "delivering youth care", "an unlabelled assignment is named by its role and ends"


def test_nodes_carry_labels_kind_and_legal_form(setups):
    jel = project(setups["lelystad-jel"], "roles", lang="nl")
    municipality = jel.nodes[LELYSTAD]
    assert municipality["kind"] == "municipality" and municipality["legal_form"] == "jg:Municipality"
    assert municipality["label"] == municipality["label_nl"] == "Gemeente Lelystad"
    assert jel.nodes[LEL + "jel"]["legal_form"] == "jg:PrivateCompany"
    assert jel.nodes[LEL + "jel"]["legal_form_label_nl"] == "besloten vennootschap (B.V.)"
    task = jel.nodes[TASK + "care-delivery"]
    assert task["node_type"] == "task" and task["label_nl"] != task["label_en"]
    network = project(setups["lelystad-netwerk"], "roles")
    assert network.nodes[LEL + "jgt-netwerk"]["legal_form"] == "jg:Network"
    assert network.nodes[LEL + "programmateam"]["kind"] == "governance-body"
    cooperative = project(setups["lelystad-cooperatie"], "roles")
    assert cooperative.nodes[LEL + "jgt-cooperatie"]["legal_form"] == "jg:Cooperative"
    assert cooperative.nodes[LEL + "jgt-cooperatie"]["kind"] == "care-provider"


def test_mandates_have_competence_and_their_own_period(setups):
    graph = project(setups["lelystad-netwerk"], "mandates")
    actor = graph.edges[LEL + "college", LEL + "actor", LEL + "mandaat-actor"]
    assert actor["competence"] == LEL + "bevoegdheid-voorziening"
    assert actor["end"] == "2018-01-31", "the mandate's own period, not the setup's"
    leader = graph.edges[LEL + "college", LEL + "teamleider", LEL + "mandaat-teamleider"]
    assert leader["end"] == "2017-12-31", "no period of its own: the setup's"


def test_restriction_to_a_date_keeps_what_holds_that_day(setups):
    setup = setups["lelystad-netwerk"]
    # In January 2018 only the actor's mandate still ran.
    graph = project(setup, "mandates", at=date(2018, 1, 15))
    assert [(u, v) for u, v in graph.edges()] == [(LEL + "college", LEL + "actor")]
    assert LEL + "teamleider" not in graph
    assert project(setup, "mandates", period=Period(date(2017, 6, 1), date(2019, 1, 1))).number_of_edges() == 2


def test_a_period_without_data_is_a_clear_message(setups):
    graph = project(setups["lelystad-jel"], "roles", period=Period(date(2010, 1, 1), date(2012, 12, 31)))
    assert graph.number_of_edges() == 0
    with pytest.raises(InputError, match="no roles during 2010-01-01") as error:
        require_edges(graph)
    assert "2021-07-01" in str(error.value), "the message says which period the data covers"


def test_no_edges_of_a_kind_and_empty_setups_are_input_errors(setups):
    with pytest.raises(InputError, match="has no mandates"):
        require_edges(project(setups["lelystad-jel"], "mandates"))
    empty = Setup(name="empty", graph=Graph(), source=Path("empty.ttl"))
    with pytest.raises(InputError, match="empty"):
        project(empty, "roles")
    with pytest.raises(InputError, match="unknown kind"):
        project(setups["lelystad-jel"], "ownership")
    with pytest.raises(InputError, match="starts"):
        Period(date(2020, 1, 1), date(2019, 1, 1))


def test_equivalent_municipalities_merge_and_an_aggregate_provider_node_stays(setups):
    graph = project(setups["zhz-huidig"], "money")
    municipalities = [n for n, a in graph.nodes(data=True) if a["kind"] == "municipality"]
    assert len(municipalities) == 10
    merged = aggregate(graph)
    (node,) = [n for n, a in merged.nodes(data=True) if a.get("aggregate")]
    assert sorted(merged.nodes[node]["members"]) == sorted(municipalities)
    assert merged.nodes[node]["label"] == "Municipalities (10)"
    (contribution,) = merged.get_edge_data(node, ZHZ + "soj").values()
    assert contribution["count"] == 10 and len(contribution["merged"]) == 10
    # The data already models the >150 providers as one node: it is kept as it is.
    assert ZHZ + "aanbieders" in merged
    assert merged.number_of_edges() == graph.number_of_edges() - 9


def many_providers(count: int, with_amounts: bool = True) -> str:
    lines = ['ex:soj a jg:Organisation ; rdfs:label "SOJ" .',
             'ex:sjt a jg:Foundation , jg:CareProvider ; rdfs:label "SJT" .',
             "ex:f a jg:ContractPayment ; jg:payer ex:soj ; jg:payee ex:sjt ."]
    for i in range(count):
        amount = f" ; jg:amount {1000 + i}.0" if with_amounts else ""
        lines.append(f'ex:p{i} a jg:CareProvider ; rdfs:label "Aanbieder {i}" .')
        lines.append(f"ex:flow{i} a jg:PerCaseFinancing ; jg:payer ex:soj ; jg:payee ex:p{i}{amount} .")
    return "\n".join(lines)


def test_more_than_150_providers_become_one_node_with_summed_amounts():
    graph = project(setup_from(many_providers(160)), "money")
    assert graph.number_of_nodes() == 162
    merged = aggregate(graph)
    assert merged.number_of_nodes() == 3, "SOJ, SJT (a foundation of its own) and one aggregate"
    (node,) = [n for n, a in merged.nodes(data=True) if a.get("aggregate")]
    assert len(merged.nodes[node]["members"]) == 160
    (flow,) = merged.get_edge_data("https://w3id.org/jeugdgov/id/example/soj", node).values()
    assert flow["count"] == 160
    assert flow["amount"] == sum(Decimal(1000 + i) for i in range(160))
    assert flow["weight"] == float(flow["amount"])
    assert aggregate(graph, min_group=1000, max_providers=1000).number_of_nodes() == 162


def test_providers_beyond_the_limit_are_merged_even_when_they_differ():
    turtle = "\n".join(
        f'ex:p{i} a jg:CareProvider ; rdfs:label "Aanbieder {i}" . ex:r{i} a jg:RoleAssignment ; jg:agent ex:p{i} ; '
        f'jg:role jgr:delivery ; jg:task jgt:{"basic-care" if i % 2 else "specialist-care"} .' for i in range(20))
    roles = project(setup_from(turtle), "roles")
    assert roles.number_of_nodes() == 22
    assert aggregate(roles, min_group=1000, max_providers=12).number_of_nodes() == 3
    assert aggregate(roles, min_group=1000, max_providers=30).number_of_nodes() == 22
    assert aggregate(roles, max_providers=30).number_of_nodes() == 4, "two groups of ten equivalent providers"


def test_a_setup_validated_in_worker_processes_is_refused_not_drawn_empty():
    [report] = validate(ROOT / "data" / "lelystad.trig", setups=["lelystad-cooperatie"], workers=1)
    assert not report.setup.complete
    with pytest.raises(InputError, match="carries only its description"):
        project(report.setup, "roles")


def defects(attributes: dict) -> set[str]:
    return {f["defect"] for f in attributes["findings"]}


def test_findings_ride_on_their_focus_node_and_on_the_edge_between_focus_and_value(setups):
    cooperative = setups["lelystad-cooperatie"]
    findings = validate(cooperative).findings
    [no_stake] = [f for f in findings if f.defect == "no-stake"]
    assert (no_stake.focus, no_stake.value) == (LEL + "jgt-cooperatie", LELYSTAD)
    graph = project(cooperative, "money", findings=findings, lang="nl")
    [carried] = [f for f in graph.nodes[no_stake.focus]["findings"] if f["defect"] == "no-stake"]
    assert carried["severity"] == no_stake.severity and carried["evidence"] == no_stake.evidence
    assert carried["message"] == no_stake.message("nl") != no_stake.message("en")
    assert "no-stake" in defects(graph.nodes[LELYSTAD])
    # The municipality pays the cooperative: the edge between focus and value carries the finding.
    assert "no-stake" in defects(graph.edges[LELYSTAD, no_stake.focus, LEL + "beschikkingen-jgt-cooperatie"])
    # A finding about a money flow rides on the edge of that flow and on no other edge.
    flow = LEL + "subsidie-overig-cooperatie"
    assert {(u, v) for u, v, a in graph.edges(data=True) if "open-budget" in defects(a)
            and any(f["focus"] == flow for f in a["findings"])} == {(LELYSTAD, LEL + "zorgorganisaties-overig")}
    assert graph.nodes[LEL + "zorgorganisaties-overig"]["findings"] == [], "no finding is about this node"


def test_findings_of_another_setup_or_none_at_all_leave_a_projection_bare(setups):
    findings = validate(setups["lelystad-cooperatie"]).findings
    network = project(setups["lelystad-netwerk"], "money")
    assert all("findings" not in a for _, a in network.nodes(data=True)), "no findings given, no attribute"
    other = with_findings(network, findings)
    assert LELYSTAD in other
    assert all(a["findings"] == [] for _, a in other.nodes(data=True))
    assert all(a["findings"] == [] for *_, a in other.edges(data=True))
    assert all("findings" not in a for _, a in network.nodes(data=True)), "the projection itself is left as it was"
