"""The endpoint's connection threads, in process and without query workers: a thread serves one
connection after another, connections left open and idle never hold up a new one, and a client
that leaves before its answer costs no error."""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from jeugdgov.server.endpoint import Settings, make_server
from jeugdgov.server.executor import Answer, Job, WorkerPool
from jeugdgov.sparql.library import library


@pytest.fixture
def address(tmp_path) -> Iterator[tuple[str, int]]:
    queries = {name: query for name, query in library().items() if name == "setups"}
    settings = Settings(WorkerPool(tmp_path), queries, log=False)  # never started: no route here needs it
    server = make_server(settings, "127.0.0.1", 0)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        yield server.server_address[:2]
    finally:
        server.shutdown()
        server.server_close()


def text_of_setups(host: str, port: int) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", "/queries/setups.rq", headers={"Connection": "close"})
        response = connection.getresponse()
        assert b"SELECT" in response.read()
        return response.status
    finally:
        connection.close()


def connection_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "jeugdgov-connection")


def test_one_thread_serves_connection_after_connection(address):
    before = connection_threads()
    for _ in range(30):
        assert text_of_setups(*address) == 200
    # sequential connections: the first thread took them all and waits for more (one more thread
    # at most, when a connection was accepted before the first was back waiting)
    assert 1 <= connection_threads() - before <= 2


def test_idle_open_connections_do_not_hold_up_new_ones(address):
    idle = [socket.create_connection(address, timeout=10) for _ in range(5)]  # open, send nothing
    try:
        for _ in range(5):
            assert text_of_setups(*address) == 200
    finally:
        for connection in idle:
            connection.close()


class SlowPool:
    """Stands in for the workers: answers every query after a moment."""

    timeout = 30.0

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        time.sleep(0.5)
        return Answer(200, "text/csv", b"n\n1\n")


def test_a_client_that_leaves_before_its_answer_leaves_no_error_behind(tmp_path, capsys):
    settings = Settings(SlowPool(), {}, log=False)
    server = make_server(settings, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(3):
            leaving = socket.create_connection(server.server_address[:2], timeout=10)
            leaving.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            leaving.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            leaving.close()  # reset at once: the answer finds the connection gone
        time.sleep(1.5)
        staying = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
        staying.request("GET", "/query?query=ASK%7B%7D")
        assert staying.getresponse().read() == b"n\n1\n"
        staying.close()
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capsys.readouterr().err
