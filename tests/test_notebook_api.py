"""What a notebook user types: reports as a collection, findings as DataFrames and HTML tables,
short reprs, and named queries as DataFrames."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import DATA, ROOT
from rdflib import RDF, RDFS, SKOS, URIRef

import jeugdgov
from jeugdgov import Finding, Findings, InputError, Report, Reports
from jeugdgov.display import SEVERITY_COLOURS
from jeugdgov.resources import JG, ontology
from jeugdgov.sparql.library import ParameterError
from jeugdgov.validation.catalogue import defect_label, defects
from jeugdgov.validation.findings import FRAME_COLUMNS
from jeugdgov.workbook import read_workbook

LELYSTAD = DATA / "lelystad.trig"
CELL = 'style="text-align:left;vertical-align:top;padding:2px 8px;border-bottom:1px solid #ddd"'


@pytest.fixture(scope="module")
def reports() -> Reports:
    return jeugdgov.validate(LELYSTAD)


def test_validating_a_path_gives_reports_with_findings_across_and_per_setup(reports):
    assert isinstance(reports, Reports) and isinstance(reports, list)
    assert reports.names == ["lelystad-cooperatie", "lelystad-jel", "lelystad-netwerk"]
    one = reports["lelystad-cooperatie"]
    assert isinstance(one, Report) and one is reports[0] and one.setup.name == "lelystad-cooperatie"
    assert isinstance(reports.findings, Findings)
    assert list(reports.findings) == [f for r in reports for f in r.findings]
    assert {f.setup for f in one.findings} == {"lelystad-cooperatie"}
    assert len(reports.findings) > len(one.findings) > 0


def test_reports_still_behave_as_the_list_they_were(reports):
    """Callers that iterate, index, slice, count and compare go on working."""
    assert len(reports) == 3 and reports[-1].setup.name == "lelystad-netwerk"
    assert [r.setup.name for r in reports[:2]] == reports.names[:2]
    assert sorted(reports, key=lambda r: r.setup.name)[0] is reports[0]
    assert reports == list(reports) and reports["lelystad-jel"].findings == list(reports[1].findings)


def test_an_unknown_setup_name_lists_the_known_ones(reports):
    with pytest.raises(KeyError, match="lelystad-netwerk"):
        reports["lelystad-nowhere"]


def test_a_setup_validated_alone_gives_findings_that_show():
    setup = next(s for s in jeugdgov.load(LELYSTAD) if s.name == "lelystad-netwerk")
    report = jeugdgov.validate(setup)
    assert isinstance(report.findings, Findings) and report.findings


def test_to_frame_has_a_row_per_finding_with_its_labels(reports):
    frame = reports.to_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == len(reports.findings)
    source_labels = {str(s): str(o) for s, o in ontology().subject_objects(RDFS.label) if o.language == "en"}
    graphs = {s.name: s.graph for s in jeugdgov.load(LELYSTAD)}
    for finding, row in zip(reports.findings, frame.to_dict("records"), strict=True):
        assert (row["setup"], row["defect"], row["severity"], row["evidence"], row["focus"]) == (
            finding.setup, finding.defect, finding.severity, finding.evidence, finding.focus)
        assert row["label"] == defect_label(finding.defect, "en")
        graph = graphs[finding.setup]
        labels = {str(o) for predicate in (RDFS.label, SKOS.prefLabel)
                  for o in graph.objects(URIRef(finding.focus), predicate) if o.language in ("en", None)}
        assert row["focus_label"] in labels if labels else row["focus_label"] == finding.focus
        assert row["parties"] == tuple(p.label("en") for p in finding.parties)
        assert row["sources"] == tuple(source_labels[s] for s in finding.sources)
        assert row["message"] == finding.message("en")
    assert frame["sources"].map(len).sum() > 0, "some findings cite their sources"
    dutch = reports["lelystad-cooperatie"].to_frame("nl")
    assert set(dutch["label"]) == {defect_label(f.defect, "nl") for f in reports["lelystad-cooperatie"].findings}


def test_findings_read_from_a_workbook_name_their_sheet_and_row():
    workbook = ROOT / "examples" / "lelystad.xlsx"
    frame = jeugdgov.validate(workbook).to_frame()
    origins = read_workbook(workbook).origins
    assert len(frame) > 0
    for row in frame.to_dict("records"):
        origin = origins[row["focus"]]
        assert (row["sheet"], row["row"]) == (origin.sheet, origin.row)


def test_an_empty_frame_keeps_its_columns():
    assert list(Findings().to_frame().columns) == list(FRAME_COLUMNS)


def test_reprs_are_short(reports):
    report = reports["lelystad-cooperatie"]
    texts = [repr(reports), repr(report), repr(report.findings), repr(report.findings[0]), repr(report.setup)]
    assert all(len(text) < 240 for text in texts), [len(t) for t in texts]
    counts = report.findings.counts()
    assert f"{len(report.findings)}: " in repr(report.findings)
    assert all(f"{n} {s}" in repr(report) for s, n in counts.items())
    assert "lelystad-cooperatie" in repr(report.setup) and "triples" in repr(report.setup)


def test_reports_findings_and_setups_show_as_tables_in_the_severity_colours(reports):
    report = reports["lelystad-cooperatie"]
    table = report._repr_html_()
    assert table.startswith("<table") and table.count("<tr>") == len(report.findings) + 1
    for severity in report.findings.counts():
        assert SEVERITY_COLOURS[severity] in table
    assert report.setup.label("en") in table
    overview = reports._repr_html_()
    assert overview.count("<tr>") == len(reports) + 1 and all(name in overview for name in reports.names)
    assert reports.findings._repr_html_().count("<tr>") == len(reports.findings) + 1
    finding = report.findings[0]
    assert finding._repr_html_().count("<tr>") == 2
    assert "description only" in report.setup._repr_html_()  # validated in a worker: not drawable
    loaded = next(s for s in jeugdgov.load(LELYSTAD) if s.name == report.setup.name)
    setup_table = loaded._repr_html_()
    assert setup_table.count("<tr>") == 8 and "<th" not in setup_table
    assignments = len(set(loaded.graph.subjects(RDF.type, JG.RoleAssignment)))
    assert assignments and f"<td {CELL}>role assignments</td><td {CELL}>{assignments}</td>" in setup_table


def test_a_conforming_report_says_so():
    setup = jeugdgov.load(LELYSTAD)[0]
    found = {f.defect for f in jeugdgov.validate(setup).findings}
    report = jeugdgov.validate(setup, [next(d for d in defects() if d not in found)])
    assert report.conforms
    assert "conforms" in report._repr_html_() and "Findings(0)" in repr(report)


def test_cells_are_escaped():
    finding = Finding(setup="s", defect="d", severity="Violation", focus="urn:x", shape="urn:s", path=None,
                      value=None, parties=(), messages={"en": "<script>alert(1)</script> & more"})
    shown = Findings([finding])._repr_html_()
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "&amp; more" in shown


def test_notebook_tables_use_the_words_of_every_other_output():
    finding = Finding(setup="s", defect="d", severity="Info", focus="urn:x", shape="urn:s", path=None,
                      value=None, parties=(), messages={"en": "m", "nl": "m"}, evidence="unrecorded")
    assert "advies" in Findings([finding])._repr_html_("nl") and "na te gaan" in Findings([finding])._repr_html_("nl")
    assert "advice" in Findings([finding])._repr_html_("en") and "to verify" in Findings([finding])._repr_html_("en")


def test_a_named_query_as_a_dataframe():
    frame = jeugdgov.query("cost-estimates-per-model", lang="en")
    assert list(frame.columns[:6]) == ["model", "modelLabel", "fteMin", "fteMax", "costMin", "costMax"]
    assert len(frame) == 3 and frame["fteMin"].dtype.kind == "f" and frame["estimates"].dtype.kind == "i"
    roles = jeugdgov.query("roles-in-period", LELYSTAD, period_start=date(2016, 1, 1), period_end="2016-12-31")
    assert len(roles) > 0 and set(roles["setup"]) == {"lelystad-netwerk"}


def test_a_findings_query_reads_the_reports_given(reports):
    frame = jeugdgov.query("findings", reports, lang="en")
    assert len(frame) == len(reports.findings)
    assert set(frame["evidence"]) == {f.evidence for f in reports.findings}
    per_defect = jeugdgov.query("findings-per-defect", reports, setup="lelystad-cooperatie")
    assert per_defect["findings"].sum() == len(reports["lelystad-cooperatie"].findings)


def test_a_query_with_nothing_found_keeps_its_columns():
    frame = jeugdgov.query("findings", LELYSTAD)  # no reports in the data
    assert len(frame) == 0 and "evidence" in frame.columns


def test_bad_query_input_is_named():
    with pytest.raises(ParameterError, match="period_start"):
        jeugdgov.query("roles-in-period", LELYSTAD, period_start="yesterday", period_end="2016-12-31")
    with pytest.raises(InputError, match="no-such-query"):
        jeugdgov.query("no-such-query")


def test_reports_of_setups_not_read_from_files_are_refused(reports, tmp_path: Path):
    moved = Reports([Report(r.setup.__class__(r.setup.name, r.setup.graph, "the store"), r.findings,
                            r.shacl_report) for r in reports])
    with pytest.raises(InputError, match="not read from files"):
        jeugdgov.query("findings", moved)


def test_without_pandas_the_message_says_what_to_install(reports, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"jeugdgov\[notebook\]"):
        reports.to_frame()


def test_validate_takes_one_frozen_options_object_and_a_keyword_replaces_its_option():
    import dataclasses

    setup = jeugdgov.load(DATA / "lelystad.trig")[0]
    options = jeugdgov.ValidationOptions(as_of=date(2016, 1, 1))
    assert jeugdgov.validate(setup, options=options).as_of == date(2016, 1, 1)
    assert jeugdgov.validate(setup, options=options, as_of=date(2017, 1, 1)).as_of == date(2017, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.engine = "pyshacl"  # type: ignore[misc]
    with pytest.raises(TypeError):
        jeugdgov.validate(setup, fetch=False)  # type: ignore[call-overload]  # an endpoint's option: in options


def test_the_overloads_of_validate_say_what_the_code_does():
    import ast

    import jeugdgov.validation

    def defaults(function: ast.FunctionDef) -> dict[str, str | None]:
        arguments = function.args
        positional = [None] * (len(arguments.args) - len(arguments.defaults)) + list(arguments.defaults)
        pairs = [*zip(arguments.args, positional, strict=True),
                 *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)]
        return {argument.arg: ast.unparse(value) if value else None for argument, value in pairs}

    tree = ast.parse(Path(jeugdgov.validation.__file__).read_text(encoding="utf-8"))
    *overloads, code = [defaults(node) for node in tree.body
                        if isinstance(node, ast.FunctionDef) and node.name == "validate"]
    assert len(overloads) == 2
    assert all(overload.items() <= code.items() for overload in overloads), "an overload's default differs"
    assert overloads[1] == code, "the overload for paths, stores and endpoints takes every parameter"
