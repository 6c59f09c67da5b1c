"""A second wall behind the SERVICE/LOAD refusal: queries run where no connection can be opened.

A query worker of an endpoint without ``--allow-service`` moves into a network namespace of its
own (Linux ``unshare(CLONE_NEWNET)``) when it starts, and a query over local data runs on a
thread that does the same (a namespace belongs to a thread and the threads it starts, so the
rest of the process keeps its network). There is no interface but a loopback that is down:
whatever the engine reads in a query, a ``connect()`` fails, to the machine's own loopback
services as much as to the network. A worker talks to the server only through pipes, which a
namespace does not cut. Root (or ``CAP_SYS_ADMIN``) may do this; a single-threaded process
(a worker at its start) also where the kernel allows unprivileged user namespaces. Where
neither is possible the refusal of SERVICE and LOAD by reading the query
(:mod:`jeugdgov.sparql.calls`) is the wall that remains.
"""

from __future__ import annotations

import ctypes
import os
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000

T = TypeVar("T")


def cut_off_network(flag_sets: tuple[int, ...] = (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET)) -> str | None:
    """Move this thread (and the threads it starts) into a network namespace of its own: None
    when done, else why not. A user namespace, tried second, requires a process with one thread."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as error:
        return f"no C library to call unshare: {error}"
    if not hasattr(libc, "unshare"):
        return "this system has no unshare()"
    for flags in flag_sets:
        if libc.unshare(flags) == 0:
            return None
    return f"unshare: {os.strerror(ctypes.get_errno())}"


def offline(work: Callable[[], T]) -> T:
    """``work()``, run on a thread of its own that cannot open a connection where the system
    allows it (else on that thread all the same); its exception, if it raises one."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def walled() -> None:
        cut_off_network((_CLONE_NEWNET,))
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the caller's thread, without the frames' objects
            traceback.clear_frames(error.__traceback__)  # (pyoxigraph's must be dropped where made)
            failure.append(error)

    thread = threading.Thread(target=walled, name="jeugdgov-offline", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
