"""Every shape fires on its minimal violating graph and stays silent on its conforming twin."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import ENGINES, defects_found, setup_from
from shape_cases import CASES, COLLEGE, LAWFUL, SHAPE_CASES

from jeugdgov import validate
from jeugdgov.validation.catalogue import defects


def test_every_catalogue_defect_has_a_case():
    assert set(defects()) == set(CASES)


def test_every_example_folder_is_a_defect_or_a_shape():
    from rdflib import URIRef

    from jeugdgov.resources import JGS, shapes

    for name in SHAPE_CASES:
        assert (URIRef(JGS[name]), None, None) in shapes(), f"shapes/examples/{name}/ names no defect or shape"


@pytest.mark.parametrize("defect", sorted(CASES))
def test_violating_graph_is_flagged(defect):
    _conforming, violating = CASES[defect]
    assert defect in defects_found(violating, defect)


@pytest.mark.parametrize("defect", sorted(CASES))
def test_conforming_graph_is_clean(defect):
    conforming, _violating = CASES[defect]
    assert defects_found(conforming, defect, "data-quality") == set()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", sorted(CASES))
def test_violating_graph_is_an_established_finding(defect, engine):
    _conforming, violating = CASES[defect]
    findings = [f for f in validate(setup_from(violating), defects=[defect], engine=engine).findings
                if f.defect == defect]
    assert findings and {f.evidence for f in findings} == {"established"}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", sorted(LAWFUL))
def test_lawful_look_alike_is_clean(defect, engine):
    report = validate(setup_from(LAWFUL[defect]), defects=[defect, "data-quality"], engine=engine)
    assert report.findings == []


#: The one fact that makes each lawful graph lawful, and what it becomes in the defect.
UNLAWFUL = {
    "provider-decides-extension": ("ex:gp a jg:GeneralPractitioner", "ex:gp a jg:CareProvider"),
    "money-vs-accountability": ("jg:accountTo ex:raad", "jg:accountTo ex:m"),
    "open-budget": ("; jg:withinBudget ex:begroting", ""),
    "affiliated-party-not-in-budget": ("jg:shareholder ex:p", "jg:shareholder ex:m"),
    "participation-without-council-views": ("a jg:JointArrangementParticipation", "a jg:CooperativeMembership"),
    "subsidy-without-regulation": (" ;\n    jg:namedInBudget ex:begroting", ""),
    "no-outcome-indicators": ("jgt:procurement", "jgt:basic-care"),
    "no-regional-arrangement": ("a jg:CentralMunicipalityArrangement", "a jg:IntentionAgreement"),
}


@pytest.mark.parametrize("defect", sorted(LAWFUL))
def test_lawful_look_alike_fires_without_its_lawful_fact(defect):
    lawful, unlawful = UNLAWFUL[defect]
    assert lawful in LAWFUL[defect]
    assert defect in defects_found(LAWFUL[defect].replace(lawful, unlawful), defect)


SHAPES = "https://w3id.org/jeugdgov/shapes#"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("shape", sorted(SHAPE_CASES))
def test_one_value_shape_fires_on_a_second_value_only(shape, engine):
    conforming, violating = SHAPE_CASES[shape]
    flagged = validate(setup_from(violating), defects=["data-quality"], engine=engine).findings
    assert {f.shape for f in flagged} == {SHAPES + shape}
    assert validate(setup_from(conforming), defects=["data-quality"], engine=engine).findings == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_period_given_twice_keeps_the_inactive_body_finding(engine):
    # Two beginnings on the same day repeat every meeting row of the count.
    _conforming, violating = CASES["inactive-body"]
    doubled = violating.replace(
        'time:hasBeginning [ a time:Instant ; time:inXSDDate "2016-01-01"^^xsd:date ] ;',
        'time:hasBeginning [ a time:Instant ; time:inXSDDate "2016-01-01"^^xsd:date ] ,'
        ' [ a time:Instant ; time:inXSDDate "2016-01-01"^^xsd:date ] ;')
    doubled = doubled.replace('jg:date "2017-05-01"', 'jg:date "2016-05-01"')  # one meeting of two
    doubled = doubled.replace("jg:requiredMeetingsPerYear 1", "jg:requiredMeetingsPerYear 2")
    assert doubled.count("2016-01-01") == 2
    report = validate(setup_from(doubled), engine=engine)
    found = {(f.defect, f.shape.rsplit("#", 1)[-1]) for f in report.findings}
    assert ("inactive-body", "inactive-body") in found
    assert ("required-property", "interval-one-beginning") in found
    (inactive,) = [f for f in report.findings if f.defect == "inactive-body"]
    assert inactive.value == "1"


def test_finding_names_parties_and_basis_in_both_languages():
    _conforming, violating = CASES["subsidy-passed-on"]
    report = validate(setup_from(violating), defects=["subsidy-passed-on"])
    (finding,) = report.findings
    assert finding.severity == "Violation"
    assert {p.iri.rsplit("/", 1)[-1] for p in finding.parties} == {"m", "p", "coop"}
    assert any("BWBR0005537&artikel=4:41" in b for b in finding.basis)
    assert "doorgegeven" in finding.message("nl") and "passed on" in finding.message("en")


def test_misspelt_term_suggests_the_defined_one():
    _conforming, violating = CASES["undefined-term"]
    report = validate(setup_from(violating), defects=["undefined-term"])
    (finding,) = report.findings
    assert finding.value.endswith("#advisedBi")
    assert "jg:advisedBy" in finding.message("en")


MANDATE = COLLEGE + """
ex:o2 a jg:Official ; jg:subordinateTo ex:c .
ex:d a jg:IndividualDecision ; jg:decidedBy ex:o2 ; jg:competence ex:comp ; jg:date "2020-06-01"^^xsd:date .
ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:o ; jg:competence ex:comp {permission} ;
    jg:during [ a time:ProperInterval ;
        time:hasBeginning [ a time:Instant ; time:inXSDDate "2019-01-01"^^xsd:date ] ;
        time:hasEnd [ a time:Instant ; time:inXSDDate "{end}"^^xsd:date ] ] .
ex:sub a jg:SubMandate ; jg:subMandateOf ex:mandate ; jg:mandateGiver ex:o ; jg:mandatary ex:o2 ;
    jg:competence ex:comp .
"""


@pytest.mark.parametrize(("permission", "end", "flagged"), [
    ("; jg:subMandatePermitted true", "2021-12-31", False),
    ("", "2021-12-31", True),
    ("; jg:subMandatePermitted true", "2019-12-31", True),
])
def test_sub_mandate_chain_needs_permission_and_period(permission, end, flagged):
    graph = MANDATE.replace("{permission}", permission).replace("{end}", end)
    found = defects_found(graph, "decision-without-mandate")
    assert ("decision-without-mandate" in found) is flagged


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("decided", "sub_from", "flagged"), [
    ('jg:date "2020-06-01"^^xsd:date', "2020-01-01", False),
    ('jg:date "2020-06-01"^^xsd:date', "2020-07-01", True),  # the latest beginning of the chain counts
    ('jg:date "2020-06-01Z"^^xsd:date', "2020-01-01", False),  # no plain date: the full test
    ('jg:date "2020-06-01Z"^^xsd:date', "2020-07-01", True),
    ("rdfs:label \"d\"", "2020-07-01", False),  # an unknown date counts as covered
])
def test_sub_mandate_chain_window_agrees_with_every_period(decided, sub_from, flagged, engine):
    graph = MANDATE.replace("{permission}", "; jg:subMandatePermitted true").replace("{end}", "2021-12-31")
    graph = graph.replace('jg:date "2020-06-01"^^xsd:date', decided).replace(
        "    jg:competence ex:comp .\n",
        "    jg:competence ex:comp ; jg:during [ a time:ProperInterval ;\n"
        f'        time:hasBeginning [ a time:Instant ; time:inXSDDate "{sub_from}"^^xsd:date ] ] .\n')
    assert sub_from in graph and decided in graph
    report = validate(setup_from(graph), defects=["decision-without-mandate"], engine=engine)
    assert bool(report.findings) is flagged


def test_every_shape_carries_id_severity_messages_and_basis():
    from rdflib import RDFS, SH, URIRef

    from jeugdgov.resources import JG, shapes

    graph = shapes()
    result_shapes = sorted(s for s in graph.subjects(JG.detects, None) if isinstance(s, URIRef))
    assert len(result_shapes) >= 17
    for shape in result_shapes:
        assert graph.value(shape, SH.severity) in {SH.Violation, SH.Warning, SH.Info}, shape
        assert list(graph.objects(shape, RDFS.seeAlso)), f"{shape} has no basis"
        holders = [shape, *graph.objects(shape, SH.sparql)]
        languages = {m.language for h in holders for m in graph.objects(h, SH.message)}
        assert {"nl", "en"} <= languages, f"{shape} lacks an nl or en message"


def test_no_shape_names_an_individual_of_a_case():
    import re

    from helpers import ROOT

    for path in (ROOT / "shapes").glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"w3id\.org/jeugdgov/id/(?!source/)[\w-]+", text), path
        assert "identifier.overheid.nl" not in text, path


@pytest.mark.parametrize("engine", ENGINES)
def test_an_agreement_without_an_end_is_evaluated_up_to_the_reference_date(engine):
    """no-evaluation tests an open end with BOUND: the deadline counts up to the reference date."""
    agreement = """
        ex:a a jg:CollaborationAgreement ; jg:evaluationWithinMonths 12 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2015-01-01"^^xsd:date ] ] .
        """
    def found(as_of: date) -> set[str]:
        report = validate(setup_from(agreement), defects=["no-evaluation"], engine=engine, as_of=as_of)
        return {f.defect for f in report.findings}

    assert found(date(2016, 6, 1)) == {"no-evaluation"}
    assert found(date(2015, 6, 1)) == set()  # the twelve months have not passed yet
