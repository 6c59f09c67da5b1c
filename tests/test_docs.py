"""The documentation stays true: the README's defect catalogue is the one the shapes define, and
every relative link in README.md and docs/ leads to a file that exists.

Regenerate the catalogue table after changing a shape or its defect concept:

    .venv/bin/python tests/test_docs.py --update
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from helpers import ROOT
from rdflib import RDFS, SH, SKOS, Graph, Literal, Node

from jeugdgov.resources import JG, ontology

README = ROOT / "README.md"
DEFECT_SHAPES = ROOT / "shapes" / "defects.ttl"
START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"
README_MAX_LINES = 200


def english(graph: Graph, node: Node, *predicates: Node) -> str | None:
    for predicate in predicates:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal) and value.language == "en":
                return str(value)
    return None


def short_source(label: str) -> tuple[str, str]:
    """(work, part) of a source's label: "Lelystad 2.1.3 Roles and ... (network)" is
    ("Lelystad", "2.1.3"), "Youth Act art. 2.3 (the executive ...)" is ("Youth Act art.", "2.3").
    A label without a numbered part (a letter) is the work itself, with no part."""
    words = label.split(" (", 1)[0].split()
    while words and not any(c.isdigit() for c in words[-1]):
        words.pop()
    if not words:
        return label, ""
    return " ".join(words[:-1]), words[-1]


def natural(text: str) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def basis_text(sources: set[Node]) -> str:
    """The basis of a defect, parts of one work together: "Lelystad 2.1.3, 3.1.2; Awb art. 4:41"."""
    parts: dict[str, list[str]] = {}
    for source in sources:
        label = english(ontology(), source, RDFS.label)
        assert label, f"the basis {source} has no English rdfs:label in ontology/sources.ttl"
        work, part = short_source(label)
        parts.setdefault(work, []).append(part)
    return "; ".join(f"{work} {', '.join(sorted(p, key=natural))}".strip()
                     for work, p in sorted(parts.items(), key=lambda item: natural(item[0])))


def catalogue_table() -> str:
    """The Markdown table of the governance defects in shapes/defects.ttl, by group and id, each
    id linking its rule page (docs/defects/ID.md, see tests/test_rule_pages.py)."""
    shapes_graph = Graph().parse(DEFECT_SHAPES, format="turtle")
    vocabulary = ontology()
    shapes_of: dict[Node, list[Node]] = {}
    for shape, concept in shapes_graph.subject_objects(JG.detects):
        shapes_of.setdefault(concept, []).append(shape)
    rows = []
    for concept, shapes in shapes_of.items():
        defect = vocabulary.value(concept, SKOS.notation)
        group = vocabulary.value(vocabulary.value(concept, SKOS.broader), SKOS.notation)
        assert defect and group, f"{concept} has no notation or broader group in ontology/taxonomies.ttl"
        severities = sorted({str(shapes_graph.value(s, SH.severity)).rsplit("#", 1)[-1] for s in shapes})
        sources = {b for s in shapes for b in shapes_graph.objects(s, RDFS.seeAlso)}
        rows.append((str(group), str(defect), "/".join(severities),
                     english(vocabulary, concept, SKOS.prefLabel) or "", basis_text(sources)))
    lines = ["| id | group | severity | defect | basis |", "|---|---|---|---|---|"]
    lines += [f"| [`{defect}`](docs/defects/{defect}.md) | {group} | {severity} | {name} | {basis} |"
              for group, defect, severity, name, basis in sorted(rows)]
    return "\n".join(lines)


def readme_table(text: str) -> str:
    assert START in text and END in text, f"README.md lacks the markers {START} and {END}"
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def with_table(text: str, table: str) -> str:
    before, rest = text.split(START, 1)
    return f"{before}{START}\n{table}\n{END}{rest.split(END, 1)[1]}"


def test_readme_catalogue_is_the_one_the_shapes_define():
    assert readme_table(README.read_text(encoding="utf-8")) == catalogue_table(), (
        "the catalogue in README.md is out of date: run .venv/bin/python tests/test_docs.py --update")


def test_catalogue_lists_every_governance_defect_with_its_basis():
    table = catalogue_table()
    detected = {str(ontology().value(c, SKOS.notation))
                for c in Graph().parse(DEFECT_SHAPES, format="turtle").objects(None, JG.detects)}
    assert {row.split("`")[1] for row in table.splitlines()[2:]} == detected
    assert "| [`subsidy-passed-on`](docs/defects/subsidy-passed-on.md) | money | Violation |" in table
    assert "General Administrative Law Act art. 4:41; Lelystad 2.2.1, 2.2.6 |" in table


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


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        README.write_text(with_table(README.read_text(encoding="utf-8"), catalogue_table()), encoding="utf-8")
    else:
        print(catalogue_table())

