"""Norm frameworks: rows typed into a workbook, every pattern met / partly met / not met / not
assessable on minimal graphs, the Lelystad phases scored alike by both engines, bad rows refused
all at once, the table as CSV, XLSX and JSON, compared between phases and in the HTML report."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import DATA, ROOT, jeugdgov
from openpyxl import Workbook, load_workbook
from rdflib import Dataset, Graph, URIRef

from jeugdgov.errors import InputError
from jeugdgov.norms import read_framework, score_setups
from jeugdgov.norms.catalogue import catalogue_rows
from jeugdgov.norms.framework import COLUMNS, HEADERS, framework_from_rows, rows_from_mappings
from jeugdgov.norms.pages import norm_page
from jeugdgov.norms.rendering import as_csv, as_json, compare_scores, write_table
from jeugdgov.norms.writing import write_rows
from jeugdgov.setups import Setup, load
from jeugdgov.validation import validate
from jeugdgov.validation.catalogue import defects

EXAMPLE = ROOT / "examples" / "normenkader.yaml"
EXAMPLE_WORKBOOK = ROOT / "examples" / "normenkader.xlsx"
LELYSTAD = ("lelystad-netwerk", "lelystad-cooperatie", "lelystad-jel")
PREFIXES = """
@prefix jg:   <https://w3id.org/jeugdgov/def#> .
@prefix jgr:  <https://w3id.org/jeugdgov/role/> .
@prefix jgt:  <https://w3id.org/jeugdgov/task/> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://w3id.org/jeugdgov/id/test/> .
"""

# -- the framework typed into a workbook, cell by cell -----------------------------------------

#: One row per pattern (the threshold twice: per year and as a share), in the columns of the sheet.
TYPED = [
    {"id": "R1", "norm_nl": "Geen partij is opdrachtgever en opdrachtnemer van dezelfde taak.",
     "question": "Zijn de rollen gescheiden?", "pattern": "verboden-rollen", "role_a": "jgr:commissioner",
     "role_b": "jgr:contractor jgr:subcontractor"},
    {"id": "R2", "norm_nl": "Wie besluit, heeft niet zelf geadviseerd.", "question": "Zijn de rollen gescheiden?",
     "pattern": "sparql", "class": "jg:IndividualDecision",
     "sparql": "SELECT $this ?value WHERE { $this jg:advisedBy ?value ; jg:decidedBy ?maker . "
               "?maker (jg:bodyOf|org:memberOf|jg:subordinateTo)* ?value }"},
    {"id": "R3", "norm_nl": "Toegang en uitvoering zijn gescheiden.", "question": "Zijn de rollen gescheiden?",
     "pattern": "gebrek", "defect": "access-and-delivery"},
    {"id": "S1", "norm_nl": "Elke afspraak over jeugdhulp bevat meetbare doelen.", "question": "Wordt er gestuurd?",
     "severity": "overtreding", "pattern": "verplicht-feit", "class": "jg:Agreement",
     "condition": "jg:assignsTask jgt:care-delivery", "property": "jg:hasGoal/jg:measurable", "value": "true"},
    {"id": "S2", "norm_nl": "Een overlegorgaan komt twee keer per jaar bijeen.", "question": "Wordt er gestuurd?",
     "pattern": "drempel", "class": "jg:GovernanceBody", "property": "^jg:meetingOf", "minimum": "2 per jaar"},
    {"id": "G1", "norm_nl": "90% van de geldstromen heeft een grondslag.", "question": "Volgt het geld de lijn?",
     "pattern": "drempel", "class": "jg:MoneyFlow", "property": "jg:basis", "minimum": "90%"},
    {"id": "G2", "norm_nl": "Verantwoording eindigt bij de gemeente.", "question": "Volgt het geld de lijn?",
     "pattern": "pad-verplicht", "class": "jg:AccountabilityLine", "property": "jg:accountTo",
     "value": "jg:Municipality"},
    {"id": "G3", "norm_nl": "Subsidie wordt niet doorgegeven.", "question": "Volgt het geld de lijn?",
     "pattern": "pad-verboden", "class": "jg:Subsidy", "property": "^jg:passesOn"},
]

#: What the Lelystad report supports, per norm: network, cooperative, JEL BV.
EXPECTED = {
    "R1": ("not-met", "met", "met"),  # the municipality is member of the network it contracts
    "R2": ("not-met", "met", "not-assessable"),  # the actor advised in the programme team; JEL: no decisions
    "R3": ("not-met", "not-met", "met"),
    "S1": ("not-met", "not-met", "met"),
    "S2": ("not-met", "not-assessable", "not-assessable"),  # three meetings in three years; none recorded
    "G1": ("met", "not-met", "met"),  # the pass-through to the cooperative has no basis
    "G2": ("met", "partly-met", "met"),  # members account to the cooperative's board
    "G3": ("met", "not-met", "not-assessable"),  # JEL: no subsidies
}


def type_workbook(path: Path, rows: list[dict[str, str]], lang: str = "nl") -> None:
    """Type the header and each row into a sheet 'normen', one cell at a time, as a person would."""
    book = Workbook()
    sheet = book.active
    sheet.title = "normen" if lang == "nl" else "norms"
    keys = [key for key, _nl, _en in COLUMNS]
    for column, key in enumerate(keys, start=1):
        sheet.cell(row=1, column=column, value=HEADERS[lang][key])
    for number, row in enumerate(rows, start=2):
        for column, key in enumerate(keys, start=1):
            if row.get(key):
                sheet.cell(row=number, column=column, value=row[key])
    book.save(path)


@pytest.fixture(scope="module")
def lelystad() -> list[Setup]:
    found = {s.name: s for s in load(DATA / "lelystad.trig")}
    return [found[name] for name in LELYSTAD]


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("norms") / "normenkader.xlsx"
    type_workbook(path, TYPED)
    return path


def table_of(table) -> dict[str, tuple[str, ...]]:
    return {n.id: tuple(table.score(s, n.id).score for s in LELYSTAD) for n in table.framework.norms}


def test_a_typed_framework_gives_the_expected_table_on_the_lelystad_phases(typed, lelystad):
    framework = read_framework(typed)
    assert [n.pattern for n in framework.norms] == ["forbidden-roles", "sparql", "defect", "required-fact",
                                                    "threshold", "threshold", "path-exists", "path-absent"]
    assert table_of(score_setups(lelystad, framework)) == EXPECTED


@pytest.mark.slow
def test_both_engines_give_the_same_table_and_findings(typed, lelystad):
    framework = read_framework(typed)
    fast, reference = score_setups(lelystad, framework, "fast"), score_setups(lelystad, framework, "pyshacl")
    assert table_of(reference) == EXPECTED
    for key, score in fast.scores.items():
        other = reference.scores[key]
        assert [(f.focus, f.value, f.evidence, f.message("en")) for f in score.findings] == \
            [(f.focus, f.value, f.evidence, f.message("en")) for f in other.findings], key
        assert (score.assessed, score.failing) == (other.assessed, other.failing)


def test_the_example_framework_uses_every_pattern_and_its_workbook_holds_the_same_norms():
    framework = read_framework(EXAMPLE)
    assert len(framework.norms) >= 8
    assert {n.pattern for n in framework.norms} == {"required-fact", "forbidden-roles", "threshold", "path-exists",
                                                    "path-absent", "defect", "sparql"}
    assert read_framework(EXAMPLE_WORKBOOK).norms == framework.norms


def test_the_example_framework_on_the_bundled_cases(lelystad):
    framework = read_framework(EXAMPLE)
    table = score_setups([*lelystad, *load(DATA / "zhz.trig")], framework)
    scores = {(s, n): c.score for (s, n), c in table.scores.items()}
    assert scores[("lelystad-cooperatie", "G3")] == "not-met"
    assert scores[("lelystad-netwerk", "S2")] == "not-assessable"  # the evaluation term is not recorded
    assert scores[("zhz-huidig", "R3")] == "not-met"  # SJT does access and basic care


def test_a_setup_workbook_may_hold_its_norms_in_a_sheet_of_its_own(tmp_path):
    path = tmp_path / "lelystad.xlsx"
    shutil.copy(ROOT / "examples" / "lelystad.xlsx", path)
    book = load_workbook(path)
    sheet = book.create_sheet("normen")
    sheet.append([HEADERS["nl"][key] for key, _nl, _en in COLUMNS])
    sheet.append([TYPED[6].get(key) for key, _nl, _en in COLUMNS])
    book.save(path)
    setups = {s.name: s for s in load(path)}  # the setup reader leaves the sheet to the norms
    table = score_setups([setups["lelystad-cooperatie"]], read_framework(path))
    assert table.score("lelystad-cooperatie", "G2").score == "partly-met"


def test_convert_says_it_leaves_a_workbooks_norms_behind(tmp_path):
    path = tmp_path / "lelystad.xlsx"
    shutil.copy(ROOT / "examples" / "lelystad.xlsx", path)
    plain = jeugdgov("convert", path, "--to", "trig", "--out", tmp_path / "plain.trig", "--lang", "en")
    assert plain.returncode == 0 and "norm" not in plain.stderr
    book = load_workbook(path)
    sheet = book.create_sheet("normen")
    sheet.append([HEADERS["nl"][key] for key, _nl, _en in COLUMNS])
    sheet.append([TYPED[6].get(key) for key, _nl, _en in COLUMNS])
    sheet.append([None for _ in COLUMNS])  # an empty row is no norm
    sheet.append([TYPED[5].get(key) for key, _nl, _en in COLUMNS])
    book.save(path)
    converted = jeugdgov("convert", path, "--to", "trig", "--out", tmp_path / "out.trig", "--lang", "en")
    assert converted.returncode == 0
    assert "the 2 norms on the sheet 'norms' are not converted" in " ".join(converted.stderr.split())
    facts = [len(Dataset().parse(tmp_path / name, format="trig")) for name in ("out.trig", "plain.trig")]
    assert facts[0] == facts[1] > 0  # the setup's facts all converted, nothing from the norms


def test_the_catalogue_framework_scores_as_validate_finds(tmp_path, lelystad):
    out = tmp_path / "catalogue.xlsx"
    write_rows(catalogue_rows("nl"), out)
    framework = read_framework(out)
    assert {n.defect for n in framework.norms} <= set(defects())
    assert len(framework.questions()) == 4
    setup = lelystad[1]
    table = score_setups([setup], framework)
    found = {f.defect for f in validate(setup).findings}
    not_met = {n.defect for n in framework.norms if table.score(setup.name, n.id).score != "met"}
    assert not_met == found & {n.defect for n in framework.norms}


# -- each pattern on minimal graphs --------------------------------------------------------------

def score(norm: dict[str, str], turtle: str, engine: str = "fast") -> str:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    setup = Setup("test", graph, "test.ttl", URIRef("https://w3id.org/jeugdgov/id/test/s"))
    framework = framework_from_rows(rows_from_mappings([{"id": "N", "norm_en": "a norm", **norm}]))
    return score_setups([setup], framework, engine).score("test", "N").score


PERIOD = """ex:s a jg:Setup . ex:p time:hasBeginning [ time:inXSDDate "2020-01-01"^^xsd:date ] ;
    time:hasEnd [ time:inXSDDate "2020-12-31"^^xsd:date ] ."""
MEETING = 'ex:meeting{n} a jg:Meeting ; jg:meetingOf ex:{body} ; jg:date "2020-0{n}-01"^^xsd:date .\n'

REQUIRED = {"pattern": "required-fact", "class": "jg:Agreement", "property": "jg:hasGoal/jg:measurable",
            "value": "true"}
GOOD_AGREEMENT = "ex:a a jg:Agreement ; jg:hasGoal ex:g . ex:g jg:measurable true .\n"
ROLES = {"pattern": "forbidden-roles", "role_a": "jgr:commissioner", "role_b": "jgr:contractor"}
COMMISSION = "ex:r1 jg:agent ex:gm ; jg:role jgr:commissioner ; jg:task jgt:care-delivery .\n"
CONTRACT = "ex:r2 jg:agent ex:{agent} ; jg:role jgr:contractor ; jg:task jgt:care-delivery .\n"
PER_YEAR = {"pattern": "threshold", "class": "jg:GovernanceBody", "property": "^jg:meetingOf",
            "minimum": "2 per year"}
BODY = "ex:{name} a jg:SteeringGroup ; jg:during ex:p .\n"
COUNT = {"pattern": "threshold", "class": "jg:Agreement", "property": "jg:party", "minimum": "2"}
SHARE = {"pattern": "threshold", "class": "jg:MoneyFlow", "property": "jg:basis", "minimum": "50%"}
PATH = {"pattern": "path-exists", "class": "jg:AccountabilityLine", "property": "jg:accountTo",
        "value": "jg:Municipality"}
NO_PATH = {"pattern": "path-absent", "class": "jg:Subsidy", "property": "^jg:passesOn"}
DEFECT = {"pattern": "defect", "defect": "goals-not-measurable"}
COLLABORATION = "ex:a a jg:CollaborationAgreement ; jg:assignsTask jgt:care-delivery .\n"
SPARQL = {"pattern": "sparql", "class": "jg:IndividualDecision",
          "sparql": "SELECT $this ?value WHERE { $this jg:advisedBy ?value ; jg:decidedBy ?value }"}

CASES = [
    # required fact: recorded, explicitly absent, not recorded, on some nodes only, about nothing
    (REQUIRED, GOOD_AGREEMENT, "met"),
    (REQUIRED, "ex:a a jg:Agreement ; jg:noValue jg:hasGoal .", "not-met"),
    (REQUIRED, "ex:a a jg:Agreement ; jg:hasGoal ex:g . ex:g jg:measurable false .", "not-met"),
    (REQUIRED, "ex:a a jg:Agreement .", "not-assessable"),
    (REQUIRED, GOOD_AGREEMENT + "ex:b a jg:Agreement ; jg:noValue jg:hasGoal .", "partly-met"),
    (REQUIRED, "ex:m a jg:Municipality .", "not-assessable"),
    (dict(REQUIRED, condition="jg:assignsTask jgt:care-delivery"),
     "ex:a a jg:Agreement ; jg:noValue jg:hasGoal .", "not-assessable"),  # the condition leaves it out
    # forbidden roles: apart, in one hand, through membership, claimed, no such roles
    (ROLES, COMMISSION + CONTRACT.format(agent="provider"), "met"),
    (ROLES, COMMISSION + CONTRACT.format(agent="gm"), "not-met"),
    (ROLES, COMMISSION + CONTRACT.format(agent="network")
     + "ex:ms org:member ex:gm ; org:organization ex:network .", "not-met"),
    (ROLES, COMMISSION + CONTRACT.format(agent="gm") + "ex:r2 jg:claimedBy ex:provider .", "partly-met"),
    (ROLES, "ex:r1 jg:agent ex:gm ; jg:role jgr:adviser ; jg:task jgt:care-delivery .", "not-assessable"),
    # a threshold per year: enough meetings, too few, none (stated), none recorded, some bodies
    (PER_YEAR, PERIOD + BODY.format(name="b") + MEETING.format(n=1, body="b") + MEETING.format(n=2, body="b"), "met"),
    (PER_YEAR, PERIOD + BODY.format(name="b") + MEETING.format(n=1, body="b"), "not-met"),
    (PER_YEAR, PERIOD + BODY.format(name="b") + "ex:b jg:noValue jg:meetingOf .", "not-met"),
    (PER_YEAR, PERIOD + BODY.format(name="b"), "not-assessable"),
    (PER_YEAR, PERIOD + BODY.format(name="b") + BODY.format(name="c") + MEETING.format(n=1, body="b")
     + MEETING.format(n=2, body="b") + MEETING.format(n=3, body="c"), "partly-met"),
    # a count, and a share over the whole setup
    (COUNT, "ex:a a jg:Agreement ; jg:party ex:x , ex:y .", "met"),
    (COUNT, "ex:a a jg:Agreement ; jg:party ex:x .", "not-met"),
    (COUNT, "ex:a a jg:Agreement .", "not-assessable"),
    (COUNT, "ex:a a jg:Agreement ; jg:party ex:x , ex:y . ex:b a jg:Agreement ; jg:party ex:x .", "partly-met"),
    (SHARE, PERIOD + "ex:f a jg:Subsidy ; jg:basis ex:d . ex:g a jg:Subsidy .", "met"),
    (SHARE, PERIOD + "ex:f a jg:Subsidy . ex:g a jg:Subsidy ; jg:noValue jg:basis .", "not-met"),
    (SHARE, PERIOD, "not-assessable"),
    # a path that must exist
    (PATH, "ex:l a jg:AccountabilityLine ; jg:accountTo ex:gm . ex:gm a jg:Municipality .", "met"),
    (PATH, "ex:l a jg:AccountabilityLine ; jg:accountTo ex:board . ex:board a jg:Team .", "not-met"),
    (PATH, "ex:l a jg:AccountabilityLine .", "not-assessable"),
    (PATH, "ex:l a jg:AccountabilityLine ; jg:accountTo ex:gm . ex:gm a jg:Municipality . "
           "ex:k a jg:AccountabilityLine ; jg:accountTo ex:board . ex:board a jg:Team .", "partly-met"),
    # a path that must not exist
    (NO_PATH, "ex:s1 a jg:Subsidy .", "met"),
    (NO_PATH, "ex:s1 a jg:Subsidy . ex:t a jg:PassThrough ; jg:passesOn ex:s1 .", "not-met"),
    (NO_PATH, "ex:s1 a jg:Subsidy . ex:t a jg:PassThrough ; jg:passesOn ex:s1 ; jg:claimedBy ex:x .", "partly-met"),
    (NO_PATH, "ex:m a jg:Municipality .", "not-assessable"),
    # a catalogue defect
    (DEFECT, COLLABORATION + "ex:a jg:hasGoal ex:g . ex:g a jg:Goal ; jg:measurable true .", "met"),
    (DEFECT, COLLABORATION + "ex:a jg:hasGoal ex:g . ex:g a jg:Goal ; jg:measurable false .", "not-met"),
    (DEFECT, COLLABORATION, "not-assessable"),  # whether it has goals is not recorded
    (DEFECT, COLLABORATION + "ex:a jg:noValue jg:hasGoal ; jg:claimedBy ex:x .", "partly-met"),
    # SPARQL
    (SPARQL, "ex:d a jg:IndividualDecision ; jg:advisedBy ex:x ; jg:decidedBy ex:y .", "met"),
    (SPARQL, "ex:d a jg:IndividualDecision ; jg:advisedBy ex:x ; jg:decidedBy ex:x .", "not-met"),
    (SPARQL, "ex:m a jg:Municipality .", "not-assessable"),
    (SPARQL, "ex:d a jg:IndividualDecision ; jg:advisedBy ex:x ; jg:decidedBy ex:y . "
             "ex:e a jg:IndividualDecision ; jg:advisedBy ex:x ; jg:decidedBy ex:x .", "partly-met"),
]


@pytest.mark.parametrize(("norm", "turtle", "expected"), CASES, ids=[f"{c[0]['pattern']}-{c[2]}-{i}"
                                                                    for i, c in enumerate(CASES)])
def test_each_pattern_scores_as_its_facts_say(norm, turtle, expected):
    assert score(norm, turtle) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("norm", "turtle", "expected"), CASES, ids=[f"{c[0]['pattern']}-{c[2]}-{i}"
                                                                    for i, c in enumerate(CASES)])
def test_pyshacl_scores_each_pattern_alike(norm, turtle, expected):
    assert score(norm, turtle, "pyshacl") == expected


def test_sparql_the_fast_engine_cannot_rewrite_is_checked_by_pyshacl_and_bad_shacl_is_refused():
    goals = "ex:a a jg:Agreement ; jg:hasGoal ex:g . ex:b a jg:Agreement . ex:g a jg:Goal ."
    nested = ("SELECT $this WHERE { { SELECT $this ?goal WHERE { ?goal a jg:Goal } } "
              "FILTER NOT EXISTS { $this jg:hasGoal ?goal } }")
    assert score(dict(SPARQL, **{"class": "jg:Agreement", "sparql": nested}), goals) == "partly-met"
    unselected = nested.replace("SELECT $this ?goal", "SELECT ?goal")  # SHACL wants $this selected
    with pytest.raises(InputError, match=r"pySHACL cannot evaluate the shapes: .*include variable `\$this`"):
        score(dict(SPARQL, **{"class": "jg:Agreement", "sparql": unselected}), goals)


def test_a_partly_met_cell_says_how_many_nodes_meet_the_norm():
    graph = Graph().parse(data=PREFIXES + GOOD_AGREEMENT + "ex:b a jg:Agreement ; jg:noValue jg:hasGoal .",
                          format="turtle")
    framework = framework_from_rows(rows_from_mappings([{"id": "N", "norm_en": "goals", **REQUIRED}]))
    cell = score_setups([Setup("t", graph, "t.ttl")], framework).score("t", "N")
    assert (cell.assessed, cell.failing) == (2, 1)
    assert cell.reason("en") == "1 of 2 meet it; 1 established"
    assert cell.reason("nl") == "1 van 2 voldoen; 1 vastgesteld"


def test_a_not_assessable_cell_lists_the_facts_to_record():
    graph = Graph().parse(data=PREFIXES + "ex:a a jg:Agreement .", format="turtle")
    framework = framework_from_rows(rows_from_mappings([{"id": "N", "norm_en": "goals", **REQUIRED}]))
    cell = score_setups([Setup("t", graph, "t.ttl")], framework).score("t", "N")
    assert cell.score == "not-assessable"
    [question] = cell.missing_facts("en")
    assert question.startswith("What norm N checks is not recorded for") and "(jg:noValue jg:hasGoal)" in question


# -- refused rows ----------------------------------------------------------------------------------

BAD = [
    {"id": "A1", "norm_nl": "x", "pattern": "verplicht-fiet", "class": "jg:Agreement", "property": "jg:hasGoal"},
    {"id": "A2", "norm_nl": "x", "pattern": "required-fact", "property": "jg:hasGoal"},
    {"id": "A3", "norm_nl": "x", "pattern": "required-fact", "class": "jg:Agreemnt", "property": "jg:hasGoal"},
    {"id": "A4", "norm_nl": "x", "pattern": "sparql", "class": "jg:Agreement", "sparql": "SELECT $this WHERE {"},
    {"id": "A1", "norm_nl": "x", "pattern": "defect", "defect": "open-budget"},
    {"id": "A6", "norm_nl": "x", "pattern": "threshold", "class": "jg:Agreement", "property": "jg:party",
     "minimum": "veel"},
    {"id": "A7", "norm_nl": "x", "pattern": "defect", "defect": "open-budgett"},
    {"id": "A8", "norm_nl": "x", "pattern": "defect", "defect": "open-budget", "role_a": "jgr:commissioner"},
    {"id": "A9", "pattern": "forbidden-roles", "role_a": "jgr:commisioner", "role_b": "jgr:contractor",
     "severity": "ernstig"},
    {"id": "B1", "norm_nl": "fine", "pattern": "defect", "defect": "dual-role"},
]


def test_a_malformed_framework_lists_every_bad_row_with_sheet_row_column_and_fix(tmp_path):
    path = tmp_path / "bad.xlsx"
    type_workbook(path, BAD)
    with pytest.raises(InputError) as refused:
        read_framework(path)
    text = str(refused.value)
    expected = [
        ("row 2, column 'patroon' (H)", "did you mean 'verplicht-feit'?"),
        ("row 3, column 'klasse' (I)", "needs this cell"),
        ("row 4, column 'klasse' (I)", "did you mean jg:Agreement?"),
        ("row 5, column 'sparql' (Q)", "not valid SPARQL"),
        ("row 6, column 'id' (A)", "already used (sheet 'normen', row 2)"),
        ("row 7, column 'minimum' (O)", "write a number (3)"),
        ("row 8, column 'gebrek' (P)", "did you mean 'open-budget'?"),
        ("row 9, column 'rol A' (M)", "does not read this cell"),
        ("row 10, column 'rol A' (M)", "did you mean jgr:commissioner?"),
        ("row 10, column 'ernst' (E)", "Violation, Warning or Info"),
        ("row 10, column 'norm (nl)' (B)", "has no text"),
    ]
    for where, fix in expected:
        line = next((line for line in text.splitlines() if f"sheet 'normen', {where}" in line), None)
        assert line is not None, f"{where} is not named in:\n{text}"
        assert fix in line and "fix:" in line, line
    assert "row 11" not in text  # the good row is no problem
    assert f"{len(expected)} problem(s)" in text


def test_a_norm_that_would_call_out_over_the_network_is_refused():
    rows = [{"id": "N1", "norm_nl": "x", "pattern": "sparql", "class": "jg:Agreement",
             "sparql": "SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ?p ?o } }"},
            {"id": "N2", "norm_nl": "x", "pattern": "required-fact", "class": "jg:Agreement", "property": "jg:party",
             "condition": "$this jg:party ?p . service <http://example.org/sparql> { ?p ?q ?r }"}]
    with pytest.raises(InputError) as refused:
        framework_from_rows(rows_from_mappings(rows))
    assert str(refused.value).count("calls another SPARQL endpoint (SERVICE)") == 2


def test_a_header_that_is_no_column_is_refused_with_the_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,norm (nl),patroon,klas\nN1,x,defect,jg:Agreement\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"column D: 'klas' is not a column .* did you mean 'klasse'"):
        read_framework(path)


def test_a_framework_in_english_headers_yaml_and_turtle_reads_alike(tmp_path, typed):
    english = tmp_path / "norms.xlsx"
    type_workbook(english, TYPED, lang="en")
    yaml_file, turtle = tmp_path / "norms.yaml", tmp_path / "norms.ttl"
    write_rows(TYPED, yaml_file)
    write_rows(TYPED, turtle)
    assert read_framework(english).norms == read_framework(typed).norms == read_framework(yaml_file).norms
    by_id = sorted(read_framework(typed).norms, key=lambda n: n.id)
    assert read_framework(turtle).norms == by_id  # a graph has no order of its own: by id


def test_a_bad_norm_in_turtle_is_named_by_its_node_and_property(tmp_path):
    path = tmp_path / "norms.ttl"
    path.write_text(PREFIXES + """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:n1 a jg:Norm ; jg:normId "N1" ; rdfs:label "x"@nl ; jg:normPattern "defect" ; jg:normDefect "dual-rol" .
        ex:n2 a jg:Norm ; jg:normId "N2" ; rdfs:label "y"@nl ; jg:normPattern "defect" ; jg:defect "dual-role" .
        """, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_framework(path)
    text = str(refused.value)
    assert "norm <https://w3id.org/jeugdgov/id/test/n1>, property jg:normDefect: 'dual-rol' is no defect" in text
    assert "norm <https://w3id.org/jeugdgov/id/test/n2>: unknown properties jg:defect" in text


def test_turtle_that_does_not_parse_is_refused_with_the_parser_s_words(tmp_path):
    path = tmp_path / "norms.ttl"
    path.write_text(PREFIXES + "ex:n1 a jg:Norm ; jg:normId .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid Turtle: .*line 9"):
        read_framework(path)


def test_explain_prints_a_norm_s_page_with_the_shape_it_compiles_to():
    framework = read_framework(EXAMPLE)
    page = norm_page(framework, "S1")
    assert "Pattern `required-fact`" in page and "- condition: `$this jg:assignsTask jgt:care-delivery .`" in page
    assert "(`jg:noValue jg:hasGoal`" in page
    assert "<urn:jeugdgov:norm-shape:S1> a sh:NodeShape" in page and "jg:readsAbsenceOf jg:hasGoal" in page
    assert "jeugdgov explain open-budget" in norm_page(framework, "G4")
    with pytest.raises(InputError, match=r"(?s)no norm 'X9'.*choose from: R1, R2"):
        norm_page(framework, "X9")


# -- the table as files ------------------------------------------------------------------------

def test_csv_xlsx_and_json_hold_one_row_per_setup_and_norm(typed, lelystad, tmp_path):
    table = score_setups(lelystad, read_framework(typed))
    rows = list(csv.DictReader(io.StringIO(as_csv(table))))
    assert len(rows) == len(LELYSTAD) * len(TYPED)
    assert {(r["setup"], r["norm"]): r["score"] for r in rows}[("lelystad-cooperatie", "G2")] == "partly-met"
    document = json.loads(as_json(table))
    assert len(document["scores"]) == len(rows)
    assert {(s["setup"], s["norm"]): s["score"] for s in document["scores"]} == \
        {(r["setup"], r["norm"]): r["score"] for r in rows}
    write_table(table, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet.max_row == len(rows) + 1


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(lelystad, tmp_path):
    rows = [{"id": "N1", "norm_nl": "=HYPERLINK(\"http://evil\")", "question": "@SUM(1)", "pattern": "defect",
             "defect": "open-budget"}]
    table = score_setups(lelystad[:1], framework_from_rows(rows_from_mappings(rows)))
    row = next(csv.DictReader(io.StringIO(as_csv(table, "nl"))))
    assert row["norm_text"] == "'=HYPERLINK(\"http://evil\")" and row["question"] == "'@SUM(1)"
    write_table(table, tmp_path / "t.xlsx", "nl")
    cells = {c.value: c.data_type for c in load_workbook(tmp_path / "t.xlsx").active[2]}
    assert cells["'=HYPERLINK(\"http://evil\")"] == "s"


def test_the_text_table_prints_the_norms_words_as_written(lelystad):
    from rich.console import Console

    from jeugdgov.norms.rendering import print_table

    rows = [{"id": "N1", "norm_nl": "[/bold] geen [red]opmaak[/red]", "question": "[vraag]", "pattern": "defect",
             "defect": "open-budget"}]
    table = score_setups(lelystad[:1], framework_from_rows(rows_from_mappings(rows)))
    console = Console(record=True, width=200)
    print_table(table, "nl", console)
    text = console.export_text()
    assert "N1 [/bold] geen [red]opmaak[/red]" in text and "[vraag]" in text and "niet voldaan" in text


def test_comparing_phases_compares_scores(typed, lelystad):
    table = score_setups(lelystad, read_framework(typed))
    changes = {c.norm: (c.before, c.after, c.change) for c in compare_scores(table, *LELYSTAD[:2])}
    assert changes["R1"] == ("not-met", "met", "better")
    assert changes["G3"] == ("met", "not-met", "worse")
    assert changes["G2"] == ("met", "partly-met", "worse")
    assert changes["S2"] == ("not-met", "not-assessable", "not-assessable")
    assert changes["S1"] == ("not-met", "not-met", "same")


def test_the_report_flags_each_norm_whose_score_changed_between_phases(typed, lelystad):
    from jeugdgov.dossier.html import render

    page = render([validate(s) for s in lelystad], "nl", norms=score_setups(lelystad, read_framework(typed)))
    tables = page.split('<table class="norm-changes">')[1:]
    assert len(tables) == 2  # network -> cooperative -> JEL BV
    first = dict((norm, change) for change, norm in re.findall(r'<tr class="([\w-]+)" data-norm="(\w+)">',
                                                              tables[0].split("</table>")[0]))
    assert first["R1"] == "better" and first["G3"] == "worse" and first["S2"] == "not-assessable"
    assert "S1" not in first  # the same score is no change
    assert "slechter" in tables[0] and "beter" in tables[0]


# -- the command -------------------------------------------------------------------------------


@pytest.mark.slow
def test_validate_with_norms_prints_the_table_writes_csv_and_exits_1(typed, tmp_path):
    out = tmp_path / "scores.csv"
    result = jeugdgov("validate", DATA / "lelystad.trig", "--norms", typed, "--norm-table", out,
                      "--lang", "en", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert {(s["setup"], s["norm"]): s["score"] for s in document["norm_table"]["scores"]} == \
        {(s, n): EXPECTED[n][LELYSTAD.index(s)] for s in LELYSTAD for n in EXPECTED}
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 24


@pytest.mark.slow
def test_a_malformed_framework_exits_2_before_any_validation(tmp_path):
    path = tmp_path / "bad.xlsx"
    type_workbook(path, BAD)
    result = jeugdgov("validate", DATA / "lelystad.trig", "--norms", path,
                      "--norm-table", tmp_path / "scores.csv")
    assert result.returncode == 2
    assert "11 problemen" in result.stderr and "Traceback" not in result.stderr  # Dutch by default
    assert not (tmp_path / "scores.csv").exists()
    served = jeugdgov("serve", DATA / "lelystad.trig", "--norms", EXAMPLE, "--port", "0")
    assert served.returncode == 2 and "voeg --validate toe" in served.stderr  # Dutch by default


@pytest.mark.slow
def test_template_norms_and_compare_norms(tmp_path):
    out = tmp_path / "normenkader.xlsx"
    assert jeugdgov("template", "--norms", "--out", out).returncode == 0
    assert len(read_framework(out).norms) == len(catalogue_rows())
    result = jeugdgov("compare", "lelystad-netwerk", "lelystad-cooperatie", "--data",
                 DATA / "lelystad.trig", "--norms", EXAMPLE, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = {r["norm"]: r["change"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["R1"] == "better" and rows["G3"] == "worse"


def test_serve_validate_stores_the_norm_table_for_the_named_query(typed, tmp_path):
    from pyoxigraph import Store

    from jeugdgov.server.endpoint import findings_notes, store_validation_reports
    from jeugdgov.sparql.library import library
    from jeugdgov.sparql.library import run as run_query
    from jeugdgov.stores.embedded import load_into

    _count, opened = load_into(tmp_path / "store", [DATA / "lelystad.trig"])
    del opened
    assert "no norm table is stored" in findings_notes(tmp_path / "store", library())["norm-table"]
    assert "geen normtabel" in findings_notes(tmp_path / "store", library(), "nl")["norm-table"]
    assert store_validation_reports(tmp_path / "store", read_framework(typed)) == 3
    assert "norm-table" not in findings_notes(tmp_path / "store", library())
    query = library()["norm-table"]
    store = Store.read_only(str(tmp_path / "store"))
    found = {(s["setup"].value, s["norm"].value): s["score"].value
             for s in run_query(store, query.text, query.bind({"lang": "en"}))}
    assert found == {(s, n): EXPECTED[n][LELYSTAD.index(s)] for s in LELYSTAD for n in EXPECTED}


# -- the report ------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_report_opens_with_the_norm_table_and_each_cell_reaches_its_findings(typed, lelystad, tmp_path):
    from browser import chromium, chromium_command

    from jeugdgov.dossier.html import write

    assert chromium_command(), "Chromium is not installed: `apt-get install -y chromium` (scripts/setup installs it)"
    reports = [validate(s) for s in lelystad]
    out = write(reports, tmp_path / "rapport.html", lang="en", norms=score_setups(lelystad, read_framework(typed)))
    with chromium(1200, 1600) as tab:
        tab.open(out.resolve().as_uri())
        first = tab.evaluate("document.querySelector('main > section').id")
        cells = tab.evaluate("""JSON.stringify([...document.querySelectorAll('td.score')].map(td => {
            const target = document.getElementById(td.querySelector('a').getAttribute('href').slice(1));
            return [td.dataset.setup, td.closest('tr').dataset.norm, td.className.split(' ')[1],
                    target ? target.className : null, target ? target.querySelectorAll('li').length : 0];
        }))""")
        assert tab.errors == []
        assert tab.requests == [out.resolve().as_uri()]
    assert first == "norms"
    found = json.loads(cells)
    assert {(s, n): score for s, n, score, _target, _items in found} == \
        {(s, n): EXPECTED[n][LELYSTAD.index(s)] for s in LELYSTAD for n in EXPECTED}
    for setup, norm, score_, target, items in found:
        assert target == f"norm-cell {score_}", (setup, norm)
        if score_ == "met":
            assert items == 0, (setup, norm)
        elif score_ != "not-assessable":  # a cell about nothing lists nothing
            assert items > 0, (setup, norm)


def write_example_workbook() -> None:
    """Write examples/normenkader.xlsx from examples/normenkader.yaml."""
    import yaml

    write_rows(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["norms"], EXAMPLE_WORKBOOK)


if __name__ == "__main__":
    write_example_workbook()
