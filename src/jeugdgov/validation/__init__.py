"""Validating a setup against the defect and data-quality shapes.

One entry point, :func:`validate`, in the manner of pySHACL's. Two engines compute the SHACL
results over the setup merged with the ontology: pySHACL (the reference,
:mod:`jeugdgov.validation.pyshacl`) and the fast set-at-a-time SPARQL engine of
:mod:`jeugdgov.validation.fast`. Both hand their results over as :class:`RawResult` and share
the conversion into a :class:`Finding` (:mod:`jeugdgov.validation.findings`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import overload

from pyoxigraph import Store

from jeugdgov.errors import InputError
from jeugdgov.limits import DEFAULT_LIMITS, Limits
from jeugdgov.setups import Setup, load, select
from jeugdgov.sparql.protocol import Credentials
from jeugdgov.sparql.store import setups_in_store
from jeugdgov.validation.catalogue import defect_ids, refuse_unknown_defects, selected_shapes
from jeugdgov.validation.fast.engine import Progress, validate_setup
from jeugdgov.validation.fast.parallel import validate_paths
from jeugdgov.validation.findings import Finding, Findings, Party, RawResult, Report
from jeugdgov.validation.origins import point_back
from jeugdgov.validation.own_shapes import OwnShapes, add_own_findings, read_shapes_files
from jeugdgov.validation.pyshacl import validate_with_pyshacl
from jeugdgov.validation.reports import Reports

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Finding", "Findings", "Party", "RawResult", "Report", "Reports",
           "defect_ids", "selected_shapes", "validate"]

#: Validation engines: the fast SPARQL engine and pySHACL, the reference.
ENGINES = ("fast", "pyshacl")
DEFAULT_ENGINE = "fast"


Source = Setup | Store | str | Path | Sequence[str | Path]


@overload
def validate(source: Setup, defects: Iterable[str] | None = None, *, engine: str = DEFAULT_ENGINE,
             fallback: bool = False, as_of: date | None = None, shapes_files: Sequence[str | Path] = (),
             note: Callable[[str], None] | None = None) -> Report: ...


@overload
def validate(source: Store | str | Path | Sequence[str | Path], defects: Iterable[str] | None = None, *,
             engine: str = DEFAULT_ENGINE, fallback: bool = False, setups: Sequence[str] | None = None,
             workers: int | None = None, limits: Limits = DEFAULT_LIMITS, graph_store: str | None = None,
             shared: Sequence[str] = (), with_shacl_report: bool = True, progress: Progress | None = None,
             note: Callable[[str], None] | None = None, as_of: date | None = None,
             credentials: Credentials | None = None, check: bool = True, check_setup: str | None = None,
             fetch: bool = False, shapes_files: Sequence[str | Path] = ()) -> Reports: ...


def validate(source: Source, defects: Iterable[str] | None = None, *, engine: str = DEFAULT_ENGINE,
             fallback: bool = False, setups: Sequence[str] | None = None, workers: int | None = None,
             limits: Limits = DEFAULT_LIMITS, graph_store: str | None = None, shared: Sequence[str] = (),
             with_shacl_report: bool = True, progress: Progress | None = None,
             note: Callable[[str], None] | None = None, as_of: date | None = None,
             credentials: Credentials | None = None, check: bool = True, check_setup: str | None = None,
             fetch: bool = True, shapes_files: Sequence[str | Path] = ()) -> Report | Reports:
    """Validate a setup, the setups in files and folders, in a pyoxigraph store, or those of a SPARQL endpoint.

    ``source`` is a :class:`Setup` (the answer is its :class:`Report`), or a path, a list of
    paths, a :class:`pyoxigraph.Store` (each named graph a setup, the default graph shared, as
    ``jeugdgov load`` writes it) or an ``http(s)://`` endpoint URL (the answer is a list of
    reports, one per setup, as :class:`Reports`: a list that also answers by setup name, with the
    ``findings`` of all setups and ``to_frame()``; ``setups`` limits it to the setups so named).
    ``defects`` limits the check to these catalogue ids or groups.

    ``engine`` is "fast" (set-at-a-time SPARQL over pyoxigraph) or "pyshacl" (the reference).
    Shapes the fast engine cannot translate are an InputError naming them, unless ``fallback``
    lets pySHACL check them instead.

    With the fast engine, files are validated in ``workers`` processes, and so are an endpoint's
    setups, read from the store (``shared`` names graphs every setup shares; ``graph_store`` is
    the Graph Store Protocol address of a store whose default graph is the union of its graphs).
    ``fetch`` False runs the shape queries in the store instead: first one setup (``check_setup``,
    else the smallest) is validated in the store and locally on its fetched triples, and a store
    that answers differently is refused (``check`` False skips that). ``credentials`` go with
    every request to the endpoint.
    The setups of those reports carry only their description (``Setup.complete`` is False):
    load them to draw them. Without ``with_shacl_report`` a report's SHACL graph only says
    whether it conforms. ``limits`` are the largest file and literal read.

    ``as_of`` is the reference date, the "today" of every check that needs one (by default the
    end of the setup's period, else today); each report carries it (``Report.as_of``).

    ``shapes_files`` are files of the user's own SHACL shapes, checked beside the catalogue's on
    setups from files or a store (:mod:`jeugdgov.validation.own_shapes`); the fast engine
    leaves the shapes it cannot translate to pySHACL and ``note`` (else a warning) names them.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine '{engine}'", hint=f"choose from: {', '.join(ENGINES)}",
                         nl=(f"onbekende validatie-engine '{engine}'", f"kies uit: {', '.join(ENGINES)}"))
    defects = list(defects) if defects else None
    refuse_unknown_defects(defects)
    endpoint = source if isinstance(source, str) and source.startswith(("http://", "https://")) else None
    own = _own_shapes(shapes_files, engine, bool(endpoint), note)
    if isinstance(source, Setup):
        if engine == "pyshacl":
            report = validate_with_pyshacl(source, defects, as_of=as_of)
        else:
            report = validate_setup(source, defects, fallback=fallback, as_of=as_of)
        if own is not None:
            report = add_own_findings(report, source, own, engine)
        return _pointed_back([report])[0]
    if isinstance(source, Store):
        return Reports(validate(setup, defects, engine=engine, fallback=fallback, as_of=as_of,
                                shapes_files=shapes_files, note=lambda _text: None)
                       for setup in _progressing(select(setups_in_store(source), setups), progress))
    if own is not None:
        reports = validate(source, defects, engine=engine, fallback=fallback, setups=setups, workers=workers,
                           limits=limits, with_shacl_report=with_shacl_report, progress=progress, as_of=as_of)
        loaded = {s.name: s for s in load(*_paths(source), limits=limits)} \
            if not all(r.setup.complete for r in reports) else {}
        return _pointed_back([add_own_findings(r, r.setup if r.setup.complete else loaded[r.setup.name], own,
                                               engine) for r in reports])
    if endpoint:  # the store clients only where a store is read
        from jeugdgov.sparql.remote import fetch_setups
        from jeugdgov.validation.fast.in_store import validate_endpoint
    if engine == "fast":
        if endpoint:
            return Reports(validate_endpoint(endpoint, defects, names=setups, shared=shared, fallback=fallback,
                                             progress=progress, graph_store=graph_store, note=note,
                                             with_shacl_report=with_shacl_report, credentials=credentials,
                                             check=check, check_setup=check_setup, fetch=fetch, as_of=as_of))
        return _pointed_back(validate_paths(_paths(source), defects, names=setups, fallback=fallback,
                                            progress=progress, workers=workers, with_shacl_report=with_shacl_report,
                                            limits=limits, as_of=as_of))
    found = fetch_setups(endpoint, graph_store=graph_store, credentials=credentials) if endpoint \
        else load(*_paths(source), limits=limits)
    return _pointed_back([validate_with_pyshacl(setup, defects, as_of=as_of)
                          for setup in _progressing(select(found, setups), progress)])


def _own_shapes(files: Sequence[str | Path], engine: str, endpoint: bool,
                note: Callable[[str], None] | None) -> OwnShapes | None:
    """The user's shapes, read and checked before any validating; the shapes pySHACL will check named."""
    if not files:
        return None
    if endpoint:
        raise InputError("own shapes files are checked on setups from files or a store, not from an endpoint",
                         hint="validate the setup files, or a store folder, with --shapes-file",
                         nl=("eigen shapesbestanden worden gecontroleerd op inrichtingen uit bestanden of een "
                             "store, niet uit een endpoint",
                             "valideer de bestanden van de inrichting, of een store-map, met --shapes-file"))
    own = read_shapes_files(files)
    if own.untranslatable and engine == "fast":
        text = f"pySHACL checks the shapes the fast engine cannot translate: {own.describe_untranslatable()}"
        if note:
            note(text)
        else:
            warnings.warn(text, stacklevel=3)
    return own


def _pointed_back(reports: list[Report]) -> Reports:
    """Findings on a setup read from a workbook name the sheet and row to fix."""
    point_back(reports)
    return Reports(reports)


def _progressing(setups: list[Setup], progress: Progress | None) -> Iterator[Setup]:
    for setup in setups:
        if progress:
            progress(f"validating {setup.name}")
        yield setup


def _paths(source: str | Path | Sequence[str | Path]) -> list[str | Path]:
    return [source] if isinstance(source, (str, Path)) else list(source)
