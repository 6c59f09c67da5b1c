"""jeugdgov: check how Dutch municipalities govern youth care.

The library surface is small on purpose::

    import jeugdgov

    reports = jeugdgov.validate("data/lelystad.trig")    # one report per setup
    reports.findings                                     # the findings of all setups
    reports["lelystad-cooperatie"].findings              # those of one setup
    reports.to_frame()                                   # a pandas DataFrame, a row per finding
    jeugdgov.query("findings", reports, lang="en")       # a named query's rows as a DataFrame

    for setup in jeugdgov.load("data/lelystad.trig"):
        report = jeugdgov.validate(setup)
        for finding in report.findings:
            print(finding.defect, finding.message("en"))

    options = jeugdgov.ValidationOptions(engine="pyshacl", setups=["zhz-huidig"])
    jeugdgov.validate("data/", options=options)          # all options in one object

In Jupyter, ``%load_ext jeugdgov`` adds the ``%%sparql`` magic (:mod:`jeugdgov.magic`).
DataFrames need pandas (``pip install 'jeugdgov[notebook]'``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from jeugdgov.errors import InputError
    from jeugdgov.notebook import query
    from jeugdgov.setups import Setup, load
    from jeugdgov.validation import Finding, Findings, Report, Reports, ValidationOptions, validate

__all__ = ["Finding", "Findings", "InputError", "Report", "Reports", "Setup", "ValidationOptions", "load", "query",
           "validate"]
__version__ = "0.1.0"

# Where each name of the library surface is defined. They are imported when first used, so that
# the command line starts reading a file (jeugdgov.read_ahead) before rdflib and the rest load,
# and named queries' SPARQL library is imported only by who asks for it.
_HOMES = {"InputError": "jeugdgov.errors", "Setup": "jeugdgov.setups", "load": "jeugdgov.setups",
          "query": "jeugdgov.notebook",
          **dict.fromkeys(["Finding", "Findings", "Report", "Reports", "ValidationOptions", "validate"],
                          "jeugdgov.validation")}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def load_ipython_extension(shell: InteractiveShell) -> None:
    """``%load_ext jeugdgov``: the ``%%sparql`` magic. IPython is imported only here."""
    from jeugdgov.magic import load_ipython_extension as register

    register(shell)
