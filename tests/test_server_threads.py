"""The endpoint's HTTP server, in process and without query workers: connections left open and
idle never hold up a new one, a slow query does not hold up quick routes, a client that leaves
before its answer costs no error, and clients that do not read their answers pin little."""

from __future__ import annotations

import asyncio
import http.client
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from jeugdgov.server.app import Settings
from jeugdgov.server.executor import Answer, Job
from jeugdgov.server.listener import HttpServer
from jeugdgov.sparql.library import library


class SlowPool:
    """Stands in for the workers: answers every query after half a second."""

    timeout = 30.0
    memory_limit = None
    max_result = 2**20

    async def run(self, job: Job, timeout: float | None = None) -> Answer:
        await asyncio.sleep(0.5)
        return Answer(200, "text/csv", b"n\n1\n")

    def alive(self) -> int:
        return 1


@pytest.fixture
def address() -> Iterator[tuple[str, int]]:
    queries = {name: query for name, query in library().items() if name == "setups"}
    server = HttpServer(Settings(SlowPool(), queries, log=False), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address
    finally:
        server.shutdown()
        server.server_close()


def get(address: tuple[str, int], path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_idle_open_connections_do_not_hold_up_new_ones(address):
    idle = [socket.create_connection(address, timeout=10) for _ in range(5)]  # open, send nothing
    try:
        for _ in range(5):
            status, body = get(address, "/queries/setups.rq")
            assert status == 200 and b"SELECT" in body
    finally:
        for connection in idle:
            connection.close()


def test_quick_routes_answer_while_queries_wait_for_workers(address):
    slow = [threading.Thread(target=get, args=(address, "/query?query=ASK%7B%7D")) for _ in range(8)]
    for thread in slow:
        thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    status, _ = get(address, "/queries/setups.rq")
    assert status == 200 and time.monotonic() - started < 0.4  # the eight queries take 0.5 s each
    for thread in slow:
        thread.join()


def test_a_client_that_leaves_before_its_answer_leaves_no_error_behind(address, capsys):
    for _ in range(3):
        leaving = socket.create_connection(address, timeout=10)
        leaving.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        leaving.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        leaving.close()  # reset at once: the answer finds the connection gone
    time.sleep(1.5)
    assert get(address, "/query?query=ASK%7B%7D") == (200, b"n\n1\n")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_a_client_that_sends_nothing_or_too_slowly_is_told_and_let_go(address, monkeypatch):
    from jeugdgov.server import app, listener

    monkeypatch.setattr(listener, "REQUEST_SECONDS", 0.5)
    monkeypatch.setattr(app, "BODY_SECONDS", 0.5)

    def answer_to(sent: bytes) -> bytes:
        with socket.create_connection(address, timeout=10) as connection:
            connection.sendall(sent)
            reply = b""
            while chunk := connection.recv(65536):  # ends when the server closes
                reply += chunk
        return reply

    assert answer_to(b"").startswith(b"HTTP/1.1 408")
    assert answer_to(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n").startswith(b"HTTP/1.1 408")  # headers never end
    slow_body = answer_to(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                          b"Content-Length: 100\r\n\r\nASK")
    assert slow_body.startswith(b"HTTP/1.1 408") and b"body" in slow_body


class SizedPool:
    """Stands in for the workers: a query naming <urn:large> gets 200 KB, any other a few bytes."""

    timeout = 30.0
    memory_limit = None
    max_result = 2**20

    async def run(self, job: Job, timeout: float | None = None) -> Answer:
        return Answer(200, "text/csv", b"x" * (200_000 if "urn:large" in job.text else 10))

    def alive(self) -> int:
        return 1


def test_answers_held_for_clients_that_do_not_read_stay_within_four_results():
    """Many clients that ask for a middling answer (far below --max-result) and read none of it:
    past what the connection's buffers take, an answer waits for its client, and those waiting
    together stay within four results of --max-result; the next ones are told to come back, a
    short answer still goes out, and a client that leaves frees its share."""
    from urllib.parse import quote

    from jeugdgov.server.app import EndpointApp

    app = EndpointApp(Settings(SizedPool(), {}, log=False))
    buffered = 64 * 1024  # what a connection's write buffer takes before the next piece waits

    async def ask(query: str, statuses: list[int], reads: bool = True) -> None:
        written = 0

        async def send(message: dict) -> None:
            nonlocal written
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            elif not reads and written > buffered:
                await asyncio.Event().wait()  # the client reads nothing: this piece never goes
            else:
                written += len(message["body"])

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "method": "GET", "path": "/query", "headers": [(b"host", b"127.0.0.1")],
                 "query_string": f"query={quote(query)}".encode()}
        await app(scope, receive, send)

    async def scenario() -> tuple[list[int], list[int], list[int]]:
        large, small, later = [], [], []
        large_query = "SELECT * WHERE { ?s <urn:large> ?o }"
        waiting = [asyncio.create_task(ask(large_query, large, reads=False)) for _ in range(60)]
        await asyncio.sleep(0.2)
        await ask("ASK {}", small)
        for task in waiting:
            task.cancel()  # the clients leave
        await asyncio.gather(*waiting, return_exceptions=True)
        await asyncio.wait_for(ask(large_query, later), 1)
        return large, small, later

    large, small, later = asyncio.run(scenario())
    held = 4 * 2**20 // 200_000
    assert large.count(200) == held and large.count(503) == 60 - held, large
    assert small == [200] and later == [200]
