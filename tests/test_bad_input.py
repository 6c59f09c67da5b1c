"""Bad input, odd options and signals: a message and exit code 2 (or 143), never a traceback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time

import pytest
from helpers import DATA, children_of, jeugdgov

from jeugdgov.errors import InputError
from jeugdgov.limits import Limits
from jeugdgov.validation.fast.parallel import validate_paths

pytestmark = pytest.mark.slow  # each test reads a large or hostile input, some start the installed command

RDF_XML_BOMB = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><e:p>&h;</e:p></rdf:Description>
</rdf:RDF>
"""


def run(command: str, *args: object, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([command, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def assert_refused(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_token_over_parser_buffer_is_refused(tmp_path, engine):
    data = tmp_path / "long.ttl"
    data.write_text(f'<http://example.org/s> <http://example.org/p> "{"x" * (17 * 1024 * 1024)}" .\n')
    result = jeugdgov("validate", data, "--engine", engine)
    assert_refused(result, str(data))
    assert "MemoryError" not in result.stderr


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_long_literal_is_refused_naming_the_option(tmp_path, engine):
    data = tmp_path / "long.ttl"
    data.write_text(f'<http://example.org/s> <http://example.org/p> "{"x" * 2000}" .\n')
    assert_refused(jeugdgov("validate", data, "--engine", engine, "--max-literal", 1000),
                   "--max-literal", "http://example.org/s")
    # under the limit it is read: what is left to say is that the file holds no setup
    accepted = jeugdgov("validate", data, "--engine", engine, "--max-literal", 3000)
    assert accepted.returncode == 2 and "--max-literal" not in accepted.stderr and "jg:Setup" in accepted.stderr


SHORT_LINES = "".join(f'<http://example.org/s{n}> <http://example.org/p> "kort" .\n' for n in range(100))
LONG = f'<http://example.org/s> <http://example.org/p> "{"x" * 2000}"'


@pytest.mark.parametrize("name, text", [
    ("long.nt", f"{SHORT_LINES}{LONG} .\n"),
    ("long.nq", f"{SHORT_LINES}{LONG} <http://example.org/g> .\n"),
    ("long.ttl", '<http://example.org/s> <http://example.org/p> """' + "xx\n" * 1000 + '""" .\n'),
])
def test_a_long_literal_after_short_lines_or_over_many_lines_is_refused(tmp_path, name, text):
    data = tmp_path / name
    data.write_text(text)
    with pytest.raises(InputError, match="more than the limit of 1,000"):
        validate_paths([data], workers=1, limits=Limits(max_literal_chars=1000))


def test_n_triples_longer_than_the_literal_limit_with_short_lines_are_read(tmp_path):
    data = tmp_path / "short.nt"
    data.write_text(SHORT_LINES * 10)
    with pytest.raises(InputError, match="jg:Setup"):  # read: what is left to say is that it holds no setup
        validate_paths([data], workers=1, limits=Limits(max_literal_chars=1000))


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_large_file_is_refused_naming_the_option(engine):
    assert_refused(jeugdgov("validate", DATA / "lelystad.trig", "--engine", engine,
                       "--max-file-size", 100), "--max-file-size", "lelystad.trig")


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_rdf_xml_entity_bomb_is_refused_before_parsing(tmp_path, engine):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(RDF_XML_BOMB)
    assert_refused(jeugdgov("validate", bomb, "--engine", engine),
                   "bomb.rdf", "Turtle")


def test_rdf_xml_entity_bomb_is_refused_by_load(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(RDF_XML_BOMB)
    assert_refused(jeugdgov("load", bomb, "--store", tmp_path / "store"), "bomb.rdf")
    assert not (tmp_path / "store").exists()


def test_ill_typed_literal_is_a_finding_without_traceback(tmp_path):
    data = tmp_path / "date.ttl"
    data.write_text("""@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://example.org/setup> a <https://w3id.org/jeugdgov/def#Setup> ; dct:identifier "s" ;
    <https://w3id.org/jeugdgov/def#during> [ a time:ProperInterval ;
        time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date ] ] .
<http://example.org/i> a time:Instant ; time:inXSDDate "2020-13-45"^^xsd:date .
""")
    for engine in ("fast", "pyshacl"):
        result = jeugdgov("validate", data, "--engine", engine, "--format", "json")
        assert result.returncode == 1
        assert [f["defect"] for f in json.loads(result.stdout)["findings"]] == ["wrong-datatype"]
        assert result.stderr.strip() == ""


def test_query_with_service_is_refused(tmp_path):
    query = tmp_path / "remote.rq"
    query.write_text("# @title nl Op afstand\n# @title en Remote\n"
                     "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n")
    assert_refused(jeugdgov("query", query), "SERVICE", "remote.rq")


@pytest.mark.parametrize("option", [["--port", "99999"], ["--port", "-1"], ["--timeout", "-1"], ["--timeout", "0"],
                                    ["--workers", "0"], ["--max-request", "0"]])
def test_serve_refuses_nonsensical_numbers(jeugdgov_command, option):
    assert_refused(run(jeugdgov_command, "serve", *option, timeout=60), option[0])


def test_serve_on_a_port_in_use_says_so(jeugdgov_command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run(jeugdgov_command, "serve", DATA / "lelystad.trig", "--port", taken.getsockname()[1],
                     timeout=120)
    assert_refused(result, "--port")


def test_synth_out_is_an_existing_file(tmp_path):
    out = tmp_path / "taken"
    out.write_text("mine")
    assert_refused(jeugdgov("synth", "--decisions", 10, "--out", out, "--lang", "en"), "not a folder")
    assert out.read_text() == "mine"


def test_synth_refuses_huge_structure_at_once(tmp_path):
    started = time.monotonic()
    result = jeugdgov("synth", "--decisions", 10, "--municipalities", 100_000_000,
                 "--out", tmp_path / "out")
    assert_refused(result, "--municipalities")
    assert time.monotonic() - started < 60  # the dry run it replaced took many minutes
    assert not (tmp_path / "out").exists()


def test_viz_out_is_an_existing_folder(tmp_path):
    (tmp_path / "x.png").mkdir()
    assert_refused(jeugdgov("viz", DATA / "lelystad.trig", "--setup", "lelystad-jel",
                       "--kind", "roles", "--out", tmp_path / "x.png", "--lang", "en"), "folder")


def test_viz_backwards_setup_period_names_the_setup(tmp_path):
    data = tmp_path / "backwards.ttl"
    data.write_text("""@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/setup> a jg:Setup ; jg:during [ time:hasBeginning [ time:inXSDDate "2020-01-01"^^xsd:date ] ;
    time:hasEnd [ time:inXSDDate "2019-01-01"^^xsd:date ] ] .
<http://example.org/m> a jg:Municipality .
""")
    result = jeugdgov("viz", data, "--kind", "roles", "--out", tmp_path / "roles.svg")
    assert_refused(result, str(data), "http://example.org/setup")
    assert "--period-start" not in result.stderr


def test_sigterm_during_validate_stops_quietly(jeugdgov_command, tmp_path):
    out = tmp_path / "nl"
    assert run(jeugdgov_command, "synth", "--decisions", 20000, "--out", out).returncode == 0
    process = subprocess.Popen([jeugdgov_command, "validate", out / "setups"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    # Wait until the workers run (the command has children), then stop it as a service manager would.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not children_of(process.pid):
        time.sleep(0.05)
    assert children_of(process.pid), "the validation started no workers"
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == ["beëindigd: er is niets geschreven (geen rapport, geen halve uitvoer)"]


def test_validation_time_is_linear_in_literal_length(tmp_path):
    """A long literal in a finding and in the setup's label: rdflib's N-Triples parser took quadratic time."""
    def timed(length: int) -> float:
        text = "x" * length
        data = tmp_path / f"long-{length}.ttl"
        data.write_text(f"""@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/setup> a jg:Setup ; rdfs:label "{text}" .
<http://example.org/m> a jg:Municipality . <http://example.org/p> a jg:CareProvider .
<http://example.org/s> a jg:Subsidy ; jg:payer <http://example.org/m> ; jg:payee <http://example.org/p> ;
    jg:amount "{text}" .
""")
        best = float("inf")
        for _ in range(2):  # the best of two: a loaded machine slows single runs
            started = time.process_time()
            (report,) = validate_paths([data], workers=1, limits=Limits(max_literal_chars=10 * length))
            best = min(best, time.process_time() - started)
        assert "wrong-datatype" in {f.defect for f in report.findings}
        return best

    timed(1000)  # warm the caches of the shapes and the ontology
    short, long = timed(200_000), timed(1_600_000)
    assert long < 16 * short + 0.5, (short, long)  # eight times the length; quadratic took 64 times
