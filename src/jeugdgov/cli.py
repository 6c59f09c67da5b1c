"""The ``jeugdgov`` command.

Exit codes: 0 the setups conform, 1 defects found, 2 bad input or usage; 130 interrupted
(Ctrl-C) and 143 terminated (SIGTERM, 128 + 15), both having printed no report. ``report``
and ``compare`` are no verdict: they exit 0 when they have written their output, findings or
not, and 2 on bad input.
"""

from __future__ import annotations

import gc
import io
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jeugdgov.errors import InputError
from jeugdgov.limits import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_LITERAL_CHARS, Limits
from jeugdgov.messages import DROPPED, language_of, progress_step, say
from jeugdgov.setups import Setup, load
from jeugdgov.stores.embedded import LoadInterrupted, open_read_only
from jeugdgov.stores.protocol import Credentials
from jeugdgov.usage import CLICK_ERROR, usage_error
from jeugdgov.validation import Report, ValidationOptions, defect_ids, validate
from jeugdgov.validation.evidence import EVIDENCE
from jeugdgov.validation.reference_date import parse_as_of
from jeugdgov.validation.rendering import print_text, with_evidence, write_json, write_turtle

if TYPE_CHECKING:
    from rich.console import Console

    from jeugdgov.norms import Framework


def _new_app() -> typer.Typer:
    return typer.Typer(
        help="Check how Dutch municipalities govern youth care: validate governance setups "
        "against the jeugdgov defect catalogue.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


app = _new_app()


def _show_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        from jeugdgov.resources import shapes_digest

        try:
            number = version("jeugdgov")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = say("not_installed", language_of(sys.argv[1:]))
        print(f"jeugdgov {number}, shapes {shapes_digest()[:12]}")
        raise typer.Exit


@app.callback()
def _app(_version: Annotated[bool, typer.Option(
        "--version", help="Show jeugdgov's version and the digest of the shapes it checks with, and stop.",
        callback=_show_version, is_eager=True)] = False) -> None:
    pass


# Made when first used: JSON or Turtle written to a pipe needs no rich, whose import takes
# about 18 ms of a command that validates ten thousand decisions in 0.4 s.
@cache
def stdout() -> Console:
    from rich.console import Console

    return Console()


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    turtle = "turtle"


class Language(str, Enum):
    nl = "nl"
    en = "en"


class Engine(str, Enum):
    fast = "fast"
    pyshacl = "pyshacl"


def _split_ids(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    ids = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return ids or None


AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="Reference date YYYY-MM-DD: the 'today' of every check that needs one "
    "(default: the end of the setup's period, else today). Same date, same report.", show_default=False)]


#: The language of a command's messages; ``main`` reads it before the other options, so that
#: their errors are in it too.
LangOption = Annotated[Language, typer.Option("--lang", "-l", help="Language of messages.")]
NormsOption = Annotated[Path | None, typer.Option(
    "--norms", help="A norm framework (a workbook with a sheet 'normen', a CSV, YAML or Turtle file): also score "
    "every setup on each norm (met, partly met, not met, not assessable). `jeugdgov template --norms` writes "
    "one to copy.", show_default=False)]


def _read_norms(path: Path | None) -> Framework | None:
    """The norm framework given, read (and refused when bad) before any validation."""
    if path is None:
        return None
    from jeugdgov.norms import read_framework
    from jeugdgov.norms.patterns import compile_framework

    framework = read_framework(path)
    compile_framework(framework)  # a check its cells only show together is refused now, not after validating
    return framework


@app.command("validate")
def validate_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Turtle, TriG, JSON-LD or N-Triples files, workbooks (.xlsx, .ods, a folder of CSV files), or "
        "folders holding them (in a folder, files ending in .json are skipped: name one to read it as JSON-LD).",
        show_default=False)] = None,
    shapes: Annotated[list[str] | None, typer.Option(
        "--shapes", "-s",
        help="Only check these defect ids or groups (comma-separated or repeated), "
        "e.g. 'dual-role,money'. `jeugdgov defects` lists them.")] = None,
    shapes_file: Annotated[list[Path] | None, typer.Option(
        "--shapes-file", help="A file of your own SHACL shapes to check as well (repeatable): the fast engine "
        "runs those it can translate, pySHACL the others, which are named.", show_default=False)] = None,
    setup: Annotated[list[str] | None, typer.Option(
        "--setup", help="Only validate the setup(s) with this name.")] = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text: a table per setup; json: setups and findings; "
        "turtle: the SHACL validation report.")] = OutputFormat.text,
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of messages.")]
        = Language.nl,
    engine: Annotated[Engine, typer.Option(
        "--engine", "-e", help="fast: each shape as one SPARQL query over pyoxigraph, for national-size "
        "data; pyshacl: pySHACL on rdflib, the reference (slow on large data). Both give the same "
        "findings.")] = Engine.fast,
    fallback: Annotated[bool, typer.Option(
        "--fallback", help="With --engine fast: let pySHACL check the shapes the fast engine cannot "
        "evaluate, instead of stopping with their names.")] = False,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="Validate the setups of an external SPARQL store instead of files: each named "
        "graph holding a jg:Setup, with the graphs it shares.")] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Validate the setups in an embedded store folder (made by `jeugdgov load`) instead "
        "of files: each named graph, with the default graph merged in.", show_default=False)] = None,
    graph_store: Annotated[str | None, typer.Option(
        "--graph-store", help="With --endpoint on a store whose default graph is the union of its graphs: "
        "its Graph Store Protocol address, to read the shared triples (oxigraph: http://HOST:PORT/store).")]
        = None,
    shared_graph: Annotated[list[str] | None, typer.Option(
        "--shared-graph", help="With --endpoint and --engine fast: a named graph every setup shares "
        "(repeatable): each setup's graph is merged with these and the ontology graph.")] = None,
    fetch: Annotated[bool, typer.Option(
        "--fetch/--in-store", help="With --endpoint: read each setup's graphs from the store and validate "
        "them here (the default: fastest, and right whatever the store's query engine does), or run the "
        "shape queries in the store (--in-store: the data stays there; a store check comes first).")] = True,
    check: Annotated[bool, typer.Option(
        "--check/--no-check", help="With --in-store: first validate one setup both in the store and locally "
        "on its fetched triples, and refuse a store that answers differently.")] = True,
    check_setup: Annotated[str | None, typer.Option(
        "--check-setup", help="With --in-store: the setup the store check uses (default: the smallest).")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="With --endpoint: user for a protected endpoint (HTTP basic or digest); the password "
        "is read from $JEUGDGOV_PASSWORD or asked for.")] = None,
    max_file_size: Annotated[int, typer.Option(
        "--max-file-size", min=1, help="Largest data file read, in bytes (default 2 GiB: some 14 million "
        "triples, about 10 GB of memory in a validation store).")] = DEFAULT_MAX_FILE_BYTES,
    max_literal: Annotated[int, typer.Option(
        "--max-literal", min=1, help="Longest literal read, in characters (default 1 MiB: a governance "
        "setup's longest text is a paragraph).")] = DEFAULT_MAX_LITERAL_CHARS,
    as_of: AsOfOption = None,
    evidence: Annotated[list[str] | None, typer.Option(
        "--evidence", help="Only report findings with this evidence status (comma-separated or repeated): "
        "established (recorded facts), unrecorded (to verify: a fact the data neither state nor deny), "
        "alleged (a party's claim).", show_default=False)] = None,
    norms: NormsOption = None,
    norm_table: Annotated[Path | None, typer.Option(
        "--norm-table", help="With --norms: also write the norm table, one row per setup and norm, as .csv, "
        ".xlsx or .json (for BI tools).", show_default=False)] = None,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Follow one workbook or file: validate it again on every save and print the findings "
        "anew, until Ctrl-C (the shapes stay compiled between runs).")] = False,
) -> None:
    """Validate governance setups against the defect and data-quality shapes.

    Each setup (a file, or a named graph of a TriG file) is validated on its own.

    Examples:

      jeugdgov validate data/lelystad.trig --setup lelystad-cooperatie

      jeugdgov validate data/ --format json --lang en

      jeugdgov validate mysetup.ttl --shapes subsidy-passed-on,money-vs-accountability

      jeugdgov validate mysetup.ttl --shapes-file my-shapes.ttl

      jeugdgov validate data/ --as-of 2021-06-30 --evidence established

      jeugdgov validate data/lelystad.trig --norms examples/normenkader.xlsx --norm-table scores.csv

      jeugdgov validate --watch regio.xlsx
    """
    framework = _read_norms(norms)
    if norm_table is not None:
        from jeugdgov.norms.rendering import check_table_output

        if framework is None:
            raise InputError("--norm-table writes the scores of a norm framework", hint="add --norms FILE",
                             nl=("--norm-table schrijft de scores van een normenkader", "voeg --norms BESTAND toe"))
        check_table_output(norm_table)
    if (bool(paths) + bool(endpoint) + bool(store)) != 1:
        raise InputError("give data files or folders, --store FOLDER or --endpoint URL (one of the three)",
                         nl=("geef gegevensbestanden of mappen, --store MAP of --endpoint URL (een van de drie)", None))
    if fetch and (check_setup or not check):
        raise InputError("--check-setup and --no-check are about the store check, which only --in-store makes",
                         hint="add --in-store to run the shape queries in the store, or leave them out",
                         nl=("--check-setup en --no-check gaan over de controle van de store, die alleen --in-store "
                             "doet", "voeg --in-store toe om de shape-queries in de store uit te voeren, of laat "
                             "ze weg"))
    reference = parse_as_of(as_of) if as_of else None
    statuses = _split_ids(evidence)
    unknown = sorted(set(statuses or ()) - set(EVIDENCE))
    if unknown:
        raise InputError(f"unknown evidence status(es): {', '.join(unknown)}",
                         hint=f"choose from: {', '.join(EVIDENCE)}",
                         nl=(f"onbekende bewijsstatus(sen): {', '.join(unknown)}", f"kies uit: {', '.join(EVIDENCE)}"))
    if watch and (len(paths or []) != 1 or norm_table is not None):
        raise InputError("--watch follows one file or folder: a workbook, a CSV folder or an RDF file",
                         hint="name one path, and leave out --norm-table (written once, not on every save)",
                         nl=("--watch volgt één bestand of map: een werkboek, een CSV-map of een RDF-bestand",
                             "noem één pad, en laat --norm-table weg (eenmaal geschreven, niet bij elke opslag)"))
    source = open_read_only(store) if store else endpoint or list(paths or [])
    turtle = output_format is OutputFormat.turtle  # only Turtle output shows the SHACL report

    def run() -> int:
        """Validate and print; the exit code."""
        with _spinner("validating", lang) as step:
            reports = validate(source, _split_ids(shapes), ValidationOptions(
                engine=engine.value, fallback=fallback, as_of=reference, shapes_files=shapes_file or (),
                note=lambda text: stderr().print(say("note", lang.value, text=text), highlight=False),
                progress=step, setups=setup,
                limits=Limits(max_file_bytes=max_file_size, max_literal_chars=max_literal),
                with_shacl_report=turtle, shared=shared_graph or (), graph_store=graph_store,
                credentials=_credentials(user), fetch=fetch, check=check, check_setup=check_setup))
        if statuses:
            reports = with_evidence(reports, statuses)
        if framework is None:
            _print_reports(reports, output_format, lang)
            return 0 if all(r.conforms for r in reports) else 1
        return _print_with_norms(reports, framework, norm_table, output_format, lang, engine)

    if watch:
        assert paths  # one path, checked above
        _watch(paths[0], run, output_format, lang.value)
    raise typer.Exit(run())


def _print_with_norms(reports: list[Report], framework: Framework, norm_table: Path | None,
                      output_format: OutputFormat, lang: Language, engine: Engine) -> int:
    from jeugdgov.dossier.comparison import chronological
    from jeugdgov.norms import rendering
    from jeugdgov.norms.scoring import score_reports

    with _spinner("scoring the norms", lang):
        table = score_reports(reports, framework, engine.value, order=chronological)
    if norm_table is not None:
        rendering.write_table(table, norm_table, lang.value)
    if output_format is OutputFormat.json:
        findings_json = io.StringIO()
        write_json(reports, lang.value, findings_json)
        document = json.loads(findings_json.getvalue())
        document["norm_table"] = json.loads(rendering.as_json(table, lang.value))
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_reports(reports, output_format, lang)
        if output_format is OutputFormat.text:
            rendering.print_table(table, lang.value, stdout())
    findings = any(not r.conforms for r in reports) or any(s.findings for s in table.scores.values())
    return 1 if findings else 0


def _watch(path: Path, run: Callable[[], int], output_format: OutputFormat, lang: str) -> None:
    """Validate again after every save, until Ctrl-C: the ontology, shapes and their queries
    stay compiled in this process. Bad input is reported and the watch goes on."""
    from jeugdgov.watch import saves

    for count, _saved in enumerate(saves(path)):
        started = time.perf_counter()
        if output_format is OutputFormat.text and stdout().is_terminal:
            stdout().clear()
        try:
            run()
        except InputError as error:
            stderr().print(f"[bold red]{say('error', lang)}:[/bold red] {error.text(say('hint', lang), lang)}",
                          highlight=False, soft_wrap=True)
        sys.stdout.flush()
        stderr().print(say("watching", lang, time=f"{datetime.now():%H:%M:%S}", path=path,
                           seconds=f"{time.perf_counter() - started:.2f}"),
                       highlight=False, style="dim", soft_wrap=True)
        if count == 0:  # what the first run compiled stays: the collector need not walk it on every save
            gc.collect()
            gc.freeze()


@contextmanager
def _spinner(label: str, lang: Language) -> Iterator[Callable[[str], None]]:
    """A progress line on stderr (if it is a terminal), in ``lang``; yields what updates its text."""
    if not sys.stderr.isatty():  # nothing to show: rich is not even imported
        yield lambda step: None
        return
    from rich.progress import Progress

    with Progress(console=stderr(), transient=True) as progress:
        task = progress.add_task(progress_step(label, lang.value), total=None)
        yield lambda step: progress.update(task, description=progress_step(step, lang.value))


def _print_reports(reports: list[Report], output_format: OutputFormat, lang: Language) -> None:
    # Only complete reports are printed: an interrupted validation prints nothing. Machine-readable
    # output goes straight to the stream, a piece at a time: rich would wrap every line of it.
    if output_format is OutputFormat.json:
        write_json(reports, lang.value, sys.stdout)
    elif output_format is OutputFormat.turtle:
        write_turtle(reports, sys.stdout)
    else:
        print_text(reports, lang.value, stdout())
    sys.stdout.flush()


@app.command("explain")
def explain_command(
    defect: Annotated[str, typer.Argument(help="A catalogue id or group, as `jeugdgov defects` lists them "
                                          "(with --norms: a norm's id).", show_default=False)],
    norms: NormsOption = None,
    lang: LangOption = Language.nl,
) -> None:
    """Print the page of a rule: what it checks, what it reads (and where a workbook states it),
    what makes a finding established or unrecorded, its basis and a minimal example (as
    docs/defects/nl/ID.md, in English docs/defects/ID.md); with --norms, the page of a norm of
    that framework and the SHACL shape it compiles to."""
    framework = _read_norms(norms)
    if framework is not None:
        from jeugdgov.norms.pages import norm_page

        stdout().out(norm_page(framework, defect, lang.value), highlight=False, end="")
        return
    from jeugdgov.validation.rule_pages import rule_page

    stdout().out(rule_page(defect, lang.value), highlight=False, end="")


@app.command("defects")
def defects_command(_lang: LangOption = Language.nl) -> None:
    """List the defect ids and groups that --shapes accepts."""
    for defect in defect_ids():
        stdout().print(defect)


@app.command("synth")
def synth_command(
    decisions: Annotated[int, typer.Option("--decisions", "-n", help="Number of individual decisions "
                                           "(beschikkingen), spread over all municipalities.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write setups/*.nt and planted.json to.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 1,
    rate: Annotated[float, typer.Option("--rate", help="Share of eligible objects (decisions, contracts, "
                                        "municipalities, regions) that get each defect; 0 for clean data.")] = 0.01,
    regions: Annotated[int, typer.Option("--regions", help="Regions; each is one setup (one file).")] = 42,
    municipalities: Annotated[int, typer.Option("--municipalities", help="Municipalities.")] = 342,
    providers: Annotated[int, typer.Option("--providers", help="Care providers.")] = 4000,
    data_quality: Annotated[bool, typer.Option("--data-quality/--no-data-quality",
                                               help="Also plant data-quality defects.")] = True,
    lang: LangOption = Language.nl,
) -> None:
    """Generate national-scale synthetic setups with planted defects, to test and benchmark validation.

    Writes one N-Triples file per region into OUT/setups and the findings a correct validator
    must report into OUT/planted.json. A size that would not fit on disk or in memory is refused
    before anything is written.

    Examples:

      jeugdgov synth --decisions 100000 --seed 7 --out /tmp/nl

      jeugdgov validate /tmp/nl/setups --format json > findings.json
    """
    from jeugdgov.synth import Parameters, generate, planted_counts

    params = Parameters(decisions, seed, rate, regions, municipalities, providers, data_quality)
    params.check()
    with _spinner("generating", lang) as step:
        summary = generate(params, out, progress=step)
    stderr().print(say("generated", lang.value, triples=f"{summary.triples:,}", setups=len(summary.files),
                       folder=out / "setups", planted=f"{len(summary.planted):,}", file=out / "planted.json"),
                   highlight=False)
    for defect, count in planted_counts(summary.planted):
        stderr().print(f"  {defect:34} {count:>7,}", highlight=False)


class GraphKind(str, Enum):
    roles = "roles"
    money = "money"
    mandates = "mandates"
    accountability = "accountability"


@app.command("viz")
def viz_command(
    path: Annotated[Path, typer.Argument(help="A Turtle, TriG, JSON-LD or N-Triples file, a workbook, or a folder.",
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
    from jeugdgov.analysis.projection import Period
    from jeugdgov.setups import select_one
    from jeugdgov.viz.static import check_output, write

    check_output(out)
    if on_date is not None and (period_start or period_end):
        raise InputError("give --date or --period-start/--period-end, not both",
                         hint="--date draws one day; --period-start and --period-end a period",
                         nl=("geef --date of --period-start/--period-end, niet beide",
                             "--date tekent één dag; --period-start en --period-end een periode"))
    period = Period(period_start.date() if period_start else None, period_end.date() if period_end else None) \
        if period_start or period_end else None
    chosen = select_one(load(path), setup, "draw")
    write(chosen, kind.value, out, lang=lang.value, period=period, at=on_date.date() if on_date else None,
          highlight=not no_findings, aggregate=not all_actors)
    stderr().print(say("wrote_picture", lang.value, out=out, kind=kind.value, setup=chosen.name), highlight=False)


@app.command("report")
def report_command(
    paths: Annotated[list[Path], typer.Argument(
        help="Turtle, TriG, JSON-LD or N-Triples files, or folders holding them.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.", show_default=False)],
    setup: Annotated[list[str] | None, typer.Option(
        "--setup", help="Only report on the setup(s) with this name.")] = None,
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of the report.")] = Language.nl,
    as_of: AsOfOption = None,
    norms: NormsOption = None,
) -> None:
    """Write a report for a council: one self-contained HTML file (CSS and pictures inline).

    Per setup: counts per severity and evidence status, the findings grouped by defect with
    their parties, facts, sources and basis (linked to wetten.overheid.nl), the questions to
    verify, claims, data-quality findings and pictures with the findings numbered; then the
    comparison of consecutive phases of one case. Print it to PDF from the browser. Exits 0
    when the report is written, whatever it finds; 2 on bad input.

    Examples:

      jeugdgov report data/lelystad.trig --out rapport.html

      jeugdgov report data/ --out report.html --lang en

      jeugdgov report data/lelystad.trig --norms examples/normenkader.xlsx --out rapport.html
    """
    from jeugdgov.dossier.html import check_output, write
    from jeugdgov.setups import select
    from jeugdgov.viz.inline import pictures_of

    check_output(out)
    framework = _read_norms(norms)
    reference = parse_as_of(as_of) if as_of else None
    with _spinner("validating", lang) as step:
        reports = []
        for chosen in select(load(*paths), setup):
            step(f"validating {chosen.name}")
            reports.append(validate(chosen, as_of=reference))
        table = None
        if framework is not None:
            from jeugdgov.dossier.comparison import chronological
            from jeugdgov.norms import score_setups

            step("scoring the norms")
            table = score_setups([r.setup for r in chronological(reports)], framework, as_of=reference)
        step("drawing")
        write(reports, out, lang=lang.value, norms=table, pictures=pictures_of(reports, lang.value))
    stderr().print(say("wrote_report", lang.value, out=out, count=len(reports)), highlight=False)


class CompareFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


@app.command("compare")
def compare_command(
    before: Annotated[str, typer.Argument(
        help="The earlier setup: its name (with --data), or a file holding one setup.", show_default=False)],
    after: Annotated[str, typer.Argument(
        help="The later setup: its name (with --data), or a file holding one setup.", show_default=False)],
    data: Annotated[list[Path] | None, typer.Option(
        "--data", "-d", help="Files or folders holding both setups; BEFORE and AFTER are then setup names.")]
        = None,
    output_format: Annotated[CompareFormat, typer.Option(
        "--format", "-f", help="text for reading; json or csv (one row per defect) for other tools.")]
        = CompareFormat.text,
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of labels and messages.")]
        = Language.nl,
    as_of: AsOfOption = None,
    norms: NormsOption = None,
) -> None:
    """Compare the findings of two setups: which defects appear, persist and disappear; with
    --norms also each norm's score before and after (csv: one row per norm instead).

    Setups are compared by defect: phases of a case rest on different facts, so the same
    defect is found on different nodes. Exits 0 when the comparison is printed, whatever it
    finds; 2 on bad input.

    Examples:

      jeugdgov compare lelystad-netwerk lelystad-cooperatie --data data/lelystad.trig

      jeugdgov compare before.ttl after.ttl --format csv
    """
    from jeugdgov.dossier.comparison import as_csv, as_json, as_text, compare_reports
    from jeugdgov.setups import select

    framework = _read_norms(norms)

    if data:
        loaded = load(*data)
        earlier, later = (select(loaded, [name])[0] for name in (before, after))
    else:
        for given in (before, after):
            if not Path(given).exists():
                raise InputError(f"no file or folder '{given}'",
                                 hint="give two files, or setup names with --data FILE",
                                 nl=(f"bestand of map '{given}' bestaat niet",
                                     "geef twee bestanden, of namen van inrichtingen met --data BESTAND"))
        earlier, later = (_only_setup(load(given), given) for given in (before, after))
    reference = parse_as_of(as_of) if as_of else None
    comparison = compare_reports(validate(earlier, as_of=reference), validate(later, as_of=reference))
    render = {CompareFormat.text: as_text, CompareFormat.json: as_json, CompareFormat.csv: as_csv}[output_format]
    text = render(comparison, lang.value)
    if framework is not None:
        from jeugdgov.norms import rendering, score_setups

        table = score_setups([earlier, later], framework, as_of=reference)
        changes = rendering.compare_scores(table, earlier.name, later.name, lang.value)
        if output_format is CompareFormat.text:
            text += "\n" + rendering.changes_as_text(changes, lang.value)
        elif output_format is CompareFormat.json:
            text = json.dumps({**json.loads(text), "norms": rendering.changes_as_dicts(changes)},
                              ensure_ascii=False, indent=2) + "\n"
        else:
            text = rendering.changes_as_csv(changes)
    sys.stdout.write(text)
    sys.stdout.flush()


def _only_setup(setups: list[Setup], given: str) -> Setup:
    if len(setups) != 1:
        raise InputError(f"it holds {len(setups)} setups, not one", file=given,
                         hint=f"name two of them with --data {given}: {', '.join(s.name for s in setups)}",
                         nl=(f"het bevat {len(setups)} inrichtingen, niet één",
                             f"noem er twee met --data {given}: {', '.join(s.name for s in setups)}"))
    return setups[0]


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def _parameters(values: list[str] | None) -> dict[str, str]:
    from jeugdgov.sparql.library import ParameterError

    parameters: dict[str, str] = {}
    for value in values or []:
        name, equals, given = value.partition("=")
        if not equals or not name.strip():
            raise ParameterError(name.strip() or value, f"'{value}' is not name=value",
                                 hint="write --param period_start=2016-01-01",
                                 nl=(f"'{value}' is geen naam=waarde", "schrijf --param period_start=2016-01-01"))
        parameters[name.strip()] = given
    return parameters


@app.command("queries")
def queries_command(
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of the titles.")] = Language.nl,
) -> None:
    """List the named queries with their titles and parameters."""
    from rich.table import Table

    from jeugdgov.sparql.library import library

    table = Table(*{"nl": ("naam", "titel", "parameters (? facultatief)"),
                    "en": ("name", "title", "parameters (? optional)")}[lang.value])
    for query in library().values():
        parameters = ", ".join(f"{p.name}: {p.type}{'' if p.required else '?'}" for p in query.parameters)
        table.add_row(query.name, query.title(lang.value), parameters)
    stdout().print(table)


@app.command("query")
def query_command(
    name: Annotated[str, typer.Argument(
        help="A named query (`jeugdgov queries` lists them) or the path of a .rq file.", show_default=False)],
    data: Annotated[list[Path] | None, typer.Argument(
        help="Data files or folders to query (default: the bundled data/). The ontology is always added.",
        show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="A parameter as name=value; repeat for more. Values are checked against "
        "the type the query declares.")] = None,
    output_format: Annotated[QueryFormat, typer.Option(
        "--format", "-f", help="table for reading; csv, tsv or json (SPARQL results) for other tools.")]
        = QueryFormat.table,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="Run on this external SPARQL endpoint instead of local data; its default "
        "graph must be the union of its graphs (oxigraph serve --union-default-graph).")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="With --endpoint: user for a protected endpoint (HTTP basic or digest); the password "
        "is read from $JEUGDGOV_PASSWORD or asked for.")] = None,
    lang: LangOption = Language.nl,
) -> None:
    """Run a named query (or a .rq file) over the bundled data, given files, or an external store.

    Examples:

      jeugdgov query roles-in-period --param period_start=2016-01-01 --param period_end=2016-12-31

      jeugdgov query cost-estimates-per-model --format csv

      jeugdgov query money-final-recipients data/lelystad.trig --param municipality=gm:gm0995

      jeugdgov query setups --endpoint http://localhost:7878/query
    """
    from jeugdgov.sparql.library import refuse_remote_calls, resolve, run
    from jeugdgov.sparql.results import print_table, write_result
    from jeugdgov.stores.embedded import memory_store
    from jeugdgov.stores.remote import query as remote_query

    if endpoint and data:
        raise InputError("give data files or --endpoint, not both",
                         nl=("geef gegevensbestanden of --endpoint, niet beide", None))
    query = resolve(name)
    bindings = query.bind(_parameters(param))
    if not endpoint:
        refuse_remote_calls(query.text, query.path)
    if endpoint:
        result = remote_query(endpoint, query.text, bindings, credentials=_credentials(user))
    else:
        try:
            result = run(memory_store(data), query.text, bindings)
        except SyntaxError as error:
            raise InputError(f"SPARQL syntax error: {error}", file=query.path,
                             nl=(f"SPARQL-syntaxfout: {error}", None)) from None
    if output_format is QueryFormat.table:
        print_table(result, stdout(), query.prefixes, hidden=[p.name for p in query.parameters], lang=lang.value)
        return
    write_result(result, output_format.value, sys.stdout.buffer)
    sys.stdout.buffer.flush()


class WorkbookTarget(str, Enum):
    trig = "trig"
    xlsx = "xlsx"
    csv = "csv"


@app.command("template")
def template_command(
    out: Annotated[Path, typer.Option("--out", help="The workbook to write: an .xlsx file, or a folder name "
                                      "for CSV files.", show_default=False)],
    lang: Annotated[Language, typer.Option("--lang", help="Language of sheet names, first header row, lists "
                                           "and instructions.")] = Language.nl,
    norms: Annotated[bool, typer.Option("--norms", help="Write instead the catalogue's own norm framework "
                                        "(its defects grouped under research questions) to copy and edit: "
                                        ".xlsx, .csv, .yaml or .ttl.")] = False,
) -> None:
    """Write the empty workbook for describing a setup: one sheet per kind of fact, headers in
    Dutch and English, drop-down lists from the taxonomies and an instructions sheet.

    Fill it in and check it with jeugdgov validate; every command reads it as it reads TriG.

    Example:

      jeugdgov template --out mijn-regio.xlsx && jeugdgov validate mijn-regio.xlsx

      jeugdgov template --norms --out normenkader.xlsx
    """
    if norms:
        from jeugdgov.norms.catalogue import write_framework

        write_framework(out, lang.value)
        stderr().print(say("wrote_framework", lang.value, out=out), highlight=False)
        return
    from jeugdgov.workbook import write_template

    write_template(out, lang.value)
    stderr().print(say("wrote_template", lang.value, out=out), highlight=False)


@app.command("convert")
def convert_command(
    source: Annotated[Path, typer.Argument(help="A setup file (TriG, Turtle, ...) or workbook (.xlsx, .ods, "
                                           "folder of CSV files).", show_default=False)],
    to: Annotated[WorkbookTarget, typer.Option("--to", help="What to write.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="The file (trig, xlsx) or folder (csv) to write.",
                                      show_default=False)],
    lang: Annotated[Language, typer.Option("--lang", help="Language of a workbook's sheets, headers and "
                                           "list values.")] = Language.nl,
) -> None:
    """Convert between RDF and workbooks, both ways, through the one mapping file.

    Nothing is written when the input is refused. Periods become start and end dates, so the
    labels of periods are not kept, and a sheet of norms is no setup's facts (the command says
    how many of each it leaves behind).

    Examples:

      jeugdgov convert data/lelystad.trig --to xlsx --out lelystad.xlsx

      jeugdgov convert lelystad.xlsx --to trig --out lelystad.trig
    """
    from jeugdgov.rdf_formats import FORMATS
    from jeugdgov.setups import parse_file, rdf_files
    from jeugdgov.workbook import contents_from, write_workbook
    from jeugdgov.workbook.tables import is_workbook

    files = list(rdf_files([source]))
    if len(files) != 1:
        raise InputError(f"the folder holds {len(files)} files; convert one file or workbook at a time",
                         file=source, hint="name one file, or a folder of workbook CSV files",
                         nl=(f"de map bevat {len(files)} bestanden; zet één bestand of werkboek tegelijk om",
                             "noem één bestand, of een map met CSV-bestanden van een werkboek"))
    expected = {"trig": ".trig", "xlsx": ".xlsx", "csv": ""}[to.value]
    if out.suffix.lower() != expected and not (to is WorkbookTarget.trig and out.suffix.lower() in FORMATS):
        raise InputError(f"--to {to.value} writes {'a folder' if not expected else 'a ' + expected + ' file'}, "
                         f"but --out is '{out}'", file=out,
                         hint=f"name the output {'without a suffix' if not expected else 'with ' + expected}",
                         nl=(f"--to {to.value} schrijft {'een map' if not expected else 'een ' + expected + '-bestand'}"
                             f", maar --out is '{out}'",
                             "geef de uitvoer een naam "
                             + ("zonder achtervoegsel" if not expected else "op " + expected)))
    dataset = parse_file(files[0])
    if is_workbook(files[0]):
        from jeugdgov.norms.reading import norms_in_workbook

        if norms := norms_in_workbook(files[0]):
            stderr().print(say("norms_not_converted", lang.value, count=norms), highlight=False)
    if to is WorkbookTarget.trig:
        from jeugdgov.output import atomic_write

        trig = dataset.serialize(format="trig", encoding="utf-8")
        atomic_write(out, lambda path: path.write_bytes(trig))
    else:
        contents = contents_from(dataset, lang.value)
        write_workbook(contents, out, lang.value)
        for what, count in contents.dropped.items():
            words = DROPPED.get(what, {}).get(lang.value, what)
            stderr().print(say("not_kept", lang.value, count=count, what=words), highlight=False)
    stderr().print(say("wrote", lang.value, out=out), highlight=False)


@app.command("load")
def load_command(
    data: Annotated[list[Path], typer.Argument(help="Data files or folders.", show_default=False)],
    store: Annotated[Path, typer.Option(
        "--store", help="The store folder (created when missing).", show_default=False)],
    ontology: Annotated[bool, typer.Option(
        "--ontology/--no-ontology", help="Also load the ontology, so queries can label roles and tasks.")] = True,
    lang: LangOption = Language.nl,
) -> None:
    """Load data into an embedded (pyoxigraph) store, all or nothing.

    Every file is parsed first; one bad file stops the load and leaves the store as it was.
    Each setup goes into its own named graph; a TriG file's default graph and the ontology into
    the default graph. Loading a file again replaces its named graphs and adds nothing twice
    (blank nodes get IRIs made from the file's path); a shared triple a file no longer holds
    stays in the default graph until the store is rebuilt.

    Example:

      jeugdgov load data/ --store ./store && jeugdgov serve --store ./store
    """
    from jeugdgov.stores.embedded import graph_names, load_into

    count, opened = load_into(store, data, with_ontology=ontology)
    stderr().print(say("loaded", lang.value, count=count, store=store, quads=len(opened),
                       graphs=len(graph_names(opened))), highlight=False)


@app.command("push")
def push_command(
    data: Annotated[list[Path], typer.Argument(help="Data files or folders.", show_default=False)],
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="SPARQL 1.1 Update endpoint, e.g. http://localhost:7878/update or Virtuoso's "
        "http://localhost:8890/sparql-auth.")] = None,
    graph_store: Annotated[str | None, typer.Option(
        "--graph-store", help="Graph Store Protocol address, e.g. http://localhost:7878/store or Virtuoso's "
        "http://localhost:8890/sparql-graph-crud-auth. With --endpoint the fresh graphs are written through it "
        "(much faster on large data) and still moved into place all or nothing; alone it replaces each graph "
        "directly.")] = None,
    ontology: Annotated[bool, typer.Option("--ontology/--no-ontology", help="Also push the ontology.")] = True,
    user: Annotated[str | None, typer.Option(
        "--user", help="User for a protected endpoint (HTTP basic or digest, as the server asks); the "
        "password is read from $JEUGDGOV_PASSWORD or asked for.")] = None,
    lang: LangOption = Language.nl,
) -> None:
    """Send data to an external SPARQL 1.1 store (SPARQL Update or Graph Store Protocol).

    Each setup goes into its named graph, a file's shared triples into a named graph of their
    own (<file URI>#shared) and the ontology into <https://w3id.org/jeugdgov/def>; a layout
    graph records which graphs each setup shares, so that one store holds many cases and the
    shape queries can run in it. Blank nodes are given IRIs (the same on every push). Every file
    is parsed before anything is sent; with SPARQL Update the graphs are written fresh (through
    the Graph Store Protocol when --graph-store is given too) and only then moved over the old
    ones, so a failed push leaves the store as it was.

    Example:

      jeugdgov push data/ --endpoint http://localhost:8890/sparql-auth --user dba
    """
    from jeugdgov.stores.push import push

    pushed = push(data, endpoint=endpoint, graph_store=graph_store, with_ontology=ontology,
                  credentials=_credentials(user))
    others = len(pushed.graphs) - pushed.setups
    stderr().print(say("sent", lang.value, triples=pushed.triples, setups=pushed.setups, others=others,
                       to=endpoint or graph_store), highlight=False)


def _credentials(user: str | None) -> Credentials | None:
    """The user's credentials: the password from the environment, else asked for on a terminal."""
    import os

    from jeugdgov.stores.protocol import PASSWORD_VARIABLE

    if user is None:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        if not sys.stdin.isatty():
            raise InputError(f"--user {user} needs a password", hint=f"set ${PASSWORD_VARIABLE}, or run the "
                             "command in a terminal to be asked for it",
                             nl=(f"--user {user} heeft een wachtwoord nodig", f"zet ${PASSWORD_VARIABLE}, of voer de "
                                 "opdracht uit in een terminal om ernaar gevraagd te worden"))
        password = typer.prompt(f"password for {user}", hide_input=True)
    return Credentials(user, password)


@app.command("serve")
def serve_command(
    data: Annotated[list[Path] | None, typer.Argument(
        help="Data files or folders to serve (default: the bundled data/, unless --store is given).",
        show_default=False)] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Serve this store folder (DATA is loaded into it first); without it a temporary "
        "store is used.")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free port).")]
        = 7878,
    writable: Annotated[bool, typer.Option("--writable", help="Accept SPARQL updates at /update.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run (more than 0).")] = 30.0,
    max_request: Annotated[int, typer.Option(
        "--max-request", min=1, help="Largest request body or query string, in bytes.")] = 1_000_000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Query worker processes (one when writable).")] = 4,
    queries: Annotated[Path | None, typer.Option(
        "--queries", help="Folder of named queries to serve (default: the bundled queries/).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Do not log requests.")] = False,
    validate_first: Annotated[bool, typer.Option(
        "--validate", help="Validate the setups first and serve their reports (for the findings queries).")] = False,
    allow_service: Annotated[list[str] | None, typer.Option(
        "--allow-service", help="An endpoint or document IRI (prefix) that SERVICE and LOAD may call; '*' for "
        "any. Repeatable. None by default: they would make the server fetch any address.")] = None,
    update_token_variable: Annotated[str | None, typer.Option(
        "--update-token", help="Name of an environment variable holding a token that updates must send "
        "as 'Authorization: Bearer TOKEN'.")] = None,
    memory_limit: Annotated[int, typer.Option(
        "--memory-limit", min=0, help="Megabytes of memory per query worker (0: no limit).")] = 2048,
    max_result: Annotated[int, typer.Option(
        "--max-result", min=1, help="Largest result, in megabytes.")] = 200,
    norms: NormsOption = None,
    lang: LangOption = Language.nl,
) -> None:
    """Serve a SPARQL 1.1 endpoint for BI tools, with the named queries as CSV URLs.

    GET /query?query=...&format=csv, GET /queries (the list), GET /queries/NAME.csv?param=value,
    GET /health. Read-only unless --writable; each query runs in a worker process that is
    stopped after --timeout seconds.

    Examples:

      jeugdgov serve

      jeugdgov serve data/lelystad.trig --port 8000

      jeugdgov load data/ --store ./store && jeugdgov serve --store ./store --writable
    """
    from jeugdgov.server.endpoint import serve_data
    from jeugdgov.sparql.library import library

    if host not in ("127.0.0.1", "localhost", "::1"):
        stderr().print(say("reachable", lang.value, host=host), highlight=False)
    update_token = None
    if update_token_variable is not None:
        update_token = os.environ.get(update_token_variable)
        if not update_token:
            raise InputError(f"--update-token: the environment variable {update_token_variable} is not set or empty",
                             hint=f"export {update_token_variable}=A-LONG-RANDOM-TOKEN first",
                             nl=(f"--update-token: de omgevingsvariabele {update_token_variable} is niet gezet "
                                 "of leeg", f"zet eerst export {update_token_variable}=EEN-LANG-WILLEKEURIG-TOKEN"))
    if norms is not None and not validate_first:
        raise InputError("--norms scores the setups validated first", hint="add --validate",
                         nl=("--norms scoort de inrichtingen die eerst gevalideerd zijn", "voeg --validate toe"))
    serve_data(data, store, library(queries), host=host, port=port, writable=writable, timeout=timeout,
               max_body=max_request, workers=workers, log=not quiet, validate=validate_first,
               norms=_read_norms(norms),
               allow_service=tuple(allow_service or ()), update_token=update_token,
               memory_limit=memory_limit * 2**20 or None, max_result=max_result * 2**20,
               note=lambda line: stderr().print(line, highlight=False), lang=lang.value)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that worker processes are stopped and nothing printed.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` takes it for bad input.
    """


def _terminate(_signal: int, _frame: object) -> None:
    raise Terminated


def _command_tree(arguments: list[str]) -> typer.core.TyperGroup:
    """The click command tree typer builds: of only the command named first, if one is (all
    fourteen take about 20 ms to build, a twentieth of validating a small region)."""
    named = [info for info in app.registered_commands if arguments and info.name == arguments[0]]
    if not named:
        return typer.main.get_group(app)
    one = _new_app()
    one.registered_commands = named
    return typer.main.get_group(one)


def main() -> None:
    """Entry point: run the app, turning bad input into a message and exit code 2."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    arguments = sys.argv[1:]
    lang = language_of(arguments)
    command = _command_tree(arguments)
    if "--help" in arguments and not set(arguments) & set(command.commands):
        arguments = ["--help"]  # the app's own help: --lang only chooses its language
    help_language: AbstractContextManager[None] = nullcontext()
    if not arguments or "--help" in arguments:
        from jeugdgov.help_types import plain_types

        plain_types(command, lang)
        if lang == "nl":  # help is shown before --lang is read
            from jeugdgov.help_nl import in_dutch

            help_language = in_dutch(command)
    try:
        with help_language:
            try:
                # Named as the installed command is; click otherwise names the module Python runs
                # (``python -m jeugdgov``, or pytest's where tests call this function)
                program = "jeugdgov" if Path(sys.argv[0]).name == "jeugdgov" else None
                # click's usage errors come here, in ``lang``
                code = command(arguments, prog_name=program, standalone_mode=False)
            except CLICK_ERROR as error:
                if type(error).__name__ == "NoArgsIsHelpError":  # a command named without arguments: its help
                    error.show()  # type: ignore[attr-defined]
                    sys.exit(2)
                raise usage_error(error, sys.argv[1:]) from None
            except typer.Abort:  # Ctrl-D at the password prompt
                raise KeyboardInterrupt from None
        sys.exit(code or 0)
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt the exit
        stderr().print(say("terminated", lang), highlight=False)
        sys.exit(128 + signal.SIGTERM)
    except InputError as error:
        stderr().print(f"[bold red]{say('error', lang)}:[/bold red] {error.text(say('hint', lang), lang)}",
                      highlight=False, soft_wrap=True)
        # What a failed write left behind (openpyxl's half-written temporary sheets) fails once
        # more when collected at exit; the message above already said what happened.
        sys.unraisablehook = lambda _unraisable: None
        sys.exit(2)
    except LoadInterrupted as interrupt:  # the load read back what it wrote
        stderr().print(interrupt.nl if lang == "nl" else interrupt.state, highlight=False)
        sys.exit(interrupt.exit_code)
    except KeyboardInterrupt:
        stderr().print(say("interrupted", lang), highlight=False)
        sys.exit(130)
    except SystemExit as done:
        if done.code == 130:  # typer turns Ctrl-C into exit code 130, silently
            stderr().print(say("interrupted", lang), highlight=False)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
