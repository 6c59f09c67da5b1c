"""The norm table as text, CSV and XLSX (one row per setup and norm, for BI tools), JSON, and
the comparison of two setups' scores."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jeugdgov.errors import InputError
from jeugdgov.formulas import neutralised
from jeugdgov.norms.scoring import MET, NOT_ASSESSABLE, NOT_MET, PARTLY, SCORE_LABELS, NormTable, Score
from jeugdgov.output import atomic_write
from jeugdgov.resources import JG
from jeugdgov.validation.evidence import ALLEGED, ESTABLISHED, UNRECORDED

#: The columns of a CSV or XLSX norm table.
ROW_COLUMNS = ("setup", "setup_label", "question", "norm", "norm_text", "pattern", "severity", "score",
               "score_label", "assessed", "failing", "established", "unrecorded", "alleged", "reason",
               "findings", "missing_facts")
STYLE = {MET: "green", PARTLY: "yellow", NOT_MET: "red", NOT_ASSESSABLE: "bright_black"}
RANK = {MET: 0, PARTLY: 1, NOT_MET: 2}
HEADINGS = {"nl": ("Norm", "Normenkader"), "en": ("Norm", "Norm framework")}


def rows(table: NormTable, lang: str = "en") -> list[dict[str, object]]:
    """One row per setup and norm, the columns of :data:`ROW_COLUMNS`."""
    found: list[dict[str, object]] = []
    for name, _labels in table.setups:
        for norm in table.framework.norms:
            score = table.score(name, norm.id)
            counts = {e: sum(1 for f in score.findings if f.evidence == e) for e in (ESTABLISHED, UNRECORDED, ALLEGED)}
            found.append({
                "setup": name, "setup_label": table.setup_label(name, lang), "question": norm.question,
                "norm": norm.id, "norm_text": norm.label(lang), "pattern": norm.pattern, "severity": norm.severity,
                "score": score.score, "score_label": SCORE_LABELS[score.score][lang],
                "assessed": score.assessed, "failing": score.failing, **counts, "reason": score.reason(lang),
                "findings": " | ".join(f.message(lang) for f in score.findings if f.evidence != UNRECORDED),
                "missing_facts": " | ".join(score.missing_facts(lang)),
            })
    return found


def as_csv(table: NormTable, lang: str = "en") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(table, lang):
        writer.writerow({k: "" if v is None else neutralised(v) for k, v in row.items()})
    return out.getvalue()


def write_xlsx(table: NormTable, out: Path, lang: str = "en") -> None:
    """The rows as one sheet of an .xlsx workbook, every text cell stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook holds one worksheet
    sheet.title = "normtabel" if lang == "nl" else "norm table"
    sheet.append(list(ROW_COLUMNS))
    for row in rows(table, lang):
        sheet.append([neutralised(row[c]) for c in ROW_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()  # in memory first: a zip file that fails half-way complains again
    book.save(buffer)
    Path(out).write_bytes(buffer.getvalue())


def as_json(table: NormTable, lang: str = "en") -> str:
    norms = [{"id": n.id, "norm": n.label(lang), "question": n.question, "pattern": n.pattern,
              "severity": n.severity, "source": n.source, "basis": list(n.basis)} for n in table.framework.norms]
    scores = [{"setup": name, "norm": norm.id, **_score_dict(table.score(name, norm.id), lang)}
              for name, _labels in table.setups for norm in table.framework.norms]
    return json.dumps({"framework": table.framework.source,
                       "setups": [{"name": n, "label": table.setup_label(n, lang)} for n, _ in table.setups],
                       "norms": norms, "scores": scores}, ensure_ascii=False, indent=2) + "\n"


def _score_dict(score: Score, lang: str) -> dict[str, object]:
    return {"score": score.score, "label": SCORE_LABELS[score.score][lang], "reason": score.reason(lang),
            "assessed": score.assessed, "failing": score.failing,
            "findings": [f.as_dict(lang) for f in score.findings], "missing_facts": score.missing_facts(lang)}


def print_table(table: NormTable, lang: str, console: Console) -> None:
    """The table a council knows: norms down, setups across, grouped by research question;
    then, per cell that is not met, why."""
    grid = Table(title=HEADINGS[lang][1], show_lines=False)
    grid.add_column(HEADINGS[lang][0], overflow="fold")
    for name, _labels in table.setups:
        grid.add_column(escape(table.setup_label(name, lang)), overflow="fold")
    for question in table.framework.questions():
        if question:
            grid.add_row(f"[bold]{escape(question)}[/bold]", *["" for _ in table.setups])
        for norm in (n for n in table.framework.norms if n.question == question):
            cells = []
            for name, _labels in table.setups:
                rating = table.score(name, norm.id).score
                cells.append(f"[{STYLE[rating]}]{SCORE_LABELS[rating][lang]}[/{STYLE[rating]}]")
            grid.add_row(escape(f"{norm.id} {norm.label(lang)}"), *cells)
    console.print(grid)
    for name, _labels in table.setups:
        for norm in table.framework.norms:
            score = table.score(name, norm.id)
            if score.score == MET:
                continue
            console.print(f"{norm.id} · {table.setup_label(name, lang)}: {SCORE_LABELS[score.score][lang]} — "
                          f"{score.reason(lang)}", highlight=False, markup=False)
            for finding in score.findings:
                console.print(f"    {finding.evidence}: {finding.message(lang)}", highlight=False, markup=False)


@dataclass(frozen=True)
class ScoreChange:
    """One norm scored on two setups."""

    norm: str
    text: str
    before: str
    after: str

    @property
    def change(self) -> str:
        """same, better, worse, or (to or from not assessable) assessable / not-assessable."""
        if self.before == self.after:
            return "same"
        if NOT_ASSESSABLE in (self.before, self.after):
            return "not-assessable" if self.after == NOT_ASSESSABLE else "assessable"
        return "better" if RANK[self.after] < RANK[self.before] else "worse"


CHANGE_LABELS = {"same": {"nl": "gelijk", "en": "same"}, "better": {"nl": "beter", "en": "better"},
                 "worse": {"nl": "slechter", "en": "worse"},
                 "assessable": {"nl": "nu te beoordelen", "en": "now assessable"},
                 "not-assessable": {"nl": "niet meer te beoordelen", "en": "no longer assessable"}}


def compare_scores(table: NormTable, before: str, after: str, lang: str = "en") -> list[ScoreChange]:
    """Each norm's score on setup ``before`` and on setup ``after``."""
    return [ScoreChange(n.id, n.label(lang), table.score(before, n.id).score, table.score(after, n.id).score)
            for n in table.framework.norms]


def changes_as_text(changes: Sequence[ScoreChange], lang: str = "en") -> str:
    heading = "Normen" if lang == "nl" else "Norms"
    lines = [f"{heading}:"]
    for c in changes:
        lines.append(f"  {c.norm}: {SCORE_LABELS[c.before][lang]} -> {SCORE_LABELS[c.after][lang]} "
                     f"({CHANGE_LABELS[c.change][lang]})  {c.text}")
    return "\n".join(lines) + "\n"


def changes_as_dicts(changes: Sequence[ScoreChange]) -> list[dict[str, str]]:
    return [{"norm": c.norm, "text": c.text, "before": c.before, "after": c.after, "change": c.change}
            for c in changes]


def changes_as_csv(changes: Sequence[ScoreChange]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=("norm", "text", "before", "after", "change"), lineterminator="\n")
    writer.writeheader()
    for row in changes_as_dicts(changes):
        writer.writerow({k: neutralised(v) for k, v in row.items()})
    return out.getvalue()


#: The files a norm table is written to, by suffix.
TABLE_SUFFIXES = (".csv", ".xlsx", ".json", ".ttl")


def check_table_output(out: Path) -> None:
    """An InputError when the norm table cannot be written to ``out``, before any work is done."""
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(f"a norm table is written as {', '.join(TABLE_SUFFIXES)}, not '{out.suffix or out.name}'",
                         file=out, hint="end the file name in .csv, .xlsx, .json or .ttl (for the query norm-table)",
                         nl=(f"een normtabel wordt geschreven als {', '.join(TABLE_SUFFIXES)}, niet "
                             f"'{out.suffix or out.name}'", "laat de bestandsnaam eindigen op .csv, .xlsx, .json of "
                             ".ttl (voor de query norm-table)"))
    if out.is_dir() or not out.parent.exists():
        where = "it is a folder" if out.is_dir() else "the folder does not exist"
        raise InputError(f"cannot write the norm table here: {where}", file=out,
                         hint="give the path of a file in an existing folder",
                         nl=("de normtabel is hier niet te schrijven: "
                             + ("het is een map" if out.is_dir() else "de map bestaat niet"),
                             "geef het pad van een bestand in een bestaande map"))


def write_table(table: NormTable, out: Path, lang: str = "en") -> None:
    """Write the norm table as CSV, XLSX, JSON or Turtle (by the suffix of ``out``), atomically."""
    check_table_output(out)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        atomic_write(out, lambda path: write_xlsx(table, path, lang))
    else:
        render = {".csv": as_csv, ".json": as_json, ".ttl": lambda t, _lang: as_graph(t).serialize(format="turtle")}
        text = render[suffix](table, lang)
        atomic_write(out, lambda path: path.write_text(text, encoding="utf-8"))


def as_graph(table: NormTable) -> Graph:
    """The scores as RDF (a ``jg:NormScore`` per setup and norm), for the named query norm-table."""
    graph = Graph()
    for number, row in enumerate(rows(table, "nl")):
        node = URIRef(f"urn:jeugdgov:norm-score:{number}")
        graph.add((node, RDF.type, JG.NormScore))
        graph.add((node, JG.scoredSetup, Literal(row["setup"])))
        graph.add((node, JG.normId, Literal(row["norm"])))
        graph.add((node, JG.score, Literal(row["score"])))
        if row["question"]:
            graph.add((node, JG.researchQuestion, Literal(row["question"])))
        score = table.score(str(row["setup"]), str(row["norm"]))
        for lang in ("nl", "en"):
            graph.add((node, RDFS.label, Literal(score.norm.label(lang), lang=lang)))
            graph.add((node, RDFS.comment, Literal(score.reason(lang), lang=lang)))
    return graph
