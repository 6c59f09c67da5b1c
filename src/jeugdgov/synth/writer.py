"""Writing one region as N-Triples: the clean setup, and each planted defect as the facts it
changes or adds."""

from __future__ import annotations

import datetime
import random
from collections.abc import Collection
from typing import TextIO

from jeugdgov.synth.country import (
    BASE,
    BASIC_CARE,
    CARE,
    DCT_IDENTIFIER,
    JEUGDWET_2_3,
    JG,
    JGR,
    JGT,
    ORG,
    RDF_TYPE,
    RDFS_LABEL,
    TIME,
    WGR_8,
    XSD,
    Parameters,
    Plan,
    Planted,
    Region,
    decision,
    decisions_of,
    municipality,
    provider,
)


class Writer:
    """N-Triples, one line per triple, counted."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.count = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.count += 1
        if self.stream is not None:
            self.stream.write(f"<{s}> <{p}> {o} .\n")

    def typed(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE, iri(cls))

    def labels(self, s: str, nl: str, en: str) -> None:
        self.add(s, RDFS_LABEL, text(nl, "nl"))
        self.add(s, RDFS_LABEL, text(en, "en"))


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def euros(cents: int) -> str:
    """A decimal in its canonical form (no trailing zeros), as every store keeps it."""
    whole, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:02d}".rstrip("0")


#################################################################
# One region
#################################################################

class RegionWriter:
    """Writes one region's setup and records what was planted in it."""

    def __init__(self, region: Region, params: Parameters, the_plan: Plan, out: Writer) -> None:
        self.r = region
        self.params = params
        self.plan = the_plan
        self.w = out
        self.rng = random.Random(f"{params.seed}/region/{region.index}")
        self.planted: list[Planted] = []
        self.described: set[int] = set()
        self.written: set[str] = set()

    def plant(self, defect: str, focus: str, value: str | None) -> None:
        self.planted.append(Planted(self.r.name, defect, focus, value))

    def write(self) -> None:
        self.setup()
        for m in self.r.municipalities:
            self.municipality(m)
        self.arrangement()
        self.steering()
        for p in self.r.contracted:
            self.contract(p)
        for m in self.r.municipalities:
            self.subsidy(m)
        for (r, p), defect in sorted(self.plan.outsiders.items()):
            if r == self.r.index and defect == "no-stake":
                self.outsider(p)
        for m in self.r.municipalities:
            for i in decisions_of(m, self.params):
                self.decision(i, m)

    # -- shared pieces ------------------------------------------------

    def period(self, begin: str, end: str | None = None) -> str:
        node = f"{BASE}periode/{begin}" + (f"--{end}" if end else "")
        if node not in self.written:
            self.written.add(node)
            self.w.typed(node, TIME + "ProperInterval")
            self.w.add(node, TIME + "hasBeginning", iri(self.instant(begin)))
            if end:
                self.w.add(node, TIME + "hasEnd", iri(self.instant(end)))
        return node

    def instant(self, day: str) -> str:
        node = f"{BASE}tijdstip/{day}"
        if node not in self.written:
            self.written.add(node)
            self.w.typed(node, TIME + "Instant")
            self.w.add(node, TIME + "inXSDDate", typed(day, "date"))
        return node

    def provider(self, p: int) -> str:
        node = provider(p)
        if p not in self.described:
            self.described.add(p)
            form = (JG + "Foundation", JG + "PrivateCompany")[p % 2]
            self.w.typed(node, JG + "CareProvider", form)
            self.w.labels(node, f"Zorgaanbieder {p + 1:04d}", f"Care provider {p + 1:04d}")
        return node

    def role(self, node: str, agent: str, role: str, task: str, **extra: str | list[str]) -> None:
        w = self.w
        w.typed(node, JG + "RoleAssignment")
        w.add(node, JG + "agent", iri(agent))
        w.add(node, JG + "role", iri(role))
        w.add(node, JG + "task", iri(task))
        for prop, values in extra.items():
            for value in [values] if isinstance(values, str) else values:
                w.add(node, JG + prop, iri(value))

    # -- the setup ----------------------------------------------------

    def setup(self) -> None:
        node = self.r.iri + "inrichting"
        w = self.w
        w.typed(node, JG + "Setup")
        w.add(node, DCT_IDENTIFIER, text(self.r.name))
        number = f"{self.r.index + 1:02d}"
        w.labels(node, f"Synthetische jeugdregio {number}", f"Synthetic youth-care region {number}")
        w.add(node, JG + "during", iri(self.period("2022-01-01", "2024-12-31")))
        for m in self.r.municipalities:
            w.add(node, JG + "concernsMunicipality", iri(municipality(m)))
        chain = self.r.iri + "veilig-thuis"
        w.typed(chain, JG + "SafeAtHomeOrganisation")
        w.labels(chain, f"Veilig Thuis regio {self.r.index + 1:02d}", f"Veilig Thuis region {self.r.index + 1:02d}")

    def municipality(self, m: int) -> None:
        w, node = self.w, municipality(m)
        college, service, team = node + "/college", node + "/ambtelijke-organisatie", node + "/jeugdteam"
        w.typed(node, JG + "Municipality")
        w.labels(node, f"Gemeente {m + 1:04d}", f"Municipality {m + 1:04d}")
        w.typed(college, JG + "MunicipalExecutive")
        w.add(college, JG + "bodyOf", iri(node))
        w.labels(college, f"College van B&W {m + 1:04d}", f"Municipal executive {m + 1:04d}")
        w.typed(node + "/raad", JG + "MunicipalCouncil")
        w.add(node + "/raad", JG + "bodyOf", iri(node))
        w.typed(service, JG + "CivilService")
        w.add(service, JG + "bodyOf", iri(node))
        w.add(service, JG + "subordinateTo", iri(college))
        w.typed(team, JG + "Team")
        w.add(team, JG + "subordinateTo", iri(service))
        w.labels(team, f"Jeugdteam {m + 1:04d}", f"Youth team {m + 1:04d}")
        # o1 team leader (may sub-mandate), o2 under o1, o3 second mandatary, o4 mandate expired.
        for k, boss in ((1, service), (2, node + "/o1"), (3, service), (4, service)):
            official = f"{node}/o{k}"
            w.typed(official, JG + "Official")
            w.add(official, JG + "subordinateTo", iri(boss))
            w.labels(official, f"Ambtenaar {k} van gemeente {m + 1:04d}", f"Official {k} of municipality {m + 1:04d}")
        competence = node + "/bevoegdheid-jeugdhulp"
        w.typed(competence, JG + "Competence")
        w.add(competence, JG + "attributedTo", iri(college))
        w.add(competence, JG + "task", iri(JGT + "access-decision"))
        w.add(competence, JG + "legalBasis", iri(JEUGDWET_2_3))
        self.mandate(node + "/mandaat-o1", college, node + "/o1", competence, self.period("2015-01-01"),
                     permitted=True)
        self.mandate(node + "/mandaat-o2", node + "/o1", node + "/o2", competence, self.period("2016-01-01"),
                     sub_of=node + "/mandaat-o1")
        self.mandate(node + "/mandaat-o3", college, node + "/o3", competence, self.period("2015-01-01"))
        self.mandate(node + "/mandaat-o4", college, node + "/o4", competence,
                     self.period("2015-01-01", "2019-12-31"))
        self.role(node + "/toegang", team, JGR + "access", JGT + "access-decision")
        self.role(node + "/opdrachtgever", node, JGR + "commissioner", CARE,
                  during=self.period("2022-01-01", "2024-12-31"))
        if self.plan.municipalities.get(m) == "no-contact-point":  # stated, so the finding is established
            w.add(node, JG + "noValue", iri(JGR + "contact-point"))
            self.plant("no-contact-point", node, None)
        else:
            self.role(node + "/aanspreekpunt", team, JGR + "contact-point", JGT + "child-protection", onBehalfOf=node)
        if self.plan.municipalities.get(m) == "unknown-concept":
            self.role(node + "/beleidsrol", node + "/o3", JGT + "policy", JGT + "policy")
            self.plant("unknown-concept", node + "/beleidsrol", JGT + "policy")
        self.council(node, self.plan.councils.get(m, set()))

    def planted_absence(self, defect: str, defects: Collection[str | None], node: str, prop: str,
                        value: str | None = None) -> bool:
        """States that `node` has no `prop` and plants `defect` there, when the plan asks for it."""
        if defect not in defects:
            return False
        self.w.add(node, JG + "noValue", iri(JG + prop))
        self.plant(defect, node, value)
        return True

    def council(self, node: str, defects: set[str]) -> None:
        """The council's policy plan and by-law, and a company the municipality holds shares in."""
        w, raad = self.w, node + "/raad"
        if not self.planted_absence("no-youth-policy-plan", defects, node, "planOf"):
            plan = node + "/beleidsplan"
            w.typed(plan, JG + "PolicyPlan")
            w.add(plan, JG + "planOf", iri(node))
            w.add(plan, JG + "adoptedBy", iri(raad))
            w.add(plan, JG + "during", iri(self.period("2022-01-01")))
            if not self.planted_absence("plan-without-measurable-results", defects, plan, "hasGoal"):
                w.add(plan, JG + "hasGoal", iri(self.goal()))
        if not self.planted_absence("no-youth-by-law", defects, node, "byLawOf"):
            by_law = node + "/verordening-jeugdhulp"
            w.typed(by_law, JG + "YouthCareByLaw")
            w.add(by_law, JG + "byLawOf", iri(node))
            w.add(by_law, JG + "adoptedBy", iri(raad))
        if "participation-without-council-views" in defects:
            company, shares = node + "/jeugd-bv", node + "/aandelen-jeugd-bv"
            w.typed(company, JG + "PrivateCompany")
            w.labels(company, "Jeugd BV", "Youth company")
            w.typed(shares, JG + "Shareholding")
            w.add(shares, JG + "shareholder", iri(node))
            w.add(shares, JG + "heldIn", iri(company))
            w.add(shares, JG + "listedAsAffiliatedParty", typed("true", "boolean"))
            w.add(shares, JG + "councilViewsInvited", typed("false", "boolean"))
            self.plant("participation-without-council-views", shares, node)

    def mandate(self, node: str, giver: str, mandatary: str, competence: str, period: str,
                permitted: bool = False, sub_of: str | None = None, consent: bool | None = None) -> None:
        w = self.w
        w.typed(node, JG + ("SubMandate" if sub_of else "Mandate"))
        w.add(node, JG + "mandateGiver", iri(giver))
        w.add(node, JG + "mandatary", iri(mandatary))
        w.add(node, JG + "competence", iri(competence))
        w.add(node, JG + "during", iri(period))
        if sub_of:
            w.add(node, JG + "subMandateOf", iri(sub_of))
        if permitted:
            w.add(node, JG + "subMandatePermitted", typed("true", "boolean"))
        if consent is not None:  # false: established that none was given (None: not recorded)
            w.add(node, JG + "consentGiven", typed("true" if consent else "false", "boolean"))

    def arrangement(self) -> None:
        """The GR or centrumregeling, and the commissioning on behalf of the municipalities."""
        w, r = self.w, self.r
        members = [municipality(m) for m in r.municipalities]
        if r.joint_arrangement:
            gr, ab, db = r.iri + "gr", r.iri + "ab", r.iri + "db"
            w.typed(gr, JG + "JointArrangement")
            w.labels(gr, f"Gemeenschappelijke regeling jeugdhulp regio {r.index + 1:02d}",
                     f"Youth-care joint arrangement region {r.index + 1:02d}")
            w.typed(ab, JG + "GeneralBoard")
            w.add(ab, JG + "bodyOf", iri(gr))
            w.labels(ab, f"Algemeen bestuur regio {r.index + 1:02d}", f"General board region {r.index + 1:02d}")
            w.typed(db, JG + "ExecutiveBoard")
            w.add(db, JG + "bodyOf", iri(gr))
            w.labels(db, f"Dagelijks bestuur regio {r.index + 1:02d}", f"Executive board region {r.index + 1:02d}")
            text_node = r.iri + "gr-regeling"
            w.typed(text_node, JG + "JointArrangementText")
            for member in members:
                w.add(text_node, JG + "party", iri(member))
            w.add(text_node, JG + "during", iri(self.period("2015-01-01")))
            self.arrangement_terms(text_node)
            budget = r.iri + "gr-begroting"
            w.typed(budget, JG + "JointArrangementBudget")
            w.add(budget, JG + "budgetOf", iri(gr))
            views = "arrangement-budget-without-views" not in self.plan.regions.get(r.index, set())
            w.add(budget, JG + "councilViewsInvited", typed("true" if views else "false", "boolean"))
            if not views:
                self.plant("arrangement-budget-without-views", budget, None)
            for m, member in zip(r.municipalities, members, strict=True):
                self.gr_member(m, member, gr, ab, db)
        else:
            arrangement = r.iri + "centrumregeling"
            w.typed(arrangement, JG + "CentralMunicipalityArrangement")
            w.labels(arrangement, f"Centrumregeling jeugdhulp regio {r.index + 1:02d}",
                     f"Youth-care central-municipality arrangement region {r.index + 1:02d}")
            for member in members:
                w.add(arrangement, JG + "party", iri(member))
            w.add(arrangement, JG + "during", iri(self.period("2015-01-01")))
            self.arrangement_terms(arrangement)
        if "no-regional-arrangement" in self.plan.regions.get(r.index, set()):
            self.outside_municipality()
        on_behalf = members if r.joint_arrangement else members[1:]
        contracts = [self.contract_iri(p) for p in r.contracted]
        self.role(r.iri + "opdrachtgeverschap", r.commissioner(), JGR + "commissioner", CARE,
                  onBehalfOf=on_behalf, inContextOf=contracts, during=self.period("2022-01-01", "2024-12-31"))

    def arrangement_terms(self, node: str) -> None:
        """What the Wgr asks the arrangement to regulate (since 2022), and the regional vision."""
        w, defects = self.w, self.plan.regions.get(self.r.index, set())
        for defect, prop in (("arrangement-without-evaluation-clause", "regulatesEvaluation"),
                             ("arrangement-without-participation-clause", "regulatesParticipation"),
                             ("arrangement-without-views-clause", "regulatesCouncilViews"),
                             ("arrangement-without-exit-clause", "regulatesExit")):
            w.add(node, JG + prop, typed("false" if defect in defects else "true", "boolean"))
            if defect in defects:
                self.plant(defect, node, None)
        if not self.planted_absence("no-regional-vision", defects, node, "hasRegionalVision"):
            vision = self.r.iri + "regiovisie"
            w.typed(vision, JG + "RegionalVision")
            w.add(node, JG + "hasRegionalVision", iri(vision))

    def outside_municipality(self) -> None:
        """A municipality of the region that takes part in no regional arrangement, its council's
        documents and its contact point in order."""
        w, node = self.w, self.r.iri + "gemeente-buiten-regeling"
        w.typed(node, JG + "Municipality")
        w.labels(node, f"Gemeente buiten de regeling, regio {self.r.index + 1:02d}",
                 f"Municipality outside the arrangement, region {self.r.index + 1:02d}")
        w.typed(node + "/raad", JG + "MunicipalCouncil")
        w.add(node + "/raad", JG + "bodyOf", iri(node))
        self.role(node + "/aanspreekpunt", node, JGR + "contact-point", JGT + "child-protection", onBehalfOf=node)
        self.council(node, set())
        w.add(self.r.iri + "inrichting", JG + "concernsMunicipality", iri(node))
        w.add(node, JG + "noValue", iri(JG + "regionalArrangement"))
        self.plant("no-regional-arrangement", node, None)

    def gr_member(self, m: int, member: str, gr: str, ab: str, db: str) -> None:
        w, r = self.w, self.r
        participation = f"{r.iri}deelname-gm{m + 1:04d}"
        w.typed(participation, JG + "JointArrangementParticipation")
        w.add(participation, ORG + "member", iri(member))
        w.add(participation, ORG + "organization", iri(gr))
        council = self.plan.councils.get(m, set())
        for defect, prop in (("arrangement-without-council-consent", "councilConsentGiven"),
                             ("affiliated-party-not-in-budget", "listedAsAffiliatedParty")):
            w.add(participation, JG + prop, typed("false" if defect in council else "true", "boolean"))
            if defect in council:
                self.plant(defect, participation, member)
        contribution = f"{r.iri}bijdrage-gm{m + 1:04d}"
        w.typed(contribution, JG + "JointArrangementContribution")
        w.add(contribution, JG + "payer", iri(member))
        w.add(contribution, JG + "payee", iri(gr))
        w.add(contribution, JG + "amount", typed(euros(self.rng.randrange(5_000_000, 50_000_000) * 100), "decimal"))
        w.add(contribution, JG + "during", iri(self.period("2022-01-01", "2024-12-31")))
        procurement = member + "/bevoegdheid-inkoop"
        w.typed(procurement, JG + "Competence")
        w.add(procurement, JG + "attributedTo", iri(member + "/college"))
        w.add(procurement, JG + "task", iri(JGT + "procurement"))
        delegation = f"{r.iri}delegatie-gm{m + 1:04d}"
        w.typed(delegation, JG + "Delegation")
        w.add(delegation, JG + "delegator", iri(member + "/college"))
        w.add(delegation, JG + "delegate", iri(ab))
        w.add(delegation, JG + "competence", iri(procurement))
        if not self.planted_absence("delegation-without-basis", {self.plan.municipalities.get(m)}, delegation,
                                    "legalBasis", ab):
            w.add(delegation, JG + "legalBasis", iri(WGR_8))
        mandate = f"{r.iri}mandaat-db-gm{m + 1:04d}"
        missing = self.plan.municipalities.get(m) == "external-mandate-without-consent"
        self.mandate(mandate, member + "/college", db, member + "/bevoegdheid-jeugdhulp",
                     self.period("2015-01-01"), consent=not missing)
        if missing:
            self.plant("external-mandate-without-consent", mandate, db)

    def steering(self) -> None:
        w, r = self.w, self.r
        defects = self.plan.regions.get(r.index, set())
        group, agreement = r.iri + "stuurgroep", r.iri + "samenwerking"
        w.typed(agreement, JG + "CollaborationAgreement")
        w.labels(agreement, f"Samenwerkingsovereenkomst jeugd regio {r.index + 1:02d}",
                 f"Youth-care collaboration agreement region {r.index + 1:02d}")
        for m in r.municipalities:
            w.add(agreement, JG + "party", iri(municipality(m)))
        w.add(agreement, JG + "during", iri(self.period("2016-01-01")))
        w.add(agreement, JG + "evaluationWithinMonths", typed("24", "integer"))
        w.add(agreement, JG + "establishesBody", iri(group))
        if not self.planted_absence("no-evaluation", defects, agreement, "evaluates", "24"):
            evaluation = r.iri + "evaluatie"
            w.typed(evaluation, JG + "Evaluation")
            w.add(evaluation, JG + "evaluates", iri(agreement))
            w.add(evaluation, JG + "date", typed("2017-09-15", "date"))
        w.typed(group, JG + "SteeringGroup")
        w.labels(group, f"Stuurgroep jeugd regio {r.index + 1:02d}",
                 f"Youth-care steering group region {r.index + 1:02d}")
        w.add(group, JG + "requiredMeetingsPerYear", typed("4", "integer"))
        w.add(group, JG + "during", iri(self.period("2022-01-01", "2023-12-31")))
        meetings = 3 if "inactive-body" in defects else 8
        if meetings < 8:
            self.plant("inactive-body", group, str(meetings))
        for k in range(meetings):
            meeting = f"{group}/vergadering-{k + 1}"
            w.typed(meeting, JG + "Meeting")
            w.add(meeting, JG + "meetingOf", iri(group))
            w.add(meeting, JG + "date", typed(f"{2022 + k // 4}-{3 * (k % 4) + 2:02d}-15", "date"))

    # -- contracts and money ------------------------------------------

    def contract_iri(self, p: int) -> str:
        return f"{self.r.iri}contract-p{p + 1:04d}"

    def contract(self, p: int) -> None:
        w, r = self.w, self.r
        defect = self.plan.contracts.get((r.index, p))
        who, node = self.provider(p), self.contract_iri(p)
        commissioner = r.commissioner()
        w.typed(node, JG + "PurchaseContract")
        w.labels(node, f"Inkoopcontract jeugdhulp regio {r.index + 1:02d} met aanbieder {p + 1:04d}",
                 f"Youth-care purchase contract region {r.index + 1:02d} with provider {p + 1:04d}")
        w.add(node, JG + "party", iri(who))
        if r.joint_arrangement:
            w.add(node, JG + "party", iri(commissioner))
        gone = self.plan.removed_party.get((r.index, p))
        for m in r.municipalities:
            if m != gone:
                w.add(node, JG + "party", iri(municipality(m)))
        if gone is not None:
            self.plant("indirect-commissioning", municipality(gone), commissioner)
        w.add(node, JG + "assignsTask", iri(CARE))
        outcome = defect != "no-outcome-indicators"
        w.add(node, JG + "harmonisedOutcomeIndicators", typed("true" if outcome else "false", "boolean"))
        if not outcome:
            self.plant("no-outcome-indicators", node, CARE)
        if not self.planted_absence("goals-not-measurable", {defect}, node, "hasGoal", CARE):
            w.add(node, JG + "hasGoal", iri(self.goal()))
        if defect == "open-budget":
            w.add(node, JG + "noValue", iri(JG + "budgetCeiling"))
            w.add(node, JG + "noValue", iri(JG + "steeringInstrument"))
            self.plant(defect, node + "/betaling", None)
        else:
            w.add(node, JG + "budgetCeiling", typed(euros(self.rng.randrange(100_000, 5_000_000) * 100), "decimal"))
        if defect == "interval-order":
            period = node + "/looptijd"
            w.typed(period, TIME + "ProperInterval")
            w.add(period, TIME + "hasBeginning", iri(self.instant("2024-12-31")))
            w.add(period, TIME + "hasEnd", iri(self.instant("2022-01-01")))
            w.add(node, JG + "during", iri(period))
            self.plant(defect, period, "2022-01-01")
        else:
            w.add(node, JG + "during", iri(self.period("2022-01-01", "2024-12-31")))
        clause = node + "/verlenging"
        w.add(node, JG + "hasExtensionClause", iri(clause))
        w.typed(clause, JG + "ExtensionClause")
        w.add(clause, JG + "extensionRequestedBy", iri(who))
        # stated either way, so that the finding is established
        decides = defect != "provider-decides-extension"
        w.add(clause, JG + "requiresMunicipalDecision", typed("true" if decides else "false", "boolean"))
        if not decides:
            self.plant("provider-decides-extension", node, who)
        self.role(node + "/opdrachtnemer", who, JGR + "contractor", CARE, inContextOf=node)
        self.role(node + "/uitvoering", who, JGR + "delivery", CARE, inContextOf=node)
        if defect == "dual-role":
            self.role(node + "/onderaanbesteding", who, JGR + "commissioner", CARE)
            self.plant(defect, who, CARE)
        if defect == "access-and-delivery":
            self.role(node + "/indicatie", who, JGR + "access", JGT + "access-decision")
            self.plant(defect, who, CARE)
        flow = node + "/betaling"
        self.flow(flow, "PerCaseFinancing", commissioner, who, CARE, node)
        line = node + "/verantwoording"
        accountable = who
        if defect == "money-vs-accountability":
            accountable = self.provider(self.other_provider(p))
            self.plant(defect, line, flow)
        self.line(line, accountable, commissioner, flow)
        if defect == "double-financing":
            decision_node = node + "/extra-subsidiebeschikking"
            self.subsidy_decision(decision_node, municipality(r.municipalities[0]), who, CARE)
            self.flow(node + "/extra-subsidie", "Subsidy", municipality(r.municipalities[0]), who, CARE, decision_node)
            self.plant(defect, who, CARE)

    def other_provider(self, p: int) -> int:
        others = [q for q in self.r.contracted if q != p]
        return others[0] if others else (p + 1) % self.params.providers

    def goal(self) -> str:
        node = self.r.iri + "doel-wachttijd"
        if node not in self.written:
            self.written.add(node)
            self.w.typed(node, JG + "Goal")
            self.w.labels(node, "Wachttijd korter dan acht weken", "Waiting time under eight weeks")
            self.w.add(node, JG + "measurable", typed("true", "boolean"))
        return node

    def flow(self, node: str, kind: str, payer: str, payee: str, task: str, basis: str | None) -> None:
        w = self.w
        w.typed(node, JG + kind)
        w.add(node, JG + "payer", iri(payer))
        w.add(node, JG + "payee", iri(payee))
        w.add(node, JG + "task", iri(task))
        if basis:
            w.add(node, JG + "basis", iri(basis))
        w.add(node, JG + "amount", typed(euros(self.rng.randrange(10_000, 2_000_000) * 100), "decimal"))
        w.add(node, JG + "during", iri(self.period("2022-01-01", "2024-12-31")))

    def line(self, node: str, accountable: str, to: str, flow: str) -> None:
        w = self.w
        w.typed(node, JG + "AccountabilityLine")
        w.add(node, JG + "accountableParty", iri(accountable))
        w.add(node, JG + "accountTo", iri(to))
        w.add(node, JG + "aboutFlow", iri(flow))

    def subsidy_decision(self, node: str, giver: str, receiver: str, task: str, permitted: bool = True,
                         regulated: bool = True) -> None:
        w = self.w
        if regulated:  # the giver's subsidy by-law (Awb 4:23)
            regulation = giver + "/subsidieverordening"
            if regulation not in self.written:
                self.written.add(regulation)
                w.typed(regulation, JG + "SubsidyRegulation")
            w.add(node, JG + "subsidyRegulation", iri(regulation))
        else:
            w.add(node, JG + "noValue", iri(JG + "subsidyRegulation"))
        w.typed(node, JG + "SubsidyDecision")
        w.add(node, JG + "party", iri(giver))
        w.add(node, JG + "party", iri(receiver))
        w.add(node, JG + "assignsTask", iri(task))
        w.add(node, JG + "hasGoal", iri(self.goal()))
        w.add(node, JG + "harmonisedOutcomeIndicators", typed("true", "boolean"))
        w.add(node, JG + "budgetCeiling", typed(euros(self.rng.randrange(50_000, 500_000) * 100), "decimal"))
        w.add(node, JG + "passOnPermitted", typed("true" if permitted else "false", "boolean"))

    def subsidy(self, m: int) -> None:
        """A subsidy for basic care, passed on to a second provider, as the decision permits."""
        contracted = self.r.contracted
        if len(contracted) < 2:
            return
        node = municipality(m)
        first, second = self.rng.sample(contracted, 2)
        receiver, third = self.provider(first), self.provider(second)
        decision_node, flow = node + "/subsidiebeschikking", node + "/subsidie"
        passed_on = self.plan.municipalities.get(m) == "subsidy-passed-on"
        regulated = "subsidy-without-regulation" not in self.plan.councils.get(m, set())
        self.subsidy_decision(decision_node, node, receiver, BASIC_CARE, permitted=not passed_on, regulated=regulated)
        if not regulated:
            self.plant("subsidy-without-regulation", decision_node, None)
        self.flow(flow, "Subsidy", node, receiver, BASIC_CARE, decision_node)
        self.line(node + "/verantwoording-subsidie", receiver, node, flow)
        through = node + "/doorbetaling"
        w = self.w
        w.typed(through, JG + "PassThrough")
        w.add(through, JG + "payer", iri(receiver))
        w.add(through, JG + "payee", iri(third))
        w.add(through, JG + "passesOn", iri(flow))
        w.add(through, JG + "amount", typed(euros(self.rng.randrange(1_000, 100_000) * 100), "decimal"))
        if passed_on:
            self.plant("subsidy-passed-on", through, flow)

    def outsider(self, p: int) -> None:
        """A provider delivering care in the region without any agreement there (no-stake)."""
        who = self.provider(p)
        self.role(f"{self.r.iri}zonder-contract-p{p + 1:04d}", who, JGR + "delivery", CARE)
        for m in self.r.municipalities:
            self.plant("no-stake", who, municipality(m))

    # -- decisions ----------------------------------------------------

    def decision(self, i: int, m: int) -> None:
        w, rng = self.w, self.rng
        node, town = decision(i), municipality(m)
        defect = self.plan.decisions.get(i)
        k = (1, 2, 3)[rng.randrange(3)]
        if defect == "decision-without-mandate":
            k = 4
        official = f"{town}/o{k}"
        w.add(node, RDF_TYPE, iri(JG + "IndividualDecision"))
        adviser = town + "/jeugdteam"
        if defect == "advises-and-decides":
            adviser = official
        elif defect == "dangling-reference":
            adviser = f"{BASE}onbekend/{i + 1}"
            self.plant(defect, node, adviser)
        advice = JG + ("advisedBi" if defect == "undefined-term" else "advisedBy")
        if defect == "contradictory-absence":  # in place of the advice: as many triples
            w.add(node, JG + "noValue", iri(JG + "amount"))
            self.plant(defect, node, JG + "amount")
        else:
            w.add(node, advice, iri(adviser))
        if defect == "required-property":
            self.plant(defect, node, None)
        else:
            w.add(node, JG + "decidedBy", iri(official))
        w.add(node, JG + "underMandate", iri(f"{town}/mandaat-o{k}"))
        w.add(node, JG + "competence", iri(town + "/bevoegdheid-jeugdhulp"))
        day = 18_993 + rng.randrange(1_096)  # 2022-01-01 .. 2024-12-31, in days since 1970
        w.add(node, JG + "date", typed(_iso(day), "date"))
        amount = -25_000 if defect == "wrong-datatype" else rng.randrange(50_000, 5_000_000)
        w.add(node, JG + "amount", typed(euros(amount), "decimal"))
        if defect in ("advises-and-decides", "decision-without-mandate"):
            self.plant(defect, node, official)
        elif defect == "wrong-datatype":
            self.plant(defect, node, euros(amount))
        elif defect == "undefined-term":
            self.plant(defect, node, JG + "advisedBi")


def _iso(days: int) -> str:
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=days)).isoformat()


#################################################################
# Entry points
#################################################################
