"""Benchmark: jeugdgov against Jena SHACL and pySHACL, whole commands on the same files.

For each size (decisions of `jeugdgov synth --seed 7`) region 1 is validated by:

- jeugdgov: `jeugdgov validate REGION --format json` (the fast engine; it adds the ontology);
- Jena SHACL: `shacl validate --shapes SHAPES --data DATA` of Debian's libapache-jena-java
  (installed with apt-get when missing; Java must be there);
- pySHACL: `pyshacl -s SHAPES -a -f turtle DATA` (the project's own dependency);
- pyshacl-turbo: `pyshacl-turbo -s SHAPES -a -f turtle DATA`, a Rust engine with pySHACL's
  interface (PyPI's pyshacl-turbo 0.6.5, installed into a venv of its own under --work when
  missing, so that it never touches the project's environment).

DATA is the region merged with the ontology (what jeugdgov validates), SHAPES the bundled shapes
with the region's reference date written in (the end of its period, as jeugdgov takes it) and
their messages in English only (Jena refuses a SPARQL constraint with more than one), so all
engines check the same graph against the same shapes. The engines take turns in each round, each
command timed end to end (wall clock, and the CPU seconds of its process tree); printed are the
medians and the number of results (findings; SHACL validation results), which must be equal. An
engine that passes --cap seconds is stopped and not run at larger sizes. Run from the project
folder:

    .venv/bin/python benchmarks/peers.py                                   # 10k, 100k, 1M; 3 rounds
    .venv/bin/python benchmarks/peers.py --sizes 10000 --rounds 1 --engines jeugdgov,jena
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).parent))
from bytecode import as_installed
from validation import generate

TURBO = "0.6.5"  # the version the figures were made with
JAVA = Path("/usr/share/java")
#: Jena's command-line jars and what they need at run time (Debian's names), without any
#: logging binding but slf4j-nop: two bindings on one class path stop the JVM at start.
JENA_JARS = ["jena-cmds", "jena-shacl", "jena-arq", "jena-core", "jena-base", "jena-iri", "commons-cli",
             "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3", "gson", "guava",
             "httpclient", "httpcore", "jackson-core", "jackson-databind", "jsonld-java", "titanium-json-ld",
             "jakarta.json-api", "thrift", "protobuf", "dexx.collection", "slf4j-api", "slf4j-nop"]


# ---- the inputs ------------------------------------------------------------------------------

def inputs(folder: Path) -> tuple[Path, Path, Path]:
    """Region 1, the region merged with the ontology, and the shapes dated for the region."""
    from rdflib import SH, Graph

    from jeugdgov.resources import ontology
    from jeugdgov.validation.catalogue import selected_shapes
    from jeugdgov.validation.fast.evaluation import setup_as_of
    from jeugdgov.validation.fast.local_store import LocalRunner
    from jeugdgov.validation.fast.parallel import load_setups

    region = folder / "setups" / "synth-r01.nt"
    data, shapes = folder / "peers-data.nt", folder / "peers-shapes.ttl"
    if not data.exists() or not shapes.exists():
        loaded = next(load_setups(region))
        as_of = setup_as_of(LocalRunner(loaded.store), loaded.setup)
        data.write_bytes(region.read_bytes() + ontology().serialize(format="nt", encoding="utf-8"))
        graph = selected_shapes(None, as_of)
        dated = Graph()  # messages in English only: Jena refuses a SPARQL constraint with two
        dated += (t for t in graph if t[1] != SH.message or getattr(t[2], "language", None) == "en")
        dated.serialize(shapes, format="turtle")
    return region, data, shapes


# ---- the engines -----------------------------------------------------------------------------

def jena_class_path(work: Path) -> str:
    """Jena's class path, installing Debian's package when it is missing. Debian's jena-core
    4.5.0 moved Xerces to the package ``xerces`` but left its message files under Jena's own
    name, and Xerces stops at start without them: a small jar puts copies where it looks."""
    if not (JAVA / "jena-cmds.jar").exists():
        apt = ["apt-get"] if os.geteuid() == 0 else ["sudo", "apt-get"]
        subprocess.run([*apt, "install", "-y", "-q", "libapache-jena-java"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    messages = work / "jena-xerces-messages.jar"
    if not messages.exists():
        prefix = "org/apache/jena/ext/xerces/"
        with zipfile.ZipFile(JAVA / "jena-core.jar") as core, zipfile.ZipFile(messages, "w") as out:
            for name in core.namelist():
                if name.startswith(prefix) and not name.endswith(("/", ".class")):
                    out.writestr("xerces/" + name[len(prefix):], core.read(name))
    missing = [name for name in JENA_JARS if not (JAVA / f"{name}.jar").exists()]
    if missing:
        raise SystemExit(f"Jena's class path lacks {', '.join(missing)} in {JAVA}")
    return ":".join([*(str(JAVA / f"{name}.jar") for name in JENA_JARS), str(messages)])


def turbo_command(work: Path) -> Path:
    """pyshacl-turbo's command, installed with pip into a venv of its own when missing."""
    venv = work / f"pyshacl-turbo-{TURBO}"
    command = venv / "bin" / "pyshacl-turbo"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"pyshacl-turbo=={TURBO}"], check=True)
    return command


def shacl_results(report: str) -> int:
    """The number of sh:ValidationResult in a Turtle validation report."""
    import pyoxigraph as ox

    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    result = ox.NamedNode("http://www.w3.org/ns/shacl#ValidationResult")
    return sum(1 for quad in ox.parse(report.encode(), format=ox.RdfFormat.TURTLE)
               if quad.predicate == kind and quad.object == result)


Engine = tuple[list[str], Callable[[str], int]]


def engines(names: list[str], region: Path, data: Path, shapes: Path, work: Path) -> dict[str, Engine]:
    bin_dir = Path(sys.executable).parent
    known: dict[str, Callable[[], Engine]] = {
        "jeugdgov": lambda: ([str(bin_dir / "jeugdgov"), "validate", str(region), "--format", "json"],
                             lambda out: len(json.loads(out)["findings"])),
        "jena": lambda: (["java", "-cp", jena_class_path(work), "shacl.shacl", "validate", "--shapes", str(shapes),
                          "--data", str(data)], shacl_results),
        "pyshacl": lambda: ([str(bin_dir / "pyshacl"), "-s", str(shapes), "-a", "-f", "turtle", str(data)],
                            shacl_results),
        "pyshacl-turbo": lambda: ([str(turbo_command(work)), "-s", str(shapes), "-a", "-f", "turtle", str(data)],
                                  shacl_results),
    }
    return {name: known[name]() for name in names}


def run(command: list[str], count: Callable[[str], int], cap: float) -> tuple[float, float, int | None]:
    """Wall-clock and CPU seconds of one command, and its number of results (None: it stopped at the cap)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, float("nan"), None
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-1000:]}")
    return wall, usage.ru_utime + usage.ru_stime - cpu_before, count(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="decisions, comma-separated")
    parser.add_argument("--engines", default="jeugdgov,jena,pyshacl-turbo,pyshacl", help="comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="turns of every engine (medians are printed)")
    parser.add_argument("--cap", type=float, default=600, help="seconds one command may take")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.01)
    parser.add_argument("--work", type=Path, default=Path("/tmp/jeugdgov-benchmark"),
                        help="folder for the generated data (kept, and reused by the next run)")
    args = parser.parse_args()
    as_installed()
    if "jena" in args.engines and not shutil.which("java"):
        raise SystemExit("Jena SHACL needs Java: apt-get install default-jre-headless")
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"region 1 of `jeugdgov synth --seed {args.seed}`, whole commands, {args.rounds} round(s), "
          f"medians; cap {args.cap:.0f} s\n")
    header = f"{'decisions':>10} {'triples':>9} {'engine':13} {'wall s':>8} {'CPU s':>8} {'results':>8}  vs jeugdgov"
    print(header + "\n" + "-" * len(header), flush=True)
    stopped: set[str] = set()
    for decisions in [int(s) for s in args.sizes.split(",")]:
        folder = generate(decisions, args.seed, args.rate, args.work)
        region, data, shapes = inputs(folder)
        triples = sum(1 for _ in data.open("rb"))
        chosen = [name for name in args.engines.split(",") if name not in stopped]
        commands = engines(chosen, region, data, shapes, args.work)
        times: dict[str, list[tuple[float, float, int | None]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, (command, count) in commands.items():
                if times[name] and times[name][-1][2] is None:
                    continue  # stopped at the cap: not again
                times[name].append(run(command, count, args.cap))
        base = median(t[0] for t in times["jeugdgov"]) if times.get("jeugdgov") else None
        for name, measured in times.items():
            if measured[-1][2] is None:
                stopped.add(name)
                print(f"{decisions:>10,} {triples:>9,} {name:13} {'>' + format(args.cap, '.0f'):>8} {'-':>8} "
                      f"{'-':>8}  stopped at the cap", flush=True)
                continue
            wall, cpu = median(t[0] for t in measured), median(t[1] for t in measured)
            results = sorted({t[2] for t in measured})
            ratio = f"{wall / base:.1f}x the time" if base and name != "jeugdgov" else ""
            print(f"{decisions:>10,} {triples:>9,} {name:13} {wall:>8.2f} {cpu:>8.2f} "
                  f"{'/'.join(map(str, results)):>8}  {ratio}", flush=True)


if __name__ == "__main__":
    main()
