"""Differential test: on random small setups built from the ontology's vocabulary, the fast
engine reports exactly what pySHACL reports, evidence status and sources included."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV

from jeugdgov import Setup, validate
from jeugdgov.resources import JG, JGR, JGT, ORG, TIME

EX = Namespace("https://w3id.org/jeugdgov/id/random/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ACTOR_CLASSES = [JG.Municipality, JG.MunicipalExecutive, JG.CareProvider, JG.Foundation, JG.Cooperative, JG.Team,
                 JG.Official, JG.JointArrangement, JG.GeneralBoard, JG.Network, JG.ProgrammeTeam,
                 JG.SafeAtHomeOrganisation, JG.SteeringGroup]
ROLES = [JGR.commissioner, JGR.contractor, JGR.subcontractor, JGR.delivery, JGR.access, JGR.adviser,
         JGR["contact-point"], JGR.owner, JGT.policy]
TASKS = [JGT["care-delivery"], JGT["basic-care"], JGT["specialist-care"], JGT["access-decision"],
         JGT.procurement, JGT.policy, JGT["child-protection"]]
AGREEMENTS = [JG.CollaborationAgreement, JG.PurchaseContract, JG.SubsidyDecision, JG.HandlingFramework,
              JG.ServiceAgreement, JG.JointArrangementText, JG.CentralMunicipalityArrangement]
#: What an agreement may state for the norms of the council and of regional cooperation.
AGREEMENT_FLAGS = [JG.regulatesEvaluation, JG.regulatesParticipation, JG.regulatesCouncilViews, JG.regulatesExit,
                   JG.harmonisedOutcomeIndicators, JG.regulationExceptionApplies]
PARTICIPATIONS = [JG.CooperativeMembership, JG.JointArrangementParticipation, JG.Shareholding]
PARTICIPATION_FLAGS = [JG.councilConsentGiven, JG.listedAsAffiliatedParty, JG.councilViewsInvited]
#: Reference dates around the dates from which norms apply.
AS_OF = [date(2014, 6, 30), date(2020, 6, 30), date(2024, 7, 1), date(2026, 6, 30)]
FLOWS = [JG.Subsidy, JG.ContractPayment, JG.PerCaseFinancing, JG.PassThrough, JG.JointArrangementContribution]
DAYS = ["2014-06-30", "2015-01-01", "2016-03-15", "2017-12-31", "2018-01-01", "2019-07-01", "2021-06-30",
        "2023-01-01"]
AMOUNTS = [Literal("100", datatype=XSD.decimal), Literal("2500.50", datatype=XSD.decimal),
           Literal("-5.00", datatype=XSD.decimal), Literal("0", datatype=XSD.decimal),
           Literal("12", datatype=XSD.integer), Literal("veel")]

actors = st.integers(0, 5).map(lambda i: EX[f"a{i}"])
#: Few agents and tasks, so that roles, flows and decisions meet often enough to make defects.
players = st.integers(0, 2).map(lambda i: EX[f"a{i}"])
care = st.sampled_from([JGT["care-delivery"], JGT["specialist-care"], JGT["access-decision"]])
agreements = st.integers(0, 2).map(lambda i: EX[f"g{i}"])
mandates = st.integers(0, 2).map(lambda i: EX[f"m{i}"])
flows = st.integers(0, 3).map(lambda i: EX[f"f{i}"])
days = st.sampled_from(DAYS)
booleans = st.sampled_from([Literal(True), Literal(False), None])
#: Fact nodes that may carry an explicit absence, a claim or a source.
facts = st.sampled_from([EX.a0, EX.a5, EX.g0, EX.g1, EX.m0, EX.m1, EX.d0, EX.f0, EX.f1, EX.line])
#: The properties the shapes read absences of, and one no shape reads.
absent = st.sampled_from([JG.consentGiven, JG.hasGoal, JG.budgetCeiling, JG.steeringInstrument,
                          JG.evaluates, JG.meetingOf, JGR["contact-point"], JG.amount, JG.planOf, JG.byLawOf,
                          JG.subsidyRegulation, JG.hasRegionalVision, JG.regionalArrangement,
                          JG.listedAsAffiliatedParty, JG.councilConsentGiven, JG.regulatesExit])


@st.composite
def periods(draw, graph: Graph) -> BNode | None:
    if draw(st.booleans()):
        return None
    period = BNode()
    graph.add((period, RDF.type, TIME.ProperInterval))
    for edge in (TIME.hasBeginning, TIME.hasEnd):
        if draw(st.booleans()):
            instant = BNode()
            graph.add((period, edge, instant))
            graph.add((instant, TIME.inXSDDate, Literal(draw(days), datatype=XSD.date)))
    return period


def maybe(graph: Graph, subject, predicate, value) -> None:
    if value is not None:
        graph.add((subject, predicate, value))


@st.composite
def setups(draw) -> Graph:
    g = Graph()
    g.add((EX.a0, RDF.type, JG.Municipality))
    g.add((EX.a1, RDF.type, JG.CareProvider))
    for i in range(2, 6):
        g.add((EX[f"a{i}"], RDF.type, draw(st.sampled_from(ACTOR_CLASSES))))
    for _ in range(draw(st.integers(0, 4))):
        g.add((draw(actors), draw(st.sampled_from([JG.bodyOf, JG.subordinateTo, ORG.memberOf])), draw(actors)))
    if draw(st.booleans()):
        membership = EX.membership
        kind = draw(st.sampled_from(PARTICIPATIONS))
        g.add((membership, RDF.type, kind))
        g.add((membership, JG.shareholder if kind == JG.Shareholding else ORG.member, draw(actors)))
        g.add((membership, JG.heldIn if kind == JG.Shareholding else ORG.organization, draw(actors)))
        for flag in PARTICIPATION_FLAGS:
            maybe(g, membership, flag, draw(booleans))
    for kind, link in ((JG.PolicyPlan, JG.planOf), (JG.YouthCareByLaw, JG.byLawOf)):
        if draw(st.booleans()):
            document = EX[f"document-{link.rsplit('#', 1)[-1]}"]
            g.add((document, RDF.type, kind))
            g.add((document, link, draw(actors)))
            maybe(g, document, JG.during, draw(periods(g)))
            maybe(g, document, JG.hasGoal, draw(st.none() | st.sampled_from([EX.goal0, EX.goal1])))
    if draw(st.booleans()):
        g.add((EX.budget, RDF.type, JG.JointArrangementBudget))
        g.add((EX.budget, JG.budgetOf, draw(actors)))
        maybe(g, EX.budget, JG.councilViewsInvited, draw(booleans))
    maybe(g, EX.a0, JG.regionalArrangement, draw(st.none() | agreements))
    for i in range(draw(st.integers(1, 6))):
        role = EX[f"r{i}"]
        g.add((role, RDF.type, JG.RoleAssignment))
        g.add((role, JG.agent, draw(players | actors)))
        g.add((role, JG.role, draw(st.sampled_from(ROLES))))
        g.add((role, JG.task, draw(care | st.sampled_from(TASKS))))
        maybe(g, role, JG.onBehalfOf, draw(st.none() | actors))
        maybe(g, role, JG.inContextOf, draw(st.none() | agreements))
        maybe(g, role, JG.during, draw(periods(g)))
    for i in range(3):
        agreement = EX[f"g{i}"]
        g.add((agreement, RDF.type, draw(st.sampled_from(AGREEMENTS))))
        for _ in range(draw(st.integers(0, 2))):
            g.add((agreement, JG.party, draw(actors)))
        maybe(g, agreement, JG.assignsTask, draw(st.none() | st.sampled_from(TASKS)))
        maybe(g, agreement, JG.budgetCeiling, draw(st.none() | st.sampled_from(AMOUNTS)))
        maybe(g, agreement, JG.passOnPermitted, draw(booleans))
        maybe(g, agreement, JG.during, draw(periods(g)))
        maybe(g, agreement, JG.evaluationWithinMonths, draw(st.none() | st.sampled_from([Literal(12), Literal(24)])))
        for flag in AGREEMENT_FLAGS:
            maybe(g, agreement, flag, draw(booleans))
        maybe(g, agreement, JG.subsidyRegulation, draw(st.none() | st.just(EX.regulation)))
        maybe(g, agreement, JG.hasRegionalVision, draw(st.none() | st.just(EX.vision)))
        if draw(st.booleans()):
            goal = EX[f"goal{i}"]
            g.add((agreement, JG.hasGoal, goal))
            g.add((goal, RDF.type, JG.Goal))
            maybe(g, goal, JG.measurable, draw(booleans))
        if draw(st.booleans()):
            clause = EX[f"clause{i}"]
            g.add((agreement, JG.hasExtensionClause, clause))
            g.add((clause, RDF.type, JG.ExtensionClause))
            g.add((clause, JG.extensionRequestedBy, draw(actors)))
            maybe(g, clause, JG.requiresMunicipalDecision, draw(booleans))
        if draw(st.booleans()):
            evaluation = EX[f"evaluation{i}"]
            g.add((evaluation, RDF.type, JG.Evaluation))
            g.add((evaluation, JG.evaluates, agreement))
            g.add((evaluation, JG.date, Literal(draw(days), datatype=XSD.date)))
    competence = EX.competence
    g.add((competence, RDF.type, JG.Competence))
    g.add((competence, JG.attributedTo, draw(actors)))
    g.add((competence, JG.task, JGT["access-decision"]))
    for i in range(draw(st.integers(0, 3))):
        mandate = EX[f"m{i}"]
        sub = draw(st.booleans()) and i > 0
        g.add((mandate, RDF.type, JG.SubMandate if sub else JG.Mandate))
        g.add((mandate, JG.mandateGiver, draw(actors)))
        g.add((mandate, JG.mandatary, draw(actors)))
        g.add((mandate, JG.competence, competence))
        if sub:
            g.add((mandate, JG.subMandateOf, EX[f"m{i - 1}"]))
        maybe(g, mandate, JG.subMandatePermitted, draw(booleans))
        maybe(g, mandate, JG.consentGiven, draw(booleans))
        maybe(g, mandate, JG.during, draw(periods(g)))
    if draw(st.booleans()):
        delegation = EX.delegation
        g.add((delegation, RDF.type, JG.Delegation))
        g.add((delegation, JG.delegator, draw(actors)))
        g.add((delegation, JG.delegate, draw(actors)))
        g.add((delegation, JG.competence, competence))
        if draw(st.booleans()):
            g.add((delegation, JG.legalBasis, URIRef("https://wetten.overheid.nl/jci1.3:c:BWBR0003740&artikel=8")))
    for i in range(draw(st.integers(0, 3))):
        decision = EX[f"d{i}"]
        g.add((decision, RDF.type, JG.IndividualDecision))
        maybe(g, decision, JG.advisedBy, draw(st.none() | players | actors))
        maybe(g, decision, JG.decidedBy, draw(st.none() | players | actors))
        maybe(g, decision, JG.underMandate, draw(st.none() | mandates))
        g.add((decision, JG.competence, competence))
        maybe(g, decision, JG.date, draw(st.none() | days.map(lambda d: Literal(d, datatype=XSD.date))))
        maybe(g, decision, JG.amount, draw(st.none() | st.sampled_from(AMOUNTS)))
    for i in range(draw(st.integers(0, 4))):
        flow = EX[f"f{i}"]
        g.add((flow, RDF.type, draw(st.sampled_from(FLOWS))))
        g.add((flow, JG.payer, draw(players | actors)))
        g.add((flow, JG.payee, draw(players | actors)))
        maybe(g, flow, JG.task, draw(st.none() | care | st.sampled_from(TASKS)))
        maybe(g, flow, JG.basis, draw(st.none() | agreements))
        maybe(g, flow, JG.passesOn, draw(st.none() | flows))
        maybe(g, flow, JG.amount, draw(st.none() | st.sampled_from(AMOUNTS)))
        maybe(g, flow, JG.during, draw(periods(g)))
    if draw(st.booleans()):
        line = EX.line
        g.add((line, RDF.type, JG.AccountabilityLine))
        g.add((line, JG.accountableParty, draw(actors)))
        g.add((line, JG.accountTo, draw(actors)))
        g.add((line, JG.aboutFlow, draw(flows)))
    if draw(st.booleans()):
        body = EX.a5
        g.add((body, JG.requiredMeetingsPerYear, Literal(draw(st.integers(1, 4)))))
        maybe(g, body, JG.during, draw(periods(g)))
        for k in range(draw(st.integers(0, 3))):
            meeting = EX[f"meeting{k}"]
            g.add((meeting, RDF.type, JG.Meeting))
            g.add((meeting, JG.meetingOf, body))
            g.add((meeting, JG.date, Literal(draw(days), datatype=XSD.date)))
    if draw(st.booleans()):
        g.add((EX.d0, JG.advisedBi, draw(actors)))  # a misspelt term
    for _ in range(draw(st.integers(0, 4))):  # explicit absences and unknown values
        g.add((draw(facts), draw(st.sampled_from([JG.noValue, JG.unknownValue])), draw(absent)))
    for _ in range(draw(st.integers(0, 2))):  # claims and sources
        g.add((draw(facts), JG.claimedBy, draw(actors)))
        g.add((draw(facts), PROV.hadPrimarySource, EX[f"section{draw(st.integers(0, 2))}"]))
    return g


def keys(setup: Setup, engine: str, as_of: date = date(2020, 6, 30)) -> Counter:
    return Counter((f.focus, f.shape, f.path, f.value, f.severity, f.defect, f.evidence, f.sources,
                    f.message("en"))
                   for f in validate(setup, engine=engine, as_of=as_of).findings)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setups(), st.sampled_from(AS_OF))
def test_fast_engine_agrees_with_pyshacl_on_random_setups(graph, as_of):
    setup = Setup("random", graph, Path("random.ttl"))
    assert keys(setup, "fast", as_of) == keys(setup, "pyshacl", as_of)
