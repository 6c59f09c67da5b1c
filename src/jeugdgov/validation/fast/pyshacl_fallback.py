"""pySHACL for the shapes the fast engine cannot evaluate (``--fallback``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rdflib import Node

from jeugdgov.setups import Setup
from jeugdgov.validation.catalogue import only_shapes, selected_shapes
from jeugdgov.validation.findings import Findings, Report, finding_order
from jeugdgov.validation.pyshacl import validate_with_pyshacl


def with_pyshacl(report: Report, setup: Setup, shapes: set[Node], defects: Iterable[str] | None,
                 as_of: date | None = None) -> Report:
    """Add pySHACL's results for the shapes this engine cannot evaluate."""
    only = only_shapes(selected_shapes(defects, as_of), shapes)
    extra = validate_with_pyshacl(setup, None, shapes_graph=only, as_of=as_of)
    report.findings = Findings(sorted([*report.findings, *extra.findings], key=finding_order))
    report.shacl_report += extra.shacl_report
    return report
