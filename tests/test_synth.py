"""Synthetic national data: reproducible, within the ontology, and each planted defect is found
exactly, by the fast engine and by pySHACL, with nothing found in clean data."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import children_of, ctrl_c_reachable
from rdflib import Graph

from jeugdgov import InputError, load, validate
from jeugdgov.resources import is_vocabulary_term, ontology
from jeugdgov.synth import (
    Parameters,
    estimate,
    generate,
    planted_defects,
    read_planted,
)
from jeugdgov.validation.fast.parallel import validate_paths

#: Small enough for pySHACL, large enough for every defect and both kinds of region.
SMALL = {"regions": 3, "municipalities": 6, "providers": 12}


def digest(folder: Path) -> str:
    hashes = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashes.update(path.relative_to(folder).as_posix().encode())
            hashes.update(path.read_bytes())
    return hashes.hexdigest()


def planted_keys(folder: Path) -> Counter:
    return Counter((p.setup, p.defect, p.focus, p.value) for p in read_planted(folder))


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(Parameters(decisions=120, seed=3, rate=0.2, **SMALL), out)
    return out


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    params = Parameters(decisions=200, seed=11, **SMALL)
    generate(params, tmp_path / "a")
    generate(params, tmp_path / "b")
    generate(Parameters(decisions=200, seed=12, **SMALL), tmp_path / "c")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_the_generator_knows_where_to_plant_every_defect_it_plants():
    from jeugdgov.synth.country import POOLS

    missing = set(planted_defects()) - set(POOLS)
    assert not missing, (f"no pool for {sorted(missing)}: plant them (synth/country.py POOLS, writer.py) "
                         "or excuse them in NOT_PLANTED")


def test_every_governance_defect_is_planted(planted):
    assert {p.defect for p in read_planted(planted)} >= set(planted_defects(data_quality=False))


def test_data_uses_only_terms_the_ontology_defines_except_the_planted_typo(planted):
    defined = {str(s) for s in ontology().subjects()}
    used = set()
    for path in (planted / "setups").glob("*.nt"):
        graph = Graph().parse(path, format="nt")
        used |= {str(t) for triple in graph for t in triple if is_vocabulary_term(str(t))}
    typos = {p.value for p in read_planted(planted) if p.defect == "undefined-term"}
    assert used - defined == typos


def test_fast_engine_finds_exactly_what_was_planted(planted):
    reports = validate_paths([planted / "setups"], workers=1)
    found = Counter((f.setup, f.defect, f.focus, f.value) for r in reports for f in r.findings)
    assert found == planted_keys(planted)
    # The generator states the absences it plants: every planted finding is established.
    assert {f.evidence for r in reports for f in r.findings} == {"established"}


@pytest.mark.slow
def test_pyshacl_finds_exactly_what_was_planted(tmp_path):
    # The smallest layout that holds every defect of the catalogue, data quality included.
    generate(Parameters(decisions=30, seed=5, rate=0.1, regions=2, municipalities=6, providers=12), tmp_path)
    assert {p.defect for p in read_planted(tmp_path)} == set(planted_defects())
    setups = load(tmp_path / "setups")
    reference = [f for s in setups for f in validate(s, engine="pyshacl").findings]
    fast = [f for s in setups for f in validate(s, engine="fast").findings]
    assert Counter((f.setup, f.defect, f.focus, f.value) for f in reference) == planted_keys(tmp_path)
    # Both engines agree on what each finding rests on, too.
    assert (Counter((f.setup, f.defect, f.focus, f.value, f.evidence, f.sources) for f in reference)
            == Counter((f.setup, f.defect, f.focus, f.value, f.evidence, f.sources) for f in fast))


def test_clean_data_has_no_findings(tmp_path):
    generate(Parameters(decisions=300, seed=9, rate=0, **SMALL), tmp_path)
    assert read_planted(tmp_path) == []
    reports = validate_paths([tmp_path / "setups"], workers=2)
    assert len(reports) == SMALL["regions"]
    assert [f for r in reports for f in r.findings] == []


def test_estimate_matches_what_is_written(tmp_path):
    params = Parameters(decisions=2000, seed=1, **SMALL)
    summary = generate(params, tmp_path)
    guess = estimate(params)
    assert abs(guess.triples - summary.triples) < 0.02 * summary.triples
    written = sum(f.stat().st_size for f in (tmp_path / "setups").glob("*.nt"))
    assert 0.5 * written < guess.disk_bytes < 2 * written


def test_a_size_that_does_not_fit_is_refused_before_writing(tmp_path):
    out = tmp_path / "huge"
    with pytest.raises(InputError, match=r"decisions need about .* GB on disk"):
        generate(Parameters(decisions=1_900_000_000), out)
    assert not out.exists()


@pytest.mark.slow
def test_cli_writes_setups_and_planted_findings(tmp_path):
    command = Path(sys.executable).parent / "jeugdgov"
    result = subprocess.run([str(command), "synth", "--decisions", "50", "--out", str(tmp_path), "--regions", "2",
                             "--municipalities", "4", "--providers", "6", "--rate", "0.1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "planted.json").read_text())
    assert manifest["files"] == ["setups/synth-r01.nt", "setups/synth-r02.nt"]
    assert manifest["parameters"]["decisions"] == 50
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file or folder left
    refused = subprocess.run([str(command), "synth", "--decisions", "10", "--out", str(tmp_path / "x"),
                              "--regions", "5", "--municipalities", "6"], capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode == 2
    assert "twee gemeenten" in refused.stderr  # Dutch by default


def interrupt(command: list[str], when: Callable[[int], bool]) -> subprocess.CompletedProcess:
    """Run a command and press Ctrl-C (SIGINT to its process group) as soon as ``when(pid)`` holds.

    Waiting for a sign of the work itself, not a fixed time: on a loaded machine a fixed delay
    can fall before the command is under way or after it has finished.
    """
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=ctrl_c_reachable)
    deadline = time.monotonic() + 120
    while not when(process.pid):
        assert process.poll() is None, f"the command ended before it could be interrupted: {process.stderr.read()}"
        assert time.monotonic() < deadline, "the command never got under way"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def has_workers(pid: int) -> bool:
    """Whether a process has started child processes (validation's worker pool)."""
    return bool(children_of(pid))


@pytest.mark.slow
def test_interrupted_synth_leaves_nothing(tmp_path):
    command = Path(sys.executable).parent / "jeugdgov"
    # Two CPU seconds: the imports are done and generation is under way (5 million decisions take minutes).
    result = interrupt([str(command), "synth", "--decisions", "5000000", "--out", str(tmp_path)],
                       when=lambda pid: cpu_seconds(pid) > 2)
    assert result.returncode == 130
    assert "onderbroken" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_interrupted_validation_writes_no_report(tmp_path):
    generate(Parameters(decisions=20_000, seed=2), tmp_path)
    command = Path(sys.executable).parent / "jeugdgov"
    result = interrupt([str(command), "validate", str(tmp_path / "setups"), "--format", "json"], when=has_workers)
    assert result.returncode == 130
    assert result.stdout == ""
    assert "onderbroken: er is niets geschreven" in result.stderr
    assert "Traceback" not in result.stderr


def test_planted_defects_are_the_catalogue_defects_not_excused():
    from jeugdgov.synth import NOT_PLANTED
    from jeugdgov.validation.catalogue import defects

    assert set(planted_defects()) | set(NOT_PLANTED) == set(defects()), "excused ids the catalogue does not know"
    assert all(reason.strip() for reason in NOT_PLANTED.values())
