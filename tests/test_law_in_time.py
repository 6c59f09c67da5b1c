"""The law in time: a norm applies from its date, so a setup dated before it gets at most an Info
that says from when the norm is required, and a finding links to the text in force on its date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import ENGINES, setup_from
from rdflib import SH, Graph, Literal, URIRef
from shape_cases import CASES

from jeugdgov import validate
from jeugdgov.resources import JG, JGS, shapes
from jeugdgov.validation.catalogue import notation
from jeugdgov.validation.law_in_time import Period, in_time, period, versioned

#: Every shape that records the date from which its norm applies, with that date and its defect.
DATED = sorted((notation(shapes().value(s, JG.detects)), period(shapes(), s).start, s)
               for s in shapes().subjects(JG.inForceFrom, None))


def test_the_new_norms_and_the_law_based_old_ones_carry_a_date():
    dated = {defect for defect, _start, _shape in DATED}
    assert {"no-youth-policy-plan", "arrangement-without-exit-clause", "no-regional-arrangement",
            "subsidy-passed-on", "decision-without-mandate"} <= dated


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("defect", "start", "shape"), DATED, ids=[d for d, _s, _x in DATED])
def test_a_dated_norm_before_on_and_after_its_date(defect, start, shape, engine):
    severity = str(shapes().value(shape, SH.severity)).rsplit("#", 1)[-1]
    _conforming, violating = CASES[defect]
    for as_of, expected in ((start - timedelta(days=1), "Info"), (start, severity),
                            (start + timedelta(days=1), severity)):
        report = validate(setup_from(violating), defects=[defect], engine=engine, as_of=as_of)
        found = [f for f in report.findings if f.defect == defect]
        assert found and {f.severity for f in found} == {expected}, (as_of, found)
        early = all(f.message("en").startswith(f"Not yet required (required from {start.isoformat()})")
                    for f in found)
        assert early is (as_of < start)
        assert all(f.message("nl").startswith("Nog niet vereist") is (as_of < start) for f in found)


SHAPE = """
@prefix jg: <https://w3id.org/jeugdgov/def#> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix jgs: <https://w3id.org/jeugdgov/shapes#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
jgs:s jg:detects jg:x ; sh:severity sh:Violation ; sh:message "Er is iets."@nl , "Something is wrong."@en {period} .
"""


def shaped(period_text: str, as_of: date) -> Graph:
    return in_time(Graph().parse(data=SHAPE.replace("{period}", period_text), format="turtle"), as_of)


def test_a_repealed_norm_finds_nothing_after_its_end():
    until = '; jg:inForceFrom "2015-01-01"^^xsd:date ; jg:inForceUntil "2020-12-31"^^xsd:date'
    assert (JGS.s, SH.deactivated, Literal(True)) in shaped(until, date(2021, 1, 1))
    assert (JGS.s, SH.deactivated, Literal(True)) not in shaped(until, date(2020, 12, 31))
    assert shaped(until, date(2020, 12, 31)).value(JGS.s, SH.severity) == SH.Violation


def test_a_norm_whose_date_is_not_set_is_only_an_info():
    graph = shaped("; jg:dateNotSet true", date(2030, 1, 1))
    assert graph.value(JGS.s, SH.severity) == SH.Info
    assert {str(m) for m in graph.objects(JGS.s, SH.message)} == {
        "Nog niet vereist (datum van inwerkingtreding nog niet bepaald): Er is iets.",
        "Not yet required (date of entry into force not yet set): Something is wrong."}


def test_periods_describe_themselves():
    assert Period(date(2015, 1, 1)).describe("en") == "from 2015-01-01 through today"
    assert Period(date(2015, 1, 1), date(2020, 12, 31)).describe("nl") == "van 2015-01-01 tot en met 2020-12-31"
    assert Period().status(date(1990, 1, 1)) == "in force"


def test_a_law_link_carries_the_date_of_the_text():
    article = "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:41"
    assert versioned(article, date(2018, 6, 30)) == article + "&g=2018-06-30"
    assert versioned(article, None) == article
    assert versioned("https://www.nji.nl/monitoring/outcome-indicatoren", date(2018, 6, 30)).endswith("indicatoren")


def test_the_report_links_the_basis_to_the_text_on_the_reference_date():
    from jeugdgov.dossier.content import reference

    link = reference("https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:41", "en", date(2018, 6, 30))
    assert link.url and link.url.endswith("&g=2018-06-30") and "4:41" in link.label
    assert URIRef(JGS["no-regional-arrangement"]) in set(shapes().subjects(JG.inForceFrom, None))
