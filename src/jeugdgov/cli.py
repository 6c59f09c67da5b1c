"""The ``jeugdgov`` command.

Exit codes: 0 the setups conform, 1 defects found, 2 bad input or usage.
"""

from __future__ import annotations

import sys
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


def main() -> None:
    """Entry point: run the app, turning bad input into a message and exit code 2."""
    try:
        app()
    except InputError as error:
        stderr.print(f"[bold red]error:[/bold red] {error}", highlight=False)
        sys.exit(2)
