"""Noticing that a file was saved, by polling: no extra dependency, and right on every file
system (editors and spreadsheet programs often save by writing a new file and renaming it,
which some change notifications miss)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

Stamp = tuple[tuple[str, int, int], ...]


def saves(path: Path, interval: float = 0.02, settle: float = 0.03) -> Iterator[Stamp]:
    """Yield at once, then after every save of the file (or of a file in the folder): when its
    modification time or size changed and then stayed the same for ``settle`` seconds, so that
    a file still being written is not read half. A file that is gone (mid-rename) is waited for."""
    seen: Stamp | None = None
    while True:
        stamp = _stamp(path)
        if stamp and stamp != seen:
            time.sleep(settle)
            if _stamp(path) == stamp:
                seen = stamp
                yield stamp
                continue
        time.sleep(interval)


def _stamp(path: Path) -> Stamp:
    """Name, modification time and size of the file, or of each file in the folder (empty when gone)."""
    try:
        files = sorted(f for f in path.iterdir() if f.is_file()) if path.is_dir() else [path]
        return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except FileNotFoundError:
        return ()
