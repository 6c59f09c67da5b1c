"""The endpoint's connection threads, in process and without query workers: a thread serves one
connection after another, and connections left open and idle never hold up a new one."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator

import pytest

from jeugdgov.server.endpoint import Settings, make_server
from jeugdgov.server.executor import WorkerPool
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
