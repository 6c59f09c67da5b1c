"""Validating with pySHACL, the reference engine."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rdflib import RDF, SH, Graph, Node

from jeugdgov.errors import InputError
from jeugdgov.resources import ontology
from jeugdgov.setups import Setup
from jeugdgov.validation.catalogue import selected_shapes
from jeugdgov.validation.findings import RawResult, Report, attach_messages, findings_from
from jeugdgov.validation.reference_date import default_as_of


def validate_with_pyshacl(setup: Setup, defects: Iterable[str] | None,
                           shapes_graph: Graph | None = None, as_of: date | None = None) -> Report:
    """Validate one setup with pySHACL against the selected shapes (or ``shapes_graph``, already
    dated) on the reference date ``as_of`` (by default the end of the setup's period, else today)."""
    as_of = as_of or default_as_of(setup.graph, setup.node)
    shapes_graph = shapes_graph if shapes_graph is not None else selected_shapes(defects, as_of)
    data = Graph()
    data += setup.graph
    data += ontology()
    import pyshacl  # when used: its import takes longer than the fast engine's whole start

    _conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, inplace=True,
        allow_warnings=False, allow_infos=False)
    if not isinstance(results, Graph):  # a shape SHACL does not allow, e.g. a norm's own SPARQL
        said = " ".join(str(text).split())
        raise InputError(f"pySHACL cannot evaluate the shapes: {said}",
                         hint="correct the SPARQL of the shape or norm it names",
                         nl=(f"pySHACL kan de shapes niet evalueren: {said}",
                             "verbeter de SPARQL van de shape of norm die het noemt"))
    # Only the report's own results: a failed sh:node also nests the inner results (sh:detail).
    raw = [_raw_result(results, result) for report in results.subjects(RDF.type, SH.ValidationReport)
           for result in results.objects(report, SH.result)]
    findings = findings_from(setup.name, raw, data, shapes_graph)
    attach_messages(results, findings, as_of)
    return Report(setup=setup, findings=findings, shacl_report=results, as_of=as_of)


def _raw_result(results: Graph, result: Node) -> RawResult:
    focus, source = results.value(result, SH.focusNode), results.value(result, SH.sourceShape)
    assert focus is not None and source is not None  # pySHACL gives every result both
    return RawResult(
        focus=focus,
        source=source,
        severity=results.value(result, SH.resultSeverity) or SH.Violation,
        path=results.value(result, SH.resultPath),
        value=results.value(result, SH.value),
        component=results.value(result, SH.sourceConstraintComponent),
        constraint=results.value(result, SH.sourceConstraint),
    )


