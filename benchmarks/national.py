"""Benchmark: the whole country, `jeugdgov validate SETUPS --format json` as a user runs it.

For each size (decisions of `jeugdgov synth --seed 7`, generated into --work when missing) the
command validates all 42 regional setups with its default workers, --rounds times. Printed per
size: the median wall-clock seconds, the CPU seconds of the command with its worker processes,
the peak memory of the main process, and the peak of all its processes together (their resident
memory summed, sampled every 0.2 s from /proc), the number of findings, and whether they are
exactly the findings the generator planted (setup, defect, focus and value). Run from the project folder:

    .venv/bin/python benchmarks/national.py --sizes 1000000 --rounds 3
    .venv/bin/python benchmarks/national.py --sizes 10000000 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).parent))
from bytecode import as_installed
from validation import generate

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    """The process and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def _resident(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def run_once(setups: Path) -> dict[str, float]:
    command = [str(Path(sys.executable).parent / "jeugdgov"), "validate", str(setups), "--format", "json"]
    with tempfile.TemporaryFile() as output:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
        peaks = {"all": 0, "main": 0}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                pids = _tree(process.pid)
                peaks["all"] = max(peaks["all"], sum(_resident(p) for p in pids))
                peaks["main"] = max(peaks["main"], _resident(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(command)} exited with {code}")
        output.seek(0)
        findings = _keys(json.load(output)["findings"])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu": cpu, "main_gb": peaks["main"] / 1e9, "all_gb": peaks["all"] / 1e9,
            "findings": findings}


def _keys(findings: list[dict]) -> Counter:
    return Counter((f["setup"], f["defect"], f["focus"], f["value"]) for f in findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000", help="decisions per run, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.01)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "jeugdgov-bench")
    args = parser.parse_args()
    as_installed()
    print(f"{'decisions':>12} {'wall s':>8} {'CPU s':>8} {'main GB':>8} {'all GB':>8} {'findings':>9}  = planted")
    for decisions in (int(s) for s in args.sizes.split(",")):
        folder = generate(decisions, args.seed, args.rate, args.work)
        planted = _keys(json.loads((folder / "planted.json").read_text())["findings"])
        runs = [run_once(folder / "setups") for _ in range(args.rounds)]
        equal = "yes" if all(r["findings"] == planted for r in runs) else "NO"
        walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
        print(f"{decisions:>12,} {median(r['wall'] for r in runs):>8.1f} {median(r['cpu'] for r in runs):>8.1f} "
              f"{max(r['main_gb'] for r in runs):>8.2f} {max(r['all_gb'] for r in runs):>8.2f} "
              f"{sum(runs[0]['findings'].values()):>9,}  {equal} (rounds: {walls} s)", flush=True)


if __name__ == "__main__":
    main()
