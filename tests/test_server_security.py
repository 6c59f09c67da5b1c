"""`jeugdgov serve` under attack: cross-site updates, calls out (SERVICE, LOAD), odd request
framing, memory-hungry queries, a server killed with SIGKILL, more clients than workers."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path
from urllib.parse import urlencode

import pytest
from helpers import DATA, alive, installed_command
from servers import HOST, free_port, get, jeugdgov_serve, running
from test_server import RUNAWAY, post

pytestmark = pytest.mark.slow

FORM = "application/x-www-form-urlencoded"
ASK_ANY = "ASK { ?s ?p ?o }"


def raw_request(base: str, head: str, body: bytes = b"", timeout: float = 30) -> tuple[int, bytes]:
    """Send bytes as they are (no client fixes the framing) and read the answer until close."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        connection.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    return status, reply.partition(b"\r\n\r\n")[2]


def form_post(base: str, path: str, fields: dict[str, str], headers: dict[str, str]) -> tuple[int, Message, bytes]:
    import urllib.request

    request = urllib.request.Request(f"{base}{path}", data=urlencode(fields).encode(), method="POST",
                                     headers={"Content-Type": FORM, **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def ask(base: str, query: str = ASK_ANY) -> bool:
    return json.loads(get(f"{base}/query?{urlencode({'query': query})}")[2])["boolean"]


class Listener:
    """A loopback TCP listener that records whether anybody connected to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server((HOST, 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nsecret")
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("serve")
    with jeugdgov_serve(folder, str(DATA / "flevoland-handelingskader.ttl"), "--timeout", "4", "--workers", "2",
                        "--max-request", "20000", "--memory-limit", "400", "--max-result", "1", "--quiet") as base:
        yield base


@pytest.fixture
def writable(tmp_path) -> str:
    with jeugdgov_serve(tmp_path, str(DATA / "flevoland-handelingskader.ttl"), "--store", str(tmp_path / "store"),
                        "--writable", "--quiet") as base:
        yield base


# ---- cross-site updates -----------------------------------------------------------------

def test_a_foreign_page_cannot_wipe_a_writable_store(writable):
    status, headers, body = form_post(writable, "/update", {"update": "DROP ALL"},
                                      {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert status == 403 and b"evil.example" in body
    assert "Access-Control-Allow-Origin" not in headers
    status, _, _ = form_post(writable, "/update", {"update": "DROP ALL"}, {"Origin": "http://evil.example"})
    assert status == 403
    status, _, _ = form_post(writable, "/query", {"update": "DROP ALL"}, {"Origin": "null"})
    assert status == 403
    # a Referer is no proof of the page: without an Origin an update is refused
    status, _, body = form_post(writable, "/update", {"update": "DROP ALL"},
                                {"Referer": "http://evil.example/page.html"})
    assert status == 403 and b"Origin" in body
    same_referer = {"Referer": f"{writable}/"}
    assert form_post(writable, "/update", {"update": "DROP ALL"}, same_referer)[0] == 403
    assert ask(writable)
    # the endpoint's own page may update
    same = writable.removeprefix("http://")
    status, _, _ = form_post(writable, "/update", {"update": "DROP ALL"}, {"Origin": f"http://{same}"})
    assert status == 204 and not ask(writable)
    # as do jeugdgov's own updates (push), which name the endpoint's origin
    from jeugdgov.stores.protocol import sparql_update

    sparql_update(f"{writable}/update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert ask(writable)


def test_update_has_no_cors_preflight(writable):
    import urllib.request

    request = urllib.request.Request(f"{writable}/update", method="OPTIONS",
                                     headers={"Origin": "http://evil.example",
                                              "Access-Control-Request-Method": "POST"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Methods" not in response.headers


def test_a_rebound_host_name_is_refused(server):
    status, _, body = get(f"{server}/query?{urlencode({'query': ASK_ANY})}", headers={"Host": "evil.example"})
    assert status == 403 and b"host" in body


def test_updates_need_the_token_when_one_is_set(tmp_path):
    port = free_port()
    base = f"http://{HOST}:{port}"
    command = [installed_command("jeugdgov"), "serve", str(DATA / "flevoland-handelingskader.ttl"), "--port",
               str(port), "--writable", "--update-token", "JEUGDGOV_TEST_TOKEN", "--quiet"]
    env_token = "a-long-test-token"
    os.environ["JEUGDGOV_TEST_TOKEN"] = env_token
    try:
        with running(command, f"{base}/health", tmp_path / "serve.log"):
            assert form_post(base, "/update", {"update": "DROP ALL"}, {})[0] == 401
            assert form_post(base, "/update", {"update": "DROP ALL"}, {"Authorization": "Bearer wrong"})[0] == 401
            assert ask(base)
            assert form_post(base, "/update", {"update": "DROP ALL"},
                             {"Authorization": f"Bearer {env_token}"})[0] == 204
            assert not ask(base)
    finally:
        del os.environ["JEUGDGOV_TEST_TOKEN"]


# ---- calls out ----------------------------------------------------------------------------

@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
    "select * where {{ service <http://localhost:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND (<http://127.0.0.1:{port}/x> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    # a comment the engine ends at CR, an escaped # in a prefixed name, other names of loopback
    "SELECT * WHERE {{ #\rSERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
    "PREFIX e: <urn:e:> SELECT * WHERE {{ BIND(e:a\\# AS ?v) SERVICE <http://127.1:{port}/x> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <http://2130706433:{port}/x> {{ ?s ?p ?o }} }}",
])
def test_service_does_not_reach_a_loopback_listener(server, listener, template):
    query = template.format(port=listener.port)
    status, _, body = get(f"{server}/query?{urlencode({'query': query})}")
    assert status == 403 and b"--allow-service" in body and b"secret" not in body
    status, body = post(f"{server}/query", query.encode(), "application/sparql-query")
    assert status == 403
    time.sleep(0.5)
    assert listener.connections == 0


def test_load_does_not_fetch(writable, listener):
    update = f"LOAD <http://127.0.0.1:{listener.port}/data.ttl> INTO GRAPH <urn:x>"
    same = {"Origin": f"http://{writable.removeprefix('http://')}"}
    status, _, body = form_post(writable, "/update", {"update": update}, same)
    assert status == 403 and b"LOAD" in body
    time.sleep(0.5)
    assert listener.connections == 0


def test_allowed_service_is_called(tmp_path, listener):
    allowed = f"http://127.0.0.1:{listener.port}/"
    with jeugdgov_serve(tmp_path, str(DATA / "flevoland-handelingskader.ttl"), "--allow-service", allowed) as base:
        query = f"SELECT * WHERE {{ SERVICE SILENT <{allowed}sparql> {{ ?s ?p ?o }} }}"
        assert get(f"{base}/query?{urlencode({'query': query})}")[0] == 200
        other = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
        assert get(f"{base}/query?{urlencode({'query': other})}")[0] == 403
    assert listener.connections >= 1
    started = next(tmp_path.glob("serve-*.log")).read_text()
    assert started.count("--allow-service the query workers keep the network") == 1  # said once, at the start
    entry = f"http://127.0.0.1:{listener.port}/sparql"
    beside = f"SELECT * WHERE {{ SERVICE <{entry}/../admin> {{ ?s ?p ?o }} }}"
    (tmp_path / "second").mkdir()
    with jeugdgov_serve(tmp_path / "second", str(DATA / "flevoland-handelingskader.ttl"), "--allow-service",
                        entry, "--quiet") as base:
        before = listener.connections
        assert get(f"{base}/query?{urlencode({'query': beside})}")[0] == 403
        time.sleep(0.5)
        assert listener.connections == before


def _connect_without_network(port: int, answer) -> None:
    from jeugdgov.isolation import cut_off_network

    problem = cut_off_network()
    try:
        socket.create_connection((HOST, port), timeout=5).close()
        answer.send((problem, "connected"))
    except OSError as error:
        answer.send((problem, str(error)))


def test_a_worker_cannot_connect_even_where_a_call_slips_past_the_reading(tmp_path, listener):
    import asyncio
    import multiprocessing

    from pyoxigraph import Store

    from jeugdgov.server.executor import Job, WorkerPool

    receiving, sending = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(target=_connect_without_network,
                                                           args=(listener.port, sending))
    process.start()
    problem, outcome = receiving.recv()
    process.join()
    assert problem is None and outcome != "connected", (problem, outcome)

    store = Store(str(tmp_path / "store"))  # an empty store folder
    del store
    call = Job("query", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}")
    with WorkerPool(tmp_path / "store", size=1) as pool:  # the server's reading is not asked here
        assert asyncio.run(pool.run(call)).status >= 400
    time.sleep(0.5)
    assert listener.connections == 0
    with WorkerPool(tmp_path / "store", size=1, network=True) as pool:  # as with --allow-service
        asyncio.run(pool.run(call))
    assert listener.connections == 1


# ---- request framing ------------------------------------------------------------------------

def test_negative_content_length_is_refused_without_reading(server):
    body = b"query=ASK%7B%7D" + b"#" * 1_000_000
    started = time.monotonic()
    status, answer = raw_request(server, f"POST /query HTTP/1.1\nHost: {HOST}\nContent-Type: {FORM}\n"
                                         "Content-Length: -1\n", body)
    assert status == 400 and b"Content-Length" in answer and time.monotonic() - started < 10


def test_header_blocks_over_64_kb_are_431(server):
    status, answer = raw_request(server, f"GET /health HTTP/1.1\nHost: {HOST}\nX-Padding: {'x' * 70_000}\n")
    assert status == 431 and b"over the limit" in answer


def test_missing_content_length_is_411(server):
    status, _ = raw_request(server, f"POST /query HTTP/1.1\nHost: {HOST}\nContent-Type: {FORM}\n", b"query=ASK{}")
    assert status == 411


def chunked(data: bytes, size: int = 4096) -> bytes:
    pieces = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def test_chunked_bodies_are_read_and_capped(server):
    head = f"POST /query HTTP/1.1\nHost: {HOST}\nContent-Type: application/sparql-query\nTransfer-Encoding: chunked\n"
    status, answer = raw_request(server, head, chunked(b"ASK { ?s ?p ?o }"))
    assert status == 200 and b"true" in answer
    status, answer = raw_request(server, head, chunked(b"#" * 200_000 + b"\nASK {}"))
    assert status == 413 and b"limit" in answer


# ---- resources ------------------------------------------------------------------------------

def test_a_query_over_the_memory_limit_is_422_saying_what_to_change(server):
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g ?c ?f ?i"
    status, headers, body = get(f"{server}/query?{urlencode({'query': query, 'format': 'csv'})}", timeout=60)
    # stopped by the memory limit (within a second), long before the time limit of 4 s; a 4xx,
    # since retrying the same query cannot help
    assert status == 422 and headers["Content-Type"].startswith("text/plain"), body
    assert b"memory" in body and b"400 MB" in body and b"--memory-limit" in body and body.count(b"\n") == 1
    time.sleep(3)  # the worker's successor starts
    assert get(f"{server}/health")[0] == 200


def test_a_result_over_the_cap_is_413_saying_what_to_change(server):
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 10000"  # about 2 MB of CSV, over the cap of 1 MB
    status, headers, body = get(f"{server}/query?{urlencode({'query': query, 'format': 'csv'})}", timeout=60)
    assert status == 413 and headers["Content-Type"].startswith("text/plain")
    assert b"1 MB" in body and b"--max-result" in body and body.count(b"\n") == 1
    small = "SELECT * WHERE { ?a ?b ?c } LIMIT 10"
    assert get(f"{server}/query?{urlencode({'query': small, 'format': 'csv'})}")[0] == 200


def test_a_query_past_the_time_limit_is_503_saying_what_to_change(server):
    status, headers, body = get(f"{server}/query?{urlencode({'query': RUNAWAY})}", timeout=60)
    assert status == 503 and headers["Retry-After"] == "4"
    assert b"4 seconds" in body and b"--timeout" in body and body.count(b"\n") == 1


def test_more_clients_than_workers_get_an_answer_or_a_retry_after(server):
    def runaway() -> tuple[int, Message]:
        status, headers, _ = get(f"{server}/query?{urlencode({'query': RUNAWAY})}", timeout=60)
        return status, headers

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: runaway(), range(8)))
    assert all(status == 503 for status, _ in answers)
    assert all(headers.get("Retry-After", "").isdigit() for _, headers in answers)
    time.sleep(3)
    assert get(f"{server}/health", timeout=60)[0] == 200


# ---- a server killed with SIGKILL ------------------------------------------------------------

def worker_pids(server_pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server_pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def unanswered(url: str) -> None:
    """A request whose server is killed while it runs."""
    with contextlib.suppress(OSError, http.client.HTTPException):
        get(url, timeout=60)


def test_workers_die_with_a_killed_server_and_free_the_store(tmp_path):
    store = tmp_path / "store"
    port = free_port()
    command = [installed_command("jeugdgov"), "serve", str(DATA / "flevoland-handelingskader.ttl"), "--store",
               str(store), "--writable", "--port", str(port), "--quiet"]
    base = f"http://{HOST}:{port}"
    with running(command, f"{base}/health", tmp_path / "serve.log") as process:
        workers = [pid for pid in worker_pids(process.pid) if "jeugdgov" in Path(f"/proc/{pid}/cmdline").read_text()
                   or "multiprocessing" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert workers
        threading.Thread(target=unanswered, args=(f"{base}/query?{urlencode({'query': RUNAWAY})}",),
                         daemon=True).start()
        time.sleep(1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers)
    # the store's lock is free again: a new writable server opens it
    with jeugdgov_serve(tmp_path, "--store", str(store), "--writable", "--quiet") as again:
        assert ask(again)


# ---- file descriptors ------------------------------------------------------------------------

def test_idle_connections_past_the_file_limit_do_not_lock_others_out(tmp_path):
    """Past its budget (the descriptor limit less a reserve) the endpoint closes the longest-idle
    connection for a newcomer; it never runs out of descriptors and stops accepting."""
    import sys

    port = free_port()
    base = f"http://{HOST}:{port}"
    script = ("import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)); "
              f"sys.argv = ['jeugdgov', 'serve', {str(DATA / 'flevoland-handelingskader.ttl')!r}, '--port', "
              f"'{port}', '--workers', '1', '--quiet']; from jeugdgov.cli import main; main()")
    with running([sys.executable, "-c", script], f"{base}/health", tmp_path / "serve.log"):
        idle = []
        try:
            for _ in range(400):  # well past 256 descriptors
                idle.append(socket.create_connection((HOST, port), timeout=10))
            time.sleep(0.5)
            for _ in range(3):
                status, _, body = get(f"{base}/health", timeout=10)
                assert status == 200, body
        finally:
            for connection in idle:
                connection.close()


# ---- slow readers ----------------------------------------------------------------------------

def test_slow_readers_of_large_answers_pin_no_more_than_a_few_results(tmp_path):
    """Clients that ask for a large result and do not read it: the endpoint holds answers for at
    most four results of the largest size (--max-result) and tells the next ones to come back,
    instead of holding every answer in memory for as long as they wait."""
    query = "SELECT ?s ?p ?o ?x WHERE { ?s ?p ?o VALUES ?x { 1 2 3 4 5 6 7 8 } }"
    with jeugdgov_serve(tmp_path, str(DATA), "--max-result", "16", "--workers", "2", "--quiet") as base:
        target = f"/query?{urlencode({'query': query})}"
        status, _, body = get(f"{base}{target}", headers={"Accept": "text/csv"}, timeout=120)
        assert status == 200 and 8 * 2**20 < len(body) <= 16 * 2**20
        port = int(base.rpartition(":")[2])
        readers = []
        try:
            for _ in range(12):
                reader = socket.socket()
                reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                reader.settimeout(120)
                reader.connect((HOST, port))
                reader.sendall(f"GET {target} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/csv\r\n\r\n".encode())
                readers.append(reader)
            statuses = [int(reader.recv(64).split(b" ", 2)[1]) for reader in readers]  # and read no further
            held = 4 * 16 * 2**20 // len(body)  # answers that fit in four results of the largest size
            assert statuses.count(200) <= held and statuses.count(503) >= 12 - held, statuses
            assert get(f"{base}/health", timeout=10)[0] == 200
        finally:
            for reader in readers:
                reader.close()
        assert get(f"{base}{target}", headers={"Accept": "text/csv"}, timeout=120)[0] == 200  # room again
