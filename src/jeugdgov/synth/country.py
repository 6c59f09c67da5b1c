"""The synthetic country: its size, regions, municipalities and providers, and the plan of
which objects get which planted defect."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from jeugdgov.errors import InputError
from jeugdgov.validation.catalogue import defects, in_group

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

#: Catalogue defects synth does not plant, each with the reason (none today: every defect of
#: jeugdgov.validation.catalogue.defects() is planted).
NOT_PLANTED: dict[str, str] = {}
#: What each defect is planted on: a defect of the catalogue is planted when the writer knows how
#: (a pool here and its facts in writer.py), or excused in NOT_PLANTED.
POOLS = {
    "advises-and-decides": "decision", "decision-without-mandate": "decision",
    "required-property": "decision", "wrong-datatype": "decision", "dangling-reference": "decision",
    "undefined-term": "decision", "contradictory-absence": "decision",
    "dual-role": "contract", "access-and-delivery": "contract", "provider-decides-extension": "contract",
    "money-vs-accountability": "contract", "double-financing": "contract", "open-budget": "contract",
    "goals-not-measurable": "contract", "indirect-commissioning": "contract", "interval-order": "contract",
    "no-contact-point": "municipality", "subsidy-passed-on": "municipality", "unknown-concept": "municipality",
    "external-mandate-without-consent": "gr-municipality", "delegation-without-basis": "gr-municipality",
    "inactive-body": "region", "no-evaluation": "region",
    "no-stake": "outsider",
    "no-outcome-indicators": "contract",
    # The council's documents and participations: several per municipality, as they do not meet.
    "no-youth-policy-plan": "council", "plan-without-measurable-results": "council", "no-youth-by-law": "council",
    "subsidy-without-regulation": "council", "participation-without-council-views": "council",
    "affiliated-party-not-in-budget": "gr-council", "arrangement-without-council-consent": "gr-council",
    # The clauses of the regional arrangement, its vision and a municipality outside it.
    "arrangement-without-evaluation-clause": "region", "arrangement-without-participation-clause": "region",
    "arrangement-without-views-clause": "region", "arrangement-without-exit-clause": "region",
    "no-regional-vision": "region", "no-regional-arrangement": "region",
    "arrangement-budget-without-views": "gr-region",
}
#: Pools whose objects may carry several defects at once: the defects of one pool do not meet.
SHARED_POOLS = ("region", "gr-region", "council", "gr-council")
#: A defect that cannot be planted where another is (a plan without results needs a plan).
EXCLUDES = {"plan-without-measurable-results": "no-youth-policy-plan"}
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


def planted_defects(data_quality: bool = True) -> tuple[str, ...]:
    """The catalogue's defects synth plants: governance defects first, then (with ``data_quality``)
    the data-quality ones, each in the catalogue's order."""
    governance = [d for d in defects() if not in_group(d, "data-quality")]
    quality = [d for d in defects() if in_group(d, "data-quality")] if data_quality else []
    return tuple(d for d in governance + quality if d not in NOT_PLANTED)


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
            raise InputError(f"--decisions must be between 0 and {MAX_DECISIONS:,}, not {self.decisions:,}",
                             nl=(f"--decisions moet tussen 0 en {MAX_DECISIONS:,} liggen, niet {self.decisions:,}",
                                 None))
        if self.municipalities > MAX_MUNICIPALITIES:
            raise InputError(f"--municipalities must be at most {MAX_MUNICIPALITIES:,}, not {self.municipalities:,}",
                             nl=(f"--municipalities mag ten hoogste {MAX_MUNICIPALITIES:,} zijn, niet "
                                 f"{self.municipalities:,}", None))
        if self.providers > MAX_PROVIDERS:
            raise InputError(f"--providers must be at most {MAX_PROVIDERS:,}, not {self.providers:,}",
                             nl=(f"--providers mag ten hoogste {MAX_PROVIDERS:,} zijn, niet {self.providers:,}", None))
        if not 0 <= self.rate <= 0.5:
            raise InputError(f"--rate must be between 0 and 0.5, not {self.rate}",
                             hint="the rate is the share of eligible objects that get each defect",
                             nl=(f"--rate moet tussen 0 en 0.5 liggen, niet {self.rate}",
                                 "het is het deel van de geschikte objecten dat elk gebrek krijgt"))
        if self.regions < 1 or self.municipalities < 2 * self.regions:
            raise InputError("every region needs at least two municipalities",
                             hint=f"--municipalities {self.municipalities} is too few for --regions {self.regions}",
                             nl=("elke regio heeft ten minste twee gemeenten nodig",
                                 f"--municipalities {self.municipalities} is te weinig voor --regions {self.regions}"))
        if self.providers < 2:
            raise InputError("--providers must be at least 2", nl=("--providers moet ten minste 2 zijn", None))

    def defects(self) -> tuple[str, ...]:
        return planted_defects(self.data_quality)


@dataclass(frozen=True)
class Planted:
    """One finding the data must produce."""

    setup: str
    defect: str
    focus: str
    value: str | None



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
    councils: dict[int, set[str]] = field(default_factory=dict)
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
    shared: dict[str, tuple[list[int], dict[int, set[str]]]] = {
        "region": ([r.index for r in regions], result.regions),
        "gr-region": ([r.index for r in regions if r.joint_arrangement], result.regions),
        "council": (pools["municipality"], result.councils),
        "gr-council": (pools["gr-municipality"], result.councils),
    }
    for defect in params.defects():
        if POOLS[defect] in SHARED_POOLS:
            candidates, chosen = shared[POOLS[defect]]
            candidates = [c for c in candidates if EXCLUDES.get(defect) not in chosen.get(c, set())]
            count = min(len(candidates), _wanted(params.rate, len(candidates)))
            for picked in rng.sample(candidates, count):
                chosen.setdefault(picked, set()).add(defect)
    turns = {d: _wanted(params.rate, len(pools[POOLS[d]])) for d in params.defects() if POOLS[d] not in SHARED_POOLS}
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


_Item = TypeVar("_Item")


class _Draw(Generic[_Item]):
    """Random objects from a pool, each at most once."""

    def __init__(self, rng: random.Random, pool: list[_Item]) -> None:
        self.rng = rng
        self.pool = pool
        self.taken: set[_Item] = set()

    def next(self) -> _Item | None:
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
