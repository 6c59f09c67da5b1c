"""Validating with pySHACL, the reference engine."""

from __future__ import annotations

from collections.abc import Iterable

import pyshacl
from rdflib import RDF, SH, Graph, Node

from jeugdgov.resources import ontology
from jeugdgov.setups import Setup
from jeugdgov.validation.catalogue import selected_shapes
from jeugdgov.validation.findings import RawResult, Report, attach_messages, findings_from


def validate_with_pyshacl(setup: Setup, defects: Iterable[str] | None,
                           shapes_graph: Graph | None = None) -> Report:
    """Validate one setup with pySHACL against the selected shapes (or ``shapes_graph``)."""
    shapes_graph = shapes_graph if shapes_graph is not None else selected_shapes(defects)
    data = Graph()
    data += setup.graph
    data += ontology()
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, inplace=True,
        allow_warnings=False, allow_infos=False)
    # Only the report's own results: a failed sh:node also nests the inner results (sh:detail).
    raw = [_raw_result(results, result) for report in results.subjects(RDF.type, SH.ValidationReport)
           for result in results.objects(report, SH.result)]
    findings = findings_from(setup.name, raw, data, shapes_graph)
    attach_messages(results, findings)
    return Report(setup=setup, findings=findings, shacl_report=results)


def _raw_result(results: Graph, result: Node) -> RawResult:
    return RawResult(
        focus=results.value(result, SH.focusNode),
        source=results.value(result, SH.sourceShape),
        severity=results.value(result, SH.resultSeverity) or SH.Violation,
        path=results.value(result, SH.resultPath),
        value=results.value(result, SH.value),
        component=results.value(result, SH.sourceConstraintComponent),
        constraint=results.value(result, SH.sourceConstraint),
    )


