"""A failed write of an output (no such folder, not a folder, a full disk) is bad input: exit
code 2, the path and the reason, nothing half-written, never a traceback and exit code 1."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys

import pytest
from helpers import DATA
from typer.testing import CliRunner

from jeugdgov import cli
from jeugdgov.errors import InputError

SETUP = DATA / "flevoland-handelingskader.ttl"

#: each command that writes --out, with the output's name
WRITERS = {
    "report": (["report", str(SETUP)], "report.html"),
    "viz": (["viz", str(SETUP), "--kind", "roles"], "roles.svg"),
    "convert-xlsx": (["convert", str(SETUP), "--to", "xlsx"], "setup.xlsx"),
    "convert-csv": (["convert", str(SETUP), "--to", "csv"], "setup"),
    "convert-trig": (["convert", str(SETUP), "--to", "trig"], "setup.trig"),
    "template": (["template"], "template.xlsx"),
    "template-norms": (["template", "--norms"], "normenkader.xlsx"),
}


@pytest.mark.parametrize("command", WRITERS)
def test_an_output_under_a_file_is_refused_naming_it(tmp_path, command):
    arguments, name = WRITERS[command]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / name
    result = CliRunner().invoke(cli.app, [*arguments, "--out", str(out)])
    assert isinstance(result.exception, InputError), result.exception  # exit code 2 in main()
    assert str(out) in str(result.exception) or str(blocker) in str(result.exception)
    assert blocker.read_text() == "not a folder"


def _small_disk() -> None:
    """In the child: a write past 512 bytes fails as on a full disk (EFBIG instead of ENOSPC)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))


@pytest.mark.slow
@pytest.mark.parametrize("command", WRITERS)
def test_a_full_disk_is_exit_code_2_with_the_path_and_nothing_left(tmp_path, command):
    arguments, name = WRITERS[command]
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = subprocess.run([sys.executable, "-m", "jeugdgov", *arguments, "--out", str(out)], capture_output=True,
                            text=True, timeout=300, preexec_fn=_small_disk)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and str(out) in result.stderr and "too large" in result.stderr
    assert list(out.parent.iterdir()) == []  # no partial file, no temporary one


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    from jeugdgov.output import atomic_write

    out = tmp_path / "table.csv"
    out.write_text("old")

    def fails_half_way(path):
        path.write_text("half")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        atomic_write(out, fails_half_way)
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"] and out.read_text() == "old"
    atomic_write(out, lambda path: path.write_text("new"))
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"] and out.read_text() == "new"


def test_a_folder_is_replaced_whole_and_a_missing_parent_named(tmp_path):
    from jeugdgov.output import replacing_folder

    out = tmp_path / "csv"
    out.mkdir()
    (out / "old.csv").write_text("old")
    with replacing_folder(out) as temporary:
        (temporary / "new.csv").write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["csv"] and [p.name for p in out.iterdir()] == ["new.csv"]
    with pytest.raises(InputError, match="does not exist") as refused, replacing_folder(tmp_path / "missing" / "csv"):
        pass
    assert str(tmp_path / "missing") in str(refused.value)
