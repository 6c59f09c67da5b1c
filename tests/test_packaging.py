"""Without its ontology, shapes or queries jeugdgov must refuse to run, never say "conforms"."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import DATA, ROOT

pytestmark = pytest.mark.slow  # each test runs the installed command


def run(command: str, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JEUGDGOV_HOME": str(home)}
    return subprocess.run([command, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    for folder in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.mark.parametrize("folder", ["ontology", "shapes"])
@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_validation_without_bundled_folder_is_refused(jeugdgov_command, home, folder, engine):
    shutil.rmtree(home / folder)
    result = run(jeugdgov_command, home, "validate", str(DATA / "lelystad.trig"), "--engine", engine)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"meegeleverde {folder} van jeugdgov ontbreekt of is leeg" in result.stderr  # Dutch by default
    assert "conforms" not in result.stdout
    assert "Traceback" not in result.stderr


def test_empty_shapes_files_are_refused(jeugdgov_command, home):
    for path in (home / "shapes").glob("*.ttl"):
        path.write_text("", encoding="utf-8")
    result = run(jeugdgov_command, home, "validate", str(DATA / "lelystad.trig"))
    assert result.returncode == 2
    assert "meegeleverde shapes van jeugdgov ontbreekt of is leeg" in result.stderr  # Dutch by default


def test_defect_list_without_ontology_is_refused(jeugdgov_command, home):
    shutil.rmtree(home / "ontology")
    result = run(jeugdgov_command, home, "defects")
    assert result.returncode == 2
    assert "meegeleverde ontology van jeugdgov ontbreekt of is leeg" in result.stderr  # Dutch by default


def test_shapes_files_without_triples_are_refused(jeugdgov_command, home):
    for path in (home / "shapes").glob("*.ttl"):
        path.write_text("# nothing but a comment\n", encoding="utf-8")
    result = run(jeugdgov_command, home, "validate", str(DATA / "lelystad.trig"))
    assert result.returncode == 2
    assert "bevatten geen triples" in result.stderr  # Dutch by default


def test_queries_without_bundled_queries_are_refused(jeugdgov_command, home):
    shutil.rmtree(home / "queries")
    result = run(jeugdgov_command, home, "queries")
    assert result.returncode == 2
    assert "meegeleverde queries van jeugdgov ontbreekt of is leeg" in result.stderr  # Dutch by default


def test_query_without_bundled_data_is_refused(jeugdgov_command, home):
    shutil.rmtree(home / "data")
    result = run(jeugdgov_command, home, "query", "setups")
    assert result.returncode == 2
    assert "meegeleverde data van jeugdgov ontbreekt of is leeg" in result.stderr  # Dutch by default
