"""What a report says, before it is rendered: per setup the counts, the findings grouped by
defect with their facts, sources and basis, the questions to verify, the claims, the
data-quality findings, and the comparison of consecutive phases.

Findings are sorted by evidence status (see :data:`jeugdgov.validation.findings.EVIDENCE`):
``established`` findings are listed under their defect, ``unrecorded`` ones become questions
("to verify": the data neither state nor deny a fact they need) and ``alleged`` ones are
listed apart as claims, with the sources that make them. Defect numbers come from
:func:`jeugdgov.validation.findings.finding_numbers`, shared with the pictures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDFS, SKOS, Graph, URIRef

from jeugdgov.analysis.projection import setup_period
from jeugdgov.dossier.comparison import Comparison, chronological, compare_reports, consecutive_phases
from jeugdgov.resources import JG, local_name, ontology
from jeugdgov.validation.catalogue import defect_label, in_group
from jeugdgov.validation.findings import EVIDENCE, SEVERITIES, Finding, Report, finding_numbers
from jeugdgov.validation.law_in_time import versioned

#: Links that may be followed from a report: the official Dutch law site only. Anything else
#: (report sections, documents without a public address) is shown as text.
LINKABLE = ("https://wetten.overheid.nl/",)
DATA_QUALITY = "data-quality"


@dataclass(frozen=True)
class Reference:
    """A basis or source: its label and, when it has a public address, the link."""

    label: str
    url: str | None = None


@dataclass(frozen=True)
class Fact:
    """One statement a finding rests on: subject, property and value, as labels."""

    subject: str
    property: str | None
    value: str | None


@dataclass(frozen=True)
class FindingItem:
    number: int
    finding: Finding
    message: str
    parties: tuple[str, ...]
    facts: tuple[Fact, ...]
    sources: tuple[Reference, ...]


@dataclass
class DefectSection:
    """The findings of one defect in one setup, under the defect's number."""

    number: int
    defect: str
    label: str
    severity: str
    basis: tuple[Reference, ...]
    seen_in: tuple[Reference, ...] = ()
    items: list[FindingItem] = field(default_factory=list)


@dataclass
class SetupSection:
    name: str
    label: str
    period: str
    as_of: str
    sources: tuple[Reference, ...]
    severity_counts: dict[str, int]
    evidence_counts: dict[str, int]
    defects: list[DefectSection]
    to_verify: list[FindingItem]
    alleged: list[FindingItem]
    data_quality: list[DefectSection]

    @property
    def total(self) -> int:
        return sum(self.severity_counts.values())


@dataclass
class Document:
    lang: str
    setups: list[SetupSection]
    comparisons: list[Comparison]


def build(reports: Sequence[Report], lang: str = "nl") -> Document:
    """The content of a report on these validation reports, in ``lang``; the phases of a case
    in the order of their periods."""
    reports = chronological(reports)
    sections = [_setup_section(report, lang) for report in reports]
    comparisons = [compare_reports(a, b) for a, b in consecutive_phases(reports)]
    return Document(lang, sections, comparisons)


def reference(iri: str, lang: str, as_of: date | None = None) -> Reference:
    """A basis or source IRI as a reference: labelled from the ontology's sources, linked when
    it is on the law site (to the text in force on ``as_of``, when given)."""
    labels = {getattr(o, "language", None) or "": str(o) for o in ontology().objects(URIRef(iri), RDFS.label)}
    label = labels.get(lang) or labels.get("") or next(iter(labels.values()), None) or iri
    return Reference(label, versioned(iri, as_of) if iri.startswith(LINKABLE) else None)


def _setup_section(report: Report, lang: str) -> SetupSection:
    setup = report.setup
    graph = setup.graph
    numbers = finding_numbers(report.findings)
    sections: dict[str, DefectSection] = {}
    to_verify: list[FindingItem] = []
    alleged: list[FindingItem] = []
    for finding in sorted(report.findings, key=lambda f: (numbers[f.defect], f.focus, f.value or "")):
        item = _item(finding, numbers[finding.defect], graph, lang)
        if finding.evidence == "unrecorded":
            to_verify.append(item)
        elif finding.evidence == "alleged":
            alleged.append(item)
        else:
            section = sections.get(finding.defect)
            if section is None:
                section = sections[finding.defect] = DefectSection(
                    numbers[finding.defect], finding.defect, defect_label(finding.defect, lang), finding.severity,
                    tuple(reference(b, lang, report.as_of) for b in finding.basis),
                    tuple(reference(b, lang) for b in finding.seen_in))
            section.items.append(item)
    ordered = sorted(sections.values(), key=lambda s: s.number)
    setup_sources = tuple(reference(str(s), lang) for s in graph.objects(setup.node, JG.source)) \
        if setup.node is not None else ()
    return SetupSection(
        name=setup.name,
        label=setup.label(lang),
        period=setup_period(setup).describe(lang) if setup.complete else "",
        as_of=report.as_of.isoformat() if report.as_of else "",
        sources=setup_sources,
        severity_counts={s: sum(f.severity == s for f in report.findings) for s in SEVERITIES.values()},
        evidence_counts={e: sum(f.evidence == e for f in report.findings) for e in EVIDENCE},
        defects=[s for s in ordered if not in_group(s.defect, DATA_QUALITY)],
        to_verify=to_verify,
        alleged=alleged,
        data_quality=[s for s in ordered if in_group(s.defect, DATA_QUALITY)],
    )


def _item(finding: Finding, number: int, graph: Graph, lang: str) -> FindingItem:
    fact = Fact(
        subject=_label(graph, finding.focus, lang),
        property=_label(graph, finding.path, lang) if finding.path else None,
        value=_label(graph, finding.value, lang) if finding.value else None,
    )
    return FindingItem(
        number=number,
        finding=finding,
        message=finding.message(lang),
        parties=tuple(p.label(lang) for p in finding.parties),
        facts=(fact,),
        sources=tuple(reference(s, lang) for s in finding.sources),
    )


def _label(graph: Graph, iri: str, lang: str) -> str:
    """A node's label in the setup, else in the ontology, else its local name; a literal value
    (no IRI) as it is."""
    if iri.startswith("_:") or ":" not in iri or any(c.isspace() for c in iri):
        return iri
    node = URIRef(iri)
    for source in (graph, ontology()):
        labels = {getattr(o, "language", None) or "": str(o)
                  for predicate in (SKOS.prefLabel, RDFS.label) for o in source.objects(node, predicate)}
        if labels:
            return labels.get(lang) or labels.get("") or next(iter(labels.values()))
    return local_name(iri)
