"""Scoring a framework's norms per setup: met, partly met, not met or not assessable.

A norm's findings come from its compiled shape (:mod:`jeugdgov.norms.patterns`), evaluated by
the engine chosen, or for a ``defect`` norm from the catalogue's shapes for that defect. Each
finding keeps its evidence status, so a score says what it rests on:

- **not met**: established findings, and (for a norm on each node of a class) no node meets it;
- **partly met**: established findings on some nodes while others meet the norm; or only
  findings that rest on a party's claim (alleged);
- **not assessable**: no established or alleged finding, but a fact the norm needs is not
  recorded (unrecorded findings: the missing facts are listed); or the setup holds no node the
  norm is about;
- **met**: no finding at all, on at least one node the norm is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pyoxigraph as ox
from rdflib import Graph

from jeugdgov.errors import InputError
from jeugdgov.norms.framework import Framework, Norm, short_name
from jeugdgov.norms.patterns import PER_NODE, compile_framework, population
from jeugdgov.setups import Setup, load
from jeugdgov.validation import validate
from jeugdgov.validation.evidence import ALLEGED, ESTABLISHED, UNRECORDED
from jeugdgov.validation.fast.local_store import store_for
from jeugdgov.validation.findings import Finding, Report
from jeugdgov.validation.own_shapes import shapes_findings
from jeugdgov.validation.reference_date import default_as_of
from jeugdgov.words import evidence_word

MET, PARTLY, NOT_MET, NOT_ASSESSABLE = "met", "partly-met", "not-met", "not-assessable"
#: The scores, best first.
SCORES = (MET, PARTLY, NOT_MET, NOT_ASSESSABLE)
SCORE_LABELS = {
    MET: {"nl": "voldaan", "en": "met"},
    PARTLY: {"nl": "deels voldaan", "en": "partly met"},
    NOT_MET: {"nl": "niet voldaan", "en": "not met"},
    NOT_ASSESSABLE: {"nl": "niet te beoordelen", "en": "not assessable"},
}


@dataclass(frozen=True)
class Score:
    """One cell of the norm table: a setup scored on a norm, and why."""

    setup: str
    norm: Norm
    score: str
    findings: tuple[Finding, ...] = field(hash=False, compare=False)
    #: The nodes the norm is about (for a norm on each node of a class), else None.
    assessed: int | None = None
    #: Of those, the nodes with an established finding.
    failing: int = 0

    def reason(self, lang: str = "en") -> str:
        """Why the cell holds its score, in a sentence."""
        counts = {e: sum(1 for f in self.findings if f.evidence == e) for e in (ESTABLISHED, UNRECORDED, ALLEGED)}
        nl = lang == "nl"
        if self.score == NOT_ASSESSABLE and not self.findings:
            about = short_name(self.norm.klass) if self.norm.klass else ("rol" if nl else "role")
            return f"de inrichting kent geen {about} waarover de norm gaat" if nl \
                else f"the setup holds no {about} the norm is about"
        parts = []
        if self.assessed is not None:
            meeting = self.assessed - len({f.focus for f in self.findings})
            parts.append(f"{meeting} van {self.assessed} voldoen" if nl else f"{meeting} of {self.assessed} meet it")
        parts += [f"{n} {evidence_word(e, lang)}" for e, n in counts.items() if n]
        if self.norm.pattern == "defect" and not self.findings:
            parts.append(f"geen bevinding '{self.norm.defect}'" if nl else f"no '{self.norm.defect}' finding")
        return "; ".join(parts) or ("geen bevinding" if nl else "no finding")

    def missing_facts(self, lang: str = "en") -> list[str]:
        """What to record before the norm can be assessed: the questions of unrecorded findings."""
        return [f.message(lang) for f in self.findings if f.evidence == UNRECORDED]


@dataclass
class NormTable:
    """The scorecard: a score per setup and norm."""

    framework: Framework
    #: (name, labels by language) of each setup, in the order scored.
    setups: list[tuple[str, dict[str, str]]]
    scores: dict[tuple[str, str], Score]

    def score(self, setup: str, norm: str) -> Score:
        return self.scores[(setup, norm)]

    def setup_label(self, name: str, lang: str = "en") -> str:
        labels = dict(self.setups).get(name, {})
        return labels.get(lang) or labels.get("") or next(iter(labels.values()), name)


def score_setups(setups: Sequence[Setup], framework: Framework, engine: str = "fast",
                 as_of: date | None = None) -> NormTable:
    """Score every setup on every norm of the framework, with the engine chosen ("fast" or
    "pyshacl"), on the reference date ``as_of`` (by default each setup's own, as validate's)."""
    shapes = compile_framework(framework)
    defects = sorted({n.defect for n in framework.norms if n.defect})
    scores: dict[tuple[str, str], Score] = {}
    for setup in setups:
        day = as_of or default_as_of(setup.graph, setup.node)
        found = norm_findings(setup, shapes, engine, day)
        if defects:
            found += validate(setup, defects, engine=engine, as_of=day).findings
        counts = _populations(setup.graph, framework)
        for norm in framework.norms:
            key = norm.defect if norm.pattern == "defect" else norm.id
            mine = tuple(f for f in found if f.defect == key)
            scores[(setup.name, norm.id)] = _score(setup.name, norm, mine, counts.get(norm.id))
    return NormTable(framework, [(s.name, dict(s.labels)) for s in setups], scores)


def score_reports(reports: Sequence[Report], framework: Framework, engine: str = "fast",
                  order: Callable[[list[Report]], list[Report]] | None = None) -> NormTable:
    """Score the setups of validation reports, on each report's reference date, in the order
    ``order`` puts the reports in (e.g. the phases of a case by period). A setup validated in a
    worker process carries only its description: it is read again from its file."""
    loaded: dict[str, list[Setup]] = {}
    complete = []
    for report in reports:
        setup = report.setup
        if not setup.complete:
            if isinstance(setup.source, str) and setup.source.startswith(("http://", "https://")):
                raise InputError("norms are scored on setups read from files or a store, not from an endpoint",
                                 hint="give the setup files, or a store folder with --store, with --norms",
                                 nl=("normen worden gescoord op inrichtingen uit bestanden of een store, niet uit "
                                     "een endpoint", "geef bij --norms de bestanden van de inrichting, of een "
                                     "store-map met --store"))
            source = str(setup.source)
            if source not in loaded:
                loaded[source] = load(source)
            setup = next(s for s in loaded[source] if s.name == setup.name)
        complete.append(replace(report, setup=setup))
    if order is not None:
        complete = order(complete)
    tables = [score_setups([r.setup], framework, engine, r.as_of) for r in complete]
    return NormTable(framework, [row for t in tables for row in t.setups],
                     {key: score for t in tables for key, score in t.scores.items()})


def norm_findings(setup: Setup, shapes: Graph, engine: str, as_of: date) -> list[Finding]:
    """The findings of the compiled norm shapes on one setup, from either engine."""
    return shapes_findings(setup, shapes, engine, as_of)[0]


def _populations(graph: Graph, framework: Framework) -> dict[str, int]:
    """For each norm but a ``defect`` one, the number of nodes it is about in the setup."""
    queries = {n.id: q for n in framework.norms if (q := population(n))}
    if not queries:
        return {}
    store = store_for(graph)
    counts = {}
    for norm, text in queries.items():
        solutions = store.query(text)
        assert isinstance(solutions, ox.QuerySolutions)  # population() writes a SELECT
        counts[norm] = sum(1 for _ in solutions)
    return counts


def _score(setup: str, norm: Norm, findings: tuple[Finding, ...], applies: int | None) -> Score:
    """``applies``: the number of nodes the norm is about (None: the catalogue's shape decides)."""
    # Only a norm on each node on its own is partly met where some nodes fail; a share is one
    # verdict on the whole setup.
    per_node = norm.pattern in PER_NODE and not (norm.minimum is not None and norm.minimum.share)
    assessed = applies if per_node else None
    failing = len({f.focus for f in findings if f.evidence == ESTABLISHED})
    if failing:
        partly = assessed is not None and assessed > failing
        return Score(setup, norm, PARTLY if partly else NOT_MET, findings, assessed, failing)
    if any(f.evidence == ALLEGED for f in findings):
        return Score(setup, norm, PARTLY, findings, assessed, failing)
    if findings or applies == 0:
        return Score(setup, norm, NOT_ASSESSABLE, findings, assessed, failing)
    return Score(setup, norm, MET, findings, assessed, failing)
