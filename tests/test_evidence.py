"""Evidence status: established, unrecorded (a question saying what to record) or alleged (a
party's claim), the same with both engines; sources; the reference date."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import ENGINES, setup_from
from rdflib import Literal, URIRef
from shape_cases import CASES, COLLEGE, PREFIXES

from jeugdgov import validate
from jeugdgov.resources import JG

#: defect -> (the setup saying nothing, the fact that says there is none, the fact that
#: records one). Each fact is added to the setup that says nothing.
THREE_WAYS: dict[str, tuple[str, str, str]] = {
    "external-mandate-without-consent": (
        COLLEGE + """
        ex:f a jg:Foundation .
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:f ; jg:competence ex:comp .
        """,
        "ex:mandate jg:consentGiven false .",
        "ex:mandate jg:consentGiven true .",
    ),
    "goals-not-measurable": (
        "ex:a a jg:CollaborationAgreement ; jg:assignsTask jgt:care-delivery .",
        "ex:a jg:noValue jg:hasGoal .",
        "ex:a jg:hasGoal ex:g . ex:g a jg:Goal ; jg:measurable true .",
    ),
    "open-budget": (
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider .
        ex:sd a jg:SubsidyDecision .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd .
        """,
        "ex:sd jg:noValue jg:budgetCeiling , jg:steeringInstrument .",
        "ex:sd jg:budgetCeiling 1000000.00 .",
    ),
    "no-evaluation": (
        """
        ex:a a jg:CollaborationAgreement ; jg:evaluationWithinMonths 12 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2015-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2018-12-31"^^xsd:date ] ] .
        """,
        "ex:a jg:noValue jg:evaluates .",
        'ex:ev a jg:Evaluation ; jg:evaluates ex:a ; jg:date "2015-11-01"^^xsd:date .',
    ),
    "inactive-body": (
        """
        ex:sg a jg:SteeringGroup ; jg:requiredMeetingsPerYear 1 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2016-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2016-12-31"^^xsd:date ] ] .
        """,
        "ex:sg jg:noValue jg:meetingOf .",
        'ex:meeting a jg:Meeting ; jg:meetingOf ex:sg ; jg:date "2016-05-01"^^xsd:date .',
    ),
    "no-contact-point": (
        "ex:m a jg:Municipality . ex:vt a jg:SafeAtHomeOrganisation . ex:team a jg:Team .",
        "ex:m jg:noValue jgr:contact-point .",
        """ex:r a jg:RoleAssignment ; jg:agent ex:team ; jg:role jgr:contact-point ;
            jg:task jgt:child-protection ; jg:onBehalfOf ex:m .""",
    ),
    "decision-without-mandate": (
        COLLEGE + """
        ex:d a jg:IndividualDecision ; jg:decidedBy ex:o ; jg:competence ex:comp ;
            jg:date "2020-01-01"^^xsd:date .
        """,
        "ex:d jg:noValue jg:underMandate .",
        """ex:d jg:underMandate ex:mandate .
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:o ; jg:competence ex:comp .""",
    ),
    "subsidy-passed-on": (
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider . ex:coop a jg:Cooperative .
        ex:sd a jg:SubsidyDecision .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd .
        ex:pt a jg:PassThrough ; jg:payer ex:p ; jg:payee ex:coop ; jg:passesOn ex:s .
        """,
        "ex:sd jg:noValue jg:passOnPermitted .",
        "ex:sd jg:passOnPermitted true .",
    ),
    "delegation-without-basis": (
        COLLEGE + """
        ex:ab a jg:GeneralBoard .
        ex:del a jg:Delegation ; jg:delegator ex:c ; jg:delegate ex:ab ; jg:competence ex:comp .
        """,
        "ex:del jg:noValue jg:legalBasis .",
        "ex:del jg:legalBasis <https://wetten.overheid.nl/jci1.3:c:BWBR0003740&artikel=8> .",
    ),
    "provider-decides-extension": (
        """
        ex:p a jg:CareProvider .
        ex:hk a jg:HandlingFramework ; jg:hasExtensionClause ex:clause .
        ex:clause a jg:ExtensionClause ; jg:extensionRequestedBy ex:p .
        """,
        "ex:clause jg:noValue jg:requiresMunicipalDecision .",
        "ex:clause jg:requiresMunicipalDecision true .",
    ),
}

#: What the question of each unrecorded finding asks to record.
TO_RECORD = {
    "external-mandate-without-consent": "jg:consentGiven",
    "goals-not-measurable": "jg:noValue jg:hasGoal",
    "open-budget": "jg:budgetCeiling",
    "no-evaluation": "jg:noValue jg:evaluates",
    "inactive-body": "jg:noValue jg:meetingOf",
    "no-contact-point": "jg:noValue jgr:contact-point",
    "decision-without-mandate": "jg:noValue jg:underMandate",
    "subsidy-passed-on": "jg:passOnPermitted",
    "delegation-without-basis": "jg:noValue jg:legalBasis",
    "provider-decides-extension": "jg:requiresMunicipalDecision",
}


def findings_of(turtle: str, defect: str, engine: str, **options):
    report = validate(setup_from(turtle), defects=[defect], engine=engine, **options)
    return [f for f in report.findings if f.defect == defect]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", sorted(THREE_WAYS))
def test_silence_is_a_question(defect, engine):
    silent, _none, _recorded = THREE_WAYS[defect]
    (finding,) = findings_of(silent, defect, engine)
    assert finding.evidence == "unrecorded"
    for lang in ("nl", "en"):
        assert "?" in finding.message(lang) or ":" in finding.message(lang)
        assert TO_RECORD[defect] in finding.message(lang), finding.message(lang)
    assert finding.message("nl") != finding.message("en")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", sorted(THREE_WAYS))
def test_stated_absence_is_established(defect, engine):
    silent, none, _recorded = THREE_WAYS[defect]
    (finding,) = findings_of(silent + none, defect, engine)
    assert finding.evidence == "established"
    assert "jg:noValue" not in finding.message("en")  # the finding itself, not the question


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", sorted(THREE_WAYS))
def test_recorded_value_is_no_finding(defect, engine):
    silent, _none, recorded = THREE_WAYS[defect]
    assert findings_of(silent + recorded, defect, engine) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_consent_unknown_is_not_established(engine):
    silent, _none, _recorded = THREE_WAYS["external-mandate-without-consent"]
    (finding,) = findings_of(silent + "ex:mandate jg:unknownValue jg:consentGiven .",
                             "external-mandate-without-consent", engine)
    assert finding.evidence == "unrecorded"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_claimed_decision_gives_an_alleged_finding_naming_the_claimant(engine):
    turtle = COLLEGE + """
        ex:p a jg:CareProvider ; rdfs:label "Zorgaanbieder Zuid" .
        ex:d a jg:IndividualDecision ; jg:competence ex:comp ; jg:decidedBy ex:o ;
            jg:claimedBy ex:p ; prov:hadPrimarySource ex:letter .
        """
    turtle = "@prefix prov: <http://www.w3.org/ns/prov#> .\n" + turtle
    (finding,) = findings_of(turtle, "decision-without-mandate", engine)
    assert finding.evidence == "alleged"
    assert finding.severity == "Violation"  # the claim weakens the evidence, not the rule
    assert "Zorgaanbieder Zuid" in finding.message("nl") and "Zorgaanbieder Zuid" in finding.message("en")
    assert finding.sources == ("https://w3id.org/jeugdgov/id/example/letter",)
    unclaimed = turtle.replace("jg:claimedBy ex:p ;", "jg:noValue jg:underMandate ;")
    (plain,) = findings_of(unclaimed, "decision-without-mandate", engine)
    assert plain.evidence == "established" and "Zorgaanbieder" not in plain.message("en")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_claimed_extension_clause_gives_an_alleged_finding(engine):
    silent, none, _recorded = THREE_WAYS["provider-decides-extension"]
    claimed = silent + none + "ex:clause jg:claimedBy ex:f . ex:f a jg:Foundation ; rdfs:label \"Stichting Noord\" ."
    (finding,) = findings_of(claimed, "provider-decides-extension", engine)
    assert finding.evidence == "alleged" and "Stichting Noord" in finding.message("nl")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_disputed_fact_gives_an_alleged_finding_naming_who_disputes_it(engine):
    silent, none, _recorded = THREE_WAYS["delegation-without-basis"]
    disputed = silent + none + "ex:del jg:disputedBy ex:f . ex:f a jg:Foundation ; rdfs:label \"Stichting Noord\" ."
    (finding,) = findings_of(disputed, "delegation-without-basis", engine)
    assert finding.evidence == "alleged"
    assert "Stichting Noord betwist" in finding.message("nl") and "Stichting Noord disputes" in finding.message("en")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unclear_value_is_not_an_established_absence(engine):
    silent, _none, _recorded = THREE_WAYS["subsidy-passed-on"]
    (finding,) = findings_of(silent + "ex:sd jg:unclearValue jg:passOnPermitted .", "subsidy-passed-on", engine)
    assert finding.evidence == "unrecorded"


@pytest.mark.parametrize("engine", ENGINES)
def test_an_undated_evaluation_leaves_no_evaluation_a_question(engine):
    silent, _none, _recorded = THREE_WAYS["no-evaluation"]
    undated = silent + 'ex:ev a jg:Evaluation ; jg:evaluates ex:a .'
    (finding,) = findings_of(undated, "no-evaluation", engine)
    assert finding.evidence == "unrecorded"
    late = silent + 'ex:ev a jg:Evaluation ; jg:evaluates ex:a ; jg:date "2017-11-01"^^xsd:date .'
    (finding,) = findings_of(late, "no-evaluation", engine)
    assert finding.evidence == "established"


@pytest.mark.parametrize("engine", ENGINES)
def test_an_abandoned_agreement_has_no_goals_to_measure(engine):
    silent, _none, _recorded = THREE_WAYS["goals-not-measurable"]
    refused = silent + "ex:a jg:status <https://w3id.org/jeugdgov/status/refused> ; jg:refusedBy ex:m ."
    assert findings_of(refused, "goals-not-measurable", engine) == []
    # One party's refusal leaves the agreement between the others: the question stays.
    (finding,) = findings_of(silent + "ex:a jg:refusedBy ex:m . ex:m a jg:Municipality .",
                             "goals-not-measurable", engine)
    assert finding.evidence == "unrecorded"


DUAL_ROLE = PREFIXES + "@prefix prov: <http://www.w3.org/ns/prov#> .\n" + CASES["dual-role"][1] + """
    ex:p a jg:CareProvider ; rdfs:label "Zorgaanbieder Zuid" .
    ex:r3 a jg:RoleAssignment ; jg:agent ex:team ; jg:role jgr:commissioner ; jg:task jgt:procurement .
    """


@pytest.mark.parametrize("engine", ENGINES)
def test_a_claimed_role_assignment_for_the_task_gives_an_alleged_dual_role(engine):
    """The team's own commission for the task rests on the provider's word; a claim on its
    commission for another task leaves the finding established."""
    claimed = DUAL_ROLE + "ex:r1 jg:claimedBy ex:p ; prov:hadPrimarySource ex:letter ."
    (finding,) = findings_of(claimed, "dual-role", engine)
    assert finding.evidence == "alleged" and "Zorgaanbieder Zuid" in finding.message("en")
    assert finding.sources == ("https://w3id.org/jeugdgov/id/example/letter",)
    (other,) = findings_of(DUAL_ROLE + "ex:r3 jg:claimedBy ex:p .", "dual-role", engine)
    assert other.evidence == "established" and "Zorgaanbieder" not in other.message("en")


@pytest.mark.parametrize("engine", ENGINES)
def test_shacl_report_carries_evidence_sources_and_reference_date(engine):
    silent, _none, _recorded = THREE_WAYS["open-budget"]
    turtle = "@prefix prov: <http://www.w3.org/ns/prov#> .\n" + silent + \
        "ex:sd prov:hadPrimarySource ex:section ."
    report = validate(setup_from(turtle), defects=["open-budget"], engine=engine, as_of=date(2020, 5, 1))
    (finding,) = report.findings
    assert finding.sources == ("https://w3id.org/jeugdgov/id/example/section",)
    graph = report.shacl_report
    assert set(graph.objects(None, JG.evidence)) == {Literal("unrecorded")}
    assert set(graph.objects(None, URIRef("http://www.w3.org/ns/prov#hadPrimarySource"))) == {
        URIRef("https://w3id.org/jeugdgov/id/example/section")}
    assert [d.toPython() for d in graph.objects(None, JG.asOf)] == [date(2020, 5, 1)]
    assert report.as_of == date(2020, 5, 1)


RUNNING = """
ex:a a jg:CollaborationAgreement ; jg:noValue jg:evaluates ;
    jg:during [ a time:ProperInterval ;
        time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-01-15"^^xsd:date ] ] .
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_the_reference_date_moves_no_evaluation_on_a_running_agreement(engine):
    before = findings_of(RUNNING, "no-evaluation", engine, as_of=date(2021, 12, 31))
    after = findings_of(RUNNING, "no-evaluation", engine, as_of=date(2022, 1, 1))
    assert before == [] and len(after) == 1 and after[0].evidence == "established"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_closed_agreement_is_judged_by_the_reference_date_when_that_comes_first(engine):
    closed = RUNNING.replace(
        'time:inXSDDate "2020-01-15"^^xsd:date ] ]',
        'time:inXSDDate "2020-01-15"^^xsd:date ] ;'
        ' time:hasEnd [ a time:Instant ; time:inXSDDate "2025-12-31"^^xsd:date ] ]')
    assert findings_of(closed, "no-evaluation", engine, as_of=date(2021, 6, 1)) == []
    assert len(findings_of(closed, "no-evaluation", engine, as_of=date(2026, 6, 1))) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_the_default_reference_date_is_the_end_of_the_setups_period(engine):
    turtle = RUNNING + """
        ex:setup a jg:Setup ; jg:during [ a time:ProperInterval ;
            time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date ] ;
            time:hasEnd [ a time:Instant ; time:inXSDDate "2021-06-30"^^xsd:date ] ] .
        """
    setup = setup_from(turtle)
    setup.node = URIRef("https://w3id.org/jeugdgov/id/example/setup")
    report = validate(setup, defects=["no-evaluation"], engine=engine)
    assert report.as_of == date(2021, 6, 30) and report.findings == []


def test_no_shape_calls_now():
    from rdflib import SH

    from jeugdgov.resources import shapes
    queries = [str(q) for q in shapes().objects(None, SH.select)]
    assert queries and not [q for q in queries if "NOW(" in q.upper()]


class _Today:
    """A date class whose today() is a given day, for the modules that ask for today."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self, *args, **kwargs):
        return date(*args, **kwargs)

    def today(self) -> date:
        return self.day

    def fromisoformat(self, text: str) -> date:
        return date.fromisoformat(text)


def _json_on(day: date, path, monkeypatch, *options: str) -> str:
    from typer.testing import CliRunner

    from jeugdgov import cli
    from jeugdgov.validation import catalogue, reference_date
    from jeugdgov.validation.fast import evaluation
    for module in (catalogue, reference_date, evaluation):
        monkeypatch.setattr(module, "date", _Today(day))
    result = CliRunner().invoke(cli.app, ["validate", str(path), "--format", "json", *options])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_same_as_of_on_different_days_gives_byte_identical_json(tmp_path, monkeypatch):
    from shape_cases import PREFIXES
    path = tmp_path / "running.ttl"
    path.write_text(PREFIXES + RUNNING.replace("jg:noValue jg:evaluates ;", "") + "ex:setup a jg:Setup .\n",
                    encoding="utf-8")
    first = _json_on(date(2021, 3, 1), path, monkeypatch, "--as-of", "2023-01-01")
    second = _json_on(date(2031, 3, 1), path, monkeypatch, "--as-of", "2023-01-01")
    assert first == second and '"as_of": "2023-01-01"' in first and "no-evaluation" in first
    # Without --as-of the day the tool runs is the reference date of a running setup.
    assert _json_on(date(2021, 3, 1), path, monkeypatch) != _json_on(date(2031, 3, 1), path, monkeypatch)


def test_evidence_option_filters_findings(tmp_path, monkeypatch):
    from shape_cases import PREFIXES
    silent, none, _recorded = THREE_WAYS["goals-not-measurable"]
    path = tmp_path / "goals.ttl"
    path.write_text(PREFIXES + silent + silent.replace("ex:a", "ex:b") + none + "ex:setup a jg:Setup .\n",
                    encoding="utf-8")
    import json
    rule = ("--shapes", "goals-not-measurable")
    everything = json.loads(_json_on(date(2021, 3, 1), path, monkeypatch, *rule))
    assert sorted(f["evidence"] for f in everything["findings"]) == ["established", "unrecorded"]
    only = json.loads(_json_on(date(2021, 3, 1), path, monkeypatch, *rule, "--evidence", "established"))
    assert [(f["focus"], f["evidence"]) for f in only["findings"]] == [
        ("https://w3id.org/jeugdgov/id/example/a", "established")]


def test_text_table_lists_established_then_to_verify_then_alleged():
    from rich.console import Console

    from jeugdgov.validation.rendering import print_text
    silent, none, _recorded = THREE_WAYS["goals-not-measurable"]
    turtle = ("@prefix prov: <http://www.w3.org/ns/prov#> .\n" + silent.replace("ex:a", "ex:z")
              + silent.replace("ex:a", "ex:b") + "ex:b jg:claimedBy ex:p . ex:p a jg:CareProvider .\n"
              + silent + none)
    report = validate(setup_from(turtle), defects=["goals-not-measurable"], as_of=date(2020, 1, 1))
    assert sorted(f.evidence for f in report.findings) == ["alleged", "established", "unrecorded"]
    console = Console(record=True, width=200)
    print_text([report], "en", console)
    text = console.export_text()
    assert "as of 2020-01-01" in text
    assert text.index("established") < text.index("to verify") < text.index("alleged")


def test_no_value_naming_an_undefined_property_is_an_undefined_term():
    report = validate(setup_from("ex:a a jg:CollaborationAgreement ; jg:noValue jg:hasGaol ."),
                      defects=["data-quality"])
    assert [(f.defect, f.value) for f in report.findings] == [
        ("undefined-term", "https://w3id.org/jeugdgov/def#hasGaol")]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", sorted(THREE_WAYS))
def test_stating_none_next_to_a_value_is_a_contradiction(defect, engine):
    silent, none, recorded = THREE_WAYS[defect]
    report = validate(setup_from(silent + none + recorded), defects=["contradictory-absence"], engine=engine)
    if defect == "external-mandate-without-consent":  # false and true: a boolean said twice
        assert report.findings == [] or {f.defect for f in report.findings} == {"contradictory-absence"}
    else:
        assert {f.defect for f in report.findings} == {"contradictory-absence"}


STATEMENT = """
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:partners a jg:SafeAtHomeOrganisation ; rdfs:label "Ketenpartners" .
ex:m rdfs:label "Gemeente Voorbeeld" .
ex:said a rdf:Statement ; rdf:subject ex:m ; rdf:predicate {predicate} ; rdf:object {object} ;
    jg:claimedBy ex:partners ; jg:disputedBy ex:m ; prov:hadPrimarySource ex:section-3-2 .
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_statement_carries_its_own_claim_dispute_and_source(engine):
    """"According to the partners X has no contact point; X says it has one (section 3.2)"."""
    silent, none, _recorded = THREE_WAYS["no-contact-point"]
    said = STATEMENT.format(predicate="jg:noValue", object="jgr:contact-point")
    (finding,) = findings_of(silent + none + said, "no-contact-point", engine)
    assert finding.evidence == "alleged"
    assert finding.sources == ("https://w3id.org/jeugdgov/id/example/section-3-2",)
    assert "Ketenpartners" in finding.message("en") and "Gemeente Voorbeeld disputes" in finding.message("en")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_claim_on_a_statement_the_finding_does_not_rest_on_leaves_it_established(engine):
    silent, none, _recorded = THREE_WAYS["no-contact-point"]
    said = STATEMENT.format(predicate="rdfs:label", object='"Gemeente Voorbeeld"')
    (finding,) = findings_of(silent + none + said, "no-contact-point", engine)
    assert finding.evidence == "established" and finding.sources == ()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_statement_linking_the_findings_nodes_gives_its_source(engine):
    silent, _none, _recorded = THREE_WAYS["subsidy-passed-on"]
    linked = silent + """
        ex:sd jg:passOnPermitted false .
        [] a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ex:pt ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> jg:passesOn ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ex:s ;
            <http://www.w3.org/ns/prov#hadPrimarySource> ex:bank-statement .
        """
    (finding,) = findings_of(linked, "subsidy-passed-on", engine)
    assert finding.evidence == "established"
    assert finding.sources == ("https://w3id.org/jeugdgov/id/example/bank-statement",)


def test_the_statement_forms_the_design_notes_measured():
    """docs/design.md chose rdf:Statement reification: the libraries read it, rdflib and pySHACL
    cannot read RDF 1.2 triple terms (pyoxigraph can). When that changes, revisit the choice."""
    import pyoxigraph as ox
    from pyshacl import validate as shacl
    from rdflib import Graph

    prefixes = "@prefix ex: <http://example.org/> .\n"
    star = prefixes + "ex:s ex:p ex:o . << ex:s ex:p ex:o >> ex:claimedBy ex:x ."
    reified = prefixes + ("ex:s ex:p ex:o . [ a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;"
                          " <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ex:s ; ex:claimedBy ex:x ] .")
    store = ox.Store()
    store.load(star.encode(), ox.RdfFormat.TURTLE)
    assert len(store) == 3  # the triple, its reifier and the claim
    with pytest.raises(Exception):  # noqa: B017 - rdflib raises its parser's own exception
        Graph().parse(data=star, format="turtle")
    data = Graph().parse(data=reified, format="turtle")
    assert len(data) == 4
    query = "SELECT $this WHERE { ?r <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( $this ?p ?o )>> }"
    shapes_text = prefixes + ('@prefix sh: <http://www.w3.org/ns/shacl#> . ex:shape a sh:NodeShape ;'
                              ' sh:targetNode ex:s ; sh:sparql [ sh:select """' + query + '""" ] .')
    with pytest.raises(Exception):  # noqa: B017
        shacl(data, shacl_graph=Graph().parse(data=shapes_text, format="turtle"))
