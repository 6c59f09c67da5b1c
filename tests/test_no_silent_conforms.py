"""Nothing checked is never "conforms": input that describes no setup, or is cut off, is refused."""

from __future__ import annotations

import pytest
from helpers import DATA, ENGINES
from typer.testing import CliRunner

from jeugdgov import cli
from jeugdgov.errors import InputError

NO_SETUP = '<http://example.org/s> <http://example.org/p> "o" .\n'


def outcome(args: list[str]):
    return CliRunner().invoke(cli.app, args)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_file_without_a_setup_is_an_error_naming_the_file(tmp_path, engine):
    data = tmp_path / "nothing.ttl"
    data.write_text(NO_SETUP)
    result = outcome(["validate", str(data), "--engine", engine])
    assert isinstance(result.exception, InputError)  # exit code 2 in main()
    assert "no jg:Setup" in str(result.exception) and str(data) in str(result.exception)


def test_a_store_without_a_setup_is_an_error(tmp_path):
    data = tmp_path / "nothing.ttl"
    data.write_text(NO_SETUP)
    store = tmp_path / "store"
    assert outcome(["load", str(data), "--store", str(store)]).exit_code == 0
    result = outcome(["validate", "--store", str(store)])
    assert isinstance(result.exception, InputError) and "no jg:Setup" in str(result.exception)


def test_a_file_without_a_setup_beside_setups_is_read_with_them(tmp_path):
    data = tmp_path / "costs.ttl"
    data.write_text(NO_SETUP)
    result = outcome(["validate", str(data), str(DATA / "flevoland-handelingskader.ttl")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


@pytest.mark.parametrize("engine", ENGINES)
def test_a_turtle_file_cut_inside_a_statement_is_a_syntax_error(tmp_path, engine):
    whole = (DATA / "flevoland-handelingskader.ttl").read_text(encoding="utf-8")
    cut = tmp_path / "cut.ttl"
    cut.write_text(whole[:whole.rindex(" ;\n", 0, len(whole) // 2) + 3], encoding="utf-8")  # in a statement
    result = outcome(["validate", str(cut), "--engine", engine])
    assert isinstance(result.exception, InputError) and "syntax" in str(result.exception).lower()

