"""Benchmark: the fast engine against pySHACL on the same synthetic national data, in one run.

First, for region 1 of each size: where the time of `jeugdgov validate FILE --format json`
goes, phase by phase (start, parse/load, shapes, queries with the slowest shapes, evidence,
findings, output; in CPU seconds, the first run and warm runs), and how soon `validate --watch`
prints new findings after the file, or the same region as a workbook, is saved
(`--phases-only` stops there).

For each size (decisions) the script generates the data with `jeugdgov synth` (42 regions,
342 municipalities, about 4,000 providers; defects planted at --rate) and validates it with
both engines, each in a child process of its own so that its peak memory can be read:

- fast: the files are read once (so that both passes find them in the page cache), then, in
  each of --rounds rounds, a load-only pass (every setup file bulk-loaded into pyoxigraph, one
  file per worker at a time, largest first, as many workers as in validation) and the complete
  validation as `jeugdgov validate` runs it (load + queries + findings). Validation time =
  complete run minus the load pass of the same round. Printed are the medians over the rounds,
  and for validation/load the median of each round's own ratio (a pair measured side by side),
  because other work on the machine moves single wall-clock figures by a fifth or more.
- pySHACL: rdflib loads the files (load time), then pySHACL validates setup after setup, with a
  time cap; where it stops, the setups it finished are reported. A size is not tried when the
  previous size did not finish, or when its time scaled to this size would pass the cap.

Printed per size: triples, load time, validation time, end-to-end time, peak memory, whether
the findings equal the planted ones, and the ratio pySHACL / fast; for the fast engine also its
CPU time and validation/load in CPU time (the median of the rounds), which other jobs on the
machine disturb less than the wall-clock figures. Run from the project folder:

    .venv/bin/python benchmarks/validation.py                      # 10k, 100k and 1M decisions
    .venv/bin/python benchmarks/validation.py --sizes 10000 --pyshacl-cap 120
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import queue
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from statistics import median

from bytecode import as_installed

ROOT = Path(__file__).resolve().parents[1]


# ---- the engines, each run in a child process -----------------------------------------------

def _load_only(path: str) -> int:
    from jeugdgov.validation.fast.parallel import load_setups

    return sum(loaded.triples for loaded in load_setups(Path(path)))


def run_fast(folder: Path, workers: int, rounds: int) -> dict[str, object]:
    from jeugdgov.synth import read_planted
    from jeugdgov.validation.fast.parallel import validate_paths

    files = sorted((folder / "setups").glob("*.nt"), key=lambda f: -f.stat().st_size)  # as validation does
    for file in files:  # into the page cache, so that neither pass waits for the disk
        file.read_bytes()
    context = multiprocessing.get_context("fork")
    loads, ends, cpu_ratios = [], [], []
    for _ in range(rounds):  # the passes take turns, so that a disturbance hits both alike
        start, cpu_start = time.perf_counter(), _cpu()
        with context.Pool(workers) as pool:
            triples = sum(pool.imap(_load_only, [str(f) for f in files]))  # one file at a time, as validation
        loads.append(time.perf_counter() - start)
        load_cpu = _cpu() - cpu_start
        start, cpu_start = time.perf_counter(), _cpu()
        found = _found(validate_paths([folder / "setups"], workers=workers, with_shacl_report=False))
        ends.append(time.perf_counter() - start)
        cpu_ratios.append((_cpu() - cpu_start - load_cpu) / load_cpu)
    planted = Counter((p.setup, p.defect, p.focus, p.value) for p in read_planted(folder))
    validations = [end - load for load, end in zip(loads, ends, strict=True)]
    return {"triples_with_ontology": triples, "load": median(loads), "end_to_end": median(ends),
            "validation": median(validations), "ratios": [v / load for v, load in zip(validations, loads, strict=True)],
            "cpu": _cpu() / rounds, "cpu_ratio": median(cpu_ratios), "findings": sum(found.values()),
            "exact": found == planted, "memory": _memory(workers)}


def _cpu() -> float:
    """CPU seconds of this process and its ended workers: unlike wall-clock time, not moved by
    other work on the machine taking the cores."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def _found(reports: list) -> Counter:
    """What a validation found, as the planted list says it: the reports themselves are dropped,
    so that one round's do not add to the next one's peak memory."""
    return Counter((f.setup, f.defect, f.focus, f.value) for r in reports for f in r.findings)


def run_pyshacl(folder: Path) -> dict[str, object]:
    from jeugdgov import load, validate
    from jeugdgov.synth import read_planted

    start = time.perf_counter()
    setups = load(folder / "setups")
    load_time = time.perf_counter() - start
    print(json.dumps({"loaded": load_time, "setups": len(setups)}), flush=True)
    found: Counter = Counter()
    start = time.perf_counter()
    for done, setup in enumerate(setups, start=1):
        for f in validate(setup, engine="pyshacl").findings:
            found[(f.setup, f.defect, f.focus, f.value)] += 1
        print(json.dumps({"done": done, "elapsed": time.perf_counter() - start}), flush=True)
    planted = Counter((p.setup, p.defect, p.focus, p.value) for p in read_planted(folder))
    return {"load": load_time, "validation": time.perf_counter() - start, "findings": sum(found.values()),
            "exact": found == planted, "memory": _memory(0)}


def _memory(workers: int) -> dict[str, float]:
    """Peak resident memory in GB: this process, the largest worker, and their sum as a bound."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6
    return {"parent": own, "largest_worker": child, "bound": own + workers * child}


def run_phases(path: Path, rounds: int) -> dict[str, object]:
    """Where one file's validation spends its time, phase by phase, as `jeugdgov validate FILE
    --format json` runs them in one process: the first round in this fresh process (as the
    command, whose start is its imports) and the median of the later ones (warm, as --watch).
    In CPU seconds of the process, which other work on a shared machine moves less than
    wall-clock time."""
    start = time.process_time()
    import jeugdgov.cli  # noqa: F401  (what the command imports before any work)

    started = time.process_time() - start
    shapes: dict[str, list[float]] = {}
    first, findings = _phases_once(path, shapes)
    later = [_phases_once(path, shapes)[0] for _ in range(rounds - 1)]
    largest = sorted(((median(t), name) for name, t in shapes.items()), reverse=True)[:5]
    return {"first": {"start": started, **first}, "findings": findings,
            "warm": {name: median(r[name] for r in later) for name in first} if later else {},
            "slowest_shapes": [(name, t) for t, name in largest]}


def _phases_once(path: Path, shapes: dict[str, list[float]]) -> tuple[dict[str, float], int]:
    from jeugdgov.validation.catalogue import selected_shapes
    from jeugdgov.validation.fast.evaluation import evaluate, setup_as_of, translation_for
    from jeugdgov.validation.fast.local_store import LocalRunner
    from jeugdgov.validation.fast.parallel import load_setups
    from jeugdgov.validation.findings import Report, findings_from
    from jeugdgov.validation.rendering import write_json

    phases: dict[str, float] = {}
    clock = [time.process_time()]

    def done(phase: str) -> None:
        clock.append(time.process_time())
        phases[phase] = clock[-1] - clock[-2]

    def query_done(shape: str) -> None:
        clock.append(time.process_time())
        shapes.setdefault(shape, []).append(clock[-1] - clock[-2])

    loaded = next(load_setups(path))
    done("parse/load")
    runner = LocalRunner(loaded.store)
    as_of = setup_as_of(runner, loaded.setup)
    translation = translation_for(frozenset(), as_of)
    shapes_graph = selected_shapes(None, as_of)
    done("shapes")
    raw = evaluate(runner, translation.queries, query_done)
    phases["queries"] = clock[-1] - clock[2]  # from the end of "shapes"
    facts = runner.describe({n for r in raw for n in (r.focus, r.value) if n is not None})
    done("evidence")
    found = findings_from(loaded.setup.name, raw, facts, shapes_graph)
    done("findings")
    write_json([Report(loaded.setup, found, None, as_of)], "nl", _Discard())
    done("output")
    return phases, len(found)


class _Discard:
    def write(self, text: str) -> int:
        return len(text)


def whole_command(path: Path, rounds: int) -> tuple[float, float]:
    """The median wall-clock and CPU seconds of `jeugdgov validate FILE --format json`, start to end."""
    command = [str(Path(sys.executable).parent / "jeugdgov"), "validate", str(path), "--format", "json"]
    walls, cpus = [], []
    for _ in range(rounds):
        start, cpu_start = time.perf_counter(), _children_cpu()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu_start)
    return median(walls), median(cpus)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def watch_latency(path: Path, rounds: int) -> list[float]:
    """Seconds from saving the file to the new findings printed by `jeugdgov validate --watch
    PATH --format json`: the file is written again (same content) once the previous document is out."""
    command = [str(Path(sys.executable).parent / "jeugdgov"), "validate", "--watch", str(path), "--format", "json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    content = path.read_bytes()

    def next_document() -> None:
        for line in process.stdout:
            if line == "}\n":
                return
        raise SystemExit(f"jeugdgov validate --watch {path} stopped")

    try:
        next_document()
        latencies = []
        for _ in range(rounds):
            saved = time.perf_counter()
            path.write_bytes(content)
            next_document()
            latencies.append(time.perf_counter() - saved)
        return latencies
    finally:
        process.terminate()
        process.wait()


def print_phases(folder: Path, decisions: int, rounds: int) -> None:
    region = folder / "setups" / "synth-r01.nt"
    process = subprocess.run([sys.executable, __file__, "--child", "phases", str(region), "--rounds", str(rounds)],
                             capture_output=True, text=True, check=True)
    result = json.loads(process.stdout.splitlines()[-1])["result"]
    wall, cpu = whole_command(region, rounds)
    first = "  ".join(f"{name} {t:.3f}" for name, t in result["first"].items())
    warm = "  ".join(f"{name} {t:.3f}" for name, t in result["warm"].items())
    slowest = ", ".join(f"{name} {t:.3f}" for name, t in result["slowest_shapes"])
    workbook = folder / "synth-r01.xlsx"
    if not workbook.exists():
        subprocess.run([str(Path(sys.executable).parent / "jeugdgov"), "convert", str(region), "--to", "xlsx",
                        "--out", str(workbook)], check=True, capture_output=True)
    watched = {name: median(watch_latency(file, max(rounds, 3))) for name, file in
               (("N-Triples", region), ("workbook", workbook))}
    print(f"{decisions:>10,} region 1: whole command {wall:.2f} s ({cpu:.2f} CPU s), {result['findings']:,} findings\n"
          f"{'':>10} first run, phases (CPU s): {first}\n{'':>10} warm (median), phases (CPU s): {warm}\n"
          f"{'':>10} slowest shape queries (CPU s): {slowest}\n"
          f"{'':>10} --watch, save to new findings (median s): "
          f"{', '.join(f'{name} {t:.2f}' for name, t in watched.items())}", flush=True)


# ---- the comparison --------------------------------------------------------------------------

def generate(decisions: int, seed: int, rate: float, work: Path) -> Path:
    folder = work / f"synth-{decisions}-{seed}-{rate}"
    manifest = folder / "planted.json"
    if not manifest.exists():
        command = [str(Path(sys.executable).parent / "jeugdgov"), "synth", "--decisions", str(decisions),
                   "--seed", str(seed), "--rate", str(rate), "--out", str(folder)]
        subprocess.run(command, check=True, capture_output=True)
    return folder


def child(engine: str, folder: Path, workers: int, cap: float | None,
          rounds: int = 1) -> tuple[dict | None, list[dict], str]:
    """Run one engine in a child process.

    Returns its result (None when it stopped), its progress lines, and why it stopped: "" when
    it finished, "cap" when the cap was reached, else its exit code and the end of its errors.
    """
    command = [sys.executable, __file__, "--child", engine, str(folder), "--workers", str(workers),
               "--rounds", str(rounds)]
    errors = folder / f"{engine}.stderr"
    with errors.open("w") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + cap if cap else None
    progress: list[dict] = []
    result = None
    stopped = ""
    try:
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                stopped = "cap"
                break
            if line is None:
                break
            item = json.loads(line)
            if "result" in item:
                result = item["result"]
            else:
                progress.append(item)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    if result is None and not stopped:
        stopped = f"exit code {process.returncode}: {errors.read_text()[-300:].strip()}"
    return result, progress, stopped


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="decisions per run, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.01)
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the fast engine")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the fast engine's load and validation passes (medians are printed)")
    parser.add_argument("--pyshacl-cap", type=float, default=600,
                        help="seconds pySHACL may take per size (0: do not run pySHACL)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/jeugdgov-benchmark"),
                        help="folder for the generated data (kept, and reused by the next run)")
    parser.add_argument("--phases-only", action="store_true",
                        help="print only where the time of one region's validation goes, phase by phase")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    as_installed()
    if args.child:
        engine, folder = args.child
        if engine == "phases":
            result = run_phases(Path(folder), args.rounds)
        elif engine == "fast":
            result = run_fast(Path(folder), args.workers, args.rounds)
        else:
            result = run_pyshacl(Path(folder))
        print(json.dumps({"result": result}), flush=True)
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    for decisions in sizes:
        print_phases(generate(decisions, args.seed, args.rate, args.work), decisions, args.rounds)
    if args.phases_only:
        return
    print(f"\njeugdgov validation benchmark: fast engine ({args.workers} workers) vs pySHACL "
          f"(cap {args.pyshacl_cap:.0f} s), seed {args.seed}, rate {args.rate}\n")
    header = (f"{'decisions':>10} {'engine':8} {'triples':>10} {'load s':>8} {'valid. s':>8} {'total s':>8} "
              f"{'peak GB':>8} {'exact':>6}  note")
    print(header)
    print("-" * len(header))
    previous: tuple[int, float] | None = None  # pySHACL: (decisions, seconds) of the last finished size
    stopped = False
    for decisions in sizes:
        folder = generate(decisions, args.seed, args.rate, args.work)
        triples = json.loads((folder / "planted.json").read_text())["triples"]
        fast, _, why = child("fast", folder, args.workers, None, args.rounds)
        if fast is None:
            raise SystemExit(f"the fast engine failed at {decisions:,} decisions: {why}")
        print(f"{decisions:>10,} {'fast':8} {triples:>10,} {seconds(fast['load'])} {seconds(fast['validation'])} "
              f"{seconds(fast['end_to_end'])} {fast['memory']['bound']:>8.2f} {'yes' if fast['exact'] else 'NO':>6}  "
              f"validation/load {median(fast['ratios']):.2f} (median of the rounds: "
              f"{', '.join(f'{r:.2f}' for r in fast['ratios'])}); {fast['findings']:,} findings; "
              f"CPU {fast['cpu']:.0f} s per round (load pass included), validation/load in CPU time "
              f"{fast['cpu_ratio']:.2f}",
              flush=True)
        note = ""
        reference = None
        if args.pyshacl_cap <= 0:
            note = "not run (--pyshacl-cap 0)"
        elif stopped:
            note = "not run: pySHACL did not finish a smaller size within the cap"
        elif previous and previous[1] * decisions / previous[0] > args.pyshacl_cap:
            note = (f"not run: {previous[1]:.0f} s at {previous[0]:,} decisions scales to "
                    f"{previous[1] * decisions / previous[0]:.0f} s, past the cap")
        else:
            reference, progress, why = child("pyshacl", folder, 0, args.pyshacl_cap)
            if reference is None and why != "cap":
                stopped = True
                note = f"pySHACL failed: {why}"
            elif reference is None:
                stopped = True
                done = [p for p in progress if "done" in p]
                loaded = next((p for p in progress if "loaded" in p), None)
                setups = loaded["setups"] if loaded else "?"
                note = (f"stopped at the {args.pyshacl_cap:.0f} s cap after {len(done)} of {setups} setups; "
                        f"fast is at least {args.pyshacl_cap / fast['end_to_end']:.0f}x faster end to end")
            else:
                previous = (decisions, reference["load"] + reference["validation"])
                total = reference["load"] + reference["validation"]
                note = (f"pySHACL / fast: validation {reference['validation'] / fast['validation']:.0f}x, "
                        f"end to end {total / fast['end_to_end']:.0f}x")
        if reference:
            total = reference["load"] + reference["validation"]
            print(f"{'':>10} {'pyshacl':8} {triples:>10,} {seconds(reference['load'])} "
                  f"{seconds(reference['validation'])} {seconds(total)} {reference['memory']['parent']:>8.2f} "
                  f"{'yes' if reference['exact'] else 'NO':>6}  {note}", flush=True)
        else:
            print(f"{'':>10} {'pyshacl':8} {triples:>10,} {'-':>8} {'-':>8} {'-':>8} {'-':>8} {'-':>6}  {note}",
                  flush=True)


if __name__ == "__main__":
    main()
