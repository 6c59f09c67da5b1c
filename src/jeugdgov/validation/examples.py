"""A minimal conforming and a minimal violating graph for every shape of the catalogue.

Each pair differs in the one fact the shape is about, so a test over the pair shows the
shape fires for that reason and for no other. A violating graph states what it lacks (a false
flag, ``jg:noValue``), so its finding is established. ``LAWFUL`` adds, for shapes whose rule has
a lawful look-alike, a second conforming graph: the case the rule must leave alone. The tests
check every graph here, and the rule pages (``jeugdgov explain``) print them.
"""

PREFIXES = """
@prefix jg:   <https://w3id.org/jeugdgov/def#> .
@prefix jgr:  <https://w3id.org/jeugdgov/role/> .
@prefix jgt:  <https://w3id.org/jeugdgov/task/> .
@prefix ex:   <https://w3id.org/jeugdgov/id/example/> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

COLLEGE = """
ex:m a jg:Municipality ; rdfs:label "Gemeente Voorbeeld" .
ex:c a jg:MunicipalExecutive ; jg:bodyOf ex:m ; rdfs:label "College Voorbeeld" .
ex:comp a jg:Competence ; jg:attributedTo ex:c ; jg:task jgt:access-decision .
ex:o a jg:Official ; jg:subordinateTo ex:c ; rdfs:label "Ambtenaar" .
"""

#: defect id -> (conforming graph, violating graph)
CASES: dict[str, tuple[str, str]] = {
    "dual-role": (
        """
        ex:m a jg:Municipality . ex:n a jg:Network . ex:team a jg:ProgrammeTeam ; jg:bodyOf ex:n .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:commissioner ; jg:task jgt:care-delivery .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:n ; jg:role jgr:contractor ; jg:task jgt:care-delivery .
        """,
        """
        ex:m a jg:Municipality . ex:n a jg:Network . ex:team a jg:ProgrammeTeam ; jg:bodyOf ex:n .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:team ; jg:role jgr:commissioner ; jg:task jgt:care-delivery .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:n ; jg:role jgr:contractor ; jg:task jgt:care-delivery .
        """,
    ),
    "access-and-delivery": (
        """
        ex:jel a jg:PrivateCompany . ex:p a jg:CareProvider .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:jel ; jg:role jgr:access ; jg:task jgt:access-decision .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:p ; jg:role jgr:delivery ; jg:task jgt:specialist-care .
        """,
        """
        ex:jel a jg:PrivateCompany . ex:p a jg:CareProvider .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:p ; jg:role jgr:access ; jg:task jgt:access-decision .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:p ; jg:role jgr:delivery ; jg:task jgt:specialist-care .
        """,
    ),
    "advises-and-decides": (
        COLLEGE + """
        ex:team a jg:ProgrammeTeam . ex:other a jg:Team . ex:o org:memberOf ex:team .
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:o ; jg:competence ex:comp .
        ex:d a jg:IndividualDecision ; jg:advisedBy ex:other ; jg:decidedBy ex:o ;
            jg:underMandate ex:mandate ; jg:competence ex:comp .
        """,
        COLLEGE + """
        ex:team a jg:ProgrammeTeam . ex:other a jg:Team . ex:o org:memberOf ex:team .
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:o ; jg:competence ex:comp .
        ex:d a jg:IndividualDecision ; jg:advisedBy ex:team ; jg:decidedBy ex:o ;
            jg:underMandate ex:mandate ; jg:competence ex:comp .
        """,
    ),
    "no-contact-point": (
        """
        ex:m a jg:Municipality . ex:vt a jg:SafeAtHomeOrganisation . ex:team a jg:Team .
        ex:r a jg:RoleAssignment ; jg:agent ex:team ; jg:role jgr:contact-point ;
            jg:task jgt:child-protection ; jg:onBehalfOf ex:m .
        """,
        """
        ex:m a jg:Municipality ; jg:noValue jgr:contact-point .
        ex:vt a jg:SafeAtHomeOrganisation . ex:team a jg:Team .
        """,
    ),
    "decision-without-mandate": (
        COLLEGE + """
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:o ; jg:competence ex:comp ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2019-01-01"^^xsd:date ] ] .
        ex:d a jg:IndividualDecision ; jg:decidedBy ex:o ; jg:competence ex:comp ;
            jg:date "2020-01-01"^^xsd:date .
        """,
        COLLEGE + """
        ex:d a jg:IndividualDecision ; jg:decidedBy ex:o ; jg:competence ex:comp ;
            jg:date "2020-01-01"^^xsd:date ; jg:noValue jg:underMandate .
        """,
    ),
    "external-mandate-without-consent": (
        COLLEGE + """
        ex:f a jg:Foundation .
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:f ; jg:competence ex:comp ;
            jg:consentGiven true .
        """,
        COLLEGE + """
        ex:f a jg:Foundation .
        ex:mandate a jg:Mandate ; jg:mandateGiver ex:c ; jg:mandatary ex:f ; jg:competence ex:comp ;
            jg:consentGiven false .
        """,
    ),
    "delegation-without-basis": (
        COLLEGE + """
        ex:ab a jg:GeneralBoard .
        ex:del a jg:Delegation ; jg:delegator ex:c ; jg:delegate ex:ab ; jg:competence ex:comp ;
            jg:legalBasis <https://wetten.overheid.nl/jci1.3:c:BWBR0003740&artikel=8> .
        """,
        COLLEGE + """
        ex:ab a jg:GeneralBoard .
        ex:del a jg:Delegation ; jg:delegator ex:c ; jg:delegate ex:ab ; jg:competence ex:comp ;
            jg:noValue jg:legalBasis .
        """,
    ),
    "provider-decides-extension": (
        """
        ex:p a jg:CareProvider .
        ex:hk a jg:HandlingFramework ; jg:hasExtensionClause ex:clause .
        ex:clause a jg:ExtensionClause ; jg:extensionRequestedBy ex:p ; jg:requiresMunicipalDecision true .
        """,
        """
        ex:p a jg:CareProvider .
        ex:hk a jg:HandlingFramework ; jg:hasExtensionClause ex:clause .
        ex:clause a jg:ExtensionClause ; jg:extensionRequestedBy ex:p ; jg:requiresMunicipalDecision false .
        """,
    ),
    "subsidy-passed-on": (
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider . ex:coop a jg:Cooperative .
        ex:sd a jg:SubsidyDecision ; jg:passOnPermitted true ; jg:budgetCeiling 100.0 .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd .
        ex:pt a jg:PassThrough ; jg:payer ex:p ; jg:payee ex:coop ; jg:passesOn ex:s .
        """,
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider . ex:coop a jg:Cooperative .
        ex:sd a jg:SubsidyDecision ; jg:budgetCeiling 100.0 ; jg:passOnPermitted false .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd .
        ex:pt a jg:PassThrough ; jg:payer ex:p ; jg:payee ex:coop ; jg:passesOn ex:s .
        """,
    ),
    "money-vs-accountability": (
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider . ex:coop a jg:Cooperative .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p .
        ex:line a jg:AccountabilityLine ; jg:accountableParty ex:p ; jg:accountTo ex:m ; jg:aboutFlow ex:s .
        """,
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider . ex:coop a jg:Cooperative .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p .
        ex:line a jg:AccountabilityLine ; jg:accountableParty ex:coop ; jg:accountTo ex:m ; jg:aboutFlow ex:s .
        """,
    ),
    "double-financing": (
        """
        ex:m a jg:Municipality . ex:n a jg:Network . ex:p a jg:CareProvider ; org:memberOf ex:n .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:task jgt:basic-care ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2015-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2016-12-31"^^xsd:date ] ] .
        ex:c a jg:PerCaseFinancing ; jg:payer ex:m ; jg:payee ex:n ; jg:task jgt:care-delivery ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2017-01-01"^^xsd:date ] ] .
        """,
        """
        ex:m a jg:Municipality . ex:n a jg:Network . ex:p a jg:CareProvider ; org:memberOf ex:n .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:task jgt:basic-care ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2015-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2017-12-31"^^xsd:date ] ] .
        ex:c a jg:PerCaseFinancing ; jg:payer ex:m ; jg:payee ex:n ; jg:task jgt:care-delivery ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2017-01-01"^^xsd:date ] ] .
        """,
    ),
    "open-budget": (
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider .
        ex:sd a jg:SubsidyDecision ; jg:budgetCeiling 1000000.00 .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd .
        """,
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider .
        ex:sd a jg:SubsidyDecision ; jg:noValue jg:budgetCeiling , jg:steeringInstrument .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd .
        """,
    ),
    "goals-not-measurable": (
        """
        ex:a a jg:CollaborationAgreement ; jg:assignsTask jgt:care-delivery ; jg:hasGoal ex:g .
        ex:g a jg:Goal ; jg:measurable true .
        """,
        """
        ex:a a jg:CollaborationAgreement ; jg:assignsTask jgt:care-delivery ; jg:hasGoal ex:g .
        ex:g a jg:Goal ; jg:measurable false .
        """,
    ),
    "no-stake": (
        """
        ex:m a jg:Municipality . ex:coop a jg:Cooperative .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:commissioner ; jg:task jgt:care-delivery .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:coop ; jg:role jgr:delivery ; jg:task jgt:basic-care .
        ex:ms a jg:CooperativeMembership ; org:member ex:m ; org:organization ex:coop .
        """,
        """
        ex:m a jg:Municipality . ex:coop a jg:Cooperative .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:commissioner ; jg:task jgt:care-delivery .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:coop ; jg:role jgr:delivery ; jg:task jgt:basic-care .
        """,
    ),
    "indirect-commissioning": (
        """
        ex:m a jg:Municipality . ex:soj a jg:Team . ex:sjt a jg:Foundation .
        ex:contract a jg:PurchaseContract ; jg:party ex:soj , ex:sjt , ex:m .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:commissioner ; jg:task jgt:access-decision .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:soj ; jg:role jgr:commissioner ; jg:task jgt:access-decision ;
            jg:onBehalfOf ex:m ; jg:inContextOf ex:contract .
        ex:r3 a jg:RoleAssignment ; jg:agent ex:sjt ; jg:role jgr:contractor ; jg:task jgt:access-decision ;
            jg:inContextOf ex:contract .
        """,
        """
        ex:m a jg:Municipality . ex:soj a jg:Team . ex:sjt a jg:Foundation .
        ex:contract a jg:PurchaseContract ; jg:party ex:soj , ex:sjt .
        ex:r1 a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:commissioner ; jg:task jgt:access-decision .
        ex:r2 a jg:RoleAssignment ; jg:agent ex:soj ; jg:role jgr:commissioner ; jg:task jgt:access-decision ;
            jg:onBehalfOf ex:m ; jg:inContextOf ex:contract .
        ex:r3 a jg:RoleAssignment ; jg:agent ex:sjt ; jg:role jgr:contractor ; jg:task jgt:access-decision ;
            jg:inContextOf ex:contract .
        """,
    ),
    "inactive-body": (
        """
        ex:sg a jg:SteeringGroup ; jg:requiredMeetingsPerYear 1 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2016-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2016-12-31"^^xsd:date ] ] .
        ex:meeting a jg:Meeting ; jg:meetingOf ex:sg ; jg:date "2016-05-01"^^xsd:date .
        """,
        """
        ex:sg a jg:SteeringGroup ; jg:requiredMeetingsPerYear 1 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2016-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2016-12-31"^^xsd:date ] ] .
        ex:meeting a jg:Meeting ; jg:meetingOf ex:sg ; jg:date "2017-05-01"^^xsd:date .
        """,
    ),
    "no-evaluation": (
        """
        ex:a a jg:CollaborationAgreement ; jg:evaluationWithinMonths 12 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2015-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2018-12-31"^^xsd:date ] ] .
        ex:ev a jg:Evaluation ; jg:evaluates ex:a ; jg:date "2015-11-01"^^xsd:date .
        """,
        """
        ex:a a jg:CollaborationAgreement ; jg:evaluationWithinMonths 12 ;
            jg:during [ a time:ProperInterval ;
                time:hasBeginning [ a time:Instant ; time:inXSDDate "2015-01-01"^^xsd:date ] ;
                time:hasEnd [ a time:Instant ; time:inXSDDate "2018-12-31"^^xsd:date ] ] .
        ex:ev a jg:Evaluation ; jg:evaluates ex:a ; jg:date "2017-11-01"^^xsd:date .
        """,
    ),
    # Data quality
    "required-property": (
        """
        ex:m a jg:Municipality .
        ex:r a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:owner ; jg:task jgt:policy .
        """,
        """
        ex:m a jg:Municipality .
        ex:r a jg:RoleAssignment ; jg:role jgr:owner ; jg:task jgt:policy .
        """,
    ),
    "wrong-datatype": (
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:amount 1250.50 .
        """,
        """
        ex:m a jg:Municipality . ex:p a jg:CareProvider .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:amount "1250 euro" .
        """,
    ),
    "interval-order": (
        """
        ex:i a time:ProperInterval ;
            time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date ] ;
            time:hasEnd [ a time:Instant ; time:inXSDDate "2021-01-01"^^xsd:date ] .
        """,
        """
        ex:i a time:ProperInterval ;
            time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date ] ;
            time:hasEnd [ a time:Instant ; time:inXSDDate "2019-01-01"^^xsd:date ] .
        """,
    ),
    "unknown-concept": (
        """
        ex:m a jg:Municipality .
        ex:r a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:owner ; jg:task jgt:policy .
        """,
        """
        ex:m a jg:Municipality .
        ex:r a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgt:policy ; jg:task jgt:policy .
        """,
    ),
    "dangling-reference": (
        """
        ex:m a jg:Municipality .
        ex:r a jg:RoleAssignment ; jg:agent ex:m ; jg:role jgr:owner ; jg:task jgt:policy .
        """,
        """
        ex:m a jg:Municipality .
        ex:r a jg:RoleAssignment ; jg:agent ex:nobody ; jg:role jgr:owner ; jg:task jgt:policy .
        """,
    ),
    "undefined-term": (
        COLLEGE + """
        ex:d a jg:IndividualDecision ; jg:decidedBy ex:o .
        """,
        COLLEGE + """
        ex:d a jg:IndividualDecision ; jg:decidedBy ex:o ; jg:advisedBi ex:o .
        """,
    ),
}

_INTERVAL = """
ex:i a time:ProperInterval ;
    time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date ] {beginning} ;
    time:hasEnd [ a time:Instant ; time:inXSDDate "2021-01-01"^^xsd:date ] {end} .
"""
_SAME_DAY = ', [ a time:Instant ; time:inXSDDate "{day}"^^xsd:date ]'

#: shape (local name) -> (conforming graph, violating graph), for shapes that share a defect id
#: with others and so need a pair of their own.
CASES["contradictory-absence"] = (
    """
    ex:a a jg:CollaborationAgreement ; jg:noValue jg:hasGoal .
    ex:sg a jg:SteeringGroup ; jg:noValue jg:meetingOf .
    """,
    """
    ex:a a jg:CollaborationAgreement ; jg:noValue jg:hasGoal ; jg:hasGoal ex:g .
    ex:g a jg:Goal ; jg:measurable true .
    """,
)

#: defect id -> a lawful graph the shape must leave alone, beside the conforming twin.
LAWFUL: dict[str, str] = {
    # Jeugdwet 2.6 lid 1 sub e: a GP's referral is a route to care the law provides.
    "provider-decides-extension": """
        ex:gp a jg:GeneralPractitioner .
        ex:hk a jg:HandlingFramework ; jg:hasExtensionClause ex:clause .
        ex:clause a jg:ExtensionClause ; jg:extensionRequestedBy ex:gp .
        """,
    # Gemeentewet 169, 189, 197-198: the executive accounts to its council for the budget.
    "money-vs-accountability": """
        ex:m a jg:Municipality . ex:p a jg:CareProvider .
        ex:c a jg:MunicipalExecutive ; jg:bodyOf ex:m . ex:raad a jg:MunicipalCouncil ; jg:bodyOf ex:m .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p .
        ex:line a jg:AccountabilityLine ; jg:accountableParty ex:c ; jg:accountTo ex:raad ; jg:aboutFlow ex:s .
        """,
    # Gemeentewet 189: a programme budget the council adopted caps and steers the spending.
    "open-budget": """
        ex:m a jg:Municipality . ex:p a jg:CareProvider . ex:raad a jg:MunicipalCouncil ; jg:bodyOf ex:m .
        ex:begroting a jg:CouncilBudget ; jg:adoptedBy ex:raad .
        ex:sd a jg:SubsidyDecision .
        ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:basis ex:sd ; jg:withinBudget ex:begroting .
        """,
}

SHAPE_CASES: dict[str, tuple[str, str]] = {
    "interval-one-beginning": (
        _INTERVAL.format(beginning="", end=""),
        _INTERVAL.format(beginning=_SAME_DAY.format(day="2020-01-01"), end=""),
    ),
    "interval-one-end": (
        _INTERVAL.format(beginning="", end=""),
        _INTERVAL.format(beginning="", end=_SAME_DAY.format(day="2021-01-01")),
    ),
    "instant-one-date": (
        'ex:t a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date .',
        'ex:t a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date , "2020-02-01"^^xsd:date .',
    ),
    "one-period": (
        'ex:a a jg:CollaborationAgreement ; jg:during ex:i1 . ex:i1 a time:ProperInterval . '
        'ex:i2 a time:ProperInterval .',
        'ex:a a jg:CollaborationAgreement ; jg:during ex:i1 , ex:i2 . ex:i1 a time:ProperInterval . '
        'ex:i2 a time:ProperInterval .',
    ),
    "one-date": (
        'ex:e a jg:Evaluation ; jg:date "2020-01-01"^^xsd:date .',
        'ex:e a jg:Evaluation ; jg:date "2020-01-01"^^xsd:date , "2020-03-01"^^xsd:date .',
    ),
    "one-meeting-requirement": (
        "ex:sg a jg:SteeringGroup ; jg:requiredMeetingsPerYear 4 .",
        "ex:sg a jg:SteeringGroup ; jg:requiredMeetingsPerYear 4 , 6 .",
    ),
    "one-evaluation-term": (
        "ex:a a jg:CollaborationAgreement ; jg:evaluationWithinMonths 12 .",
        "ex:a a jg:CollaborationAgreement ; jg:evaluationWithinMonths 12 , 24 .",
    ),
    "one-amount": (
        "ex:m a jg:Municipality . ex:p a jg:CareProvider .\n"
        "ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:amount 100.0 .",
        "ex:m a jg:Municipality . ex:p a jg:CareProvider .\n"
        "ex:s a jg:Subsidy ; jg:payer ex:m ; jg:payee ex:p ; jg:amount 100.0 , 200.0 .",
    ),
    "one-share-percentage": (
        "ex:m a jg:Municipality . ex:bv a jg:PrivateCompany .\n"
        "ex:h a jg:Shareholding ; jg:shareholder ex:m ; jg:heldIn ex:bv ; jg:sharePercentage 100.0 .",
        "ex:m a jg:Municipality . ex:bv a jg:PrivateCompany .\n"
        "ex:h a jg:Shareholding ; jg:shareholder ex:m ; jg:heldIn ex:bv ; jg:sharePercentage 60.0 , 40.0 .",
    ),
}
