"""Benchmark: how long the test suite takes, the quick loop (`pytest -m "not slow"`) and in full.

Each run is a fresh `python -m pytest -q -p no:cacheprovider` in the project folder, started
from here; printed per run are the wall-clock time, the CPU time of pytest and every process it
started (user + system), and pytest's own summary line, then the median of each suite over the
runs. On a machine others share, the wall-clock figure moves with their load and the CPU figure
much less: read both. A suite with a failing run is reported as failed, with the tests that
failed (exit code 1).

    .venv/bin/python benchmarks/tests.py                  # 3 runs of each suite
    .venv/bin/python benchmarks/tests.py --runs 1 --loop-only
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITES = {"not slow": ["-m", "not slow"], "full": []}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    passed: bool
    summary: str
    failures: list[str]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(arguments: list[str]) -> Run:
    """One pytest run; CPU time counts the processes it waited for (servers, workers, commands)."""
    cpu, started = children_cpu(), time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments], cwd=ROOT,
                          capture_output=True, text=True)
    wall = time.monotonic() - started
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return Run(wall, children_cpu() - cpu, done.returncode == 0, lines[-1] if lines else done.stderr.strip(),
               [line for line in lines if line.startswith(("FAILED ", "ERROR "))])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each suite (the median is printed)")
    parser.add_argument("--loop-only", action="store_true", help='time only pytest -m "not slow"')
    options = parser.parse_args()
    suites = ["not slow"] if options.loop_only else list(SUITES)
    failed = False
    for name in suites:
        runs = []
        for number in range(1, options.runs + 1):
            run = run_suite(SUITES[name])
            runs.append(run)
            print(f"{name:8} run {number}: {run.wall:7.1f} s wall, {run.cpu:7.1f} s CPU  {run.summary}", flush=True)
            for failure in run.failures:
                print(f"    {failure}", flush=True)
        failed |= not all(r.passed for r in runs)
        print(f"{name:8} median of {len(runs)}: {statistics.median(r.wall for r in runs):7.1f} s wall, "
              f"{statistics.median(r.cpu for r in runs):7.1f} s CPU"
              + ("" if all(r.passed for r in runs) else "  (FAILED: a run had failures)"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
