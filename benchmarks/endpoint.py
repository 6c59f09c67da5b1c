"""Benchmark: the jeugdgov endpoint against a bare `oxigraph serve` holding the same data.

For the bundled data and for a synthetic copy N times larger (the bundled data replicated with
renamed IRIs), both servers are started side by side on loopback ports. Each named query runs
with the parameters of its example URL: on jeugdgov as GET /queries/NAME.csv?..., on oxigraph as
GET /query with the same query text and a VALUES block of the same typed terms. Measured:

- latency: p50 and p99 of sequential requests per query (after one warm-up request);
- throughput: requests per second with 16 concurrent clients cycling through all the queries;
- load (``--load``): 16 and 64 clients, each request on a new connection, for named CSV queries and
  for the same queries sent ad hoc to /query: p50, p99 and errors on both servers; then fast named
  queries while two runaway queries run on jeugdgov (which stops them at its time limit).

The load client is wrk (``--client wrk``, the default; the Debian package is installed if it is
missing and this runs as root, otherwise the script says how): written in C, it leaves the two
cores to the servers, where a Python client would take a large share of them under 64 clients.
wrk times a request from its first byte sent to its last byte read; ``--client python`` (threads
with http.client) also counts the connect. Both servers are always measured with the same client.

Every figure is printed next to oxigraph's and their ratio (jeugdgov / oxigraph: above 1 means
jeugdgov is slower, or for throughput, serves more). Requests go to 127.0.0.1 only and are
bounded in number and time. Run from the project folder:

    .venv/bin/python benchmarks/endpoint.py            # bundled data and a 100x copy
    .venv/bin/python benchmarks/endpoint.py --scale 10 --requests 20 --duration 5
    .venv/bin/python benchmarks/endpoint.py --load --scale 1 --duration 8
    .venv/bin/python benchmarks/endpoint.py --load --scale 1 --duration 8 --client python
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, serialize

from jeugdgov.sparql.library import NamedQuery, library, with_values
from jeugdgov.stores.embedded import bundled_data, read_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the process stopper the tests use
from servers import stop

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]
RENAMED = ("https://w3id.org/jeugdgov/id/", "https://identifier.overheid.nl/", "file:")
IDENTIFIER = "http://purl.org/dc/terms/identifier"


# ---- data -------------------------------------------------------------------------------

def write_dataset(path: Path, copies: int) -> int:
    """The bundled data (copies times, renamed) plus the ontology as one N-Quads file."""
    data = [q for f in read_files(bundled_data(), with_ontology=False) for q in f.quads]
    ontology = [q for f in read_files([], with_ontology=True) for q in f.quads]
    quads = list(ontology)
    for copy in range(copies):
        quads.extend(_renamed(data, copy))
    path.write_bytes(serialize(quads, format=RdfFormat.N_QUADS))
    return len(quads)


def _renamed(quads: list[Quad], copy: int) -> Iterator[Quad]:
    """Copy 0 keeps its names, so the example parameters still match; copy k gets a suffix -ck."""
    blanks: dict[str, BlankNode] = {}

    def term(node):
        if isinstance(node, NamedNode) and copy and node.value.startswith(RENAMED):
            return NamedNode(f"{node.value}-c{copy}")
        if isinstance(node, BlankNode):
            return blanks.setdefault(node.value, BlankNode())
        return node

    for quad in quads:
        obj = quad.object
        if copy and quad.predicate.value == IDENTIFIER and isinstance(obj, Literal):
            obj = Literal(f"{obj.value}-c{copy}")
        graph = quad.graph_name if isinstance(quad.graph_name, DefaultGraph) else term(quad.graph_name)
        yield Quad(term(quad.subject), quad.predicate, term(obj), graph)


# ---- servers ----------------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def server(command: list[str], ready_path: str, port: int, log: Path, startup: float = 600,
           ) -> Iterator[subprocess.Popen]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} stopped:\n{log.read_text(errors='replace')[-2000:]}")
            try:
                if fetch(port, ready_path)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{command[0]} did not start in time")
            time.sleep(0.3)
        yield process
    finally:
        stop(process)


def fetch(port: int, path: str, connection: http.client.HTTPConnection | None = None,
          accept: str = "text/csv") -> tuple[int, bytes]:
    own = connection is None
    connection = connection or http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


# ---- measurements -----------------------------------------------------------------------

Target = Callable[[NamedQuery], str]  # the request path of a query on one server


def example_parameters(query: NamedQuery) -> dict[str, str]:
    for example in query.examples:
        if example.startswith("GET "):
            return dict(parse_qsl(urlsplit(example[4:]).query))
    return {}


def jeugdgov_path(query: NamedQuery) -> str:
    return f"/queries/{query.name}.csv?{urlencode(example_parameters(query))}"


def oxigraph_path(query: NamedQuery) -> str:
    text = with_values(query.text, query.bind(example_parameters(query)))
    return f"/query?{urlencode({'query': text})}"


def latencies(port: int, path: str, requests: int, budget: float) -> list[float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        status, _ = fetch(port, path, connection)  # warm-up
        if status != 200:
            raise SystemExit(f"{path[:80]} answered {status}")
        times: list[float] = []
        started = time.monotonic()
        while len(times) < requests and (len(times) < 3 or time.monotonic() - started < budget):
            begin = time.perf_counter()
            fetch(port, path, connection)
            times.append(time.perf_counter() - begin)
        return times
    finally:
        connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def throughput(port: int, paths: list[str], clients: int, duration: float, limit: int) -> float:
    done = [0] * clients
    stop = time.monotonic() + duration

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=300)
        position = index
        try:
            while time.monotonic() < stop and sum(done) < limit:
                fetch(port, paths[position % len(paths)], connection)
                done[index] += 1
                position += 1
        finally:
            connection.close()

    begin = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - begin)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: the quickest named queries (0.5-7 ms each on the bundled data): the load run measures the server
FAST = ("findings", "actors", "findings-per-defect", "cost-estimates-per-task")


@dataclass(frozen=True)
class Load:
    """What one load run measured: latency percentiles in seconds, requests, failed requests,
    and the CPU seconds the server (with its worker processes) spent."""

    p50: float
    p99: float
    requests: int
    errors: int
    seconds: float
    cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / max(1, self.requests)


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its living descendants so far, from /proc:
    the cost of a request on a machine shared with others, which wall-clock latency is not."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended in the meantime
        # utime, stime, and those of children that ended and were waited for (a replaced worker)
        total += sum(int(fields[index]) for index in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")
        for task in tasks:  # threads come and go while this reads
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                pending.extend(int(child) for child in (task / "children").read_text().split())
    return total


def python_load(port: int, paths: list[str], clients: int, duration: float, limit: int) -> Load:
    times, errors = under_load(port, paths, clients, duration, limit)
    return Load(percentile(times, 0.5), percentile(times, 0.99), len(times), errors, duration)


#: wrk's script: cycle through the paths (each thread from its own offset), one request per
#: connection, and print the figures as one JSON line when done
WRK_SCRIPT = """
local paths = {%(paths)s}
local next_thread = 0
setup = function(thread)
  thread:set("offset", next_thread)
  next_thread = next_thread + 1
end
local position = nil
request = function()
  position = (position or tonumber(offset) or 0) + 1
  return wrk.format("GET", paths[(position %% #paths) + 1], {["Accept"] = "text/csv", ["Connection"] = "close"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "microseconds": %%d, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"status": %%d, "timeout": %%d, "p50": %%d, "p99": %%d}\\n', summary.requests, summary.duration, e.connect,
    e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_command() -> str:
    """The wrk binary; installed from Debian when missing and allowed, else a clear stop."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is not installed; installing the Debian package wrk (apt-get install wrk)", file=sys.stderr)
        subprocess.run(["apt-get", "update"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("the load client wrk is not installed: install it (Debian: apt-get install wrk) "
                         "or run with --client python")
    return found


def wrk_load(port: int, paths: list[str], clients: int, duration: float, timeout: float) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="jeugdgov-wrk-") as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})
        script.flush()
        command = [wrk_command(), "--threads", str(min(2, clients)), "--connections", str(clients),
                   "--duration", f"{max(1, round(duration))}s", "--timeout", f"{max(1, round(timeout))}s",
                   "--script", script.name, f"http://{HOST}:{port}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures:\n{output}")
    figures = json.loads(line[4:])
    # wrk counts the server's close after each answer (Connection: close) as a read error; only
    # read errors beyond one per answered request are requests that failed
    failed_reads = max(0, figures["read"] - figures["requests"])
    errors = failed_reads + sum(figures[key] for key in ("connect", "write", "status", "timeout"))
    return Load(figures["p50"] / 1e6, figures["p99"] / 1e6, figures["requests"], errors,
                figures["microseconds"] / 1e6)


@dataclass(frozen=True)
class Endpoint:
    port: int
    pid: int


def load(endpoint: Endpoint, paths: list[str], clients: int, args: argparse.Namespace) -> Load:
    before = cpu_seconds(endpoint.pid)
    if args.client == "wrk":
        figures = wrk_load(endpoint.port, paths, clients, args.duration, args.timeout + 30)
    else:
        figures = python_load(endpoint.port, paths, clients, args.duration, args.limit)
    return replace(figures, cpu=cpu_seconds(endpoint.pid) - before)


def under_load(port: int, paths: list[str], clients: int, duration: float, limit: int,
               ) -> tuple[list[float], int]:
    """Latencies and errors of clients sending requests back to back, each on a new connection."""
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def client(index: int) -> None:
        position = index
        while time.monotonic() < stop and len(times) < limit:
            begin = time.perf_counter()
            try:
                status, _ = fetch(port, paths[position % len(paths)])
            except OSError:
                status = 0
            elapsed = time.perf_counter() - begin
            with lock:
                times.append(elapsed)
                errors[0] += status != 200
            position += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors[0]


def load_run(ours: Endpoint, theirs: Endpoint, args: argparse.Namespace) -> None:
    queries = [q for q in library().values() if q.name in FAST]
    print(f"\n### load: {args.duration:g} s per run, {args.rounds} rounds (the servers in turn; medians), "
          f"new connection per request, client {args.client}\n")
    print(f"{'run':30} {'p50 ms':>8} {'oxi p50':>8} {'ratio':>6} {'rounds':>11}  {'p99 ms':>8} {'oxi p99':>8} "
          f"{'ratio':>6}  {'errors':>6} {'oxi err':>7}  {'req/s':>6} {'oxi':>6}  {'CPU ms/req':>10} {'oxi':>5}")
    for clients in (16, 64):
        for kind, mine_paths in (("named CSV", [jeugdgov_path(q) for q in queries]),
                                 ("ad hoc /query", [oxigraph_path(q) for q in queries])):
            pairs = [(load(ours, mine_paths, clients, args), load(theirs, [oxigraph_path(q) for q in queries],
                                                                   clients, args)) for _ in range(args.rounds)]
            mine, bare = _median_load([m for m, _ in pairs]), _median_load([b for _, b in pairs])
            ratios = sorted(m.p50 / b.p50 for m, b in pairs)
            p50, o50 = mine.p50 * 1000, bare.p50 * 1000
            p99, o99 = mine.p99 * 1000, bare.p99 * 1000
            print(f"{kind + f', {clients} clients':30} {p50:8.1f} {o50:8.1f} {p50 / o50:6.2f} "
                  f"{f'{ratios[0]:.2f}-{ratios[-1]:.2f}':>11}  {p99:8.1f} {o99:8.1f}"
                  f" {p99 / o99:6.2f}  {mine.errors:6d} {bare.errors:7d}  {mine.rate:6.0f} {bare.rate:6.0f}"
                  f"  {mine.cpu_per_request * 1000:10.2f} {bare.cpu_per_request * 1000:5.2f}")
    runaway_path = f"/query?{urlencode({'query': RUNAWAY})}"
    outcomes: list[int] = []
    runaways = [threading.Thread(target=lambda: outcomes.append(fetch(ours.port, runaway_path)[0])) for _ in range(2)]
    for thread in runaways:
        thread.start()
    time.sleep(0.5)
    fast = load(ours, [jeugdgov_path(q) for q in queries], 16, args)
    for thread in runaways:
        thread.join()
    print(f"\nduring two runaway queries (jeugdgov, 16 clients, named CSV): p50 {fast.p50 * 1000:.1f} ms, "
          f"p99 {fast.p99 * 1000:.1f} ms, {fast.requests} requests, {fast.errors} errors; "
          f"the runaways answered {sorted(outcomes)}")


def _median_load(runs: list[Load]) -> Load:
    """The rounds together: median latencies; requests, errors, seconds and CPU summed."""
    return Load(statistics.median(r.p50 for r in runs), statistics.median(r.p99 for r in runs),
                sum(r.requests for r in runs), sum(r.errors for r in runs), sum(r.seconds for r in runs),
                sum(r.cpu for r in runs))


def run_dataset(label: str, copies: int, folder: Path, args: argparse.Namespace) -> None:
    data = folder / f"data-{copies}.nq"
    quads = write_dataset(data, copies)
    oxi_store = folder / f"oxigraph-{copies}"
    subprocess.run([str(Path(sys.executable).parent / "oxigraph"), "load", "--location", str(oxi_store),
                    "--file", str(data)], check=True, capture_output=True)
    ours, theirs = free_port(), free_port()
    queries = list(library().values())
    with ExitStack() as stack:
        ours_process = stack.enter_context(server(
            [str(Path(sys.executable).parent / "jeugdgov"), "serve", str(data), "--port", str(ours), "--quiet",
             "--timeout", str(args.timeout), "--workers", str(args.workers), "--max-request", "10000000"],
            "/health", ours, folder / f"serve-{copies}.log"))
        theirs_process = stack.enter_context(server(
            [str(Path(sys.executable).parent / "oxigraph"), "serve-read-only", "--location", str(oxi_store),
             "--bind", f"{HOST}:{theirs}", "--union-default-graph"],
            "/query?query=ASK%7B%7D", theirs, folder / f"oxigraph-{copies}.log"))
        print(f"\n## {label}: {quads} quads\n")
        if args.load:
            load_run(Endpoint(ours, ours_process.pid), Endpoint(theirs, theirs_process.pid), args)
            return
        print(f"{'query':34} {'p50 ms':>9} {'oxi p50':>9} {'ratio':>6}   {'p99 ms':>9} {'oxi p99':>9} {'ratio':>6}")
        for query in queries:
            mine = latencies(ours, jeugdgov_path(query), args.requests, args.budget)
            bare = latencies(theirs, oxigraph_path(query), args.requests, args.budget)
            p50, o50 = percentile(mine, 0.5) * 1000, percentile(bare, 0.5) * 1000
            p99, o99 = percentile(mine, 0.99) * 1000, percentile(bare, 0.99) * 1000
            print(f"{query.name:34} {p50:9.1f} {o50:9.1f} {p50 / o50:6.2f}   {p99:9.1f} {o99:9.1f} {p99 / o99:6.2f}")
        mine = throughput(ours, [jeugdgov_path(q) for q in queries], args.clients, args.duration, args.limit)
        bare = throughput(theirs, [oxigraph_path(q) for q in queries], args.clients, args.duration, args.limit)
        print(f"\nthroughput, {args.clients} clients, all queries in turn: jeugdgov {mine:.1f} req/s, "
              f"oxigraph {bare:.1f} req/s, ratio {mine / bare:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100, help="copies of the bundled data in the large run")
    parser.add_argument("--requests", type=int, default=30, help="sequential requests per query (at most)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per query and server (at most)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients for throughput")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of the throughput run")
    parser.add_argument("--limit", type=int, default=5000, help="requests of the throughput run (at most)")
    parser.add_argument("--workers", type=int, default=4, help="jeugdgov query worker processes")
    parser.add_argument("--timeout", type=float, default=300, help="jeugdgov's time limit per query")
    parser.add_argument("--rounds", type=int, default=3,
                        help="load runs per server and case, the servers in turn; the medians are printed")
    parser.add_argument("--load", action="store_true", help="the load run instead of per-query latencies")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk",
                        help="the load run's client: wrk (light, C) or Python threads (counts connects too)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jeugdgov-bench-") as temporary:
        folder = Path(temporary)
        run_dataset("bundled data", 1, folder, args)
        if args.scale > 1:
            run_dataset(f"synthetic copy, {args.scale}x", args.scale, folder, args)


if __name__ == "__main__":
    main()
