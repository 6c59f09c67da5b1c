"""Machine-readable validation output: written to the stream a piece at a time, the same
document as a whole one would be, and with memory that does not grow with the findings."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest
from rdflib import Graph

from jeugdgov import Setup
from jeugdgov.validation import Finding, Party, Report
from jeugdgov.validation.rendering import write_json


def _report(name: str, findings: int) -> Report:
    setup = Setup(name, Graph(), f"{name}.nt", labels={"nl": f"Regio {name}", "en": f"Region {name}"})
    found = [Finding(setup=name, defect="decision-overdue", severity="Warning", focus=f"urn:x:{name}/{k}",
                     shape="urn:x:shape", path=None, value=f"\"{k}\" \\ ë\n",
                     parties=(Party("urn:x:party", {"nl": "Partij", "en": "Party"}),),
                     messages={"nl": f"Beslissing {k} te laat", "en": f"Decision {k} overdue"},
                     basis=("urn:law",), sources=("urn:report#3.2",))
             for k in range(findings)]
    return Report(setup, found, Graph())


class _Counting:
    """A stream that keeps only how much was written, as a pipe to another program would."""

    def __init__(self) -> None:
        self.characters = 0
        self.writes = 0

    def write(self, text: str) -> int:
        self.characters += len(text)
        self.writes += 1
        return len(text)


def test_json_is_the_document_with_one_finding_a_line():
    for reports in ([], [_report("a", 0)], [_report("a", 3), _report("b", 0), _report("c", 2)]):
        written = io.StringIO()
        write_json(reports, "en", written)
        document = {
            "setups": [{"name": r.setup.name, "label": r.setup.label("en"), "source": str(r.setup.source),
                        "conforms": r.conforms, "findings": len(r.findings), "as_of": None} for r in reports],
            "findings": [f.as_dict("en") for r in reports for f in r.findings],
        }
        text = written.getvalue()
        assert json.loads(text) == document
        assert text.endswith("\n}\n")
        # The setups indented as json.dumps indents them; then each finding on a line of its own.
        assert text.startswith(json.dumps({"setups": document["setups"]}, indent=2)[:-2] + ",\n")
        lines = text.splitlines()
        finding_lines = [line for line in lines if line.startswith('    {"setup"')]
        assert [json.loads(line.rstrip(",")) for line in finding_lines] == document["findings"]


def _peak_while_writing(reports: list[Report]) -> tuple[int, _Counting]:
    sink = _Counting()
    tracemalloc.start()
    try:
        write_json(reports, "nl", sink)
        return tracemalloc.get_traced_memory()[1], sink
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # tracemalloc over 21,000 findings
def test_json_output_memory_does_not_grow_with_the_findings():
    small = [_report(f"r{k}", 200) for k in range(5)]
    large = [_report(f"r{k}", 4000) for k in range(5)]  # twenty times the findings
    small_peak, small_sink = _peak_while_writing(small)
    large_peak, large_sink = _peak_while_writing(large)
    assert large_sink.characters > 15 * small_sink.characters
    assert large_sink.writes > 10 * small_sink.writes  # in pieces, not as one string
    # One finding's text at a time: the peak stays that of the small run, far below the output.
    assert large_peak < 2 * small_peak + 64_000
    assert large_peak < large_sink.characters / 20


def test_turtle_of_several_setups_is_one_shacl_report_per_setup():
    from rdflib import RDF, SH
    from rdflib.namespace import DCTERMS

    from jeugdgov import validate
    from jeugdgov.validation.rendering import write_turtle

    reports = validate(Path(__file__).parents[1] / "data" / "lelystad.trig")
    written = io.StringIO()
    write_turtle(reports, written)
    graph = Graph().parse(data=written.getvalue(), format="turtle")
    tagged = {str(graph.value(node, DCTERMS.identifier)): node
              for node in graph.subjects(RDF.type, SH.ValidationReport)}
    assert set(tagged) == {r.setup.name for r in reports} and len(reports) > 1
    for report in reports:
        assert len(list(graph.objects(tagged[report.setup.name], SH.result))) == len(report.findings)
