"""Comparing the findings of two setups: which defects appear, persist and disappear.

Phases of one case (Lelystad: network, cooperative, JEL BV) rest on different facts and
nodes, so the same defect in two phases is rarely the same focus node. The comparison is
therefore by defect id: a defect *persists* when both setups have it, *changes* when both have
it but on other evidence (a question to verify became established, a claim was confirmed),
*appears* when only the later one has it and *disappears* when only the earlier one has it;
each change keeps the findings of both sides, so their messages and parties can be read next
to each other.
``jeugdgov compare`` prints a comparison and ``jeugdgov report`` shows one per pair of
consecutive phases.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from rdflib import URIRef

from jeugdgov.analysis.projection import Period, setup_period
from jeugdgov.formulas import neutralised
from jeugdgov.resources import JG
from jeugdgov.setups import Setup
from jeugdgov.validation.findings import EVIDENCE, SEVERITY_RANK, Finding, Report
from jeugdgov.words import evidence_word, severity_word

#: The kinds of change, in the order they are listed.
STATUSES = ("appears", "changes", "persists", "disappears")
STATUS_LABELS = {
    "appears": {"nl": "nieuw", "en": "appears"},
    "changes": {"nl": "ander bewijs", "en": "evidence changes"},
    "persists": {"nl": "blijft", "en": "persists"},
    "disappears": {"nl": "verdwenen", "en": "disappears"},
}


@dataclass(frozen=True)
class Change:
    """One defect and what happens to it from the earlier setup to the later one."""

    defect: str
    status: str
    severity: str
    before: tuple[Finding, ...]
    after: tuple[Finding, ...]

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "defect": self.defect,
            "status": self.status,
            "severity": self.severity,
            "before": len(self.before),
            "after": len(self.after),
            "evidence_before": evidence_counts(self.before),
            "evidence_after": evidence_counts(self.after),
            "messages_before": [f.message(lang) for f in self.before],
            "messages_after": [f.message(lang) for f in self.after],
        }


@dataclass(frozen=True)
class Comparison:
    """The changes from one setup (``before``) to another (``after``)."""

    before: Setup
    after: Setup
    changes: tuple[Change, ...]

    def with_status(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "before": {"name": self.before.name, "label": self.before.label(lang)},
            "after": {"name": self.after.name, "label": self.after.label(lang)},
            "changes": [c.as_dict(lang) for c in self.changes],
        }


def compare_reports(before: Report, after: Report) -> Comparison:
    """The changes from the findings of ``before`` to those of ``after``, by defect."""
    earlier = _by_defect(before.findings)
    later = _by_defect(after.findings)
    changes = []
    for defect in sorted(earlier.keys() | later.keys()):
        status = "persists" if defect in earlier and defect in later else "appears" if defect in later \
            else "disappears"
        if status == "persists" and evidence_counts(earlier[defect]) != evidence_counts(later[defect]):
            status = "changes"
        found = [*earlier.get(defect, ()), *later.get(defect, ())]
        severity = max((f.severity for f in found), key=lambda s: SEVERITY_RANK.get(s, 0))
        changes.append(Change(defect, status, severity, tuple(earlier.get(defect, ())),
                              tuple(later.get(defect, ()))))
    changes.sort(key=lambda c: (STATUSES.index(c.status), -SEVERITY_RANK.get(c.severity, 0), c.defect))
    return Comparison(before.setup, after.setup, tuple(changes))


def consecutive_phases(reports: Sequence[Report]) -> list[tuple[Report, Report]]:
    """Pairs of setups of one case whose periods follow each other, earliest first.

    Setups belong to one case when they concern the same municipalities
    (``jg:concernsMunicipality``); within a case they are sorted by the start of their period
    (``jg:during``) and each is paired with the next when it ends before the next begins.
    Setups without a start date are left out: their place in time is unknown.
    """
    cases: dict[frozenset[str], list[tuple[Period, Report]]] = {}
    for report in reports:
        setup = report.setup
        if setup.node is None or not setup.complete:
            continue
        municipalities = _case(setup)
        period = setup_period(setup)
        if municipalities and period.start is not None:
            cases.setdefault(municipalities, []).append((period, report))
    pairs = []
    for phases in cases.values():
        phases.sort(key=lambda item: (item[0].start or date.min, item[1].setup.name))
        for (first, earlier), (second, later) in pairwise(phases):
            if first.end is not None and second.start is not None and first.end < second.start:
                pairs.append((earlier, later))
    return pairs


def chronological(reports: Sequence[Report]) -> list[Report]:
    """The reports with the phases of each case in the order of their periods; cases keep the
    order in which their first setup came, setups without a period keep their place."""
    keys: dict[frozenset[str], int] = {}
    ordered = []
    for index, report in enumerate(reports):
        case = _case(report.setup)
        period = setup_period(report.setup) if report.setup.complete else Period()
        first = keys.setdefault(case, index) if case else index
        ordered.append(((first, period.start or date.min, index), report))
    return [report for _, report in sorted(ordered, key=lambda item: item[0])]


def _case(setup: Setup) -> frozenset[str]:
    """The municipalities a setup concerns: setups concerning the same ones are one case."""
    if setup.node is None:
        return frozenset()
    return frozenset(str(m) for m in setup.graph.objects(URIRef(setup.node), JG.concernsMunicipality))


def as_text(comparison: Comparison, lang: str = "en") -> str:
    """A plain-text listing: one line per defect, grouped by what happens to it."""
    heading = {"nl": "van {a} naar {b}", "en": "from {a} to {b}"}[lang]
    lines = [heading.format(a=comparison.before.label(lang), b=comparison.after.label(lang))]
    for status in STATUSES:
        changes = comparison.with_status(status)
        lines.append(f"\n{STATUS_LABELS[status][lang]} ({len(changes)})")
        for change in changes:
            counts = f"{_in_words(change.before, lang)} → {_in_words(change.after, lang)}"
            lines.append(f"  {change.defect:30} {severity_word(change.severity, lang):12} {counts}")
            shown = change.after or change.before
            lines.append(f"      {shown[0].message(lang)}")
    return "\n".join(lines) + "\n"


def as_json(comparison: Comparison, lang: str = "en") -> str:
    return json.dumps(comparison.as_dict(lang), ensure_ascii=False, indent=2) + "\n"


def as_csv(comparison: Comparison, lang: str = "en") -> str:
    """One row per defect: before and after setup, defect, status, severity and the counts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["before", "after", "defect", "status", "severity", "findings_before", "findings_after",
                     "message"])
    for change in comparison.changes:
        shown = change.after or change.before
        writer.writerow([neutralised(v) for v in (
            comparison.before.name, comparison.after.name, change.defect, change.status, change.severity,
            len(change.before), len(change.after), shown[0].message(lang))])
    return buffer.getvalue()


def evidence_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """How many of the findings rest on each evidence status (those with none left out)."""
    return {e: n for e in EVIDENCE if (n := sum(1 for f in findings if f.evidence == e))}


def _in_words(findings: Sequence[Finding], lang: str) -> str:
    return ", ".join(f"{n} {evidence_word(e, lang)}" for e, n in evidence_counts(findings).items()) or "0"


def _by_defect(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.defect, []).append(finding)
    return grouped
