"""Synthetic national-scale governance data with planted defects, for scale tests and benchmarks.

The country is cut into regions (42 by default, with 342 municipalities and about 4,000
care providers). Each region is one setup, written as one N-Triples file: its
municipalities with their bodies, officials, competences and mandates; a joint arrangement
(GR) or a central-municipality arrangement (centrumregeling); purchase contracts with the
providers it contracts; per-case financing, subsidies and pass-throughs with their
accountability lines; a steering group and a collaboration agreement; and the individual
decisions (beschikkingen) of its municipalities with adviser, decider and the mandate used.

Clean data triggers no shape. Each defect of the catalogue is planted at a chosen rate by
changing or adding exactly the facts that defect is about, on objects no other planted
defect touches; ``planted.json`` lists every finding a correct validator must report
(setup, defect, focus, value). Everything follows from the seed.

The output folder holds ``setups/`` (one ``.nt`` file per region: validate this folder) and
``planted.json``. Files are written line by line and moved into place only when complete.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from jeugdgov.errors import InputError

BASE = "https://w3id.org/jeugdgov/id/synth/"
JG = "https://w3id.org/jeugdgov/def#"
JGR = "https://w3id.org/jeugdgov/role/"
JGT = "https://w3id.org/jeugdgov/task/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
TIME = "http://www.w3.org/2006/time#"
ORG = "http://www.w3.org/ns/org#"
DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"
JEUGDWET_2_3 = "https://wetten.overheid.nl/jci1.3:c:BWBR0034925&artikel=2.3"
WGR_8 = "https://wetten.overheid.nl/jci1.3:c:BWBR0003740&artikel=8"
CARE = JGT + "specialist-care"
BASIC_CARE = JGT + "basic-care"

GOVERNANCE_DEFECTS = (
    "dual-role", "access-and-delivery", "advises-and-decides", "no-contact-point",
    "decision-without-mandate", "external-mandate-without-consent", "delegation-without-basis",
    "provider-decides-extension", "subsidy-passed-on", "money-vs-accountability",
    "double-financing", "open-budget", "goals-not-measurable", "no-stake",
    "indirect-commissioning", "inactive-body", "no-evaluation",
)
DATA_QUALITY_DEFECTS = (
    "required-property", "wrong-datatype", "interval-order", "unknown-concept",
    "dangling-reference", "undefined-term",
)
#: Catalogue defects synth does not plant, each with the reason (none today: every defect of
#: jeugdgov.validation.catalogue.defects() is planted).
NOT_PLANTED: dict[str, str] = {}
#: What each defect is planted on.
POOLS = {
    "advises-and-decides": "decision", "decision-without-mandate": "decision",
    "required-property": "decision", "wrong-datatype": "decision", "dangling-reference": "decision",
    "undefined-term": "decision",
    "dual-role": "contract", "access-and-delivery": "contract", "provider-decides-extension": "contract",
    "money-vs-accountability": "contract", "double-financing": "contract", "open-budget": "contract",
    "goals-not-measurable": "contract", "indirect-commissioning": "contract", "interval-order": "contract",
    "no-contact-point": "municipality", "subsidy-passed-on": "municipality", "unknown-concept": "municipality",
    "external-mandate-without-consent": "gr-municipality", "delegation-without-basis": "gr-municipality",
    "inactive-body": "region", "no-evaluation": "region",
    "no-stake": "outsider",
}
DECISION_TRIPLES = 7
#: Measured averages, for the size check before anything is written.
BYTES_PER_TRIPLE = 150
STORE_BYTES_PER_TRIPLE = 700
MAX_DECISIONS = 2_000_000_000
#: The size check counts the structure by a dry run, linear in these: capped so that it takes
#: seconds (the Netherlands has 342 municipalities and some 4,000 providers).
MAX_MUNICIPALITIES = 100_000
MAX_PROVIDERS = 100_000
#: Inside the output folder: the setups (what to validate) and the planted findings beside them.
SETUPS = "setups"
PLANTED = "planted.json"


@dataclass(frozen=True)
class Parameters:
    """What to generate. Defaults describe the Netherlands."""

    decisions: int
    seed: int = 1
    rate: float = 0.01
    regions: int = 42
    municipalities: int = 342
    providers: int = 4000
    data_quality: bool = True

    def check(self) -> None:
        if not 0 <= self.decisions <= MAX_DECISIONS:
            raise InputError(f"--decisions must be between 0 and {MAX_DECISIONS:,}, not {self.decisions:,}")
        if self.municipalities > MAX_MUNICIPALITIES:
            raise InputError(f"--municipalities must be at most {MAX_MUNICIPALITIES:,}, not {self.municipalities:,}")
        if self.providers > MAX_PROVIDERS:
            raise InputError(f"--providers must be at most {MAX_PROVIDERS:,}, not {self.providers:,}")
        if not 0 <= self.rate <= 0.5:
            raise InputError(f"--rate must be between 0 and 0.5, not {self.rate}",
                             hint="the rate is the share of eligible objects that get each defect")
        if self.regions < 1 or self.municipalities < 2 * self.regions:
            raise InputError("every region needs at least two municipalities",
                             hint=f"--municipalities {self.municipalities} is too few for --regions {self.regions}")
        if self.providers < 2:
            raise InputError("--providers must be at least 2")

    def defects(self) -> tuple[str, ...]:
        return GOVERNANCE_DEFECTS + (DATA_QUALITY_DEFECTS if self.data_quality else ())


@dataclass(frozen=True)
class Planted:
    """One finding the data must produce."""

    setup: str
    defect: str
    focus: str
    value: str | None


@dataclass
class Estimate:
    """Size of the output and of the largest setup in a validation store."""

    triples: int
    disk_bytes: int
    largest_setup_triples: int
    store_bytes: int


@dataclass
class Summary:
    parameters: Parameters
    files: list[Path]
    triples: int
    planted: list[Planted] = field(default_factory=list)


#################################################################
# Layout of the country
#################################################################

@dataclass
class Region:
    index: int
    municipalities: list[int]
    joint_arrangement: bool  # a GR; otherwise a centrumregeling led by the first municipality
    contracted: list[int]  # providers with a purchase contract in this region

    @property
    def name(self) -> str:
        return f"synth-r{self.index + 1:02d}"

    @property
    def iri(self) -> str:
        return f"{BASE}r{self.index + 1:02d}/"

    def commissioner(self) -> str:
        """Who commissions care on behalf of the municipalities: the GR or the central municipality."""
        return self.iri + "gr" if self.joint_arrangement else municipality(self.municipalities[0])


def municipality(m: int) -> str:
    return f"{BASE}gm{m + 1:04d}"


def provider(p: int) -> str:
    return f"{BASE}aanbieder/p{p + 1:04d}"


def decision(i: int) -> str:
    return f"{BASE}besluit/{i + 1}"


def layout(params: Parameters) -> list[Region]:
    rng = random.Random(f"{params.seed}/layout")
    regions = []
    for r in range(params.regions):
        first = r * params.municipalities // params.regions
        last = (r + 1) * params.municipalities // params.regions
        regions.append(Region(r, list(range(first, last)), joint_arrangement=r % 3 != 2, contracted=[]))
    for p in range(params.providers):
        home = p % params.regions
        regions[home].contracted.append(p)
        if params.regions > 1 and rng.random() < 0.3:
            other = (home + 1 + rng.randrange(params.regions - 1)) % params.regions
            regions[other].contracted.append(p)
    for region in regions:
        region.contracted.sort()
    return regions


def decisions_of(m: int, params: Parameters) -> range:
    """Decision i belongs to municipality i mod M."""
    return range(m, params.decisions, params.municipalities)


#################################################################
# Which object gets which defect
#################################################################

@dataclass
class Plan:
    """The objects each planted defect changes, chosen without overlap."""

    decisions: dict[int, str] = field(default_factory=dict)
    contracts: dict[tuple[int, int], str] = field(default_factory=dict)
    municipalities: dict[int, str] = field(default_factory=dict)
    regions: dict[int, set[str]] = field(default_factory=dict)
    outsiders: dict[tuple[int, int], str] = field(default_factory=dict)
    removed_party: dict[tuple[int, int], int] = field(default_factory=dict)


def plan(params: Parameters, regions: list[Region]) -> Plan:
    """Choose the objects to plant on: defects take turns, so that each gets at least one
    object while its pool lasts, then as many as the rate asks."""
    rng = random.Random(f"{params.seed}/plan")
    result = Plan()
    contracts = [(r.index, p) for r in regions for p in r.contracted]
    pools: dict[str, list] = {
        "decision": list(range(params.decisions)),
        "contract": contracts,
        "municipality": [m for r in regions for m in r.municipalities],
        "gr-municipality": [m for r in regions if r.joint_arrangement for m in r.municipalities],
        "outsider": [(r.index, p) for r in regions for p in _outsiders(r, params, rng)],
    }
    draw = {kind: _Draw(rng, pool) for kind, pool in pools.items()}
    draw["gr-municipality"].taken = draw["municipality"].taken  # one defect per municipality
    for defect in params.defects():
        if POOLS[defect] == "region":  # regions may carry both region defects: they do not meet
            count = min(len(regions), _wanted(params.rate, len(regions)))
            for r in rng.sample(range(len(regions)), count):
                result.regions.setdefault(r, set()).add(defect)
    turns = {d: _wanted(params.rate, len(pools[POOLS[d]])) for d in params.defects() if POOLS[d] != "region"}
    removed: set[tuple[int, int]] = set()
    for turn in range(max(turns.values(), default=0)):
        for defect, wanted in turns.items():
            kind = POOLS[defect]
            item = draw[kind].next() if turn < wanted else None
            if item is None:
                continue
            if kind == "decision":
                result.decisions[item] = defect
            elif kind == "contract":
                if defect == "indirect-commissioning":
                    region = regions[item[0]]
                    candidates = [m for m in region.municipalities[1:] if (region.index, m) not in removed]
                    if not candidates:
                        continue
                    gone = rng.choice(candidates)
                    removed.add((region.index, gone))
                    result.removed_party[item] = gone
                result.contracts[item] = defect
            elif kind in ("municipality", "gr-municipality"):
                result.municipalities[item] = defect
            else:
                result.outsiders[item] = defect
    return result


def _wanted(rate: float, pool: int) -> int:
    return 0 if rate == 0 or pool == 0 else max(1, round(rate * pool))


class _Draw:
    """Random objects from a pool, each at most once."""

    def __init__(self, rng: random.Random, pool: list) -> None:
        self.rng = rng
        self.pool = pool
        self.taken: set = set()

    def next(self) -> object | None:
        for _ in range(32):  # mostly free: a random draw will do
            item = self.pool[self.rng.randrange(len(self.pool))] if self.pool else None
            if item is not None and item not in self.taken:
                break
        else:
            free = [x for x in self.pool if x not in self.taken]
            if not free:
                return None
            item = self.rng.choice(free)
        if item is None:
            return None
        self.taken.add(item)
        return item


def _outsiders(region: Region, params: Parameters, rng: random.Random) -> list[int]:
    """A few providers without a contract in the region (candidates for no-stake)."""
    inside = set(region.contracted)
    found: list[int] = []
    for _ in range(20):
        p = rng.randrange(params.providers)
        if p not in inside and p not in found:
            found.append(p)
        if len(found) == 3:
            break
    return found


#################################################################
# Writing N-Triples
#################################################################

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
        if self.plan.municipalities.get(m) == "no-contact-point":
            self.plant("no-contact-point", node, None)
        else:
            self.role(node + "/aanspreekpunt", team, JGR + "contact-point", JGT + "child-protection", onBehalfOf=node)
        if self.plan.municipalities.get(m) == "unknown-concept":
            self.role(node + "/beleidsrol", node + "/o3", JGT + "policy", JGT + "policy")
            self.plant("unknown-concept", node + "/beleidsrol", JGT + "policy")

    def mandate(self, node: str, giver: str, mandatary: str, competence: str, period: str,
                permitted: bool = False, sub_of: str | None = None, consent: bool = False) -> None:
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
        if consent:
            w.add(node, JG + "consentRecorded", typed("true", "boolean"))

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
        on_behalf = members if r.joint_arrangement else members[1:]
        contracts = [self.contract_iri(p) for p in r.contracted]
        self.role(r.iri + "opdrachtgeverschap", r.commissioner(), JGR + "commissioner", CARE,
                  onBehalfOf=on_behalf, inContextOf=contracts, during=self.period("2022-01-01", "2024-12-31"))

    def gr_member(self, m: int, member: str, gr: str, ab: str, db: str) -> None:
        w, r = self.w, self.r
        participation = f"{r.iri}deelname-gm{m + 1:04d}"
        w.typed(participation, JG + "JointArrangementParticipation")
        w.add(participation, ORG + "member", iri(member))
        w.add(participation, ORG + "organization", iri(gr))
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
        if self.plan.municipalities.get(m) == "delegation-without-basis":
            self.plant("delegation-without-basis", delegation, ab)
        else:
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
        if "no-evaluation" in defects:
            self.plant("no-evaluation", agreement, "24")
        else:
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
        if defect == "goals-not-measurable":
            self.plant(defect, node, CARE)
        else:
            w.add(node, JG + "hasGoal", iri(self.goal()))
        if defect == "open-budget":
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
        if defect == "provider-decides-extension":
            self.plant(defect, node, who)
        else:
            w.add(clause, JG + "requiresMunicipalDecision", typed("true", "boolean"))
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

    def subsidy_decision(self, node: str, giver: str, receiver: str, task: str, permitted: bool = True) -> None:
        w = self.w
        w.typed(node, JG + "SubsidyDecision")
        w.add(node, JG + "party", iri(giver))
        w.add(node, JG + "party", iri(receiver))
        w.add(node, JG + "assignsTask", iri(task))
        w.add(node, JG + "hasGoal", iri(self.goal()))
        w.add(node, JG + "budgetCeiling", typed(euros(self.rng.randrange(50_000, 500_000) * 100), "decimal"))
        if permitted:
            w.add(node, JG + "passOnPermitted", typed("true", "boolean"))

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
        self.subsidy_decision(decision_node, node, receiver, BASIC_CARE, permitted=not passed_on)
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

def estimate(params: Parameters) -> Estimate:
    """Count the structure exactly (a dry run without decisions) and add the decisions."""
    params.check()
    structure = Parameters(0, params.seed, params.rate, params.regions, params.municipalities, params.providers,
                           params.data_quality)
    regions = layout(structure)
    the_plan = plan(structure, regions)
    per_region = []
    for region in regions:
        counter = Writer(None)
        RegionWriter(region, structure, the_plan, counter).write()
        share = sum(len(decisions_of(m, params)) for m in region.municipalities)
        per_region.append(counter.count + share * DECISION_TRIPLES)
    triples = sum(per_region)
    largest = max(per_region)
    return Estimate(triples, triples * BYTES_PER_TRIPLE, largest, largest * STORE_BYTES_PER_TRIPLE)


def check_room(params: Parameters, out: Path) -> Estimate:
    """Refuse, with the estimate, output that does not fit on disk or a setup that does not fit in memory."""
    size = estimate(params)
    existing = out
    while not existing.exists():
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if size.disk_bytes > 0.9 * free:
        raise InputError(
            f"{params.decisions:,} decisions need about {_gb(size.disk_bytes)} on disk "
            f"({size.triples:,} triples); {existing} has {_gb(free)} free",
            hint="choose fewer --decisions or another --out folder")
    memory = _physical_memory()
    if memory and size.store_bytes > 0.8 * memory:
        raise InputError(
            f"the largest setup would hold about {size.largest_setup_triples:,} triples, about "
            f"{_gb(size.store_bytes)} in a validation store; this machine has {_gb(memory)} of memory",
            hint="choose fewer --decisions, or more --regions so that each setup is smaller")
    return size


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _gb(size: int) -> str:
    return f"{size / 1e9:.1f} GB"


def generate(params: Parameters, out: Path, progress: Callable[[str], None] | None = None) -> Summary:
    """Write one N-Triples file per region and planted.json into ``out``, all or nothing."""
    if out.exists() and not out.is_dir():
        raise InputError("--out is a file, not a folder", file=out, hint="give a folder (it is created when missing)")
    check_room(params, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the --out folder: {error.strerror or error}", file=out) from None
    regions = layout(params)
    the_plan = plan(params, regions)
    staging = Path(tempfile.mkdtemp(prefix=".synth-", dir=out))
    try:
        (staging / SETUPS).mkdir()
        summary = Summary(params, [], 0)
        for region in regions:
            if progress:
                progress(f"writing {region.name}")
            name = f"{SETUPS}/{region.name}.nt"
            with (staging / name).open("w", encoding="utf-8", buffering=1 << 20) as stream:
                writer = Writer(stream)
                region_writer = RegionWriter(region, params, the_plan, writer)
                region_writer.write()
            summary.triples += writer.count
            summary.planted.extend(region_writer.planted)
            summary.files.append(out / name)
        (staging / PLANTED).write_text(json.dumps(_manifest(summary), indent=1), encoding="utf-8")
        # Replace a previous run as a whole: its setups folder first, the manifest last.
        shutil.rmtree(out / SETUPS, ignore_errors=True)
        os.replace(staging / SETUPS, out / SETUPS)
        os.replace(staging / PLANTED, out / PLANTED)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _manifest(summary: Summary) -> dict[str, object]:
    return {
        "parameters": asdict(summary.parameters),
        "files": [f"{SETUPS}/{f.name}" for f in summary.files],
        "triples": summary.triples,
        "findings": [asdict(p) for p in sorted(summary.planted, key=lambda p: (p.setup, p.defect, p.focus,
                                                                                  p.value or ""))],
    }


def read_planted(folder: Path) -> list[Planted]:
    """The findings planted in a generated folder."""
    document = json.loads((folder / PLANTED).read_text(encoding="utf-8"))
    return [Planted(**item) for item in document["findings"]]


def planted_counts(planted: list[Planted]) -> Iterator[tuple[str, int]]:
    counts: dict[str, int] = {}
    for item in planted:
        counts[item.defect] = counts.get(item.defect, 0) + 1
    yield from sorted(counts.items())
