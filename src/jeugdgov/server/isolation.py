"""A second wall behind the SERVICE/LOAD refusal: query workers that cannot open a connection.

A worker of an endpoint without ``--allow-service`` moves into a network namespace of its own
(Linux ``unshare(CLONE_NEWNET)``), which has no interface but a loopback that is down: whatever
the engine reads in a query, a ``connect()`` from the worker fails, to the machine's own
loopback services as much as to the network. The worker talks to the server only through
pipes, which a namespace does not cut. Root (or ``CAP_SYS_ADMIN``) may do this directly; other
users where the kernel allows unprivileged user namespaces.
"""

from __future__ import annotations

import ctypes
import os

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def cut_off_network() -> str | None:
    """Move this process into a network namespace of its own: None when done, else why not.

    Call it while the process has a single thread (a user namespace requires that)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as error:
        return f"no C library to call unshare: {error}"
    if not hasattr(libc, "unshare"):
        return "this system has no unshare()"
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
    return f"unshare: {os.strerror(ctypes.get_errno())}"
