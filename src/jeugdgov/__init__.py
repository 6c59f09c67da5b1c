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

from typing import TYPE_CHECKING

from jeugdgov.errors import InputError
from jeugdgov.setups import Setup, load
from jeugdgov.validation import Finding, Findings, Report, Reports, ValidationOptions, validate

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from jeugdgov.notebook import query

__all__ = ["Finding", "Findings", "InputError", "Report", "Reports", "Setup", "ValidationOptions", "load", "query",
           "validate"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Named queries need the SPARQL library, which the command line's validation does not:
    # imported when first asked for.
    if name == "query":
        from jeugdgov.notebook import query

        return query
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_ipython_extension(shell: InteractiveShell) -> None:
    """``%load_ext jeugdgov``: the ``%%sparql`` magic. IPython is imported only here."""
    from jeugdgov.magic import load_ipython_extension as register

    register(shell)
