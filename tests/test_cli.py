"""The jeugdgov command as a user runs it: exit codes, formats and messages for bad input.

Run in this process through the entry point's ``main`` (helpers.jeugdgov); the first test runs
the installed command as a process, as the README does."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import subprocess
import sys

import pytest
from helpers import DATA, jeugdgov


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
def test_json_lists_findings_per_setup():
    result = jeugdgov("validate", DATA / "lelystad.trig", "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert {s["name"] for s in document["setups"]} == {
        "lelystad-netwerk", "lelystad-cooperatie", "lelystad-jel"}
    for finding in document["findings"]:
        assert {"setup", "defect", "severity", "focus", "parties", "message", "basis"} <= set(finding)
    # JEL BV: none of the report's defects; only questions about facts the report does not state
    jel = [f for f in document["findings"] if f["setup"] == "lelystad-jel"]
    assert jel and {f["evidence"] for f in jel} == {"unrecorded"}


@pytest.mark.slow
def test_conforming_setup_exits_zero():
    # JEL BV has no established finding; what is left to verify exits 1 until it is filtered out
    asked = jeugdgov("validate", DATA / "lelystad.trig", "--setup", "lelystad-jel")
    result = jeugdgov("validate", DATA / "lelystad.trig", "--setup", "lelystad-jel", "--evidence", "established")
    assert asked.returncode == 1 and result.returncode == 0


@pytest.mark.slow
def test_turtle_output_is_a_shacl_report():
    from rdflib import SH, Graph

    from jeugdgov.resources import JG
    result = jeugdgov("validate", DATA / "flevoland-handelingskader.ttl", "-f", "turtle")
    assert result.returncode == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    # The provider's 317 route; the medical referral route is one the law provides (Jeugdwet 2.6).
    # The other results are questions about facts the letter does not state.
    results = list(report.subjects(SH.resultSeverity, None))
    established = [r for r in results if str(report.value(r, JG.evidence)) == "established"]
    assert len(established) == 1 and len(results) == len(list(report.subjects(None, SH.ValidationResult)))
    messages = {m.language for m in report.objects(None, SH.resultMessage)}
    assert messages == {"nl", "en"}
    assert {str(e) for e in report.objects(None, JG.evidence)} == {"established", "unrecorded"}
    assert len(list(report.objects(None, JG.asOf))) == 1


@pytest.mark.slow
def test_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    result = jeugdgov("validate", bad)
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
def test_unusable_paths_exit_2(tmp_path, make, expected):
    result = jeugdgov("validate", make(tmp_path), "--lang", "en")
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_unknown_shape_id_lists_valid_ones():
    result = jeugdgov("validate", DATA, "--shapes", "dual-rol")
    assert result.returncode == 2
    assert "dual-rol" in result.stderr and "dual-role" in result.stderr


@pytest.mark.slow
def test_unknown_format_lists_valid_ones():
    result = jeugdgov("validate", DATA, "--format", "xml")
    assert result.returncode == 2
    assert "'xml'" in result.stderr and "kies uit: text, json, turtle" in result.stderr
    english = jeugdgov("validate", DATA, "--format", "xml", "--lang", "en")
    assert "not a valid value for --format: 'xml'" in english.stderr
    assert "choose from: text, json, turtle" in english.stderr


@pytest.mark.slow
def test_misspelt_term_is_reported_with_closest_term(tmp_path):
    data = tmp_path / "typo.ttl"
    data.write_text("""@prefix jg: <https://w3id.org/jeugdgov/def#> .
<https://w3id.org/jeugdgov/id/x/setup> a jg:Setup .
<https://w3id.org/jeugdgov/id/x/m> a jg:Municipalty .
""")
    result = jeugdgov("validate", data, "--format", "json", "--lang", "en")
    assert result.returncode == 1
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["defect"] == "undefined-term"]
    assert "jg:Municipality" in finding["message"]


def test_a_file_named_twice_is_validated_once():
    once = jeugdgov("validate", DATA / "zhz.trig", "--format", "json")
    twice = jeugdgov("validate", DATA / "zhz.trig", DATA / ".." / "data" / "zhz.trig",
                "--format", "json")
    assert twice.returncode == once.returncode == 1, twice.stderr
    assert json.loads(twice.stdout) == json.loads(once.stdout)


def test_a_synth_folder_validates_without_reading_planted_json(tmp_path):
    out = tmp_path / "out"
    made = jeugdgov("synth", "--decisions", "40", "--regions", "2", "--municipalities", "4",
               "--providers", "10", "--out", out)
    assert made.returncode == 0, made.stderr
    assert (out / "planted.json").is_file()
    result = jeugdgov("validate", out, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    assert {s["name"] for s in json.loads(result.stdout)["setups"]}
    named = jeugdgov("validate", out / "planted.json")  # named: still read as JSON-LD
    assert named.returncode == 2 and "planted.json" in named.stderr


def test_a_folder_of_junk_fails_fast_with_a_message(tmp_path):
    for name in ("lelystad.trig", "zhz.trig"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    (tmp_path / "junk.jsonld").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "dangling.ttl").symlink_to(tmp_path / "gone.ttl")
    result = jeugdgov("validate", tmp_path)
    assert result.returncode == 2
    assert "junk.jsonld" in result.stderr and "Traceback" not in result.stderr


def _die(job):
    import os

    os._exit(9)


def test_a_worker_that_dies_is_an_error_not_a_hang(monkeypatch):
    import multiprocessing

    from jeugdgov.errors import InputError
    from jeugdgov.validation.fast import parallel as engine_files

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.fail("this test replaces the worker function, which only a forked worker inherits")
    monkeypatch.setattr(engine_files, "_validate_file", _die)
    with pytest.raises(InputError, match="worker process stopped"):
        engine_files.validate_paths([DATA], workers=2)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("option", [["--check-setup", "lelystad-jel"], ["--no-check"]])
def test_store_check_options_need_in_store(option):
    result = jeugdgov("validate", "--endpoint", "http://127.0.0.1:9/sparql", *option)
    assert result.returncode == 2 and "--in-store" in result.stderr and "Traceback" not in result.stderr


#: Commands with --lang, each run once so that it writes its message: what it says in each language.
SPOKEN = {
    "template": (["template", "--out", "{tmp}/t.xlsx"], "het sjabloon is geschreven naar", "wrote the template to"),
    "convert": (["convert", DATA / "flevoland-handelingskader.ttl", "--to", "xlsx", "--out", "{tmp}/f.xlsx"],
                "geschreven", "wrote"),
    "viz": (["viz", DATA / "flevoland-handelingskader.ttl", "--kind", "roles", "--out", "{tmp}/r.svg"],
            "geschreven (roles van flevoland-handelingskader)", "wrote"),
    "error": (["validate", "{tmp}/missing.ttl"], "fout:", "error:"),
}


@pytest.mark.parametrize("command", sorted(SPOKEN))
def test_the_command_line_speaks_the_chosen_language(tmp_path, command):
    arguments, dutch, english = SPOKEN[command]
    filled = [str(a).replace("{tmp}", str(tmp_path)) for a in arguments]
    def said(*options: str, env: dict[str, str | None] | None = None) -> str:
        return " ".join(jeugdgov(*filled, *options, env=env).stderr.split())  # as wrapped to the terminal

    in_dutch = said("--lang", "nl", env={"LANG": "C"})
    assert dutch in in_dutch and english not in in_dutch, in_dutch
    assert dutch in said(env={"LANG": "C"})
    in_english = said("--lang", "en")
    assert english in in_english and dutch not in in_english, in_english


def test_a_hint_is_introduced_in_the_chosen_language(tmp_path):
    refused = jeugdgov("validate", tmp_path / "missing.ttl", "--shapes", "nope", "--lang", "nl")
    assert refused.returncode == 2 and "\n  tip: " in refused.stderr, refused.stderr
    refused = jeugdgov("validate", tmp_path / "missing.ttl", "--shapes", "nope", "--lang", "en")
    assert "\n  hint: " in refused.stderr, refused.stderr


def test_on_a_terminal_the_command_shows_its_progress_and_then_the_findings():
    # Off a terminal the progress display is not even imported; on one it runs while validating.
    leader, follower = pty.openpty()
    command = subprocess.Popen([sys.executable, "-m", "jeugdgov", "validate", str(DATA / "lelystad.trig"),
                                "--setup", "lelystad-cooperatie", "--lang", "en"],
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    shown = b""
    with contextlib.suppress(OSError):  # the terminal reports EIO once the command has ended
        while chunk := os.read(leader, 65536):  # read as it comes: a full terminal would block it
            shown += chunk
    os.close(leader)
    assert command.wait(timeout=300) == 1
    assert b"17" in shown and b"finding" in shown and b"Traceback" not in shown


def test_version_names_the_package_and_the_shapes_it_checks_with():
    # What an auditor cites beside findings: the tool's version and which catalogue it ran.
    from importlib.metadata import version

    from jeugdgov.resources import shapes_digest

    done = jeugdgov("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"jeugdgov {version('jeugdgov')}, shapes {shapes_digest()[:12]}"
