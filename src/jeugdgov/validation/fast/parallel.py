"""The fast engine on files too large for rdflib: each file straight into a pyoxigraph store.

A file is parsed by pyoxigraph's bulk loader, validated and dropped before the next one is
read, so memory holds one setup at a time. Files are validated in parallel worker processes
(pyoxigraph keeps the GIL while it evaluates a query, so threads would not help); what a
worker hands back is plain data: findings, and the triples of the setup's description and
SHACL report (pickled rdflib terms: rdflib's N-Triples parser takes time quadratic in the length
of a literal, so a text round trip would make one long literal take minutes).

Setups are found as :func:`jeugdgov.setups.setups_in_dataset` finds them (in pyoxigraph
instead of rdflib, for memory): a file of triples is one setup; a TriG or N-Quads file holds
one setup per named graph, each merged with the file's default graph; a setup is named by the
``dct:identifier`` of its ``jg:Setup`` node, else as :func:`jeugdgov.setups.file_setup_name` says.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Node, URIRef
from rdflib.namespace import DCTERMS

from jeugdgov import read_ahead
from jeugdgov.errors import InputError
from jeugdgov.limits import DEFAULT_LIMITS, Limits, check_file, check_literal_lengths, may_hold_long_literal
from jeugdgov.rdf_formats import FORMATS
from jeugdgov.resources import JG, ontology_quads, to_rdflib
from jeugdgov.setups import (
    Setup,
    file_setup_name,
    rdf_files,
    refuse_duplicate_names,
    refuse_unknown_names,
    refuse_without_setup,
    setup_from_graph,
)
from jeugdgov.stores.embedded import empty_file, reading
from jeugdgov.validation.fast.child_signals import STOP_SIGNALS, leave_stopping_to_the_parent
from jeugdgov.validation.fast.evaluation import Progress, check_translatable, evaluate, setup_as_of, translation_for
from jeugdgov.validation.fast.local_store import LocalRunner, Term, quad_of, to_ox
from jeugdgov.validation.fast.pyshacl_fallback import with_pyshacl
from jeugdgov.validation.fast.shacl_report import report_for
from jeugdgov.validation.fast.split import evaluate_on_two_cores, pays
from jeugdgov.validation.findings import Finding, Findings, Report
from jeugdgov.workbook.tables import is_workbook

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.process import BaseProcess

    from jeugdgov.workbook.reading import Origin, Quad

Triple = tuple[Node, Node, Node]
DESCRIPTION = (RDF.type, RDFS.label, DCTERMS.identifier)


@dataclass
class LoadedSetup:
    """A setup read from a file straight into a store, without an rdflib copy of its data."""

    setup: Setup
    store: ox.Store
    triples: int  # with the ontology


def load_setups(path: Path, limits: Limits = DEFAULT_LIMITS,
                parsing: ParseInBackground | None = None) -> Iterator[LoadedSetup]:
    """Each setup of one file in a store of its own, with the ontology, one at a time;
    ``parsing`` is the file's parse, already started."""
    if parsing is None and is_workbook(path):
        yield from _workbook_setups(path, limits)
        return
    staging = parsing.store() if parsing is not None else _parse(path, limits)
    named = sorted((g for g in staging.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    if not named:
        staging.bulk_extend(ontology_quads())
        yield _loaded(path, staging, file_setup_name(path, None))
        return
    shared = list(staging.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    for graph in named:
        store = ox.Store()
        store.bulk_extend(shared)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                          for q in staging.quads_for_pattern(None, None, None, graph))
        store.bulk_extend(ontology_quads())
        yield _loaded(path, store, file_setup_name(path, graph.value))


def _workbook_setups(path: Path, limits: Limits) -> Iterator[LoadedSetup]:
    """As :func:`load_setups`, for a workbook: its facts go from Python straight into each
    setup's store (read into one store first and each setup's graph copied out, they took about
    0.07 of 0.5 CPU seconds of a ``--watch`` round on region 1 of 100,000 decisions)."""
    from jeugdgov.workbook import read_workbook  # yaml and the workbook mapping only for a workbook

    workbook = read_workbook(path, limits)
    by_graph: dict[Term | None, list[ox.Quad]] = {}
    for s, p, o, g in _as_oxigraph(workbook.quads):
        by_graph.setdefault(g, []).append(quad_of(s, p, o))
    shared = by_graph.pop(None, [])
    named: list[tuple[str | None, list[ox.Quad]]] = sorted(
        (g.value, quads) for g, quads in by_graph.items() if isinstance(g, ox.NamedNode))
    for name, own in named or [(None, [])]:
        store = ox.Store()
        store.bulk_extend(itertools.chain(shared, own, ontology_quads()))
        yield _loaded(path, store, file_setup_name(path, name), workbook.origins)


def _parse(path: Path, limits: Limits) -> ox.Store:
    """The RDF file in a store (the one the command read ahead, if it did)."""
    check_file(path, limits)
    file_format = FORMATS[path.suffix.lower()].oxigraph
    store = read_ahead.take(path, file_format)
    if store is None:
        with reading(path, "fix the statement on or just before this line",
                     "verbeter de opdracht op of vlak voor deze regel"):
            store = read_ahead.load(path, file_format)
    if len(store) == 0:
        raise empty_file(path)
    if may_hold_long_literal(path, limits):
        check_literal_lengths(path, _literals_longer_than(store, limits.max_literal_chars), limits)
    return store


class ParseInBackground:
    """An RDF file's parse, started on a thread so that the catalogue is read and compiled
    meanwhile: pyoxigraph's bulk load releases the GIL (on region 1 of 1,000,000 decisions the
    load takes 0.4 s, the catalogue 0.2 s). Not for a workbook, read in Python."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self._outcome: list[ox.Store | BaseException] = []
        # A daemon: an interrupted command does not wait for a parse nobody needs any more.
        self._thread = threading.Thread(target=self._parse, args=(path, limits), daemon=True)
        self._thread.start()

    def _parse(self, path: Path, limits: Limits) -> None:
        try:
            self._outcome.append(_parse(path, limits))
        except BaseException as error:  # raised where the store is needed, as without a thread
            self._outcome.append(error)

    def store(self) -> ox.Store:
        self._thread.join()
        outcome = self._outcome[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def _as_oxigraph(quads: list[Quad]) -> Iterator[tuple[Term, Term, Term, Term | None]]:
    """A workbook's facts as pyoxigraph terms, without a text round trip; each term is converted
    once (most recur)."""
    terms: dict[Node, Term] = {}

    def term(node: Node) -> Term:
        if (found := terms.get(node)) is None:
            found = terms[node] = to_ox(node)
        return found

    for s, p, o, g in quads:
        yield term(s), term(p), term(o), None if g is None else term(g)


def _literals_longer_than(store: ox.Store, length: int) -> Iterator[tuple[str, int]]:
    """The first literal over the length, found in the store rather than by a Python loop over every quad."""
    found = store.query("SELECT ?s (STRLEN(?o) AS ?n) WHERE { ?s ?p ?o "
                        f"FILTER(isLiteral(?o) && STRLEN(?o) > {length}) }} LIMIT 1", use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)  # a SELECT
    for solution in found:
        yield str(solution["s"]), int(solution["n"].value)


def _loaded(path: Path, store: ox.Store, fallback: str, origins: dict[str, Origin] | None = None) -> LoadedSetup:
    setup = setup_from_graph(path, _description(store), fallback)
    setup.origins = origins or {}  # a workbook's rows: findings point back without reading it again
    return LoadedSetup(setup, store, len(store))


def _description(store: ox.Store) -> Graph:
    """The jg:Setup nodes with their types, labels and identifiers."""
    typed = store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(JG.Setup)), ox.DefaultGraph())
    graph = Graph()
    for triple in LocalRunner(store).triples([to_rdflib(q.subject) for q in typed], DESCRIPTION):
        graph.add(triple)
    return graph


#################################################################
# Validating files, in parallel
#################################################################

@dataclass(frozen=True)
class _Job:
    path: str
    selection: tuple[str, ...]
    names: tuple[str, ...]
    fallback: bool
    with_shacl_report: bool
    limits: Limits = DEFAULT_LIMITS
    as_of: date | None = None
    split: bool = False  # a large setup's queries on two cores


@dataclass(frozen=True)
class _Done:
    """A validated setup as plain data, to cross the process boundary."""

    name: str
    source: str
    node: URIRef | None
    labels: dict[str, str]
    description: list[Triple]
    findings: list[Finding]
    report: list[Triple]
    as_of: date | None = None
    origins: dict[str, Origin] | None = None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def validate_paths(paths: Sequence[str | Path], defects: Iterable[str] | None = None,
                   names: Sequence[str] | None = None, fallback: bool = False,
                   progress: Progress | None = None, workers: int | None = None,
                   with_shacl_report: bool = True, limits: Limits = DEFAULT_LIMITS,
                   as_of: date | None = None) -> list[Report]:
    """Validate every setup in files and folders; ``names`` limits it to setups so named.

    Without ``with_shacl_report`` each report's SHACL graph only says whether it conforms
    (the findings are complete; only Turtle output needs the full graph). ``limits`` are the
    largest file and literal read. ``as_of`` is the reference date (by default the end of each
    setup's period, else today).
    """
    files = list(rdf_files(paths))
    # Largest files first, so that no worker is left with a large one while the others idle;
    # the reports in the order of the files.
    largest_first = sorted(files, key=lambda f: -f.stat().st_size)
    reports = validate_in_turn(largest_first, len(files), defects, names, fallback, progress, workers,
                               with_shacl_report, limits, as_of)
    refuse_without_setup([report.setup for report in reports])
    position = {str(f): index for index, f in enumerate(files)}
    return sorted(reports, key=lambda report: position[str(report.setup.source)])


def validate_in_turn(files: Iterable[Path], count: int, defects: Iterable[str] | None = None,
                     names: Sequence[str] | None = None, fallback: bool = False,
                     progress: Progress | None = None, workers: int | None = None,
                     with_shacl_report: bool = True, limits: Limits = DEFAULT_LIMITS,
                     as_of: date | None = None) -> list[Report]:
    """As :func:`validate_paths`, for ``count`` files validated in the order given, each as soon
    as ``files`` yields it: the caller may still be writing the later ones (reading them from a
    store, say) while the workers validate the first."""
    selection = tuple(sorted(defects or ()))
    cores = workers or default_workers()
    workers = min(cores, count)
    files = iter(files)
    first = next(files, None) if workers <= 1 else None
    parsing = ParseInBackground(first, limits) if first is not None and not is_workbook(first) else None
    read_ahead.discard_except(first if parsing is not None else None)  # its own is taken by the parse
    translation = translation_for(frozenset(selection), as_of)
    if not fallback:
        check_translatable(translation)
    ontology_quads()  # what every setup needs: made once, while the first file is parsed or before forking
    if first is not None:
        files = itertools.chain([first], files)
    jobs = (_Job(str(f), selection, tuple(names or ()), fallback, with_shacl_report, limits, as_of) for f in files)
    done: list[_Done] = []
    if workers <= 1:
        for job in jobs:
            job = replace(job, split=cores > 1)  # one file, and more cores to use: its queries split
            if progress:
                progress(f"validating {Path(job.path).name}")
            done.extend(_unpack(_validate_file(job, parsing)))
            parsing = None
        return _reports(done, names)
    # Imported here: one file, the common command, needs no worker processes.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork where there is one: workers then need no import of the caller's script (spawn
    # re-runs a script without a __main__ guard). The parent holds no store when forking.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # An executor, not a multiprocessing.Pool: a Pool waits forever for the result of a
    # worker that died (killed, out of memory, a crash in native code); the executor
    # raises BrokenProcessPool.
    others = set(multiprocessing.active_children())
    threads = set(threading.enumerate())
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=leave_stopping_to_the_parent)
    try:
        submitted: list[tuple[_Job, Future[list[_Done] | InputError]]] = []
        for job in jobs:
            if submitted:
                submitted.append((job, executor.submit(_validate_file, job)))
                continue
            # The workers are forked at the first job. A Ctrl-C that reaches the parent during a
            # fork is run by an at-fork hook, which swallows the KeyboardInterrupt; held back
            # until every worker is started, it interrupts as it should.
            signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
            try:
                submitted.append((job, executor.submit(_validate_file, job)))
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        for job, future in submitted:
            batch = future.result()
            if progress:
                progress(f"validated {Path(job.path).name}")
            done.extend(_unpack(batch))
    except BrokenProcessPool:
        _stop(executor, others, threads)
        raise InputError("a validation worker process stopped without an answer (killed, or out of memory)",
                         hint="validate the files one at a time, or with fewer workers, to find the one "
                         "that stops it",
                         nl=("een validatieproces stopte zonder antwoord (beëindigd, of zonder geheugen)",
                             "valideer de bestanden een voor een, of met minder processen, om te vinden welk het "
                             "stopt")) from None
    except BaseException:
        _stop(executor, others, threads)  # Ctrl-C or an error: stop the workers now, report nothing
        raise
    executor.shutdown()
    return _reports(done, names)


def _stop(executor: ProcessPoolExecutor, others: set[BaseProcess], threads: set[threading.Thread]) -> None:
    """Stop the executor's workers at once: a running job is not waited for."""
    import multiprocessing

    executor.shutdown(wait=False, cancel_futures=True)
    workers = [p for p in multiprocessing.active_children() if p not in others]
    for process in workers:
        process.terminate()
    for process in workers:
        process.join()
    # Then wait for the executor's own thread, which closes its wake-up pipe as it ends. Left
    # running, it races Python's exit hook, which writes to that pipe without a lock (CPython
    # 3.11) and prints a "Bad file descriptor" traceback after our message.
    for thread in set(threading.enumerate()) - threads:
        thread.join(timeout=10)


def _validate_file(job: _Job, parsing: ParseInBackground | None = None) -> list[_Done] | InputError:
    """In a worker: every setup of one file. Errors come back as values, with file and line."""
    try:
        defects = list(job.selection) or None
        done = []
        for loaded in load_setups(Path(job.path), job.limits, parsing):
            setup = loaded.setup
            if job.names and setup.name not in job.names:
                done.append(_Done(setup.name, str(setup.source), setup.node, setup.labels, [], [], []))
                continue
            runner = LocalRunner(loaded.store)
            as_of = job.as_of or setup_as_of(runner, setup)
            translation = translation_for(frozenset(job.selection), as_of)
            raw = evaluate_on_two_cores(runner, translation.queries) if job.split and pays(loaded.triples) \
                else evaluate(runner, translation.queries)
            report = report_for(setup, raw, runner, defects, with_shacl_report=job.with_shacl_report, as_of=as_of)
            if translation.untranslatable and job.fallback:
                report = _fallback(report, loaded, set(translation.untranslatable), defects, as_of)
            done.append(_Done(setup.name, str(setup.source), setup.node, setup.labels,
                              list(setup.graph), report.findings, list(report.shacl_report), as_of,
                              setup.origins))
        return done
    except InputError as error:
        return error


def _unpack(batch: list[_Done] | InputError) -> list[_Done]:
    if isinstance(batch, InputError):
        raise batch
    return batch


def _fallback(report: Report, loaded: LoadedSetup, shapes: set[Node], defects: list[str] | None,
              as_of: date) -> Report:
    """pySHACL for the shapes the fast engine cannot evaluate, on an rdflib copy of the setup."""
    graph = Graph()
    for quad in loaded.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    setup = Setup(loaded.setup.name, graph, loaded.setup.source, loaded.setup.node, loaded.setup.labels)
    return with_pyshacl(report, setup, shapes, defects, as_of)


def _graph_of(triples: list[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _reports(done: list[_Done], names: Sequence[str] | None) -> list[Report]:
    refuse_duplicate_names((item.name, item.source) for item in done)
    refuse_unknown_names(names, (item.name for item in done))
    reports = []
    for item in done:
        if names and item.name not in names:
            continue
        setup = Setup(item.name, _graph_of(item.description), Path(item.source),
                      item.node, item.labels, complete=False, origins=item.origins or {})
        reports.append(Report(setup, Findings(item.findings), _graph_of(item.report), as_of=item.as_of))
    return reports
