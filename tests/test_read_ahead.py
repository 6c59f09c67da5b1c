"""Reading the file of `jeugdgov validate FILE` while the command starts: used only when it is
the very file, unchanged, and never a source of other answers or errors than reading it later."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import DATA

from jeugdgov import read_ahead

TURTLE = ox.RdfFormat.TURTLE
FACTS = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b ex:d .\n"


@pytest.fixture(autouse=True)
def nothing_left_behind():
    yield
    read_ahead.discard_except(None)


@pytest.fixture
def setup_file(tmp_path: Path) -> Path:
    path = tmp_path / "setup.ttl"
    path.write_text(FACTS)
    return path


def test_the_file_of_a_validation_is_read_once_and_handed_over(setup_file: Path):
    read_ahead.start(["validate", str(setup_file), "--format", "json"])
    store = read_ahead.take(setup_file, TURTLE)
    assert store is not None and len(store) == 2
    assert read_ahead.take(setup_file, TURTLE) is None  # once


def test_a_file_written_again_after_the_read_began_is_not_handed_over(setup_file: Path):
    read_ahead.start(["validate", str(setup_file)])
    setup_file.write_text(FACTS + "ex:a ex:b ex:e .\n")
    status = setup_file.stat()
    os.utime(setup_file, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    assert read_ahead.take(setup_file, TURTLE) is None


def test_another_format_or_another_file_is_not_handed_over(setup_file: Path, tmp_path: Path):
    read_ahead.start(["validate", str(setup_file)])
    assert read_ahead.take(tmp_path / "other.ttl", TURTLE) is None
    assert read_ahead.take(setup_file, ox.RdfFormat.N_TRIPLES) is None


def test_a_file_that_does_not_parse_is_left_to_validation(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(FACTS + "ex:a ex:b .\n")
    read_ahead.start(["validate", str(broken)])
    assert read_ahead.take(broken, TURTLE) is None


@pytest.mark.parametrize("arguments", [
    ["query", "{file}"],  # not a validation
    ["validate", "{file}", "{other}"],  # two files: which one is validated is not guessed
    ["validate", "{file}", "--max-file-size", "10"],  # over the limit given
    ["validate", "{file}", "--max-file-size=10"],
    ["validate", "{file}", "--max-file-size", "ten"],  # a limit that cannot be read
    ["validate", "{xml}"],  # RDF/XML may declare entities: read only after the checks
])
def test_no_read_ahead_where_it_could_read_more_or_other_than_validation(setup_file: Path, tmp_path: Path,
                                                                         arguments: list[str]):
    other, xml = tmp_path / "other.nt", tmp_path / "setup.rdf"
    other.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    xml.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    read_ahead.start([a.format(file=setup_file, other=other, xml=xml) for a in arguments])
    assert read_ahead.take(setup_file, TURTLE) is None
    assert read_ahead.take(other, ox.RdfFormat.N_TRIPLES) is None


def test_reads_of_other_files_are_waited_for_and_dropped_before_a_fork(setup_file: Path, tmp_path: Path):
    read_ahead.start(["validate", str(setup_file)])
    read_ahead.discard_except(tmp_path / "validated.nt")
    assert read_ahead.take(setup_file, TURTLE) is None
    read_ahead.start(["validate", str(setup_file)])
    read_ahead.discard_except(setup_file)
    assert read_ahead.take(setup_file, TURTLE) is not None


def run(*arguments: object) -> subprocess.CompletedProcess[str]:
    """The command as installed: its entry point, in a process of its own."""
    return subprocess.run([sys.executable, "-m", "jeugdgov", *map(str, arguments)],
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_command_reads_ahead_and_answers_as_without(tmp_path: Path):
    # The read-ahead path (one Turtle file named) and the path without it (the same file
    # through a folder, which is not read ahead) must give the same document.
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "lelystad.trig").write_text((DATA / "lelystad.trig").read_text())
    ahead = run("validate", folder / "lelystad.trig", "--format", "json", "--as-of", "2024-01-01")
    without = run("validate", folder, "--format", "json", "--as-of", "2024-01-01")
    assert ahead.returncode == without.returncode == 1
    assert ahead.stdout == without.stdout


def test_a_broken_file_read_ahead_is_reported_with_its_line(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(FACTS + "ex:a ex:b .\n")
    answer = run("validate", broken, "--lang", "en")
    assert answer.returncode == 2
    assert "line 4" in answer.stderr and "Traceback" not in answer.stderr


def test_the_command_validates_the_store_it_read_ahead(monkeypatch, capsys):
    reads: list[Path] = []

    def counted(path: Path, file_format: ox.RdfFormat) -> ox.Store:
        reads.append(path)
        return load(path, file_format)

    load = read_ahead.load
    monkeypatch.setattr(read_ahead, "load", counted)
    monkeypatch.setattr(sys, "argv", ["jeugdgov", "validate", str(DATA / "lelystad.trig"), "--format", "json"])
    from jeugdgov.__main__ import main

    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 1 and '"findings"' in capsys.readouterr().out
    assert reads == [(DATA / "lelystad.trig").resolve()]  # read once, ahead, and not again
