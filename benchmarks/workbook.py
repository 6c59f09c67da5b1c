"""Benchmark: reading a workbook, the code of an earlier commit against the code now, in one run.

For region 1 of each size of synthetic data (`jeugdgov synth --seed 7`, converted with
`jeugdgov convert --to xlsx`) and for the bundled example workbooks, each code in turn, in a
child process of its own, times in CPU seconds (medians of --rounds):

- tables: the sheets' raw cells (`jeugdgov.workbook.tables.read_tables`);
- read: the workbook into facts (`read_workbook`);
- validate: the whole validation of the workbook, warm (as `validate --watch` runs it on a save);

and prints whether both read the same facts (the datasets compared graph by graph, blank nodes
matched) and give the same findings. Then, with --watch, the wall-clock seconds from saving the
workbook to the new findings printed by `jeugdgov validate --watch` (medians of --rounds).

The earlier code is exported from git (`--before`, by default the last commit that read .xlsx
files with openpyxl) and run in this environment. Run from the project folder:

    .venv/bin/python benchmarks/workbook.py --sizes 10000,100000 --rounds 5 --watch
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "80d882d"
sys.path.insert(0, str(ROOT / "benchmarks"))

from bytecode import as_installed  # noqa: E402  (the benchmarks folder is no package)
from validation import generate, watch_latency  # noqa: E402


def measure(path: Path, rounds: int) -> dict[str, object]:
    """In the child: the CPU seconds of each step (medians), a digest of the facts, the findings."""
    from rdflib.compare import to_isomorphic

    from jeugdgov.validation import validate
    from jeugdgov.workbook import read_workbook
    from jeugdgov.workbook.tables import read_tables

    def timed(step) -> float:
        times = []
        for _ in range(rounds):
            start = time.process_time()
            step()
            times.append(time.process_time() - start)
        return median(times)

    validate([path])  # the shapes compiled, as in a watching process
    dataset = read_workbook(path).dataset
    digest = sorted((str(graph.identifier), to_isomorphic(graph).graph_digest()) for graph in dataset.graphs())
    findings = sorted((f.setup, f.defect, f.focus, str(f.value)) for r in validate([path]) for f in r.findings)
    return {"tables": timed(lambda: read_tables(path)), "read": timed(lambda: read_workbook(path)),
            "validate": timed(lambda: validate([path])), "facts": str(digest), "findings": findings,
            "module": sys.modules["jeugdgov"].__file__}


def in_child(code: Path, path: Path, rounds: int) -> dict[str, object]:
    environment = {**os.environ, "PYTHONPATH": str(code / "src"), "JEUGDGOV_HOME": str(code)}
    process = subprocess.run([sys.executable, __file__, "--child", str(path), "--rounds", str(rounds)],
                             capture_output=True, text=True, env=environment, check=False)
    if process.returncode != 0:
        raise SystemExit(f"the code in {code} failed on {path}:\n{process.stderr[-2000:]}")
    result = json.loads(process.stdout.splitlines()[-1])
    if not result["module"].startswith(str(code)):
        raise SystemExit(f"the child imported {result['module']}, not the code in {code}")
    return result


def watch_command(code: Path, path: Path, rounds: int) -> float:
    """Median seconds from a save to the new findings, with the code in ``code`` (the command
    imports it from PYTHONPATH before the installed package)."""
    os.environ.update(PYTHONPATH=str(code / "src"), JEUGDGOV_HOME=str(code))
    try:
        return median(watch_latency(path, rounds))
    finally:
        del os.environ["PYTHONPATH"], os.environ["JEUGDGOV_HOME"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="decisions, comma-separated (region 1 of each)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default=BEFORE, help="the earlier commit")
    parser.add_argument("--watch", action="store_true", help="also time validate --watch from save to findings")
    parser.add_argument("--work", type=Path, default=Path("/tmp/jeugdgov-benchmark"),
                        help="folder for the generated data (kept, and reused by the next run)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    as_installed()
    if args.child:
        print(json.dumps(measure(args.child, args.rounds)), flush=True)
        return

    workbooks = []
    for decisions in (int(s) for s in args.sizes.split(",")):
        folder = generate(decisions, 7, 0.01, args.work)
        workbook = folder / "synth-r01.xlsx"
        if not workbook.exists():
            subprocess.run([str(Path(sys.executable).parent / "jeugdgov"), "convert",
                            str(folder / "setups" / "synth-r01.nt"), "--to", "xlsx", "--out", str(workbook)],
                           check=True, capture_output=True)
        workbooks.append((f"region 1 of {decisions:,}", workbook))
    workbooks += [(path.name, path) for path in sorted((ROOT / "examples").glob("*.xlsx"))
                  if path.name != "normenkader.xlsx"]  # a norm framework, not a setup
    with tempfile.TemporaryDirectory() as temporary:
        before = Path(temporary)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        print(f"CPU seconds, medians of {args.rounds}: the code of {args.before} / the code now\n")
        print(f"{'workbook':32} {'tables':>15} {'read':>15} {'validate':>15}  same facts, same findings"
              + ("   --watch, wall s" if args.watch else ""))
        for name, path in workbooks:
            old, new = in_child(before, path, args.rounds), in_child(ROOT, path, args.rounds)
            row = "".join(f" {old[step]:6.3f} / {new[step]:6.3f}" for step in ("tables", "read", "validate"))
            same = f"{'yes' if old['facts'] == new['facts'] else 'NO'}, " \
                   f"{'yes' if old['findings'] == new['findings'] else 'NO'} ({len(new['findings'])})"
            watched = "" if not args.watch else \
                f"   {watch_command(before, path, args.rounds):.2f} / {watch_command(ROOT, path, args.rounds):.2f}"
            print(f"{name:32}{row}  {same:24}{watched}", flush=True)


if __name__ == "__main__":
    main()
