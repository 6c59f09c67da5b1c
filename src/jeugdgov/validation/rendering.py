"""Rendering validation reports as rich text tables, JSON or the SHACL report in Turtle."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from rdflib import RDF, SH, Graph, Literal, Node
from rdflib.namespace import DCTERMS, PROV

from jeugdgov.resources import JG
from jeugdgov.validation.evidence import EVIDENCE
from jeugdgov.validation.findings import Finding, Findings, Report
from jeugdgov.validation.reports import Reports
from jeugdgov.words import evidence_word, severity_word

if TYPE_CHECKING:
    from rich.console import Console

SEVERITY_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}
HEADINGS = {
    "nl": ("Ernst", "Gebrek", "Bevinding", "voldoet: geen gebreken gevonden",
           "{n} bevinding(en)", "Bewijs", "peildatum"),
    "en": ("Severity", "Defect", "Finding", "conforms: no defects found",
           "{n} finding(s)", "Evidence", "as of"),
}
EVIDENCE_STYLE = {"established": "bold", "unrecorded": "magenta", "alleged": "italic"}


def with_evidence(reports: Iterable[Report], statuses: Iterable[str]) -> Reports:
    """The reports with only the findings (and SHACL results) of these evidence statuses."""
    keep = set(statuses)
    filtered = []
    for report in reports:
        graph = Graph()
        for prefix, namespace in report.shacl_report.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += report.shacl_report
        for result in list(graph.subjects(JG.evidence, None)):
            if str(graph.value(result, JG.evidence)) not in keep:
                _remove_result(graph, result)
        findings = Findings(f for f in report.findings if f.evidence in keep)
        for node in graph.subjects(RDF.type, SH.ValidationReport):
            graph.set((node, SH.conforms, Literal(not findings)))
        filtered.append(replace(report, findings=findings, shacl_report=graph))
    return Reports(filtered)


def _remove_result(graph: Graph, result: Node) -> None:
    graph.remove((None, SH.result, result))
    graph.remove((result, None, None))


def evidence_order(findings: Iterable[Finding]) -> list[Finding]:
    """Established findings first, then those to verify, then the alleged (stable within)."""
    return sorted(findings, key=lambda f: EVIDENCE.index(f.evidence))


def write_json(reports: Sequence[Report], lang: str, out: TextIO) -> None:
    """The setups and their findings as one JSON document, written in pieces of some 16 kB as
    the findings are encoded: the document is never held whole.

    The setups are indented by two; each finding is one line, encoded by json's C encoder
    (the indenting encoder is pure Python, and took seconds at national size)."""
    setups = [
        {
            "name": r.setup.name,
            "label": r.setup.label(lang),
            "source": str(r.setup.source),
            "conforms": r.conforms,
            "findings": len(r.findings),
            "as_of": r.as_of.isoformat() if r.as_of else None,
        }
        for r in reports
    ]
    head = json.dumps({"setups": setups}, ensure_ascii=False, indent=2)
    findings = (f.as_dict(lang) for r in reports for f in r.findings)
    first = next(findings, None)
    if first is None:
        out.write(head[:-2] + ',\n  "findings": []\n}\n')
        return
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    pending = [head[:-2], ',\n  "findings": [\n    ', encode(first)]
    size = 0
    for finding in findings:
        line = encode(finding)
        pending.append(",\n    ")
        pending.append(line)
        size += len(line)
        if size > 1 << 14:
            out.write("".join(pending))
            pending.clear()
            size = 0
    pending.append("\n  ]\n}\n")
    out.write("".join(pending))


def write_turtle(reports: Sequence[Report], out: TextIO) -> None:
    """All SHACL validation reports as one Turtle document, each tagged with its setup, written
    a report at a time (each with the prefixes it uses; blank node labels stay distinct)."""
    for report in reports:
        graph = Graph()
        for prefix, namespace in (("sh", SH), ("dct", DCTERMS), ("jg", JG), ("prov", PROV)):
            graph.bind(prefix, namespace)
        graph += report.shacl_report
        for node in report.shacl_report.subjects(RDF.type, SH.ValidationReport):
            graph.add((node, DCTERMS.identifier, Literal(report.setup.name)))
        out.write(graph.serialize(format="turtle"))


def as_turtle(reports: Sequence[Report]) -> str:
    """:func:`write_turtle` into a string."""
    text = io.StringIO()
    write_turtle(reports, text)
    return text.getvalue()


def print_text(reports: Sequence[Report], lang: str, console: Console) -> None:
    from rich.table import Table  # imported here: JSON and Turtle output need no rich
    from rich.text import Text

    severity_h, defect_h, finding_h, conforms, count, evidence_h, as_of_h = HEADINGS[lang]
    for report in reports:
        dated = f", {as_of_h} {report.as_of.isoformat()}" if report.as_of else ""
        title = f"{report.setup.label(lang)}  [dim]({report.setup.name}, {report.setup.source}{dated})[/dim]"
        if report.conforms:
            console.print(f"[bold]{title}[/bold]\n  [green]{conforms}[/green]\n")
            continue
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column(evidence_h, no_wrap=True)
        table.add_column(severity_h, no_wrap=True)
        table.add_column(defect_h, no_wrap=True)
        table.add_column(finding_h, ratio=1)
        for finding in evidence_order(report.findings):
            table.add_row(
                Text(evidence_word(finding.evidence, lang), style=EVIDENCE_STYLE[finding.evidence]),
                Text(severity_word(finding.severity, lang), style=SEVERITY_STYLE[finding.severity]),
                finding.defect,
                finding.message(lang),
            )
        console.print(table)
        console.print(f"  {count.format(n=len(report.findings))}\n")
