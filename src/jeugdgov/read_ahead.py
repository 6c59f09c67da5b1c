"""Reading the RDF file ``jeugdgov validate FILE`` names while the command itself starts.

Importing the command's libraries takes about 0.2 s, and pyoxigraph reads a file without
holding Python's lock, so the two can run side by side. The file is guessed from the command
line before it is parsed: the one argument after ``validate`` that names an existing Turtle,
TriG, N-Triples or N-Quads file. A wrong guess costs only the read. The store is used only if
validation asks for that very file, read in the same format, and the file has not changed
since; the checks validation makes (size limit, empty file, long literals) run as before, and
a file that did not parse is read again by validation, which reports the error with its line.

Formats whose reading can expand entities or fetch contexts (RDF/XML, JSON-LD) are never read
ahead, nor files over the size limit (the default, or a smaller one given with
``--max-file-size``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from jeugdgov.limits import DEFAULT_MAX_FILE_BYTES
from jeugdgov.rdf_formats import FORMATS

#: The plain-text formats, read ahead: none of them can expand entities or fetch anything.
READ_AHEAD = (".ttl", ".trig", ".nt", ".nq")
_SIZE_OPTION = "--max-file-size"


class _Read:
    def __init__(self, path: Path, file_format: ox.RdfFormat, stamp: tuple[int, ...]) -> None:
        self.path, self.format, self.stamp = path, file_format, stamp
        self.store: ox.Store | None = None
        # A daemon: a command that ends (or fails) early does not wait for a read nobody needs.
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            self.store = load(self.path, self.format)
        except Exception:  # validation reads the file again and reports what is wrong with it
            self.store = None


_reads: dict[Path, _Read] = {}


def start(arguments: Sequence[str]) -> None:
    """Start reading the file of a ``validate`` command line (the arguments after the program
    name), if it names exactly one file that may be read ahead."""
    if not arguments or arguments[0] != "validate":
        return
    limit = _size_limit(arguments)
    candidates = {Path(a).resolve() for a in arguments[1:]
                  if not a.startswith("-") and Path(a).suffix.lower() in READ_AHEAD and Path(a).is_file()}
    if limit is None or len(candidates) != 1:
        return
    path = candidates.pop()
    stamp = _stamp(path)
    if stamp and stamp[1] <= limit:
        _reads[path] = _Read(path, FORMATS[path.suffix.lower()].oxigraph, stamp)


def take(path: Path, file_format: ox.RdfFormat) -> ox.Store | None:
    """The store read ahead for this file in this format, once; None when there is none, the
    read failed, or the file changed since the read began."""
    read = _reads.pop(path.resolve(), None)
    if read is None:
        return None
    read.thread.join()
    unchanged = read.format == file_format and _stamp(read.path) == read.stamp
    return read.store if unchanged else None


def discard_except(path: Path | None) -> None:
    """Wait for and drop every read but that of ``path``: before a fork, no reading thread may
    be left running (a forked child has only the thread that forked it)."""
    keep = path.resolve() if path is not None else None
    for other in list(_reads):  # a copy: the parse of ``path`` may take its read meanwhile
        if other != keep and (read := _reads.pop(other, None)) is not None:
            read.thread.join()


def load(path: Path, file_format: ox.RdfFormat) -> ox.Store:
    """A file in a new store, as validation reads it (pyoxigraph's errors are the caller's to word)."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=file_format, base_iri=path.resolve().as_uri())
    return store


def _stamp(path: Path) -> tuple[int, ...]:
    """What changes when the file is written again (empty when it is gone)."""
    try:
        status = os.stat(path)
    except OSError:
        return ()
    return status.st_mtime_ns, status.st_size, status.st_ino, status.st_dev


def _size_limit(arguments: Sequence[str]) -> int | None:
    """The largest file to read: the default, or a smaller --max-file-size (None if unreadable)."""
    for index, argument in enumerate(arguments):
        if argument == _SIZE_OPTION or argument.startswith(_SIZE_OPTION + "="):
            given = argument.partition("=")[2] if "=" in argument else \
                (arguments[index + 1] if index + 1 < len(arguments) else "")
            try:
                return min(DEFAULT_MAX_FILE_BYTES, int(given))
            except ValueError:
                return None
    return DEFAULT_MAX_FILE_BYTES
