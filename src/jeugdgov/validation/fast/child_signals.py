"""Signals in the processes validation forks (the worker pool's and a setup's second process):
the parent holds Ctrl-C and SIGTERM back while it forks, and a child leaves both to the parent."""

from __future__ import annotations

import signal

#: Held back while forking: an at-fork hook would swallow the KeyboardInterrupt of a Ctrl-C
#: that came in between.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def leave_stopping_to_the_parent() -> None:
    """In a forked child: Ctrl-C reaches the whole process group, and only the parent acts on it
    (it stops its children). The SIGTERM handler inherited from the command line would raise: a
    child should just end, quietly, when the parent stops it or the group is ended."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held back while it was forked
