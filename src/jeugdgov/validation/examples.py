"""The example graphs of the catalogue, read from ``shapes/examples/NAME/``.

Each folder holds a minimal ``conforming.ttl`` and ``violating.ttl`` (and, where the rule has a
lawful look-alike, ``lookalike.ttl``: the case the rule must leave alone). NAME is a defect id,
or, for a shape that shares its defect id with others, the shape's local name. Each pair differs
in the one fact the shape is about, so a test over the pair shows the shape fires for that reason
and for no other; a violating graph states what it lacks (a false flag, ``jg:noValue``), so its
finding is established. The tests check every graph, and the rule pages (``jeugdgov explain``)
print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jeugdgov.resources import project_root
from jeugdgov.validation.catalogue import defect_ids

#: The prefixes every example declares; the rule pages print them once.
PREFIXES = """
@prefix jg:   <https://w3id.org/jeugdgov/def#> .
@prefix jgr:  <https://w3id.org/jeugdgov/role/> .
@prefix jgt:  <https://w3id.org/jeugdgov/task/> .
@prefix ex:   <https://w3id.org/jeugdgov/id/example/> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


@dataclass(frozen=True)
class Example:
    """The Turtle of one rule's examples, prefixes included."""

    conforming: str
    violating: str
    lookalike: str | None = None


def examples_dir() -> Path:
    return project_root() / "shapes" / "examples"


@cache
def examples() -> dict[str, Example]:
    """Every folder of examples, by name (a defect id or a shape's local name)."""
    found = {}
    for folder in sorted(p for p in examples_dir().iterdir() if p.is_dir()):
        lookalike = folder / "lookalike.ttl"
        found[folder.name] = Example(
            conforming=(folder / "conforming.ttl").read_text(encoding="utf-8"),
            violating=(folder / "violating.ttl").read_text(encoding="utf-8"),
            lookalike=lookalike.read_text(encoding="utf-8") if lookalike.exists() else None)
    return found


def cases() -> dict[str, tuple[str, str]]:
    """defect id -> (conforming graph, violating graph)."""
    ids = set(defect_ids())
    return {name: (e.conforming, e.violating) for name, e in examples().items() if name in ids}


def shape_cases() -> dict[str, tuple[str, str]]:
    """shape local name -> (conforming graph, violating graph), for shapes that share a defect id
    with others and so need a pair of their own."""
    ids = set(defect_ids())
    return {name: (e.conforming, e.violating) for name, e in examples().items() if name not in ids}


def lookalikes() -> dict[str, str]:
    """defect id -> a lawful graph the shape must leave alone, beside the conforming twin."""
    return {name: e.lookalike for name, e in examples().items() if e.lookalike is not None}


def without_prefixes(turtle: str) -> str:
    """The statements of an example, its ``@prefix`` lines left out."""
    return "\n".join(line for line in turtle.strip().splitlines()
                     if not line.startswith("@prefix")).strip() + "\n"
