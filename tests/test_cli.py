"""The jeugdgov command as a user runs it: exit codes, formats and messages for bad input."""

from __future__ import annotations

import json
import subprocess

import pytest
from helpers import DATA


def run(command: str, *args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([command, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_readme_main_job_prints_cooperative_findings(jeugdgov_command):
    result = run(jeugdgov_command, "validate", DATA / "lelystad.trig", "--setup", "lelystad-cooperatie",
                 "--lang", "en")
    assert result.returncode == 1
    for defect in ("subsidy-passed-on", "money-vs-accountability", "no-stake", "access-and-delivery"):
        assert defect in result.stdout


@pytest.mark.slow
def test_json_lists_findings_per_setup(jeugdgov_command):
    result = run(jeugdgov_command, "validate", DATA / "lelystad.trig", "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert {s["name"] for s in document["setups"]} == {
        "lelystad-netwerk", "lelystad-cooperatie", "lelystad-jel"}
    for finding in document["findings"]:
        assert {"setup", "defect", "severity", "focus", "parties", "message", "basis"} <= set(finding)
    jel = [f for f in document["findings"] if f["setup"] == "lelystad-jel"]
    assert jel == []


@pytest.mark.slow
def test_conforming_setup_exits_zero(jeugdgov_command):
    result = run(jeugdgov_command, "validate", DATA / "lelystad.trig", "--setup", "lelystad-jel")
    assert result.returncode == 0


@pytest.mark.slow
def test_turtle_output_is_a_shacl_report(jeugdgov_command):
    from rdflib import SH, Graph

    result = run(jeugdgov_command, "validate", DATA / "flevoland-handelingskader.ttl", "-f", "turtle")
    assert result.returncode == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    assert len(list(report.subjects(None, SH.ValidationResult))) == 2
    messages = {m.language for m in report.objects(None, SH.resultMessage)}
    assert messages == {"nl", "en"}


@pytest.mark.slow
def test_syntax_error_names_file_and_line(jeugdgov_command, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    result = run(jeugdgov_command, "validate", bad)
    assert result.returncode == 2
    assert f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.stderr


def _missing(folder):
    return folder / "missing.ttl"


def _empty_file(folder):
    path = folder / "empty.ttl"
    path.write_text("")
    return path


def _folder_without_rdf(folder):
    (folder / "notes.txt").write_text("no RDF here")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(("make", "expected"), [
    (_missing, "no such file"),
    (_empty_file, "no triples"),
    (_folder_without_rdf, "no RDF files"),
])
def test_unusable_paths_exit_2(jeugdgov_command, tmp_path, make, expected):
    result = run(jeugdgov_command, "validate", make(tmp_path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_unknown_shape_id_lists_valid_ones(jeugdgov_command):
    result = run(jeugdgov_command, "validate", DATA, "--shapes", "dual-rol")
    assert result.returncode == 2
    assert "dual-rol" in result.stderr and "dual-role" in result.stderr


@pytest.mark.slow
def test_unknown_format_lists_valid_ones(jeugdgov_command):
    result = run(jeugdgov_command, "validate", DATA, "--format", "xml")
    assert result.returncode == 2
    assert "'text', 'json', 'turtle'" in result.stderr


@pytest.mark.slow
def test_misspelt_term_is_reported_with_closest_term(jeugdgov_command, tmp_path):
    data = tmp_path / "typo.ttl"
    data.write_text("""@prefix jg: <https://w3id.org/jeugdgov/def#> .
<https://w3id.org/jeugdgov/id/x/m> a jg:Municipalty .
""")
    result = run(jeugdgov_command, "validate", data, "--format", "json", "--lang", "en")
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["defect"] == "undefined-term"
    assert "jg:Municipality" in finding["message"]
