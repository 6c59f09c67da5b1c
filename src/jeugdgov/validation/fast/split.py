"""One setup's shape queries on two cores: the validating process and a child forked from it.

pyoxigraph holds the GIL while it evaluates a query, so a second thread would not help. A child
forked after the store is loaded shares that store (copy-on-write) and needs no copy of it: it
evaluates part of the queries and sends their results back, pickled over a pipe, while the
parent evaluates the rest. The results come out in the order of the queries, as
:func:`~jeugdgov.validation.fast.evaluation.evaluate` gives them, so the findings are the same.

How the queries are shared: queries with the same target query stay together (their focus
nodes are selected once), and the two processes take these groups one at a time from a pipe
holding all their numbers, each the next when it is free. The costly queries are SPARQL
constraints and SPARQL targets (a few take half the time on a large region), so their groups are
taken first: a costly one taken last would leave the other process idle.

Where it cannot go wrong silently:

- a child that dies (killed, out of memory, a crash in native code) is an :class:`InputError`,
  not a hang: the parent reads a length-prefixed answer and checks that the child still lives
  while it waits;
- the child dies with the parent (``PR_SET_PDEATHSIG``, also when the parent is killed), and
  a parent that stops (Ctrl-C, SIGTERM, an error) kills it before it goes on;
- an error in the child comes back and is raised in the parent, an :class:`InputError` as the
  same :class:`InputError`;
- the child ends with ``os._exit``: no atexit handler, no flush of the parent's buffered output;
- the parent may have other threads (``--watch`` shows a spinner): the child, forked from the
  validating thread, only evaluates queries on the store and writes to its pipe.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Sequence
from contextlib import suppress

from rdflib import SH

from jeugdgov.errors import InputError
from jeugdgov.validation.fast.child_signals import STOP_SIGNALS, leave_stopping_to_the_parent
from jeugdgov.validation.fast.evaluation import Runner, results_per_query
from jeugdgov.validation.fast.translate import ShapeQuery
from jeugdgov.validation.findings import RawResult

#: Fewer triples (the ontology's 3,000 included), and a child saves too little to pay for itself
#: on a machine whose second core is not idle: forking, reaping and sending results back take
#: some 10 ms; the queries of a region of 10,000 triples take 45 ms on one core and 40 on two,
#: of 26,000 triples 115 ms and 90, of 174,000 triples 750 ms and 470.
MIN_TRIPLES = 20_000
CAN_FORK = sys.platform == "linux"  # fork, the parent-death signal and waitid, all three

_TOKEN = struct.Struct(">H")  # a group's number in the pipe of work
_LENGTH = struct.Struct(">Q")  # the length of the child's answer, before it
_PIPE_BYTES = 65536  # Linux's pipe buffer: the pipe of work is filled before anyone reads it
_CHECK_SECONDS = 0.5  # how often a waiting parent checks that the child still lives
_PR_SET_PDEATHSIG = 1


def pays(triples: int) -> bool:
    """Whether a setup of this many triples (with the ontology) is validated faster on two cores."""
    return CAN_FORK and triples >= MIN_TRIPLES


def evaluate_on_two_cores(runner: Runner, queries: Sequence[ShapeQuery]) -> list[RawResult]:
    """As :func:`~jeugdgov.validation.fast.evaluation.evaluate`, the queries shared with a
    forked child; only for a runner on a local store (the child shares its memory)."""
    groups = _groups(queries)
    if len(groups) < 2 or len(groups) * _TOKEN.size > _PIPE_BYTES:
        return _in_turn(runner, queries)
    work = _work_pipe(len(groups))
    answer_in, answer_out = os.pipe()
    parent = os.getpid()
    # A Ctrl-C during the fork would be run by an at-fork hook, which swallows it; held back
    # until the child is forked, it interrupts the parent as it should (the child ignores it).
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        child = os.fork()
    except OSError:  # no room for another process: on one core, as without a split
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for fd in (work, answer_in, answer_out):
            os.close(fd)
        return _in_turn(runner, queries)
    if child == 0:
        _child(runner, queries, groups, work, answer_in, answer_out, parent)  # does not return
    answered = False
    try:
        os.close(answer_out)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held back comes here, and the child is killed
        mine = _evaluate_groups(runner, queries, groups, work)
        theirs = _answer(answer_in, child)
        answered = True
    finally:
        os.close(work)
        os.close(answer_in)
        _end(child, stop=not answered)
    results = {**mine, **theirs}
    return [result for index in range(len(queries)) for result in results[index]]


def _in_turn(runner: Runner, queries: Sequence[ShapeQuery]) -> list[RawResult]:
    return [result for results in results_per_query(runner, queries) for result in results]


def _groups(queries: Sequence[ShapeQuery]) -> list[list[int]]:
    """The queries' numbers, those sharing a target query together; the likely costly groups
    first (SPARQL targets and constraints), else in the order of the queries."""
    by_target: dict[object, list[int]] = {}
    for index, query in enumerate(queries):
        key = query.focus_first.query if query.focus_first else index
        by_target.setdefault(key, []).append(index)
    return sorted(by_target.values(), key=lambda group: not any(_costly(queries[i]) for i in group))


def _costly(query: ShapeQuery) -> bool:
    return query.focus_first is not None or query.component == SH.SPARQLConstraintComponent


def _work_pipe(count: int) -> int:
    """A pipe holding the numbers of the groups, written whole before the fork: the processes
    read the next one (a read of two bytes takes two, the pipe is locked while it reads), and
    an empty pipe means all are taken."""
    taken, given = os.pipe()
    os.write(given, b"".join(_TOKEN.pack(n) for n in range(count)))
    os.close(given)
    os.set_blocking(taken, False)  # empty: done, also should another process hold the writing end
    return taken


def _evaluate_groups(runner: Runner, queries: Sequence[ShapeQuery], groups: list[list[int]],
                     work: int) -> dict[int, list[RawResult]]:
    """The results of each query of the groups this process takes, by the query's number."""
    results: dict[int, list[RawResult]] = {}
    while True:
        try:
            token = os.read(work, _TOKEN.size)
        except BlockingIOError:
            token = b""
        if not token:
            return results
        group = groups[_TOKEN.unpack(token)[0]]
        for index, found in zip(group, results_per_query(runner, [queries[i] for i in group]), strict=True):
            results[index] = found


def _child(runner: Runner, queries: Sequence[ShapeQuery], groups: list[list[int]], work: int,
           answer_in: int, answer_out: int, parent: int) -> None:
    """In the child: its share of the groups, sent back; then it ends, without running the
    parent's atexit handlers or flushing its output buffers."""
    try:
        leave_stopping_to_the_parent()  # the parent kills the child when it stops
        _die_with(parent)
        os.close(answer_in)
        try:
            answer: tuple[str, object] = ("done", _evaluate_groups(runner, queries, groups, work))
        except BaseException as error:  # sent back whole, to be raised where the user sees it
            answer = ("error", error)
        _send(answer_out, _pickled(answer))
        os._exit(0)
    finally:
        os._exit(1)


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when the parent ends, also by SIGKILL (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # elsewhere the parent's finally is all: it kills the child when it stops
    if os.getppid() != parent:  # the parent ended before the kernel was told
        os._exit(1)


def _pickled(answer: tuple[str, object]) -> bytes:
    try:
        return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an error that cannot be pickled: its traceback as text
        error = answer[1]
        text = "".join(traceback.format_exception(error)) if isinstance(error, BaseException) else repr(error)
        return pickle.dumps(("error", RuntimeError(f"in the query process: {text}")))


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _answer(fd: int, child: int) -> dict[int, list[RawResult]]:
    """The child's results, by the query's number; its error raised here."""
    data = _receive(fd, child)
    if len(data) < _LENGTH.size or len(data) != _LENGTH.size + _LENGTH.unpack_from(data)[0]:
        raise _stopped()
    kind, value = pickle.loads(data[_LENGTH.size:])
    if kind == "error":
        raise value
    results: dict[int, list[RawResult]] = value
    return results


def _receive(fd: int, child: int) -> bytes:
    """What the child wrote, until it closes the pipe by ending; or, should another process
    hold the pipe open, until the child is found to have ended."""
    received = bytearray()
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    ended = False
    while True:
        if poll.poll(0 if ended else _CHECK_SECONDS * 1000):
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return bytes(received)
            received += chunk
            if len(received) >= _LENGTH.size and len(received) == _LENGTH.size + _LENGTH.unpack_from(received)[0]:
                return bytes(received)
        elif ended:
            return bytes(received)
        else:
            ended = _has_ended(child)


def _has_ended(child: int) -> bool:
    """Whether the child has ended, leaving it to be reaped by :func:`_end`."""
    try:
        return os.waitid(os.P_PID, child, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:  # reaped already
        return True


def _end(child: int, stop: bool) -> None:
    """Reap the child, which ends once it has answered; ``stop`` it first when the parent
    stopped (Ctrl-C, SIGTERM, an error) or the child gave no answer."""
    if stop:
        with suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    with suppress(ChildProcessError):  # reaped elsewhere
        os.waitpid(child, 0)


def _stopped() -> InputError:
    return InputError("the second validation process stopped without an answer (killed, or out of memory)",
                      hint="validate again; should it stop again, free memory or validate on a machine with more",
                      nl=("het tweede validatieproces stopte zonder antwoord (beëindigd, of zonder geheugen)",
                          "valideer opnieuw; stopt het weer, maak dan geheugen vrij of valideer op een machine "
                          "met meer"))
