"""The rule pages: ``jeugdgov explain ID`` for every catalogue id, and docs/defects/ID.md the
same text, kept current. Regenerate the pages after changing a shape, its concept or its example:

    .venv/bin/python tests/test_rule_pages.py --update
"""

from __future__ import annotations

import sys

import pytest
from helpers import ROOT, jeugdgov

from jeugdgov.validation import defect_ids
from jeugdgov.validation.examples import CASES
from jeugdgov.validation.rule_pages import rule_page, rule_pages

PAGES = ROOT / "docs" / "defects"


def test_every_catalogue_id_has_a_current_page():
    expected = rule_pages()
    found = {p.stem: p.read_text(encoding="utf-8") for p in PAGES.glob("*.md")}
    stale = sorted(d for d in expected if found.get(d) != expected[d])
    extra = sorted(set(found) - set(expected))
    assert not stale and not extra, (
        f"rule pages out of date {stale} or without a rule {extra}: "
        "run .venv/bin/python tests/test_rule_pages.py --update")


@pytest.mark.parametrize("defect", sorted(CASES))
def test_a_defect_page_shows_its_example_pair_and_basis(defect):
    page = rule_page(defect)
    conforming, violating = CASES[defect]
    for graph in (conforming, violating):
        first = next(line.strip() for line in graph.strip().splitlines() if line.strip())
        assert first in page
    for heading in ("## What it does", "## What it reads", "## Established, to verify or alleged",
                    "## Why it matters: the basis", "## Example", "## Use instead"):
        assert heading in page


def test_law_articles_link_to_wetten_overheid_nl():
    page = rule_page("external-mandate-without-consent")
    assert "(https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=10:4)" in page
    assert "**unrecorded**" in page and "jg:consentGiven false" in page


def test_explain_prints_the_page_and_refuses_an_unknown_id():
    shown = jeugdgov("explain", "open-budget")
    assert shown.returncode == 0 and shown.stdout == rule_page("open-budget")
    unknown = jeugdgov("explain", "open-budgets")
    assert unknown.returncode == 2 and "unknown defect id" in unknown.stderr and "Traceback" not in unknown.stderr


def test_every_catalogue_id_explains():
    assert all(rule_page(d).startswith(f"# `{d}`") for d in defect_ids())


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        PAGES.mkdir(parents=True, exist_ok=True)
        for stale in PAGES.glob("*.md"):
            stale.unlink()
        for defect, page in rule_pages().items():
            (PAGES / f"{defect}.md").write_text(page, encoding="utf-8")
    else:
        print(rule_page(sys.argv[1]))
