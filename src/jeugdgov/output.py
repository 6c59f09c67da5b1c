"""Writing output files safely: whole or not at all.

Every file or folder a command writes (pictures, the council report, workbooks, norm tables, a
converted setup, synthetic data) is first written under a temporary name beside its
destination and renamed into place when complete: an interrupted or failed write leaves the
old output or none, never half of one. A path that cannot be written is an InputError naming
it (:func:`jeugdgov.errors.cannot_write`), never a traceback.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jeugdgov.errors import InputError, cannot_write


def atomic_write(out: Path, writer: Callable[[Path], object]) -> None:
    """Write a file with ``writer`` (given the temporary path), then put it in place of ``out``."""
    with replacing_file(out) as temporary:
        writer(temporary)


@contextmanager
def replacing_file(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out`` to write; when the block ends without error it replaces ``out``."""
    _refuse_unwritable(out)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    except OSError as error:
        raise cannot_write(out, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; the user's umask decides
        os.replace(temporary, out)
    except OSError as error:
        raise cannot_write(out, error) from None
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def replacing_folder(out: Path) -> Iterator[Path]:
    """A temporary folder beside ``out`` to fill; when the block ends without error it replaces
    ``out`` (a folder the caller has checked may be replaced)."""
    _refuse_unwritable(out, is_file=False)
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as error:
        raise cannot_write(out, error) from None
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())
        if out.exists():
            shutil.rmtree(out)
        os.replace(temporary, out)
    except OSError as error:
        raise cannot_write(out, error) from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _refuse_unwritable(out: Path, is_file: bool = True) -> None:
    if is_file and out.is_dir():
        raise InputError("a folder has this name", file=out, hint="choose another file name",
                         nl=("er is een map met deze naam", "kies een andere bestandsnaam"))
    if not out.parent.is_dir():
        raise InputError("the folder does not exist", file=out.parent, hint="create it first",
                         nl=("de map bestaat niet", "maak hem eerst aan"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
