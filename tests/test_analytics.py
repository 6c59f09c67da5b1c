"""Graph analytics: money paths and amounts, role combinations, throughput, phase comparison."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import setup_from

from jeugdgov import InputError, validate
from jeugdgov.analysis.analytics import compare_phases, money_paths, role_combinations, throughput

LEL = "https://w3id.org/jeugdgov/id/lelystad/"
ZHZ = "https://w3id.org/jeugdgov/id/zhz/"
EX = "https://w3id.org/jeugdgov/id/example/"
LELYSTAD = "https://identifier.overheid.nl/tooi/id/gemeente/gm0995"

# M pays A 1000, of which A passes 600 on to B (naming the flow); M pays C 500, C pays D 200.
# C's payment names no flow, so it takes its share of C's money in proportion: 200 of 500.
FLOWS = """
ex:m a jg:Municipality ; rdfs:label "M" .
ex:a a jg:CareProvider ; rdfs:label "A" . ex:b a jg:CareProvider ; rdfs:label "B" .
ex:c a jg:Organisation ; rdfs:label "C" . ex:d a jg:CareProvider ; rdfs:label "D" .
ex:f1 a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:a ; jg:amount 1000.0 .
ex:f2 a jg:PassThrough ; jg:payer ex:a ; jg:payee ex:b ; jg:amount 600.0 ; jg:passesOn ex:f1 .
ex:f3 a jg:ContractPayment ; jg:payer ex:m ; jg:payee ex:c ; jg:amount 500.0 .
ex:f4 a jg:ContractPayment ; jg:payer ex:c ; jg:payee ex:d ; jg:amount 200.0 .
"""


def test_money_paths_follow_pass_throughs_and_split_in_proportion():
    result = money_paths(setup_from(FLOWS))
    assert result.has_amounts and not result.missing
    by_path = {tuple(p.nodes): p.amount for p in result.paths}
    assert by_path == {(EX + "m", EX + "a", EX + "b"): Decimal(600), (EX + "m", EX + "c", EX + "d"): Decimal(200)}
    recipients = {r.label: r for r in result.recipients["M"]}
    assert (recipients["A"].received, recipients["A"].passed_on, recipients["A"].retained) == (1000, 600, 400)
    assert recipients["C"].retained == 300 and recipients["C"].final, "C keeps money, so it is a final recipient"
    assert recipients["B"].retained == 600 and recipients["D"].retained == 200
    assert sum(r.retained for r in recipients.values()) == 1500, "all money that leaves M lands somewhere"


def test_a_pass_through_carries_only_the_flow_it_names():
    turtle = FLOWS + """
        ex:f5 a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:c ; jg:amount 100.0 .
        ex:f6 a jg:PassThrough ; jg:payer ex:c ; jg:payee ex:b ; jg:amount 50.0 ; jg:passesOn ex:f5 .
    """
    result = money_paths(setup_from(turtle))
    amounts = {(tuple(p.flows)): p.amount for p in result.paths}
    assert amounts[(EX + "f5", EX + "f6")] == 50
    assert amounts[(EX + "f3", EX + "f6")] == 0, "the contract payment to C is not what C passes on"


def test_missing_amounts_are_unknown_and_said_so():
    partial = money_paths(setup_from(FLOWS.replace("jg:amount 200.0 ", "")))
    assert not partial.has_amounts
    assert {p.nodes[-1]: p.amount for p in partial.paths}[EX + "d"] is None
    assert {p.nodes[-1]: p.amount for p in partial.paths}[EX + "b"] == 600
    assert "No amount in the data for" in partial.note


def test_lelystad_money_paths_have_no_amounts_and_say_so(setups):
    result = money_paths(setups["lelystad-cooperatie"])
    assert not result.has_amounts
    assert "no amounts" in result.note
    paths = {tuple(p.nodes) for p in result.paths}
    assert (LELYSTAD, LEL + "zorgorganisaties-leden", LEL + "jgt-cooperatie") in paths
    finals = {r.node for r in result.recipients["Gemeente Lelystad"] if r.final}
    assert finals == {LEL + "jgt-cooperatie", LEL + "zorgorganisaties-overig"}
    assert "| from | path |" in result._repr_markdown_()


def test_zhz_money_runs_from_each_municipality_through_soj(setups):
    result = money_paths(setups["zhz-huidig"])
    assert len(result.sources) == 10
    assert all(ZHZ + "soj" in p.nodes for p in result.paths)
    with pytest.raises(InputError, match="pays or receives no money"):
        money_paths(setups["zhz-huidig"], source=ZHZ + "nobody")


@pytest.mark.parametrize("name", ["lelystad-netwerk", "lelystad-cooperatie", "lelystad-jel", "zhz-huidig"])
def test_role_combinations_cover_the_role_defects_the_shapes_find(setups, name):
    setup = setups[name]
    combinations = role_combinations(setup)
    found = {(c.party, c.combination) for c in combinations.combinations}
    findings = validate(setup, defects=["dual-role", "access-and-delivery"]).findings
    for finding in findings:
        kind = "commissioner-contractor" if finding.defect == "dual-role" else "access-delivery"
        assert (finding.focus, kind) in found, f"{finding.defect} of {finding.focus} is a role combination"


def test_role_combinations_in_the_lelystad_phases(setups):
    network = {(c.party, c.combination, c.via) for c in role_combinations(setups["lelystad-netwerk"]).combinations}
    assert (LELYSTAD, "commissioner-contractor", "JGT (network collaboration)") in network
    assert (LEL + "jgt-netwerk", "access-delivery", None) in network
    cooperative = role_combinations(setups["lelystad-cooperatie"])
    assert ({(c.party, c.combination) for c in cooperative.combinations}
            == {(LEL + "directie-cooperatie", "access-delivery")})
    assert not role_combinations(setups["lelystad-jel"]).combinations, "JEL only does access"


def test_throughput_ranks_by_money_passed_on():
    rows = throughput(setup_from(FLOWS)).rows
    assert [r["actor"] for r in rows[:2]] == ["A", "C"]
    assert rows[0]["passed through"] == 600 and rows[1]["passed through"] == 200


def test_throughput_without_amounts_ranks_intermediaries_first_and_says_why(setups):
    result = throughput(setups["zhz-huidig"])
    assert result.rows[0]["iri"] == ZHZ + "soj"
    assert not result.has_amounts and "betweenness" in result.note
    cooperative = throughput(setups["lelystad-cooperatie"])
    assert cooperative.rows[0]["iri"] == LEL + "zorgorganisaties-leden", "the members pass money to the cooperative"


def test_comparing_phases_shows_what_appears_and_disappears(setups):
    money = compare_phases(setups["lelystad-netwerk"], setups["lelystad-cooperatie"], "money")
    appeared = {(r["from"], r["relation"], r["to"]) for r in money.appeared}
    assert ("Care providers that became members of the cooperative (4)", "pass-through", "JGT cooperative") in appeared
    assert {r["to"] for r in money.disappeared} == {"JGT (network collaboration)"}
    assert len(money.kept) == 2, "the subsidies to both groups of providers stay"
    roles = compare_phases(setups["lelystad-cooperatie"], setups["lelystad-jel"], "roles")
    assert "JEL (Jeugd BV)" in roles.nodes_appeared and "JGT cooperative" in roles.nodes_disappeared
    zhz = compare_phases(setups["zhz-huidig"], setups["zhz-aanbevolen"], "money")
    assert sum(r["to"] == "Stichting Jeugdteams Zuid-Holland Zuid (SJT)" for r in zhz.appeared) == 10, \
        "in the recommended model every municipality pays SJT itself"


def test_comparing_setups_without_any_edges_of_the_kind_is_an_input_error(setups):
    with pytest.raises(InputError, match="no mandates"):
        compare_phases(setups["lelystad-jel"], setups["lelystad-jel"], "mandates")
