"""Every command reads its files through the same guard: what `validate` refuses, `report`,
`convert`, `viz`, `compare` and the pySHACL engine refuse too, before any parser runs."""

from __future__ import annotations

import http.server
import json
import os
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import DATA
from servers import serving
from typer.testing import CliRunner

from jeugdgov import cli
from jeugdgov.errors import InputError
from jeugdgov.limits import MAX_JSON_DEPTH, MAX_WORKBOOK_CELLS, declares_dtd, json_depth

SETUP = DATA / "flevoland-handelingskader.ttl"

#: each command with the arguments it needs around the file it reads
COMMANDS = {
    "validate": lambda data, out: ["validate", str(data)],
    "validate-pyshacl": lambda data, out: ["validate", str(data), "--engine", "pyshacl"],
    "report": lambda data, out: ["report", str(data), "--out", str(out / "report.html")],
    "convert": lambda data, out: ["convert", str(data), "--to", "trig", "--out", str(out / "out.trig")],
    "viz": lambda data, out: ["viz", str(data), "--kind", "roles", "--out", str(out / "roles.svg")],
    "compare": lambda data, out: ["compare", str(data), str(SETUP)],
}

BOMB_ENTITIES = "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">\n' for n in range(7))
BOMB = (f'<!DOCTYPE rdf:RDF [\n<!ENTITY a "{"a" * 70}">\n{BOMB_ENTITIES}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/s"><e:p>&h;</e:p></rdf:Description>\n</rdf:RDF>\n')


def refusal(args: list[str]) -> InputError:
    """Run a command in this process; the InputError it ends with (exit code 2 in main())."""
    result = CliRunner().invoke(cli.app, args)
    assert isinstance(result.exception, InputError), (result.exit_code, result.output, result.exception)
    return result.exception


class _Contexts(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b'{"@context": {"ex": "http://example.org/"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def context_server() -> Iterator[str]:
    with serving(_Contexts, "/context.jsonld") as url:
        yield url


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("context", ["url", "import", "import-in-list", "nested"])
def test_no_command_fetches_a_remote_json_ld_context(tmp_path, context_server, command, context):
    value = {"url": context_server, "import": {"@import": context_server},
             "import-in-list": [{"ex": "http://example.org/"}, {"@import": context_server}],
             "nested": {"ex": "http://example.org/", "ex:p": {"@id": "ex:p", "@context": {"@import": context_server}}}}
    data = tmp_path / "remote.jsonld"
    data.write_text(json.dumps({"@context": value[context], "@id": "ex:s", "ex:p": {"ex:q": "o"}}))
    before = len(_Contexts.requests)
    error = refusal(COMMANDS[command](data, tmp_path))
    assert "@context" in str(error) and error.file == data
    assert _Contexts.requests[before:] == []


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("variant", ["utf-16 without a mark", "after a long comment", "utf-16 with a mark",
                                     "declared latin-1"])
def test_no_command_expands_a_document_type(tmp_path, command, variant):
    data = tmp_path / "bomb.rdf"
    if variant == "utf-16 without a mark":
        data.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>\n' + BOMB).encode("utf-16-le"))
    elif variant == "after a long comment":
        data.write_text(f'<?xml version="1.0"?>\n<!--{"x" * (3 << 20)}-->\n{BOMB}')
    elif variant == "utf-16 with a mark":
        data.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>\n' + BOMB).encode("utf-16"))
    else:
        data.write_bytes(('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + BOMB).encode("latin-1"))
    assert declares_dtd(data)
    error = refusal(COMMANDS[command](data, tmp_path))
    assert "document type" in str(error) and error.file == data


def test_an_ordinary_rdf_xml_file_declares_no_document_type(tmp_path):
    data = tmp_path / "plain.rdf"
    data.write_bytes(BOMB.split("]>\n", 1)[1].encode("utf-16"))
    assert not declares_dtd(data)


@pytest.mark.parametrize("command", COMMANDS)
def test_json_nested_too_deep_is_refused_before_the_parser_overflows(tmp_path, command):
    data = tmp_path / "deep.jsonld"
    depth = 4000
    data.write_text('{"@context": {"ex": "http://example.org/"}, "@id": "ex:s", "ex:p": '
                    + '{"ex:p": ' * depth + '"o"' + "}" * depth + "}")
    error = refusal(COMMANDS[command](data, tmp_path))
    assert f"more than {MAX_JSON_DEPTH} levels" in str(error)


def test_json_depth_counts_brackets_outside_strings():
    assert json_depth('{"a": [1, {"b": "[[[{{{"}], "c": "\\"]"}') == 3
    assert json_depth("[]") == 1 and json_depth('"x"') == 0


def _workbook_of(path: Path, cells: int) -> None:
    """An .xlsx whose sheet holds ``cells`` cells: small packed, large unpacked."""
    rows = "".join(f'<row r="{r}">' + '<c t="n"><v>1</v></c>' * 1000 + "</row>" for r in range(1, cells // 1000 + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>")


@pytest.mark.parametrize("command", ["validate", "report", "convert"])
def test_a_workbook_with_too_many_cells_is_refused_before_it_is_read(tmp_path, command):
    data = tmp_path / "bomb.xlsx"
    _workbook_of(data, MAX_WORKBOOK_CELLS + 1000)
    assert data.stat().st_size < 2 * 1024**2
    error = refusal(COMMANDS[command](data, tmp_path))
    assert "cells" in str(error) and error.file == data


def _alarm(*_args: object) -> None:
    raise TimeoutError("the command blocked on the named pipe")


@pytest.mark.parametrize("command", [*COMMANDS, "load"])
@pytest.mark.parametrize("suffix", [".ttl", ".xlsx"])
def test_a_named_pipe_is_refused_not_read(tmp_path, command, suffix):
    pipe = tmp_path / f"pipe{suffix}"
    os.mkfifo(pipe)
    arguments = (["load", str(pipe), "--store", str(tmp_path / "store")] if command == "load"
                 else COMMANDS[command](pipe, tmp_path))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        error = refusal(arguments)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "named pipe" in str(error) and error.file == pipe


@pytest.mark.parametrize("command", COMMANDS)
def test_an_iri_longer_than_the_parser_reads_is_refused_by_every_command(tmp_path, command):
    data = tmp_path / "long.ttl"
    data.write_text(f'<http://example.org/{"x" * (17 * 1024**2)}> a <https://w3id.org/jeugdgov/def#Setup> .\n')
    error = refusal(COMMANDS[command](data, tmp_path))
    assert "longer than the parser can read" in str(error) and error.file == data


def test_n_triples_are_read_in_time_linear_in_a_literals_length(tmp_path):
    """Every reader, not only validation's: rdflib's N-Triples parser took quadratic time (1 MiB: 7 s)."""
    import time

    from jeugdgov.limits import Limits
    from jeugdgov.setups import parse_file

    def timed(length: int) -> float:
        data = tmp_path / f"long-{length}.nt"
        data.write_text(f'<http://example.org/s> <http://example.org/p> "{"x" * length}" .\n'
                        '<http://example.org/s> <http://example.org/q> "a\\nb"@nl .\n')
        started = time.process_time()
        dataset = parse_file(data, Limits(max_literal_chars=10 * length))
        assert len(dataset) == 2
        return time.process_time() - started

    timed(1000)
    short, long = timed(100_000), timed(1_600_000)
    assert long < 32 * short + 0.5, (short, long)  # sixteen times the length; quadratic took 256 times


@pytest.mark.parametrize("command", COMMANDS)
def test_rdf_xml_nested_too_deep_is_refused_before_the_parser_slows_down(tmp_path, command):
    from jeugdgov.limits import MAX_XML_DEPTH

    depth = 20_000  # 30 s in pyoxigraph's parser, time quadratic in the depth
    data = tmp_path / "deep.rdf"
    data.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:e="http://example.org/">' + '<rdf:Description rdf:about="http://example.org/s"><e:p>' * depth
                    + "x" + "</e:p></rdf:Description>" * depth + "</rdf:RDF>\n")
    error = refusal(COMMANDS[command](data, tmp_path))
    assert f"more than {MAX_XML_DEPTH} elements" in str(error) and error.file == data


@pytest.mark.parametrize("where", ["first line", "across a megabyte", "last line, no newline", "nowhere"])
def test_a_long_line_is_seen_wherever_it_falls(tmp_path, where):
    from jeugdgov.limits import Limits, may_hold_long_literal

    limit = Limits(max_literal_chars=5000)
    short = b"<urn:a> <urn:b> <urn:c> .\n"
    long = b'<urn:a> <urn:b> "' + b"x" * 5000 + b'" .'
    filler = short * ((1 << 20) // len(short) - 50)  # the long line then crosses the first megabyte
    content = {"first line": long + b"\n" + filler, "across a megabyte": filler + long + b"\n" + short,
               "last line, no newline": filler + short * 100 + long, "nowhere": filler * 2}[where]
    path = tmp_path / "data.nt"
    path.write_bytes(content)
    assert may_hold_long_literal(path, limit) is (where != "nowhere")
    assert not may_hold_long_literal(path, Limits(max_literal_chars=6000))
