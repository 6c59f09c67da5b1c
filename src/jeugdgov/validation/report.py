"""Rendering validation reports as rich text tables, JSON or the SHACL report in Turtle."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rdflib import RDF, SH, Graph, Literal
from rdflib.namespace import DCTERMS
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jeugdgov.validation.findings import Report

SEVERITY_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}
SEVERITY_WORD = {
    "nl": {"Violation": "Overtreding", "Warning": "Waarschuwing", "Info": "Info"},
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info"},
}
HEADINGS = {
    "nl": ("Ernst", "Gebrek", "Bevinding", "voldoet: geen gebreken gevonden",
           "{n} bevinding(en)"),
    "en": ("Severity", "Defect", "Finding", "conforms: no defects found",
           "{n} finding(s)"),
}


def as_json(reports: Sequence[Report], lang: str) -> str:
    document = {
        "setups": [
            {
                "name": r.setup.name,
                "label": r.setup.label(lang),
                "source": str(r.setup.source),
                "conforms": r.conforms,
                "findings": len(r.findings),
            }
            for r in reports
        ],
        "findings": [f.as_dict(lang) for r in reports for f in r.findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def as_turtle(reports: Sequence[Report]) -> str:
    """All SHACL validation reports in one Turtle document, each tagged with its setup."""
    merged = Graph()
    merged.bind("sh", SH)
    merged.bind("dct", DCTERMS)
    for report in reports:
        graph = report.shacl_report
        for node in graph.subjects(RDF.type, SH.ValidationReport):
            graph.add((node, DCTERMS.identifier, Literal(report.setup.name)))
        merged += graph
    return merged.serialize(format="turtle")


def print_text(reports: Sequence[Report], lang: str, console: Console) -> None:
    severity_h, defect_h, finding_h, conforms, count = HEADINGS[lang]
    for report in reports:
        title = f"{report.setup.label(lang)}  [dim]({report.setup.name}, {report.setup.source})[/dim]"
        if report.conforms:
            console.print(f"[bold]{title}[/bold]\n  [green]{conforms}[/green]\n")
            continue
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column(severity_h, no_wrap=True)
        table.add_column(defect_h, no_wrap=True)
        table.add_column(finding_h, ratio=1)
        for finding in report.findings:
            table.add_row(
                Text(SEVERITY_WORD[lang][finding.severity], style=SEVERITY_STYLE[finding.severity]),
                finding.defect,
                finding.message(lang),
            )
        console.print(table)
        console.print(f"  {count.format(n=len(report.findings))}\n")
