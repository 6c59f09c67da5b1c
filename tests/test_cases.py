"""The encoded cases reproduce what the reports found (DESIGN §6).

For each setup the set of defect ids equals the set the report supports, each expected
finding names the parties the report names, and every finding is established.
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
        "subsidy-passed-on": {LEL + "zorgorganisaties-leden", LEL + "jgt-cooperatie"},
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

REPORTS = bundled_setups()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_setup_reproduces_the_report(name):
    report = validate(REPORTS[name])
    found = {f.defect for f in report.findings}
    assert found == set(EXPECTED[name]), f"{name}: {sorted(found)}"
    for defect, parties in EXPECTED[name].items():
        named = [{p.iri for p in f.parties} for f in report.findings if f.defect == defect]
        assert any(parties <= n for n in named), f"{defect} does not name {parties}: {named}"
    # The report establishes every finding: none rests on an unrecorded fact or a party's claim.
    weaker = sorted({(f.defect, f.evidence) for f in report.findings if f.evidence != "established"})
    assert not weaker, f"{name}: findings not established: {weaker}"


def test_recommended_zhz_model_resolves_indirect_commissioning():
    current = {f.defect for f in validate(REPORTS["zhz-huidig"]).findings}
    recommended = {f.defect for f in validate(REPORTS["zhz-aanbevolen"]).findings}
    assert "indirect-commissioning" in current and "indirect-commissioning" not in recommended


def test_jel_has_none_of_the_role_defects():
    found = {f.defect for f in validate(REPORTS["lelystad-jel"]).findings}
    assert not found & {"dual-role", "access-and-delivery", "advises-and-decides"}


def test_every_bundled_setup_has_expectations():
    setups = {name for name, setup in REPORTS.items() if setup.node is not None}
    assert setups == set(EXPECTED)
