"""A user's own SHACL shapes, checked beside the catalogue's (``validate --shapes-file``).

The shapes of a file are evaluated by the fast engine where it translates them and by pySHACL
otherwise; the shapes left to pySHACL are named, with the reason. Their findings join the
catalogue's in the setup's report, with the shape's own messages and, as defect id, the
``skos:notation`` of the concept its ``jg:detects`` names or else the shape's local name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path

from rdflib import RDF, SH, Graph, Literal, Node

from jeugdgov.errors import InputError
from jeugdgov.resources import local_name, ontology
from jeugdgov.setups import Setup, parse_file
from jeugdgov.validation.catalogue import TARGETS, only_shapes
from jeugdgov.validation.fast.evaluation import evaluate
from jeugdgov.validation.fast.local_store import LocalRunner, store_for
from jeugdgov.validation.fast.shacl_report import shacl_report
from jeugdgov.validation.fast.translate import translate
from jeugdgov.validation.findings import Finding, Findings, Report, attach_messages, finding_order, findings_from
from jeugdgov.validation.pyshacl import validate_with_pyshacl
from jeugdgov.validation.reference_date import dated


@dataclass(frozen=True)
class OwnShapes:
    """The shapes of the user's files, and those the fast engine leaves to pySHACL (shape: why)."""

    graph: Graph
    untranslatable: dict[Node, str]

    def describe_untranslatable(self) -> str:
        return "; ".join(f"{local_name(shape)}: {why}" for shape, why in sorted(self.untranslatable.items()))


def read_shapes_files(paths: Sequence[str | Path]) -> OwnShapes:
    """The shapes of the files, merged; an InputError for a file that does not parse or holds no
    shape with a target."""
    graph = Graph()
    for path in map(Path, paths):
        if not path.is_file():
            raise InputError(f"no shapes file {path}", hint="give the path of a Turtle (or other RDF) file of shapes",
                             nl=(f"shapesbestand {path} bestaat niet",
                                 "geef het pad van een Turtle- (of ander RDF-)bestand met shapes"))
        parsed = parse_file(path)
        if not any((None, target, None) in parsed for target in TARGETS):
            raise InputError("the file holds no SHACL shape with a target (sh:targetClass, sh:targetNode, ...)",
                             file=path, hint="a shape without a target checks nothing",
                             nl=("het bestand bevat geen SHACL-shape met een doel (sh:targetClass, sh:targetNode, "
                                 "...)", "een shape zonder doel controleert niets"))
        for prefix, namespace in parsed.namespaces():
            graph.bind(prefix, namespace, override=False)
        for s, p, o, _g in parsed.quads():
            graph.add((s, p, o))
    return OwnShapes(graph, dict(translate(graph).untranslatable))


def shapes_findings(setup: Setup, shapes: Graph, engine: str, as_of: date) -> tuple[list[Finding], Graph]:
    """The findings and SHACL results of shapes beside the catalogue's on one setup (``setup`` holds the
    whole graph), the shapes read for the law on ``as_of``: the fast engine runs what it translates,
    pySHACL the rest."""
    graph = dated(shapes, as_of)
    if engine == "pyshacl":
        extra = validate_with_pyshacl(setup, None, shapes_graph=graph, as_of=as_of)
        return extra.findings, extra.shacl_report
    translation = translate(graph)
    raw = evaluate(LocalRunner(store_for(setup.graph)), translation.queries)
    findings: list[Finding] = findings_from(setup.name, raw, chain(setup.graph, ontology()), graph)
    results = shacl_report(raw, graph)
    attach_messages(results, findings, as_of, shapes_graph=graph)
    if translation.untranslatable:
        left = only_shapes(graph, set(translation.untranslatable))
        rest = validate_with_pyshacl(setup, None, shapes_graph=left, as_of=as_of)
        findings = [*findings, *rest.findings]
        results += rest.shacl_report
    return findings, results


def add_own_findings(report: Report, setup: Setup, shapes: OwnShapes, engine: str) -> Report:
    """The report with the findings of the user's shapes added; ``setup`` holds the whole graph."""
    findings, results = shapes_findings(setup, shapes.graph, engine, report.as_of or date.today())
    report.findings = Findings(sorted([*report.findings, *findings], key=finding_order))
    report.shacl_report += results
    if findings:
        for node in list(report.shacl_report.subjects(RDF.type, SH.ValidationReport)):
            report.shacl_report.set((node, SH.conforms, Literal(False)))
    return report
