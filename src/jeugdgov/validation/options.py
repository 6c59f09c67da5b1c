"""How to validate: the options of :func:`jeugdgov.validate` in one frozen object, passed on
whole to the engine that needs them, so that no option is lost on the way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from jeugdgov.limits import DEFAULT_LIMITS, Limits
from jeugdgov.stores.protocol import Credentials
from jeugdgov.validation.fast.evaluation import Progress

#: Validation engines: the fast SPARQL engine and pySHACL, the reference.
ENGINES = ("fast", "pyshacl")
DEFAULT_ENGINE = "fast"


@dataclass(frozen=True)
class ValidationOptions:
    """The options of a validation; each has the default :func:`jeugdgov.validate` uses.

    For every source: ``engine`` ("fast", set-at-a-time SPARQL over pyoxigraph, or "pyshacl",
    the reference); ``fallback`` lets pySHACL check the shapes the fast engine cannot translate
    (else they are an InputError naming them); ``as_of`` is the reference date (by default the
    end of each setup's period, else today); ``shapes_files`` are files of the user's own SHACL
    shapes, checked beside the catalogue's on setups from files or a store; ``note`` receives
    what the user should know (else it is a warning); ``progress`` receives each step.

    For files, a store or an endpoint: ``setups`` limits the validation to the setups so named;
    the fast engine validates files in ``workers`` processes (one large file's queries on two
    cores, unless ``workers`` is 1), reading at most ``limits``; without ``with_shacl_report``
    a report's SHACL graph only says whether it conforms.

    For an endpoint: ``shared`` names graphs every setup shares; ``graph_store`` is the Graph
    Store Protocol address of a store whose default graph is the union of its graphs;
    ``credentials`` go with every request. ``fetch`` False runs the shape queries in the store;
    then first one setup (``check_setup``, else the smallest) is validated in the store and
    locally, and a store that answers differently is refused (``check`` False skips that).
    """

    engine: str = DEFAULT_ENGINE
    fallback: bool = False
    as_of: date | None = None
    shapes_files: Sequence[str | Path] = ()
    note: Callable[[str], None] | None = None
    progress: Progress | None = None
    setups: Sequence[str] | None = None
    workers: int | None = None
    limits: Limits = DEFAULT_LIMITS
    with_shacl_report: bool = True
    shared: Sequence[str] = ()
    graph_store: str | None = None
    credentials: Credentials | None = None
    fetch: bool = True
    check: bool = True
    check_setup: str | None = None

    def given(self, **changes: Any) -> ValidationOptions:
        """These options with the changes that are not None (the keywords given to ``validate``, typed there)."""
        return replace(self, **{name: value for name, value in changes.items() if value is not None})
