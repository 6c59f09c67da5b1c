"""Fuzzing the readers: random bytes, truncated files of each format and mutated bundled files
give a clear InputError (exit 2) or a result — never a traceback, never exit 1 without findings,
never minutes of work."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from helpers import DATA, jeugdgov
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef

from jeugdgov import InputError, load, validate
from jeugdgov.validation.fast.parallel import validate_paths

pytestmark = pytest.mark.slow

#: Far above what any example here needs, far below the minutes a quadratic reader takes.
SECONDS = 20
SEED = DATA / "flevoland-handelingskader.ttl"
FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml"}


def seed_files() -> dict[str, bytes]:
    """The bundled Flevoland setup in every format jeugdgov reads."""
    triples = Graph().parse(SEED, format="turtle")
    quads = Dataset()
    graph = quads.graph(URIRef("https://w3id.org/jeugdgov/id/flevoland/setup"))
    for triple in triples:
        graph.add(triple)
    seeds = {}
    for suffix, fmt in FORMATS.items():
        source = quads if fmt in ("trig", "nquads") else triples
        seeds[suffix] = source.serialize(format=fmt, encoding="utf-8")
    return seeds


SEEDS = seed_files()


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = SEEDS[suffix]
    kind = draw(st.sampled_from(["random", "truncated", "mutated"]))
    if kind == "random":
        return suffix, draw(st.binary(max_size=2000))
    if kind == "truncated":
        return suffix, data[: draw(st.integers(0, len(data) - 1))]
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        cut = draw(st.integers(0, 40))
        data = data[:at] + draw(st.binary(max_size=40)) + data[at + cut:]
    return suffix, data


def write(tmp_path: Path, suffix: str, data: bytes) -> Path:
    path = tmp_path / f"setup{suffix}"
    path.write_bytes(data)
    return path


def timed(work) -> object:
    started = time.monotonic()
    try:
        return work()
    finally:
        assert time.monotonic() - started < SECONDS


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(damaged_files())
def test_fast_engine_reads_damaged_files_or_says_why(tmp_path, damaged):
    path = write(tmp_path, *damaged)
    try:
        reports = timed(lambda: validate_paths([path], workers=1, with_shacl_report=False))
    except InputError as error:
        assert str(path) in str(error)
        return
    assert all(r.conforms == (not r.findings) for r in reports)


def test_an_iri_that_rdflib_reads_but_oxigraph_refuses_is_bad_input(tmp_path):
    """rdflib reads <!https://...> from N-Quads; the fast engine cannot hold it, so loading refuses it
    (N-Quads are read by pyoxigraph, whose parser names the line and the bad character)."""
    path = write(tmp_path, ".nq", b'<!https://w3id.org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                 b'<https://w3id.org/jeugdgov/def#Setup> <https://w3id.org/g> .\n')
    with pytest.raises(InputError, match="Invalid IRI") as raised:
        load(path)
    assert f"{path}:1" in str(raised.value)


@FUZZ
@given(damaged_files())
def test_rdflib_reader_reads_damaged_files_or_says_why(tmp_path, damaged):
    path = write(tmp_path, *damaged)
    try:
        timed(lambda: [validate(setup) for setup in load(path)])
    except InputError as error:
        assert str(path) in str(error)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged_files(), st.sampled_from(["fast", "pyshacl"]))
def test_command_exits_honestly_on_damaged_files(tmp_path, damaged, engine):
    path = write(tmp_path, *damaged)
    result = jeugdgov("validate", path, "--format", "json", "--engine", engine)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
    if result.returncode == 2:
        assert result.stderr.startswith("fout:") and str(path) in result.stderr  # in Dutch, the default
    else:
        findings = json.loads(result.stdout)["findings"]
        assert bool(findings) == (result.returncode == 1)
