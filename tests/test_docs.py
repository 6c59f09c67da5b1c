"""The documentation stays true: what the catalogue generates (rule pages, the README's
catalogue table, counts) is current, and every relative link in README.md and docs/ leads to a
file that exists. After changing a defect's concept, shape or examples:

    .venv/bin/python -m jeugdgov.validation.generate
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT
from rdflib import SKOS

from jeugdgov.resources import JG, ontology, shapes
from jeugdgov.validation import generate
from jeugdgov.validation.generate import catalogue_table, governance_defects, short_source, stale, with_counts

README = ROOT / "README.md"
README_MAX_LINES = 200


def test_everything_generated_from_the_catalogue_is_current():
    assert stale(ROOT) == [], "run .venv/bin/python -m jeugdgov.validation.generate"
    assert generate.main(["--check", "--root", str(ROOT)]) == 0


@pytest.mark.slow  # writes every generated page, the ontology's pyLODE pages included
def test_check_names_a_stale_file_and_write_mends_it(tmp_path: Path, capsys):
    (tmp_path / "docs" / "defects").mkdir(parents=True)
    readme = "# x\n<!-- groups:start -->\nold\n<!-- groups:end -->\n<!-- count:governance -->1<!-- /count -->\n"
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    (tmp_path / "docs" / "defects" / "gone.md").write_text("a rule that no longer exists", encoding="utf-8")
    assert generate.main(["--check", "--root", str(tmp_path)]) == 1
    assert "stale: README.md" in capsys.readouterr().err
    assert generate.main(["--root", str(tmp_path)]) == 0
    assert stale(tmp_path) == []
    assert not (tmp_path / "docs" / "defects" / "gone.md").exists()
    assert (tmp_path / "docs" / "defects" / "open-budget.md").exists()
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "[`open-budget`](docs/defects/open-budget.md)" in text and "old" not in text


def test_check_outside_a_checkout_is_refused(tmp_path: Path, capsys):
    assert generate.main(["--check", "--root", str(tmp_path)]) == 2
    assert "not a checkout" in capsys.readouterr().err


def test_counts_are_the_catalogue_s():
    governance = len({c for c in shapes().objects(None, JG.detects)
                      if not any(str(ontology().value(g, SKOS.notation)) == "data-quality"
                                 for g in ontology().objects(c, SKOS.broader))})
    assert with_counts("<!-- count:governance -->0<!-- /count -->") == (
        f"<!-- count:governance -->{governance}<!-- /count -->")


def test_catalogue_lists_every_governance_defect_with_its_basis():
    table = catalogue_table()
    assert {row.split("`")[1] for row in table.splitlines()[2:]} == set(governance_defects())
    assert "| [`subsidy-passed-on`](docs/defects/subsidy-passed-on.md) | money | Violation |" in table
    assert "| General Administrative Law Act art. 4:41 | Lelystad 2.2.1, 2.2.6 | 1998-01-01 |" in table


def test_basis_groups_the_parts_of_one_work():
    assert short_source("Lelystad 2.1.3 Roles and working arrangements (network)") == ("Lelystad", "2.1.3")
    assert short_source("Social Support Act 2015 art. 4.1.1 (Veilig Thuis; para. 4: contact point)") == (
        "Social Support Act 2015 art.", "4.1.1")
    assert short_source("Letter of the executive") == ("Letter of the executive", "")


def documents() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks" / "README.md"]


def relative_links(text: str) -> list[str]:
    """Targets of Markdown links and images outside code, without web addresses or anchors."""
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    targets = re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose)
    targets += re.findall(r"^\[[^\]]+\]:\s*(\S+)", prose, flags=re.MULTILINE)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens."""
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", prose, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_every_relative_link_points_to_an_existing_file_and_heading():
    broken = {}
    for document in documents():
        text = document.read_text(encoding="utf-8")
        for target in relative_links(text) + [f"#{a}" for a in re.findall(r"\]\(#([^)]+)\)", text)]:
            path, _, anchor = target.partition("#")
            file = document.parent / path if path else document
            if not file.exists() or (anchor and file.suffix == ".md"
                                     and anchor not in anchors(file.read_text(encoding="utf-8"))):
                broken.setdefault(document.relative_to(ROOT).as_posix(), []).append(target)
    assert not broken, f"links to missing files or headings: {broken}"


def test_link_check_sees_links_and_ignores_code_and_web_addresses():
    text = "[a](docs/a.md#x) ![b](b.png) [c](https://x.org) [d](#top) `[e](e.md)`\n```\n[f](f.md)\n```\n[g]: g.md\n"
    assert relative_links(text) == ["docs/a.md#x", "b.png", "g.md"]
    assert anchors("# The fast engine\n## Parity with pySHACL\n```\n# not a heading\n```\n") == {
        "the-fast-engine", "parity-with-pyshacl"}


def test_every_doc_is_linked_from_the_readme():
    linked = {(ROOT / t.split("#", 1)[0]).resolve() for t in relative_links(README.read_text(encoding="utf-8"))}
    assert set(documents()[1:]) <= linked


def test_readme_stays_a_front_door():
    assert len(README.read_text(encoding="utf-8").splitlines()) < README_MAX_LINES


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme.split("## On a fresh machine", 1)[1], re.S)
    test_command = next(c for c in commands if "pytest" in c)
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines, f".ci/run must call the README's test command {test_command}"
