"""Answers of a slow, pure function of text, kept on disk from one run to the next.

The fast engine checks each SPARQL query of the shapes with rdflib's parser before it
translates it. That parser (pyparsing) takes about 40 ms a query: for the bundled shapes about
a second per run, as long as validating ten thousand decisions. The answer depends only on the
query text and the code that checks it, so a run keeps what it learnt in
``$XDG_CACHE_HOME/jeugdgov`` (``~/.cache/jeugdgov``) and the next run reads it back. The
cache is an optimisation only: a missing, unreadable or unwritable file means parsing again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from jeugdgov.errors import InputError
from jeugdgov.output import atomic_write


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jeugdgov"


def keep_only(path: Path) -> None:
    """Remove the files another version of the code kept beside ``path`` (``NAME-VERSION.json``):
    after upgrades, or edits of a checkout, they would pile up, and no run reads them again."""
    name = path.name.rsplit("-", 1)[0]
    for other in path.parent.glob(f"{name}-*.json"):
        if other != path and other.name.rsplit("-", 1)[0] == name:
            other.unlink(missing_ok=True)


class DiskMemo:
    """A function's answers by key, in one JSON file per function and code version."""

    def __init__(self, name: str, version: str) -> None:
        self.file_name = f"{name}-{version}.json"
        self.answers: dict[str, object] | None = None
        self.changed = False

    @property
    def path(self) -> Path:
        return cache_dir() / self.file_name

    def answer(self, parts: object, compute: Callable[[], object]) -> object:
        """The answer for ``parts`` (JSON-serialisable), computed once; exceptions are not kept."""
        if self.answers is None:
            self.answers = self._read()
        key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
        if key not in self.answers:
            self.answers[key] = compute()
            self.changed = True
        return self.answers[key]

    def save(self) -> None:
        if not self.changed or self.answers is None:
            return
        text = json.dumps(self.answers)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, lambda path: path.write_text(text))  # whole, also with runs side by side
            self.changed = False
            keep_only(self.path)
        except (OSError, InputError):
            pass  # a cache that cannot be written is only slower next time

    def _read(self) -> dict[str, object]:
        try:
            answers = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return answers if isinstance(answers, dict) else {}
