"""One file's shape queries on two cores: the same findings in the same order as on one, and a
forked child that never outlives, hangs or speaks for the process that validates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import alive, children_of, ctrl_c_reachable

from jeugdgov import InputError, validate
from jeugdgov.synth import Parameters, generate
from jeugdgov.validation.fast import split
from jeugdgov.validation.fast.evaluation import evaluate, setup_as_of, translation_for
from jeugdgov.validation.fast.local_store import LocalRunner
from jeugdgov.validation.fast.parallel import load_setups

pytestmark = pytest.mark.skipif(not split.CAN_FORK, reason="the queries are split on Linux only")


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """A generated region of 2,000 decisions' country: small, so its queries are quick."""
    out = tmp_path_factory.mktemp("synth")
    generate(Parameters(decisions=2000, seed=3), out)
    return out / "setups" / "synth-r01.nt"


@pytest.fixture
def forked(monkeypatch) -> list[int]:
    """The children forked, by process id."""
    children: list[int] = []
    fork = os.fork

    def counted() -> int:
        child = fork()
        if child:
            children.append(child)
        return child

    monkeypatch.setattr(os, "fork", counted)
    return children


@pytest.fixture
def always_split(monkeypatch, forked) -> list[int]:
    """Split whatever the size; the children forked, by process id."""
    monkeypatch.setattr(split, "MIN_TRIPLES", 0)
    return forked


def in_the_child(monkeypatch, act) -> None:
    """Have the child (not this process) ``act`` as it takes its first group of queries."""
    parent, evaluated = os.getpid(), split.results_per_query

    def acting(runner, queries, progress=None):
        if os.getpid() != parent:
            act()
        return evaluated(runner, queries, progress)

    monkeypatch.setattr(split, "results_per_query", acting)


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer."""
    def expired(_signal, _frame):
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def reaped(forked: list[int]) -> bool:
    """Whether none of these children is left, not even as a zombie (the test process may have
    children of its own: servers other tests of this worker started)."""
    return set(forked).isdisjoint(children_of(os.getpid()))


def test_the_split_evaluation_gives_every_result_in_the_order_of_the_queries(region, always_split):
    (loaded,) = load_setups(region)
    runner = LocalRunner(loaded.store)
    queries = translation_for(frozenset(), setup_as_of(runner, loaded.setup)).queries
    one_core = evaluate(runner, queries)
    assert one_core and len({r.source for r in one_core}) > 3
    assert split.evaluate_on_two_cores(runner, queries) == one_core
    assert len(always_split) == 1
    assert reaped(always_split)


def test_one_file_is_validated_on_two_cores_with_the_same_findings(region, always_split):
    [one_core] = validate(region, workers=1)
    assert always_split == []  # one worker asked for: no child
    [two_cores] = validate(region)
    assert len(always_split) == 1
    assert two_cores.findings == one_core.findings and len(one_core.findings) > 10


def test_without_room_for_a_child_the_queries_run_in_turn(region, monkeypatch):
    monkeypatch.setattr(split, "MIN_TRIPLES", 0)
    [expected] = validate(region, workers=1)
    open_before = set(os.listdir("/proc/self/fd"))

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    [found] = validate(region)
    assert found.findings == expected.findings
    assert set(os.listdir("/proc/self/fd")) <= open_before  # its pipes closed


def test_a_small_setup_is_not_split(region, forked):
    (loaded,) = load_setups(region)
    assert loaded.triples < split.MIN_TRIPLES
    validate(region)
    assert forked == []


def test_a_split_from_another_thread_finds_the_same(region, always_split):
    # A server or a watch validates beside other threads; the child is forked from the validating one.
    [expected] = validate(region, workers=1)
    found = []
    worker = threading.Thread(target=lambda: found.extend(validate(region)))
    with deadline(120):
        worker.start()
        worker.join()
    assert len(always_split) == 1
    assert [r.findings for r in found] == [expected.findings]


def test_a_child_that_dies_is_an_error_not_a_hang(region, always_split, monkeypatch):
    in_the_child(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))
    with deadline(120), pytest.raises(InputError, match="second validation process stopped without an answer") \
            as raised:
        validate(region)
    assert "tweede validatieproces" in raised.value.said["nl"][0]
    assert always_split and not any(alive(child) for child in always_split)
    assert reaped(always_split)


def test_a_child_that_dies_while_its_pipe_is_held_open_elsewhere_is_an_error_not_a_hang(
        region, always_split, monkeypatch, tmp_path):
    # Should another process have inherited the answer pipe (forked meanwhile from another
    # thread), the pipe never reads as closed: the parent notices that the child has ended.
    holder = tmp_path / "holder.pid"

    def die_with_the_pipe_held() -> None:
        if os.fork() == 0:  # a grandchild, holding the child's copy of the pipe
            holder.write_text(str(os.getpid()))
            time.sleep(60)
            os._exit(0)
        while not holder.exists():
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGKILL)

    in_the_child(monkeypatch, die_with_the_pipe_held)
    began = time.monotonic()
    try:
        with deadline(60), pytest.raises(InputError, match="second validation process stopped"):
            validate(region)
        assert time.monotonic() - began < 20
    finally:
        if holder.exists():
            os.kill(int(holder.read_text()), signal.SIGKILL)


def test_an_input_error_in_the_child_is_the_same_input_error_in_the_parent(region, always_split, monkeypatch):
    def refuse() -> None:
        raise InputError("cannot read this", file="regio.nt", line=7, hint="fix it", nl=("onleesbaar", "herstel het"))

    in_the_child(monkeypatch, refuse)
    with deadline(120), pytest.raises(InputError) as raised:
        validate(region)
    assert raised.value == InputError("cannot read this", file="regio.nt", line=7, hint="fix it",
                                      nl=("onleesbaar", "herstel het"))
    assert always_split and reaped(always_split)


def test_an_error_that_cannot_be_pickled_comes_back_as_its_traceback(region, always_split, monkeypatch):
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no")

    def fail() -> None:
        raise Unpicklable("lost in the child")

    in_the_child(monkeypatch, fail)
    with deadline(120), pytest.raises(RuntimeError, match="lost in the child"):
        validate(region)


#: Validate with every file split, the child slowed down (its pid in a file), as the command line does.
SLOW_CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from jeugdgov.validation.fast import split
    parent, evaluated, marker = os.getpid(), split.results_per_query, Path(sys.argv[2])
    def slowed(runner, queries, progress=None):
        if os.getpid() != parent:
            marker.write_text(str(os.getpid()))
            time.sleep(60)
        return evaluated(runner, queries, progress)
    split.results_per_query, split.MIN_TRIPLES = slowed, 0
    sys.argv = ["jeugdgov", "validate", sys.argv[1], "--format", "json"]
    from jeugdgov.cli import main
    main()
""")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_stopped_parent_leaves_no_child(region, tmp_path, stop):
    marker = tmp_path / "child.pid"
    process = subprocess.Popen([sys.executable, "-c", SLOW_CHILD, str(region), str(marker)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=ctrl_c_reachable)
    try:
        deadline_at = time.monotonic() + 120
        while not (marker.exists() and marker.read_text()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline_at, "the child never started"
            time.sleep(0.02)
        child = int(marker.read_text())
        assert alive(child)
        os.killpg(process.pid, stop)  # as a terminal's Ctrl-C reaches the whole group
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -9}[stop]
    assert out == "" and "Traceback" not in err
    gone_by = time.monotonic() + 10
    while alive(child) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not alive(child)


def test_the_child_runs_no_exit_handler_and_flushes_none_of_the_parents_output(region):
    script = textwrap.dedent("""
        import atexit, os, sys
        from jeugdgov import validate
        from jeugdgov.validation.fast import split
        split.MIN_TRIPLES = 0
        fork, forks = os.fork, []
        os.fork = lambda: forks.append(None) or fork()
        atexit.register(lambda: print("at exit"))
        print("before")  # held in the buffer of a pipe when the child is forked
        [report] = validate(sys.argv[1])
        print(len(forks), len(report.findings) > 0)
    """)
    done = subprocess.run([sys.executable, "-c", script, str(region)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "before\n1 True\nat exit\n"
