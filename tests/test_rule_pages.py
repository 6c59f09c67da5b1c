"""The rule pages: ``jeugdgov explain ID`` for every catalogue id. docs/defects/ID.md is the same
text, written by ``python -m jeugdgov.validation.generate`` (tests/test_docs.py checks it is
current)."""

from __future__ import annotations

import pytest
from helpers import ROOT, jeugdgov

from jeugdgov.validation import defect_ids
from jeugdgov.validation.examples import cases, without_prefixes
from jeugdgov.validation.rule_pages import rule_page, rule_pages

CASES = cases()
PAGES = ROOT / "docs" / "defects"


def test_every_catalogue_id_has_a_page_in_both_languages():
    assert {p.stem for p in PAGES.glob("*.md")} == set(defect_ids()) == set(rule_pages())
    assert {p.stem for p in (PAGES / "nl").glob("*.md")} == set(defect_ids()) == set(rule_pages("nl"))


def test_a_page_names_the_workbook_column_beside_each_term_it_reads():
    dutch, english = rule_page("inactive-body", "nl"), rule_page("inactive-body", "en")
    assert "## Wat de regel leest" in dutch and "## What it reads" not in dutch
    assert "| `jg:meetingOf` | actoren: vergaderd; vergaderingen: vergadering van |" in dutch
    assert "| `jg:meetingOf` | actors: met; meetings: meeting of |" in english
    assert "| `jg:requiredMeetingsPerYear` | actoren: vergaderingen per jaar (vereist) |" in dutch
    # A class is stated by a row of one of its subclasses; a term no column holds on the sheet of other facts.
    assert "| `jg:Actor` | actoren: soort, rechtsvorm |" in rule_page("dangling-reference", "nl")
    assert "| `jg:costMin` | *overige feiten* |" in rule_page("wrong-datatype", "nl")


@pytest.mark.parametrize("defect", sorted(CASES))
def test_a_defect_page_shows_its_example_pair_and_basis(defect):
    page = rule_page(defect)
    for graph in CASES[defect]:
        assert without_prefixes(graph).strip() in page
    for heading in ("## What it does", "## What it reads", "## Established, to verify or alleged",
                    "## Why it matters: the basis", "## Example", "## Use instead"):
        assert heading in page


def test_law_articles_link_to_wetten_overheid_nl():
    page = rule_page("external-mandate-without-consent")
    # The link carries the date of the version cited (Juriconnect &g=), and the page the period.
    assert "(https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=10:4&g=1994-01-01)" in page
    assert "## When it applies" in page and "from 1994-01-01" in page
    assert "**unrecorded**" in page and "jg:consentGiven false" in page


def test_explain_prints_the_page_and_refuses_an_unknown_id():
    shown = jeugdgov("explain", "open-budget")
    assert shown.returncode == 0 and shown.stdout == rule_page("open-budget", "nl")  # Dutch by default
    unknown = jeugdgov("explain", "open-budgets", "--lang", "en")
    assert unknown.returncode == 2 and "unknown defect id" in unknown.stderr and "Traceback" not in unknown.stderr


def test_a_page_keeps_the_basis_apart_from_where_the_norm_was_seen():
    page = rule_page("subsidy-passed-on")
    basis, seen = page.split("## Why it matters: the basis", 1)[1].split("## When it applies", 1)[0].split(
        "Seen applied in", 1)
    assert "artikel=4:41" in basis and "Lelystad" not in basis
    assert "Lelystad 2.2.1" in seen


def test_every_catalogue_id_explains():
    assert all(rule_page(d).startswith(f"# `{d}`") for d in defect_ids())
