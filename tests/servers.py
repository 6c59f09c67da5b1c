"""Real servers for tests: `jeugdgov serve`, `oxigraph serve` and Virtuoso, on free loopback ports.

Each runs as a child process for the duration of a `with` block and is always stopped after
(politely first, then for certain: no server outlives the run that started it); `serving` runs
a test's own request handler in a thread the same way. The benchmarks start their stores here too.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from helpers import installed_command

HOST = "127.0.0.1"


def stop(process: subprocess.Popen, grace: float = 20.0) -> None:
    """End a child process: SIGTERM, then SIGKILL if it takes more than ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], path: str = "/sparql") -> Iterator[str]:
    """A loopback HTTP server answering with ``handler`` in a thread; the URL of ``path`` on it."""
    server = ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()


def get(url: str, timeout: float = 30, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """A plain GET, as a BI tool does it: status, headers (any case) and body, also for 4xx and 5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def running(command: Sequence[str], ready_url: str, log: Path, startup: float = 90) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends; wait until `ready_url` answers 200 before yielding."""
    with log.open("wb") as output:
        process = subprocess.Popen(list(command), stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup
        while True:
            assert process.poll() is None, f"{command[0]} stopped: {log.read_text(errors='replace')[-2000:]}"
            try:
                if get(ready_url, timeout=5)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, f"{command[0]} did not start: {log.read_text(errors='replace')}"
            time.sleep(0.2)
        yield process
    finally:
        stop(process)


@contextmanager
def oxigraph(folder: Path, union: bool = True) -> Iterator[str]:
    """`oxigraph serve` over a store folder; yields its base URL (…/query, …/update, …/store)."""
    port = free_port()
    command = [installed_command("oxigraph"), "serve", "--location", str(folder / "oxigraph"),
               "--bind", f"{HOST}:{port}"]
    if union:
        command.append("--union-default-graph")
    base = f"http://{HOST}:{port}"
    with running(command, f"{base}/query?query=ASK%7B%7D", folder / f"oxigraph-{port}.log"):
        yield base


@contextmanager
def jeugdgov_serve(folder: Path, *arguments: str) -> Iterator[str]:
    """`jeugdgov serve` with the given arguments (its messages in English unless they name a
    --lang); yields its base URL."""
    port = free_port()
    command = [installed_command("jeugdgov"), "serve", "--port", str(port), "--lang", "en", *arguments]
    base = f"http://{HOST}:{port}"
    with running(command, f"{base}/health", folder / f"serve-{port}.log"):
        yield base


#: Virtuoso's settings for tests: loopback only, a small buffer pool, and the SPARQL limits that
#: matter (see docs/production-stores.md): no cost estimate refusing queries, no time limit that
#: would cut answers short, a row cap above anything the tests read.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
MaxClientConnections = 4
CheckpointInterval = 60
DirsAllowed = ., {folder}

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""
VIRTUOSO_PASSWORD = "dba"  # a fresh database's administrator (user dba) password


@contextmanager
def virtuoso(folder: Path, max_rows: int = 1_000_000) -> Iterator[str]:
    """Virtuoso Open Source 7 on a fresh database in ``folder``; yields its base URL (…/sparql
    reads, …/sparql-auth writes with digest authentication as dba)."""
    binary = shutil.which("virtuoso-t")
    assert binary, ("virtuoso-t is not installed: the Virtuoso tests need the Debian package "
                    "virtuoso-opensource-7-bin (scripts/setup installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, host=HOST, http_port=http_port, sql_port=sql_port,
                                       max_rows=max_rows))
    base = f"http://{HOST}:{http_port}"
    with running([binary, "+foreground", "+configfile", str(ini)], f"{base}/sparql?query=ASK%7B%7D",
                 folder / "virtuoso-out.log", startup=120):
        yield base


def virtuoso_indexes(folder: Path, text: str, graphs: Sequence[str] = ()) -> list[str]:
    """The indexes of RDF_QUAD that the Virtuoso in ``folder`` plans to read for a SPARQL query
    over ``graphs`` (its SQL ``explain``, through isql-vt from the same Debian package)."""
    sql_port = re.search(r"ServerPort = [^:\n]+:(\d+)", (folder / "virtuoso.ini").read_text()).group(1)
    defines = "".join(f"define input:default-graph-uri <{g}> " for g in graphs)
    statement = "explain('sparql " + (defines + text).replace("'", "''") + "');"
    plan = subprocess.run(["isql-vt", f"{HOST}:{sql_port}", "dba", VIRTUOSO_PASSWORD, f"exec={statement}"],
                          capture_output=True, text=True, timeout=60, check=True).stdout
    assert "RDF_QUAD" in plan, plan  # an explain that failed prints its error instead
    return re.findall(r"\b(RDF_QUAD\w*)\s+[-+.\de]+ rows", plan)
