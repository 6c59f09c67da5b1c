"""The ``jeugdgov`` command.

Exit codes: 0 the setups conform, 1 defects found, 2 bad input or usage.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from jeugdgov.errors import InputError
from jeugdgov.loading import load
from jeugdgov.reporting import as_json, as_turtle, print_text
from jeugdgov.validation import defect_ids, validate

app = typer.Typer(
    help="Check how Dutch municipalities govern youth care: validate governance setups "
    "against the jeugdgov defect catalogue.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stdout = Console()
stderr = Console(stderr=True)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    turtle = "turtle"


class Language(str, Enum):
    nl = "nl"
    en = "en"


def _split_ids(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return ids or None


@app.command("validate")
def validate_command(
    paths: Annotated[list[Path], typer.Argument(
        help="Turtle, TriG, JSON-LD or N-Triples files, or folders holding them.",
        show_default=False)],
    shapes: Annotated[list[str] | None, typer.Option(
        "--shapes", "-s",
        help="Only check these defect ids or groups (comma-separated or repeated), "
        "e.g. 'dual-role,money'. `jeugdgov defects` lists them.")] = None,
    setup: Annotated[list[str] | None, typer.Option(
        "--setup", help="Only validate the setup(s) with this name.")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text: a table per setup; json: setups and findings; "
        "turtle: the SHACL validation report.")] = OutputFormat.text,
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of messages.")]
        = Language.nl,
) -> None:
    """Validate governance setups against the defect and data-quality shapes.

    Each setup (a file, or a named graph of a TriG file) is validated on its own.

    Examples:

      jeugdgov validate data/lelystad.trig --setup lelystad-cooperatie

      jeugdgov validate data/ --format json --lang en

      jeugdgov validate mysetup.ttl --shapes subsidy-passed-on,money-vs-accountability
    """
    selection = _split_ids(shapes)
    if selection:
        unknown = sorted(set(selection) - set(defect_ids()))
        if unknown:
            raise InputError(f"unknown defect id(s) for --shapes: {', '.join(unknown)}",
                             hint=f"valid ids: {', '.join(defect_ids())}")
    setups = load(*paths)
    if setup:
        known = [s.name for s in setups]
        missing = sorted(set(setup) - set(known))
        if missing:
            raise InputError(f"no setup named {', '.join(missing)}",
                             hint=f"setups found: {', '.join(known)}")
        setups = [s for s in setups if s.name in setup]
    reports = []
    with Progress(console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task("validating", total=len(setups))
        for item in setups:
            progress.update(task, description=f"validating {item.name}")
            reports.append(validate(item, defects=selection))
            progress.advance(task)
    if output_format is OutputFormat.json:
        stdout.out(as_json(reports, lang.value), highlight=False)
    elif output_format is OutputFormat.turtle:
        stdout.out(as_turtle(reports), highlight=False)
    else:
        print_text(reports, lang.value, stdout)
    raise typer.Exit(0 if all(r.conforms for r in reports) else 1)


@app.command("defects")
def defects_command() -> None:
    """List the defect ids and groups that --shapes accepts."""
    for defect in defect_ids():
        stdout.print(defect)


class GraphKind(str, Enum):
    roles = "roles"
    money = "money"
    mandates = "mandates"
    accountability = "accountability"


@app.command("viz")
def viz_command(
    path: Annotated[Path, typer.Argument(help="A Turtle, TriG, JSON-LD or N-Triples file, or a folder.",
                                         show_default=False)],
    kind: Annotated[GraphKind, typer.Option(
        "--kind", "-k", help="roles: actor -> task; money: payer -> payee; mandates: giver -> mandatary "
        "(and delegations); accountability: accountable party -> recipient.", show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The picture to write: .png or .svg (static) or .html (interactive).",
        show_default=False)],
    setup: Annotated[str | None, typer.Option(
        "--setup", help="Which setup to draw, when the file or folder holds several.")] = None,
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of labels and messages.")]
        = Language.nl,
    period_start: Annotated[datetime | None, typer.Option(
        "--period-start", formats=["%Y-%m-%d"], help="Only relations holding on or after this date.")] = None,
    period_end: Annotated[datetime | None, typer.Option(
        "--period-end", formats=["%Y-%m-%d"], help="Only relations holding on or before this date.")] = None,
    on_date: Annotated[datetime | None, typer.Option(
        "--date", formats=["%Y-%m-%d"], help="Only relations holding on this day.")] = None,
    all_actors: Annotated[bool, typer.Option(
        "--all-actors", help="Draw every actor; by default actors with the same relations (e.g. 150 "
        "providers, ten municipalities) are merged into one node.")] = False,
    no_findings: Annotated[bool, typer.Option(
        "--no-findings", help="Do not validate; draw without highlighting defects.")] = False,
) -> None:
    """Draw actors and roles, money flows, mandates or accountability with defects highlighted.

    The nodes and lines a finding involves are outlined in the colour of its severity and
    numbered; the caption (PNG, SVG) or the hover text and list (HTML) give the messages.
    The file is written only when complete.

    Examples:

      jeugdgov viz data/lelystad.trig --setup lelystad-cooperatie --kind money --out money.png

      jeugdgov viz data/zhz.trig --setup zhz-huidig --kind roles --out roles.html --lang en

      jeugdgov viz data/lelystad.trig --setup lelystad-netwerk --kind roles --date 2016-06-01 -o roles.svg
    """
    from jeugdgov.projection import Period
    from jeugdgov.visualisation import check_output, select_setup, write

    check_output(out)
    if on_date is not None and (period_start or period_end):
        raise InputError("give --date or --period-start/--period-end, not both",
                         hint="--date draws one day; --period-start and --period-end a period")
    period = Period(period_start.date() if period_start else None, period_end.date() if period_end else None) \
        if period_start or period_end else None
    chosen = select_setup(load(path), setup)
    write(chosen, kind.value, out, lang=lang.value, period=period, at=on_date.date() if on_date else None,
          highlight=not no_findings, aggregate=not all_actors)
    stderr.print(f"wrote {out} ({kind.value} of {chosen.name})", highlight=False)


def main() -> None:
    """Entry point: run the app, turning bad input into a message and exit code 2."""
    try:
        app()
    except InputError as error:
        stderr.print(f"[bold red]error:[/bold red] {error}", highlight=False)
        sys.exit(2)
