"""The encoded cases reproduce what the reports found (DESIGN §6).

For each setup the set of established defect ids equals the set the report supports and each
expected finding names the parties the report names. Norms the reports do not address (a policy
plan, a by-law, the clauses of a joint arrangement) give unrecorded findings: questions to the
auditor, listed exactly in TO_VERIFY, never a verdict.
"""

from __future__ import annotations

import pytest
from helpers import bundled_setups

from jeugdgov import validate

LEL = "https://w3id.org/jeugdgov/id/lelystad/"
LELYSTAD = "https://identifier.overheid.nl/tooi/id/gemeente/gm0995"
FLV = "https://w3id.org/jeugdgov/id/flevoland/"
ZHZ = "https://w3id.org/jeugdgov/id/zhz/"
DORDRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0505"

#: setup -> {defect id: parties one finding of that defect must name (all of them)}
EXPECTED: dict[str, dict[str, set[str]]] = {
    # Lelystad 2.1.3, 2.1.4, 2.1.1, 2.4
    "lelystad-netwerk": {
        "dual-role": {LEL + "programmateam"},
        "advises-and-decides": {LEL + "actor", LEL + "programmateam"},
        "access-and-delivery": {LEL + "jgt-netwerk"},
        "double-financing": {LEL + "jgt-netwerk"},
        "open-budget": {LELYSTAD, LEL + "jgt-netwerk"},
        "goals-not-measurable": {LELYSTAD},
        "inactive-body": {LEL + "stuurgroep"},
        "no-evaluation": {LELYSTAD},
    },
    # Lelystad 2.2.1, 2.2.3, 2.2.6, 2.4
    "lelystad-cooperatie": {
        "access-and-delivery": {LEL + "directie-cooperatie"},
        "money-vs-accountability": {LEL + "directie-cooperatie", LELYSTAD},
        "no-stake": {LEL + "jgt-cooperatie", LELYSTAD},
        "double-financing": {LEL + "jgt-cooperatie"},
        "open-budget": {LELYSTAD, LEL + "jgt-cooperatie"},
        "goals-not-measurable": {LELYSTAD},
        "no-evaluation": {LELYSTAD},
    },
    # Lelystad 2.3: JEL only does access, 100% owned by the municipality.
    "lelystad-jel": {},
    # ZHZ 2.2, 3.2.1, 4.1.3: the municipalities commission SJT through SOJ; SJT runs access and
    # basic care; providers indicate their own care; no measurable goals in the SOJ-SJT contract.
    "zhz-huidig": {
        "indirect-commissioning": {DORDRECHT, ZHZ + "soj"},
        "access-and-delivery": {ZHZ + "sjt"},
        "goals-not-measurable": {ZHZ + "soj", ZHZ + "sjt"},
    },
    # ZHZ 4.1.3: municipalities become direct commissioners of SJT (DVO); the access role of
    # SJT and the providers' own indication remain (4.1.3, 4.1.4).
    "zhz-aanbevolen": {
        "access-and-delivery": {ZHZ + "sjt"},
    },
    # Letter of the Lelystad executive: the provider's 317 message extends care.
    "flevoland-handelingskader": {
        "provider-decides-extension": {FLV + "aanbieders"},
    },
}

#: setup -> the defects whose findings ask what the report leaves open (evidence "unrecorded").
COUNCIL_QUESTIONS = {"no-youth-policy-plan", "no-youth-by-law"}
TO_VERIFY: dict[str, set[str]] = {
    "lelystad-netwerk": COUNCIL_QUESTIONS | {"no-outcome-indicators", "subsidy-without-regulation",
                                             "no-regional-arrangement"},
    # Lelystad 2.2.6 note 2: on what basis the members passed the subsidy on stayed unclear.
    "lelystad-cooperatie": COUNCIL_QUESTIONS | {"no-outcome-indicators", "subsidy-without-regulation",
                                                "no-regional-arrangement", "subsidy-passed-on"},
    # Lelystad 2.3: JEL is an affiliated party that "will" appear in the budget; whether it does,
    # and whether the council stated its views on founding it, the report does not say.
    "lelystad-jel": COUNCIL_QUESTIONS | {"no-outcome-indicators", "no-regional-arrangement",
                                         "affiliated-party-not-in-budget", "participation-without-council-views"},
    "zhz-huidig": COUNCIL_QUESTIONS | {
        "no-outcome-indicators", "affiliated-party-not-in-budget", "arrangement-without-council-consent",
        "arrangement-without-evaluation-clause", "arrangement-without-participation-clause",
        "arrangement-without-views-clause", "arrangement-without-exit-clause", "no-regional-vision"},
    "zhz-aanbevolen": COUNCIL_QUESTIONS | {
        "no-outcome-indicators", "affiliated-party-not-in-budget", "arrangement-without-council-consent",
        "arrangement-without-evaluation-clause", "arrangement-without-participation-clause",
        "arrangement-without-views-clause", "arrangement-without-exit-clause", "no-regional-vision"},
    "flevoland-handelingskader": COUNCIL_QUESTIONS | {"no-regional-arrangement"},
}

REPORTS = bundled_setups()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_setup_reproduces_the_report(name):
    report = validate(REPORTS[name])
    established = {f.defect for f in report.findings if f.evidence == "established"}
    assert established == set(EXPECTED[name]), f"{name}: {sorted(established)}"
    for defect, parties in EXPECTED[name].items():
        named = [{p.iri for p in f.parties} for f in report.findings if f.defect == defect]
        assert any(parties <= n for n in named), f"{defect} does not name {parties}: {named}"
    # What the report leaves open is asked, not judged; no finding rests on a party's claim.
    unrecorded = {f.defect for f in report.findings if f.evidence == "unrecorded"}
    assert unrecorded == TO_VERIFY[name], f"{name}: {sorted(unrecorded)}"
    assert {f.evidence for f in report.findings} <= {"established", "unrecorded"}


def test_the_members_passing_the_subsidy_on_is_asked_with_its_parties():
    # The report leaves open whether the members' subsidy decisions permit passing the subsidy
    # on to the cooperative: the finding asks the question and names who passed what to whom.
    (passed_on,) = [f for f in validate(REPORTS["lelystad-cooperatie"]).findings if f.defect == "subsidy-passed-on"]
    assert passed_on.evidence == "unrecorded"
    assert {LEL + "zorgorganisaties-leden", LEL + "jgt-cooperatie", LELYSTAD} <= {p.iri for p in passed_on.parties}
    assert passed_on.message("en").startswith("Does the subsidy decision of 'subsidy to the cooperative's members'")


def test_recommended_zhz_model_resolves_indirect_commissioning():
    current = {f.defect for f in validate(REPORTS["zhz-huidig"]).findings}
    recommended = {f.defect for f in validate(REPORTS["zhz-aanbevolen"]).findings}
    assert "indirect-commissioning" in current and "indirect-commissioning" not in recommended


def test_jel_has_none_of_the_role_defects():
    found = {f.defect for f in validate(REPORTS["lelystad-jel"]).findings}
    assert not found & {"dual-role", "access-and-delivery", "advises-and-decides"}


def test_every_bundled_setup_has_expectations():
    setups = {name for name, setup in REPORTS.items() if setup.node is not None}
    assert setups == set(EXPECTED) == set(TO_VERIFY)


def test_a_norm_not_yet_in_force_on_the_reference_date_is_no_violation():
    # The network phase ends in 2017: the regional arrangement the 2025 act requires is at most
    # an Info that says from when it is required.
    report = validate(REPORTS["lelystad-netwerk"])
    (regional,) = [f for f in report.findings if f.defect == "no-regional-arrangement"]
    assert regional.severity == "Info" and "required from 2026-01-01" in regional.message("en")


def test_a_basis_is_the_norm_and_a_report_is_where_it_was_seen():
    # A finding for another municipality must not read as a finding about Lelystad: a report
    # section is a basis only for the norms without a general source (docs/norms.md).
    report_only = {"dual-role", "advises-and-decides", "double-financing", "no-stake", "indirect-commissioning",
                   "inactive-body"}
    findings = [f for name in EXPECTED for f in validate(REPORTS[name]).findings]
    for finding in findings:
        reports = [b for b in finding.basis if "/id/source/" in b]
        assert not reports or finding.defect in report_only, (finding.defect, finding.basis)
        assert all("/id/source/" in s for s in finding.seen_in)
    passed_on = next(f for f in findings if f.defect == "subsidy-passed-on")
    assert passed_on.seen_in and all("lelystad" in s for s in passed_on.seen_in)
    assert passed_on.as_dict()["seen_in"] == list(passed_on.seen_in)
