"""Writes everything that follows from the catalogue, so that a defect is written in one place.

A defect is its concept (``ontology/taxonomies.ttl``), its shape (``shapes/*.ttl``) and its
examples (``shapes/examples/ID/``). From those this command writes the rule pages
(``docs/defects/ID.md``, in Dutch ``docs/defects/nl/ID.md``), the catalogue tables
(``<!-- NAME:start -->`` blocks, NAME one of :data:`BLOCKS`: the groups in ``README.md``, the
full table in ``docs/catalogue.md``) and the
counts in the docs (``<!-- count:KEY -->N<!-- /count -->``, KEY one of :data:`COUNTS`), and the
published ontology (``docs/ontology/``, ``docs/w3id/``: :mod:`jeugdgov.publishing`)::

    python -m jeugdgov.validation.generate          # write
    python -m jeugdgov.validation.generate --check  # exit 1 and name the stale files

The tests run ``--check``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from rdflib import RDFS, SH, SKOS, Literal, Node

from jeugdgov.publishing import ontology_pages
from jeugdgov.resources import JG, ontology, project_root, shapes
from jeugdgov.validation.catalogue import defects, in_group
from jeugdgov.validation.law_in_time import period
from jeugdgov.validation.rule_pages import rule_pages

#: Generated blocks: ``<!-- NAME:start -->`` ... ``<!-- NAME:end -->``, by name (see BLOCKS below).
BLOCK = re.compile(r"(<!-- ([\w-]+):start -->).*?(<!-- \2:end -->)", re.DOTALL)
COUNT = re.compile(r"(<!-- count:([\w-]+) -->)\d+(<!-- /count -->)")
#: What a count marker can count.
COUNTS: dict[str, Callable[[], int]] = {
    "governance": lambda: len(governance_defects()),
    "data-quality": lambda: len(defects()) - len(governance_defects()),
    "defects": lambda: len(defects()),
    "groups": lambda: len({_group(d) for d in governance_defects()}),
}
DOCS = ("README.md", "docs/*.md")


def governance_defects() -> list[str]:
    return [d for d in defects() if not in_group(d, "data-quality")]


def _concept(defect: str) -> Node:
    return next(ontology().subjects(SKOS.notation, Literal(defect)))


def _group(defect: str) -> str:
    return str(ontology().value(ontology().value(_concept(defect), SKOS.broader), SKOS.notation))


def english(node: Node, predicate: Node) -> str | None:
    for value in ontology().objects(node, predicate):
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
        label = english(source, RDFS.label)
        if not label:
            raise ValueError(f"the basis {source} has no English rdfs:label in ontology/sources.ttl")
        work, part = short_source(label)
        parts.setdefault(work, []).append(part)
    return "; ".join(f"{work} {', '.join(sorted(p, key=natural))}".strip()
                     for work, p in sorted(parts.items(), key=lambda item: natural(item[0])))


def catalogue_table() -> str:
    """The Markdown table of the governance defects, by group and id, each id linking its rule page."""
    graph = shapes()
    rows = []
    for defect in governance_defects():
        concept = _concept(defect)
        detecting = list(graph.subjects(JG.detects, concept))
        severities = sorted({str(graph.value(s, SH.severity)).rsplit("#", 1)[-1] for s in detecting})
        sources = {b for s in detecting for b in graph.objects(s, RDFS.seeAlso)}
        seen = {b for s in detecting for b in graph.objects(s, JG.seenIn)}
        starts = sorted({str(period(graph, s).start or "") for s in detecting})
        rows.append((_group(defect), defect, "/".join(severities), english(concept, SKOS.prefLabel) or "",
                     basis_text(sources), basis_text(seen), "/".join(starts)))
    lines = ["| id | group | severity | defect | basis | seen in | in force from |", "|---|---|---|---|---|---|---|"]
    lines += [f"| [`{defect}`](docs/defects/{defect}.md) | {group} | {severity} | {name} | {basis} | {seen} | {since} |"
              for group, defect, severity, name, basis, seen, since in sorted(rows)]
    return "\n".join(lines)


def groups_table() -> str:
    """The catalogue in short: each group with its defects, each linking its rule page."""
    groups: dict[str, list[str]] = {}
    for defect in governance_defects():
        groups.setdefault(_group(defect), []).append(f"[`{defect}`](docs/defects/{defect}.md)")
    lines = ["| group | defects |", "|---|---|"]
    lines += [f"| [`{g}`](docs/defects/{g}.md) | {', '.join(ids)} |" for g, ids in sorted(groups.items())]
    return "\n".join(lines)


def catalogue_page_table() -> str:
    """The full table as docs/catalogue.md shows it (links relative to docs/)."""
    return catalogue_table().replace("](docs/defects/", "](defects/")


#: What each generated block holds.
BLOCKS: dict[str, Callable[[], str]] = {"catalogue": catalogue_page_table, "groups": groups_table}


def with_blocks(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        if match.group(2) not in BLOCKS:
            raise ValueError(f"unknown generated block '{match.group(2)}': use one of {', '.join(BLOCKS)}")
        return f"{match.group(1)}\n{BLOCKS[match.group(2)]()}\n{match.group(3)}"
    return BLOCK.sub(block, text)


def with_counts(text: str) -> str:
    def count(match: re.Match[str]) -> str:
        if match.group(2) not in COUNTS:
            raise ValueError(f"unknown count marker {match.group(1)}: use one of {', '.join(COUNTS)}")
        return f"{match.group(1)}{COUNTS[match.group(2)]()}{match.group(3)}"
    return COUNT.sub(count, text)


def generated(root: Path) -> dict[Path, str | None]:
    """Every generated file under a checkout and its text; None for a rule page to remove."""
    pages = root / "docs" / "defects"
    files: dict[Path, str | None] = {page: None for page in [*pages.glob("*.md"), *pages.glob("nl/*.md")]}
    files.update({pages / f"{defect}.md": page for defect, page in rule_pages("en").items()})
    files.update({pages / "nl" / f"{defect}.md": page for defect, page in rule_pages("nl").items()})
    files.update({root / path: text for path, text in ontology_pages().items()})
    for pattern in DOCS:
        for document in sorted(root.glob(pattern)):
            files[document] = with_blocks(with_counts(document.read_text(encoding="utf-8")))
    return files


def stale(root: Path, files: dict[Path, str | None] | None = None) -> list[Path]:
    """The generated files that differ from what the catalogue makes of them."""
    files = generated(root) if files is None else files
    return sorted(path for path, text in files.items()
                  if (text is None) != (not path.exists())
                  or (text is not None and path.read_text(encoding="utf-8") != text))


def write(root: Path) -> list[Path]:
    files = generated(root)
    changed = stale(root, files)
    for path in changed:
        text = files[path]
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jeugdgov.validation.generate",
                                     description="Write the rule pages, README catalogue, counts in the docs and the "
                                                 "ontology's published pages.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    parser.add_argument("--root", type=Path, default=None, help="the checkout (default: the one jeugdgov runs from)")
    args = parser.parse_args(argv)
    root = args.root or project_root()
    if not (root / "README.md").exists():
        print(f"error: {root} is not a checkout of jeugdgov (no README.md)", file=sys.stderr)
        print("hint: run it in a git checkout, or pass --root PATH", file=sys.stderr)
        return 2
    try:
        files = generated(root)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.check:
        found = stale(root, files)
        for path in found:
            print(f"stale: {path.relative_to(root)}", file=sys.stderr)
        if found:
            print("run: python -m jeugdgov.validation.generate", file=sys.stderr)
        return 1 if found else 0
    for path in write(root):
        print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
