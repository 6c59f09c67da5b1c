"""Benchmark: validating a store's setups (oxigraph server, Virtuoso) against local validation.

For each size (decisions) the script generates the data with `jeugdgov synth`, starts each store
on a fresh database on a loopback port (as the tests do, tests/servers.py), pushes the setups
with `jeugdgov.stores.push.push` and validates them three ways: locally from the files; read
from the store and validated here (`validate --endpoint`, the default); and in the store (the
shape queries run there, `--in-store`; the store check off, and timed on one setup of its own),
for the stores named by `--in-store` (default both; on Virtuoso this takes about three minutes
at 100,000 decisions). Printed per store: push time, local time, each route's time and its ratio to
local, whether each route's findings are the same as local ones and as the ones the generator
planted (local validation is checked against the planted findings first), and where the
in-store time goes: the number of queries and the seconds spent waiting for the store's answers.
Local and read validation take turns (`--rounds`, medians), once with the store and this
process sharing every CPU, and once with the store's threads on one CPU and this process and
its workers on the others, as a store on a machine of its own (Linux only: CPU affinity).
The push writes fresh graphs through the Graph Store Protocol and moves them into place with
SPARQL Update (`--push update`: INSERT DATA only). Run from the project folder:

    .venv/bin/python benchmarks/in_store.py                       # 10,000 decisions
    .venv/bin/python benchmarks/in_store.py --sizes 100000 --stores oxigraph
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the store launchers the tests use

import servers  # noqa: E402

import jeugdgov.stores.protocol as protocol  # noqa: E402
import jeugdgov.stores.push as pushing  # noqa: E402
from jeugdgov.errors import InputError  # noqa: E402
from jeugdgov.stores.protocol import Credentials  # noqa: E402
from jeugdgov.synth import read_planted  # noqa: E402
from jeugdgov.validation import ValidationOptions  # noqa: E402
from jeugdgov.validation.fast.in_store import validate_endpoint  # noqa: E402
from jeugdgov.validation.fast.parallel import validate_paths  # noqa: E402


def generate(decisions: int, work: Path) -> Path:
    folder = work / f"synth-{decisions}"
    if not (folder / "planted.json").exists():
        subprocess.run([str(Path(sys.executable).parent / "jeugdgov"), "synth", "--decisions", str(decisions),
                        "--seed", "7", "--out", str(folder)], check=True, capture_output=True)
    return folder


def found(reports: list) -> Counter:
    return Counter((f.setup, f.defect, f.focus, f.value) for r in reports for f in r.findings)


def planted(folder: Path) -> Counter:
    return Counter((p.setup, p.defect, p.focus, p.value) for p in read_planted(folder))


def same(got: Counter, expected: Counter) -> str:
    """"yes", or "no" and how many findings are missing or extra."""
    differ = sum(((got - expected) + (expected - got)).values())
    return "yes" if not differ else f"no ({differ} differ)"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


class Waiting:
    """Counts the store's answers and the time spent waiting for them."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0
        self.original = protocol.post

    def __enter__(self) -> Waiting:
        def post(*args: object, **kwargs: object) -> protocol.Answer:
            start = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.queries += 1
                self.seconds += time.perf_counter() - start
        protocol.post = post
        return self

    def __exit__(self, *_exc: object) -> None:
        protocol.post = self.original


def pinned(store_folder: Path, cpus: set[int] | None) -> None:
    """This process (and the workers it forks later) on ``cpus``, the store's threads on the
    other CPUs; None: all on every CPU."""
    every = set(range(os.cpu_count() or 1))
    os.sched_setaffinity(0, cpus or every)
    store_pids = subprocess.run(["pgrep", "-f", str(store_folder)], capture_output=True, text=True).stdout.split()
    for pid in store_pids:
        for thread in Path(f"/proc/{pid}/task").iterdir():
            os.sched_setaffinity(int(thread.name), every - cpus if cpus else every)


def local_and_read(files: list[Path], query: str, rounds: int) -> tuple[float, float, list]:
    """Median seconds of local validation and of reading from the store, over rounds that take
    turns; and the last read's reports."""
    local_times, read_times = [], []
    for _ in range(rounds):
        local_times.append(timed(lambda: validate_paths(files, with_shacl_report=False))[0])
        seconds, read = timed(lambda: validate_endpoint(query, options=ValidationOptions(with_shacl_report=False)))
        read_times.append(seconds)
    return statistics.median(local_times), statistics.median(read_times), read


def measure(store: str, base: str, store_folder: Path, files: list[Path], local: Counter, expected: Counter,
            route: str, in_store_too: bool, rounds: int) -> None:
    if store == "virtuoso":
        query, update, graph_store = f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth"
        credentials = Credentials("dba", servers.VIRTUOSO_PASSWORD)
    else:
        query, update, graph_store, credentials = f"{base}/query", f"{base}/update", f"{base}/store", None
    push_seconds, _ = timed(lambda: pushing.push(files, endpoint=update, credentials=credentials,
                                                graph_store=graph_store if route == "graph-store" else None))
    local_seconds, read_seconds, read = local_and_read(files, query, rounds)
    own = "–"
    if (os.cpu_count() or 1) > 1:  # as a store on a machine of its own: one CPU for it, the rest here
        pinned(store_folder, set(range((os.cpu_count() or 2) - 1)))
        try:
            alone_local, alone_read, _ = local_and_read(files, query, rounds)
        finally:
            pinned(store_folder, None)
        own = f"{alone_local:.1f} / {alone_read:.1f} = {alone_read / alone_local:.2f}"
    row = (f"| {store} | {push_seconds:.1f} | {local_seconds:.1f} | {read_seconds:.1f} | "
           f"{read_seconds / local_seconds:.2f} | {own} | {same(found(read), local)} | {same(found(read), expected)} |")
    if not in_store_too:
        print(f"{row} not run | | | | | | |", flush=True)
        return
    try:
        with Waiting() as waiting:
            store_seconds, in_store = timed(lambda: validate_endpoint(
                query, options=ValidationOptions(check=False, with_shacl_report=False, fetch=False)))
        name = in_store[0].setup.name  # the check on one setup, whose in-store results it reuses
        check_seconds, _ = timed(lambda: validate_endpoint(
            query, options=ValidationOptions(setups=[name], check_setup=name, fetch=False)))
    except InputError as error:  # the store cannot: say why, with the rest of the row
        print(f"{row} refused: {str(error)[:160]} | | | | | | |", flush=True)
        return
    print(f"{row} {store_seconds:.1f} | {store_seconds / local_seconds:.1f} | {same(found(in_store), local)} | "
          f"{same(found(in_store), expected)} | {check_seconds:.1f} | {waiting.queries} | {waiting.seconds:.1f} |",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="decisions, comma-separated")
    parser.add_argument("--stores", default="oxigraph,virtuoso", help="oxigraph, virtuoso or both")
    parser.add_argument("--in-store", default="oxigraph,virtuoso",
                        help="the stores that also validate in the store (comma-separated; on Virtuoso about three "
                        "minutes at 100,000 decisions)")
    parser.add_argument("--push", choices=["graph-store", "update"], default="graph-store",
                        help="write the fresh graphs through the Graph Store Protocol or with INSERT DATA")
    parser.add_argument("--rounds", type=int, default=3, help="local and read validation take turns this often")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "jeugdgov-bench")
    args = parser.parse_args()
    print("| store | push s | local s | read s | read / local | the store on a CPU of its own: local s / read s "
          "= ratio | read = local | read = planted | in store s | in store / local | in store = local "
          "| in store = planted | check s | answers | waiting s |\n"
          "|---|---:|---:|---:|---:|---:|---|---|---:|---:|---|---|---:|---:|---:|")
    for decisions in (int(s) for s in args.sizes.split(",")):
        folder = generate(decisions, args.work)
        files = sorted((folder / "setups").glob("*.nt"))
        local, expected = found(validate_paths(files, with_shacl_report=False)), planted(folder)
        print(f"| {decisions:,} decisions: local = planted {same(local, expected)} | | | | | | | | | | | | | | |",
              flush=True)
        for store in args.stores.split(","):
            with tempfile.TemporaryDirectory() as scratch:
                launch = servers.virtuoso if store == "virtuoso" else servers.oxigraph
                kwargs = {} if store == "virtuoso" else {"union": False}
                with launch(Path(scratch), **kwargs) as base:
                    measure(store, base, Path(scratch), files, local, expected, args.push,
                            store in args.in_store.split(","), args.rounds)


if __name__ == "__main__":
    main()
