"""Workbooks: the template, a workbook filled by hand, the bundled cases converted and read back
(.xlsx, CSV folder, ODS), every kind of bad input refused with sheet, row and column, and
data-quality findings that name the row they came from."""

from __future__ import annotations

import csv
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from helpers import DATA, ROOT
from openpyxl import load_workbook
from rdflib import URIRef
from workbook_filling import cooperative_rows, filled_template, set_about, write_ods

from jeugdgov import load, validate
from jeugdgov.cli import main
from jeugdgov.errors import InputError
from jeugdgov.limits import Limits
from jeugdgov.setups import parse_file
from jeugdgov.workbook import contents_from, read_workbook, write_template, write_workbook
from jeugdgov.workbook.mapping import mapping

EXAMPLES = ROOT / "examples"
#: Each example workbook and the bundled file it is converted from.
CASES = {"lelystad": "lelystad.trig", "zhz": "zhz.trig", "flevoland-handelingskader": "flevoland-handelingskader.ttl"}
SLOW_CASES = {"zhz"}


def evidence(reports) -> dict[str, set[tuple[str, str, str | None, str]]]:
    """What the round trip must keep: per setup, each finding's defect, focus, value and evidence."""
    return {r.setup.name: {(f.defect, f.focus, f.value, f.evidence) for f in r.findings} for r in reports}


def jeugdgov(capsys, monkeypatch, *args: object) -> tuple[int, str]:
    """Run the command in this process; its exit code and what it wrote to stderr."""
    monkeypatch.setattr(sys, "argv", ["jeugdgov", *map(str, args)])
    with pytest.raises(SystemExit) as done:
        main()
    return done.value.code or 0, capsys.readouterr().err


def cell_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's values, row by row, without trailing empty rows (openpyxl's bytes differ per run)."""
    book = load_workbook(path)
    sheets = {}
    for sheet in book.worksheets:
        rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        sheets[sheet.title] = rows
    return sheets


@pytest.fixture(scope="module")
def trig_findings() -> dict[str, set]:
    return evidence(validate(DATA / "lelystad.trig"))


# -- the template --------------------------------------------------------------------------------

def test_template_has_the_sheets_in_collecting_order_with_two_header_rows_lists_and_version(tmp_path, capsys,
                                                                                         monkeypatch):
    out = tmp_path / "setup.xlsx"
    code, err = jeugdgov(capsys, monkeypatch, "template", "--out", out)
    assert code == 0, err
    book = load_workbook(out)
    assert book.sheetnames[:8] == ["instructies", "inrichtingen", "actoren", "rollen", "bevoegdheden", "mandaten",
                                   "besluiten", "afspraken"]
    roles = book["rollen"]
    dutch = [c.value for c in roles[1]]
    english = [c.value for c in roles[2]]
    assert dutch[:4] == ["inrichting", "id", "partij", "rol"] and english[:4] == ["setup", "id", "party", "role"]
    assert "bron" in dutch and "bewering van" in dutch
    role_column = roles.cell(row=1, column=dutch.index("rol") + 1).column_letter
    validations = {str(v.sqref): v.formula1 for v in roles.data_validations.dataValidation}
    assert validations[f"{role_column}3:{role_column}502"].startswith("'lijsten'!")
    lists = book["lijsten"]
    assert lists.sheet_state == "hidden"
    assert "opdrachtgever" in [c.value for column in lists.iter_cols() for c in column]
    about = {row[0].value: row[1].value for row in book["werkboek"].iter_rows()}
    assert about["sjabloonversie"] == mapping().version
    instructions = " ".join(str(c.value) for row in book["instructies"].iter_rows() for c in row if c.value)
    assert "onbekend" in instructions and "rollen" in instructions
    assert roles["A1"].comment is not None


def test_template_in_english(tmp_path):
    out = tmp_path / "setup.xlsx"
    write_template(out, "en")
    book = load_workbook(out)
    assert "roles" in book.sheetnames and "workbook" in book.sheetnames
    assert [c.value for c in book["roles"][1]][:4] == ["setup", "id", "party", "role"]
    assert "commissioner" in [c.value for column in book["lists"].iter_cols() for c in column]


def test_an_empty_template_is_refused_as_describing_nothing(tmp_path):
    out = tmp_path / "setup.xlsx"
    write_template(out)
    with pytest.raises(InputError, match="describes nothing"):
        load(out)


# -- filled by hand ------------------------------------------------------------------------------

def test_cooperative_phase_filled_by_hand_gives_the_findings_of_the_trig(tmp_path, trig_findings):
    book = filled_template(tmp_path / "lelystad.xlsx", cooperative_rows())
    found = evidence(validate(book))
    assert list(found) == ["lelystad-cooperatie"]
    assert found["lelystad-cooperatie"] == trig_findings["lelystad-cooperatie"]
    # The report's ten established findings, and the questions it leaves open (tests/test_cases.py).
    assert len([f for f in found["lelystad-cooperatie"] if f[-1] == "established"]) == 10


def test_a_row_cites_a_users_own_report_section_and_another_is_a_partys_claim(tmp_path, trig_findings):
    """The cooperative phase typed in, with the pass-through cited to a section of the user's own
    report (sheet 'bronnen') that settles what Lelystad's report leaves open (the decision does not
    permit passing the subsidy on), and the members' account to the board resting on the board's word."""
    rows = cooperative_rows()
    _row(rows, "afspraken", "subsidiebeschikking-leden-2018")["doorgeven toegestaan"] = "nee"
    rows["bronnen"] = [
        {"id": "accountant-2019", "soort": "rapport", "naam (nl)": "Accountantsverslag JGT 2019"},
        {"id": "accountant-2019-4", "soort": "rapportonderdeel", "deel van rapport": "accountant-2019",
         "naam (nl)": "Accountantsverslag JGT 2019, 4"},
    ]
    _row(rows, "geldstromen", "doorbetaling-cooperatie")["bron"] = "accountant-2019-4"
    _row(rows, "verantwoording", "verantwoording-leden-aan-directie")["bewering van"] = "directie-cooperatie"
    book = filled_template(tmp_path / "lelystad.xlsx", rows)
    (report,) = validate(book)
    assert {(f.defect, f.focus, f.value) for f in report.findings} == {
        (defect, focus, value) for defect, focus, value, _evidence in trig_findings["lelystad-cooperatie"]}
    base = "https://w3id.org/jeugdgov/id/lelystad/"
    passed_on = next(f for f in report.findings if f.defect == "subsidy-passed-on")
    assert passed_on.evidence == "established" and passed_on.sources == (base + "accountant-2019-4",)
    claimed = next(f for f in report.findings if f.defect == "money-vs-accountability"
                   and f.focus == base + "verantwoording-leden-aan-directie")
    assert claimed.evidence == "alleged" and "Directie coöperatie JGT" in claimed.message("nl")
    others = {(f.defect, f.focus, f.value, f.evidence) for f in report.findings if f not in (passed_on, claimed)}
    assert others == {f for f in trig_findings["lelystad-cooperatie"]
                      if f[:3] not in {(g.defect, g.focus, g.value) for g in (passed_on, claimed)}}


def test_findings_name_their_row_and_questions_the_cell_to_fill_in(tmp_path):
    rows = cooperative_rows()
    del _row(rows, "afspraken", "samenwerkingsovereenkomst-2018")["geëvalueerd"]
    (report,) = validate(filled_template(tmp_path / "lelystad.xlsx", rows))
    question = next(f for f in report.findings if f.defect == "no-evaluation")
    assert question.evidence == "unrecorded"
    assert "blad 'afspraken', rij 3; vul in: blad 'afspraken', kolom 'geëvalueerd'" in question.message("nl")
    assert "sheet 'afspraken', row 3; fill in: sheet 'afspraken', column 'geëvalueerd'" in question.message("en")
    # Left open in the source ("onduidelijk"), a question also names the cell that settles it.
    passed_on = next(f for f in report.findings if f.defect == "subsidy-passed-on")
    assert passed_on.evidence == "unrecorded"
    assert ("(blad 'geldstromen', rij 5; vul in: blad 'afspraken', kolom 'doorgeven toegestaan')"
            in passed_on.message("nl"))


def test_a_cell_of_a_none_or_unknown_column_takes_nothing_else(tmp_path):
    rows = cooperative_rows()
    _row(rows, "afspraken", "samenwerkingsovereenkomst-2018")["geëvalueerd"] = "2019-05-01"
    with pytest.raises(InputError, match=r"column 'geëvalueerd'.*only says none or unknown"):
        load(filled_template(tmp_path / "lelystad.xlsx", rows))


def test_a_source_neither_bundled_nor_on_the_sources_sheet_names_that_sheet(tmp_path):
    rows = cooperative_rows()
    _row(rows, "geldstromen", "doorbetaling-cooperatie")["bron"] = "accountant-2019-4"
    with pytest.raises(InputError, match="add it to the sheet 'bronnen'"):
        load(filled_template(tmp_path / "lelystad.xlsx", rows))


@pytest.mark.slow  # three commands, one of them drawing
def test_every_command_reads_a_workbook(tmp_path, capsys, monkeypatch):
    book = filled_template(tmp_path / "lelystad.xlsx", cooperative_rows())
    code, err = jeugdgov(capsys, monkeypatch, "validate", book, "--format", "json")
    assert code == 1, err  # findings
    code, err = jeugdgov(capsys, monkeypatch, "load", book, "--store", tmp_path / "store")
    assert code == 0, err
    assert "benoemde grafen" in err  # Dutch by default
    code, err = jeugdgov(capsys, monkeypatch, "viz", book, "--kind", "money", "--out", tmp_path / "money.svg")
    assert code == 0, err
    assert (tmp_path / "money.svg").stat().st_size > 0
    setup = load(book)[0]
    assert setup.label("en") == "Lelystad: JGT as a cooperative (2018-2021)"


def test_none_unknown_claims_and_sources_become_the_evidence_vocabulary(tmp_path):
    rows = cooperative_rows()
    rows["mandaten"][0].update({"instemming gegeven": "onbekend", "bewering van": "college",
                                "bron": "Lelystad 2.2.3"})
    rows["afspraken"][1]["doelen"] = "geen"
    rows["afspraken"][1]["status"] = "ondertekend"
    book = filled_template(tmp_path / "lelystad.xlsx", rows)
    graph = load(book)[0].graph
    base = "https://w3id.org/jeugdgov/id/lelystad/"
    jg = "https://w3id.org/jeugdgov/def#"
    mandate = f"<{base}mandaat-teamleider-2018>"
    assert graph.query(f"ASK {{ {mandate} <{jg}unknownValue> <{jg}consentGiven> ; <{jg}claimedBy> <{base}college> ;"
                       " <http://www.w3.org/ns/prov#hadPrimarySource> "
                       "<https://w3id.org/jeugdgov/id/source/lelystad-2021-2.2.3> }").askAnswer
    decision = f"<{base}subsidiebeschikking-leden-2018>"
    assert graph.query(f"ASK {{ {decision} <{jg}noValue> <{jg}hasGoal> ; "
                       f"<{jg}status> <https://w3id.org/jeugdgov/status/signed> }}").askAnswer


def test_unclear_disputed_and_signed_are_sayable_in_cells(tmp_path):
    rows = cooperative_rows()
    rows["afspraken"][1].update({"doorgeven toegestaan": "onduidelijk", "betwist door": "zorgorganisaties-leden",
                                 "ondertekend door": "gm:gm0995"})
    graph = load(filled_template(tmp_path / "lelystad.xlsx", rows))[0].graph
    base, jg = "https://w3id.org/jeugdgov/id/lelystad/", "https://w3id.org/jeugdgov/def#"
    assert graph.query(f"ASK {{ <{base}subsidiebeschikking-leden-2018> <{jg}unclearValue> <{jg}passOnPermitted> ;"
                       f" <{jg}disputedBy> <{base}zorgorganisaties-leden> ;"
                       f" <{jg}signedBy> <https://identifier.overheid.nl/tooi/id/gemeente/gm0995> }}").askAnswer


# -- the bundled cases, converted and read back --------------------------------------------------

@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW_CASES else c for c in CASES])
def test_example_workbooks_are_what_convert_writes_today(tmp_path, case):
    """examples/*.xlsx are generated: jeugdgov convert data/CASE --to xlsx --out examples/CASE.xlsx"""
    out = tmp_path / f"{case}.xlsx"
    contents = contents_from(parse_file(DATA / CASES[case]))
    write_workbook(contents, out)
    assert cell_values(out) == cell_values(EXAMPLES / f"{case}.xlsx"), \
        f"regenerate with: jeugdgov convert data/{CASES[case]} --to xlsx --out examples/{case}.xlsx"
    if case != "zhz":  # every fact of these cases has a column, but "nothing evaluates this agreement"
        assert {(row["property"], row["value"]) for row in contents.rows["other"]} <= {("jg:noValue", "jg:evaluates")}


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW_CASES else c for c in CASES])
def test_example_workbooks_give_the_findings_of_their_source(case):
    from_rdf = evidence(validate(DATA / CASES[case]))
    from_workbook = evidence(validate(EXAMPLES / f"{case}.xlsx"))
    assert from_workbook == from_rdf
    assert any(from_rdf.values())


def test_csv_folder_round_trip(tmp_path, capsys, monkeypatch, trig_findings):
    folder = tmp_path / "lelystad"
    code, err = jeugdgov(capsys, monkeypatch, "convert", DATA / "lelystad.trig", "--to", "csv", "--out", folder)
    assert code == 0, err
    assert "6 namen van perioden worden niet in het werkboek bewaard" in err
    assert (folder / "werkboek.csv").is_file() and (folder / "rollen.csv").is_file()
    assert evidence(validate(folder)) == trig_findings
    code, err = jeugdgov(capsys, monkeypatch, "convert", folder, "--to", "trig", "--out", tmp_path / "back.trig")
    assert code == 0, err
    assert evidence(validate(tmp_path / "back.trig")) == trig_findings


def test_csv_saved_by_a_dutch_spreadsheet_with_semicolons_is_read(tmp_path):
    folder = tmp_path / "flevoland"
    source = parse_file(DATA / "flevoland-handelingskader.ttl")
    write_workbook(contents_from(source), folder)
    for path in folder.glob("*.csv"):
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        with path.open("w", encoding="utf-8-sig", newline="") as stream:  # Excel writes a byte order mark
            csv.writer(stream, delimiter=";").writerows(rows)
    assert len(read_workbook(folder).dataset) == len(read_workbook(EXAMPLES / "flevoland-handelingskader.xlsx").dataset)
    (folder / "werkboek.csv").unlink()
    with pytest.raises(InputError, match=r"no werkboek\.csv"):
        load(folder)


def test_english_workbook_round_trip(tmp_path, capsys, monkeypatch, trig_findings):
    out = tmp_path / "lelystad.xlsx"
    code, err = jeugdgov(capsys, monkeypatch, "convert", DATA / "lelystad.trig", "--to", "xlsx", "--out", out,
                         "--lang", "en")
    assert code == 0, err
    book = load_workbook(out)
    assert {"setups", "roles", "workbook"} <= set(book.sheetnames)
    roles = book["roles"]
    role_column = [c.value for c in roles[1]].index("role")
    assert "commissioner" in {row[role_column].value for row in roles.iter_rows(min_row=3)}
    assert evidence(validate(out)) == trig_findings


def test_ods_workbook_reads_as_the_xlsx(tmp_path):
    xlsx = filled_template(tmp_path / "lelystad.xlsx", cooperative_rows())
    ods = write_ods(tmp_path / "lelystad.ods", cell_values(xlsx))
    from_ods, from_xlsx = read_workbook(ods).dataset, read_workbook(xlsx).dataset
    assert len(from_ods) == len(from_xlsx) and len(from_ods) > 100
    assert evidence(validate(ods)) == evidence(validate(xlsx))


# -- bad input -----------------------------------------------------------------------------------

def _row(rows, sheet: str, row_id: str) -> dict:
    return next(r for r in rows[sheet] if r.get("id") == row_id)


def unknown_role(rows):
    _row(rows, "rollen", "rol-college-besluit-cooperatie")["rol"] = "besluitnemr"


def unknown_task(rows):
    _row(rows, "rollen", "rol-cooperatie-uitvoering")["taak"] = "basishulpp"


def date_not_a_date(rows):
    _row(rows, "besluiten", "beschikking-cooperatie")["datum"] = "juni 2019"


def end_before_start(rows):
    _row(rows, "mandaten", "mandaat-teamleider-2018").update({"begin": "2021-06-30", "einde": "2018-01-01"})


def undefined_party(rows):
    _row(rows, "rollen", "rol-directie-advies")["partij"] = "directie-coop"


def duplicate_id(rows):
    rows["actoren"].append({"id": "college", "soort": "gemeenteraad"})


def mandate_without_competence(rows):
    del _row(rows, "mandaten", "mandaat-teamleider-2018")["bevoegdheid"]


def empty_required_cell(rows):
    del _row(rows, "verantwoording", "verantwoording-overig-cooperatie")["verantwoording aan"]


def ambiguous_amount(rows):
    _row(rows, "geldstromen", "subsidie-overig-cooperatie")["bedrag (EUR)"] = "12.500"


#: Each bad cell and what the message must say: sheet, row, column, value, problem, fix.
CELL_CASES = {
    "unknown role": (unknown_role, ["sheet 'rollen'", "row 4", "column 'rol' (D)", "'besluitnemr'",
                                    "closest: besluitnemer"]),
    "unknown task": (unknown_task, ["sheet 'rollen'", "row 6", "column 'taak' (E)", "'basishulpp'",
                                    "closest: basishulp"]),
    "date that is not a date": (date_not_a_date, ["sheet 'besluiten'", "row 3", "column 'datum'",
                                                  "'juni 2019' is not a date", "2021-06-30"]),
    "end before start": (end_before_start, ["sheet 'mandaten'", "row 3", "column 'einde'",
                                            "the end 2018-01-01 lies before the start 2021-06-30", "swap the dates"]),
    "party no actors row defines": (undefined_party, ["sheet 'rollen'", "row 5", "column 'partij' (C)",
                                                      "'directie-coop' is not defined by any row of the sheet "
                                                      "'actoren'", "closest: directie-cooperatie"]),
    "duplicate id": (duplicate_id, ["sheet 'actoren'", "row 16", "column 'id' (B)", "duplicate id 'college'",
                                    "row 4 already defines it"]),
    "mandate without competence": (mandate_without_competence, ["sheet 'mandaten'", "row 3",
                                                                "column 'bevoegdheid'", "required cell is empty"]),
    "ambiguous amount": (ambiguous_amount, ["sheet 'geldstromen'", "row 4", "column 'bedrag (EUR)' (L)",
                                            "'12.500' is ambiguous", "without thousands separators"]),
    "empty required cell": (empty_required_cell, ["sheet 'verantwoording'", "row 5", "column 'verantwoording aan'",
                                                  "required cell is empty"]),
}


def assert_refused_and_nothing_written(book: Path, tmp_path: Path, capsys, monkeypatch, expected: list[str]) -> None:
    out = tmp_path / "out.trig"
    code, err = jeugdgov(capsys, monkeypatch, "convert", book, "--to", "trig", "--out", out, "--lang", "en")
    assert code == 2, err
    message = " ".join(err.split())
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert "Traceback" not in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    code, err = jeugdgov(capsys, monkeypatch, "validate", book)
    assert code == 2, err


@pytest.mark.parametrize("case", list(CELL_CASES))
def test_bad_cell_is_refused_with_sheet_row_column_and_fix(tmp_path, capsys, monkeypatch, case):
    change, expected = CELL_CASES[case]
    rows = cooperative_rows()
    change(rows)
    book = filled_template(tmp_path / "bad.xlsx", rows)
    assert_refused_and_nothing_written(book, tmp_path, capsys, monkeypatch, expected)


def test_every_bad_cell_is_reported_in_one_run(tmp_path, capsys, monkeypatch):
    rows = cooperative_rows()
    for change, _expected in CELL_CASES.values():
        change(rows)
    book = filled_template(tmp_path / "bad.xlsx", rows)
    expected = ["cells need fixing", *(fragment for _change, fragments in CELL_CASES.values()
                                       for fragment in fragments if fragment.startswith(("column", "'")))]
    assert_refused_and_nothing_written(book, tmp_path, capsys, monkeypatch, expected)


def test_bad_cells_are_reported_in_dutch_by_default(tmp_path, capsys, monkeypatch):
    rows = cooperative_rows()
    unknown_role(rows)
    date_not_a_date(rows)
    book = filled_template(tmp_path / "bad.xlsx", rows)
    code, err = jeugdgov(capsys, monkeypatch, "validate", book)
    said = " ".join(err.split())
    assert code == 2 and said.startswith("fout:") and "2 cellen moeten worden verbeterd" in said, said
    assert "blad 'rollen', rij 4, kolom 'rol' (D): 'besluitnemr' staat niet in de lijst van deze kolom" in said
    assert "dichtstbij: besluitnemer" in said and "'juni 2019' is geen datum" in said and "tip:" in said
    assert "closest" not in said and "is not" not in said


def test_the_list_of_bad_cells_is_capped(tmp_path):
    from jeugdgov.workbook.reading import MAX_PROBLEMS
    rows = cooperative_rows()
    rows["rollen"] += [{"id": f"rol-{n}", "partij": "college", "rol": "besluitnemr", "taak": "basishulp"}
                       for n in range(MAX_PROBLEMS + 5)]
    book = filled_template(tmp_path / "bad.xlsx", rows)
    with pytest.raises(InputError) as refused:
        load(book)
    listed = refused.value.problem.splitlines()
    assert "cells need fixing" in listed[0] and listed[-1].startswith("- and ") and listed[-1].endswith(" more")
    assert len([line for line in listed if line.startswith("- sheet")]) == MAX_PROBLEMS


def _edited(tmp_path: Path, edit) -> Path:
    book_path = filled_template(tmp_path / "bad.xlsx", cooperative_rows())
    book = load_workbook(book_path)
    edit(book)
    book.save(book_path)
    return book_path


#: Workbook-level damage: merged or hidden headers, formulas, a newer template.
BOOK_CASES = {
    "merged header": (lambda b: b["rollen"].merge_cells("C1:D1"), ["sheet 'rollen'", "cells C1:D1 are merged",
                                                                    "unmerge"]),
    "hidden header row": (lambda b: setattr(b["mandaten"].row_dimensions[1], "hidden", True),
                          ["sheet 'mandaten', row 1", "header row is hidden", "unhide"]),
    "hidden column": (lambda b: setattr(b["actoren"].column_dimensions["E"], "hidden", True),
                      ["sheet 'actoren', column E", "column is hidden"]),
    "hidden columns, hidden together": (lambda b: (b["actoren"].column_dimensions.group("D", "F", hidden=True),
                                                   setattr(b["actoren"]["D1"], "value", None)),
                                        ["sheet 'actoren', column E", "column is hidden"]),
    "formula error": (lambda b: b["besluiten"].cell(row=3, column=12, value="#DIV/0!"),
                      ["sheet 'besluiten'", "row 3", "column 'datum' (L)", "#DIV/0!", "type the value"]),
    "formula without a value": (lambda b: b["geldstromen"].cell(row=3, column=12, value="=1000*12"),
                                ["sheet 'geldstromen'", "row 3", "column 'bedrag (EUR)' (L)", "=1000*12"]),
    "newer template": (lambda b: set_about(b, "sjabloonversie", mapping().version + 1),
                       ["template version 2", "newer than this jeugdgov knows", "update jeugdgov"]),
    "header not in the template": (lambda b: b["rollen"].cell(row=1, column=4, value="roll"),
                                   ["sheet 'rollen'", "column D has the header 'roll'", "did you mean 'rol'"]),
}


@pytest.mark.parametrize("case", list(BOOK_CASES))
def test_damaged_workbook_is_refused(tmp_path, capsys, monkeypatch, case):
    edit, expected = BOOK_CASES[case]
    assert_refused_and_nothing_written(_edited(tmp_path, edit), tmp_path, capsys, monkeypatch, expected)


def test_data_quality_findings_name_the_sheet_and_row(tmp_path):
    rows = cooperative_rows()
    del _row(rows, "besluiten", "beschikking-cooperatie")["genomen door"]
    book = filled_template(tmp_path / "lelystad.xlsx", rows)
    report = validate(book)[0]
    missing = [f for f in report.findings if f.defect == "required-property"]
    assert missing and missing[0].focus.endswith("beschikking-cooperatie")
    assert missing[0].message("en").endswith("(sheet 'besluiten', row 3)")
    assert missing[0].message("nl").endswith("(blad 'besluiten', rij 3)")
    # governance findings name their row too
    governance = [f for f in report.findings if f.defect != "required-property"]
    assert governance and all("(sheet '" in f.message("en") and ", row " in f.message("en") for f in governance)


def test_an_undefined_term_on_the_sheet_of_other_facts_is_reported_at_that_row(tmp_path):
    rows = cooperative_rows()
    rows["overige feiten"] = [{"onderwerp": "samenwerkingsovereenkomst-2018", "eigenschap": "jg:noValue",
                               "waarde": "jg:hasGaol", "soort waarde": "verwijzing"}]
    (report,) = validate(filled_template(tmp_path / "lelystad.xlsx", rows))
    (undefined,) = [f for f in report.findings if f.defect == "undefined-term"]
    assert (undefined.sheet, undefined.row) == ("overige feiten", 3)
    assert undefined.message("nl").endswith("(blad 'overige feiten', rij 3)")


def test_dates_typed_as_text_in_dutch_order_are_read(tmp_path):
    rows = cooperative_rows()
    _row(rows, "besluiten", "beschikking-cooperatie")["datum"] = "01-06-2019"  # text, not a date cell
    book = filled_template(tmp_path / "lelystad.xlsx", rows)
    graph = load(book)[0].graph
    dates = {o.value for o in graph.objects(None, URIRef("https://w3id.org/jeugdgov/def#date"))}
    assert dates == {date(2019, 6, 1)}


@pytest.mark.parametrize("name, data", [
    ("random.xlsx", bytes(range(256)) * 4),
    ("truncated.xlsx", None),
    ("random.ods", b"PK\x03\x04 not really a zip"),
])
def test_damaged_workbook_files_are_refused_with_a_message(tmp_path, name, data):
    path = tmp_path / name
    if data is None:
        whole = (EXAMPLES / "flevoland-handelingskader.xlsx").read_bytes()
        data = whole[: len(whole) // 2]
    path.write_bytes(data)
    with pytest.raises(InputError) as refused:
        load(path)
    assert str(path) in str(refused.value) and "hint:" in str(refused.value)


def test_a_workbook_part_with_a_document_type_is_refused(tmp_path):
    """A document type's entities could expand into gigabytes: no .xlsx part has one."""
    book = filled_template(tmp_path / "setup.xlsx", cooperative_rows())
    damaged = tmp_path / "doctype.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(damaged, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet3.xml":
                content = content.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet', 1)
            target.writestr(member, content)
    with pytest.raises(InputError) as refused:
        read_workbook(damaged)
    assert "cannot read the workbook" in str(refused.value) and "hint:" in str(refused.value)


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(tmp_path):
    with pytest.raises(InputError, match="unpacks to"):
        read_workbook(EXAMPLES / "flevoland-handelingskader.xlsx", Limits(max_file_bytes=100_000))


def test_a_quoted_csv_cell_keeps_its_line_breaks(tmp_path):
    source = tmp_path / "setup.ttl"
    source.write_text((DATA / "flevoland-handelingskader.ttl").read_text(encoding="utf-8")
                      .replace('"Gemeente Almere"', '"""Gemeente\nAlmere"""'), encoding="utf-8")
    folder = tmp_path / "csv"
    write_workbook(contents_from(parse_file(source)), folder)
    assert any('"Gemeente\nAlmere"' in path.read_text(encoding="utf-8") for path in folder.glob("*.csv"))
    labels = {str(o) for o in read_workbook(folder).dataset.objects()}
    assert "Gemeente\nAlmere" in labels and "Gemeente" not in labels


def test_a_time_of_day_in_an_xlsx_cell_is_read_as_its_text(tmp_path):
    from datetime import time, timedelta

    from openpyxl import Workbook

    from jeugdgov.workbook.tables import read_tables

    book = Workbook()
    book.active.append(["begint", time(9, 30), timedelta(hours=2), 3])
    book.save(tmp_path / "times.xlsx")
    (table,) = read_tables(tmp_path / "times.xlsx")
    assert table.rows == [["begint", "09:30:00", "2:00:00", 3]]
