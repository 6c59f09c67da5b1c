"""Validating a setup against the defect and data-quality shapes.

One entry point, :func:`validate`, in the manner of pySHACL's. Two engines compute the SHACL
results over the setup merged with the ontology: pySHACL (the reference,
:mod:`jeugdgov.validation.pyshacl`) and the fast set-at-a-time SPARQL engine of
:mod:`jeugdgov.validation.fast`. Both hand their results over as :class:`RawResult` and share
the conversion into a :class:`Finding` (:mod:`jeugdgov.validation.findings`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import overload

from pyoxigraph import Store

from jeugdgov.errors import InputError
from jeugdgov.setups import Setup, load, select
from jeugdgov.stores.embedded import setups_in_store
from jeugdgov.validation.catalogue import defect_ids, refuse_unknown_defects, selected_shapes
from jeugdgov.validation.fast.engine import validate_setup
from jeugdgov.validation.fast.evaluation import Progress
from jeugdgov.validation.fast.parallel import validate_paths
from jeugdgov.validation.findings import Finding, Findings, Party, RawResult, Report
from jeugdgov.validation.options import DEFAULT_ENGINE, ENGINES, ValidationOptions
from jeugdgov.validation.origins import point_back
from jeugdgov.validation.own_shapes import OwnShapes, add_own_findings, read_shapes_files
from jeugdgov.validation.pyshacl import validate_with_pyshacl
from jeugdgov.validation.reports import Reports

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Finding", "Findings", "Party", "RawResult", "Report", "Reports",
           "ValidationOptions", "defect_ids", "selected_shapes", "validate"]

Source = Setup | Store | str | Path | Sequence[str | Path]


@overload
def validate(source: Setup, defects: Iterable[str] | None = None, options: ValidationOptions | None = None, *,
             engine: str | None = None, fallback: bool | None = None, as_of: date | None = None,
             shapes_files: Sequence[str | Path] | None = None) -> Report: ...


@overload
def validate(source: Store | str | Path | Sequence[str | Path], defects: Iterable[str] | None = None,
             options: ValidationOptions | None = None, *, engine: str | None = None, fallback: bool | None = None,
             as_of: date | None = None, shapes_files: Sequence[str | Path] | None = None,
             setups: Sequence[str] | None = None, workers: int | None = None) -> Reports: ...


def validate(source: Source, defects: Iterable[str] | None = None, options: ValidationOptions | None = None, *,
             engine: str | None = None, fallback: bool | None = None, as_of: date | None = None,
             shapes_files: Sequence[str | Path] | None = None, setups: Sequence[str] | None = None,
             workers: int | None = None) -> Report | Reports:
    """Validate a setup, the setups in files and folders, in a pyoxigraph store, or those of a SPARQL endpoint.

    ``source`` is a :class:`Setup` (the answer is its :class:`Report`), or a path, a list of
    paths, a :class:`pyoxigraph.Store` (each named graph a setup, the default graph shared, as
    ``jeugdgov load`` writes it) or an ``http(s)://`` endpoint URL (the answer is a list of
    reports, one per setup, as :class:`Reports`: a list that also answers by setup name, with the
    ``findings`` of all setups and ``to_frame()``). ``defects`` limits the check to these
    catalogue ids or groups.

    ``options`` says how (:class:`ValidationOptions`: the engine, the reference date, the
    user's own shapes, what to do with an endpoint, ...); the keywords are the common ones, for
    short: given, each replaces that option, e.g. ``validate(path, engine="pyshacl")``.

    The setups of reports from files or an endpoint, validated in worker processes, carry only
    their description (``Setup.complete`` is False): load them to draw them. Each report carries
    its reference date (``Report.as_of``).
    """
    options = (options or ValidationOptions()).given(engine=engine, fallback=fallback, as_of=as_of,
                                                     shapes_files=shapes_files, setups=setups, workers=workers)
    if options.engine not in ENGINES:
        raise InputError(f"unknown validation engine '{options.engine}'", hint=f"choose from: {', '.join(ENGINES)}",
                         nl=(f"onbekende validatie-engine '{options.engine}'", f"kies uit: {', '.join(ENGINES)}"))
    defects = list(defects) if defects else None
    refuse_unknown_defects(defects)
    endpoint = source if isinstance(source, str) and source.startswith(("http://", "https://")) else None
    own = _own_shapes(options, bool(endpoint))
    if isinstance(source, Setup):
        if options.engine == "pyshacl":
            report = validate_with_pyshacl(source, defects, as_of=options.as_of)
        else:
            report = validate_setup(source, defects, fallback=options.fallback, as_of=options.as_of)
        if own is not None:
            report = add_own_findings(report, source, own, options.engine)
        return _pointed_back([report])[0]
    if isinstance(source, Store):
        each = replace(options, note=lambda _text: None)  # the note on the shapes is given once
        return Reports(validate(setup, defects, each)
                       for setup in _progressing(select(setups_in_store(source), options.setups), options.progress))
    if own is not None:
        reports = validate(source, defects, replace(options, shapes_files=()))
        loaded = {s.name: s for s in load(*_paths(source), limits=options.limits)} \
            if not all(r.setup.complete for r in reports) else {}
        return _pointed_back([add_own_findings(r, r.setup if r.setup.complete else loaded[r.setup.name], own,
                                               options.engine) for r in reports])
    if endpoint:  # the store clients only where a store is read
        from jeugdgov.stores.remote import fetch_setups
        from jeugdgov.validation.fast.in_store import validate_endpoint
    if options.engine == "fast":
        if endpoint:
            return Reports(validate_endpoint(endpoint, defects, options))
        return _pointed_back(validate_paths(_paths(source), defects, names=options.setups, fallback=options.fallback,
                                            progress=options.progress, workers=options.workers,
                                            with_shacl_report=options.with_shacl_report, limits=options.limits,
                                            as_of=options.as_of))
    found = fetch_setups(endpoint, graph_store=options.graph_store, credentials=options.credentials) if endpoint \
        else load(*_paths(source), limits=options.limits)
    return _pointed_back([validate_with_pyshacl(setup, defects, as_of=options.as_of)
                          for setup in _progressing(select(found, options.setups), options.progress)])


def _own_shapes(options: ValidationOptions, endpoint: bool) -> OwnShapes | None:
    """The user's shapes, read and checked before any validating; the shapes pySHACL will check named."""
    if not options.shapes_files:
        return None
    if endpoint:
        raise InputError("own shapes files are checked on setups from files or a store, not from an endpoint",
                         hint="validate the setup files, or a store folder, with --shapes-file",
                         nl=("eigen shapesbestanden worden gecontroleerd op inrichtingen uit bestanden of een "
                             "store, niet uit een endpoint",
                             "valideer de bestanden van de inrichting, of een store-map, met --shapes-file"))
    own = read_shapes_files(options.shapes_files)
    if own.untranslatable and options.engine == "fast":
        text = f"pySHACL checks the shapes the fast engine cannot translate: {own.describe_untranslatable()}"
        if options.note:
            options.note(text)
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
