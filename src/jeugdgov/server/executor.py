"""Running SPARQL in worker processes, so that a runaway query can be stopped.

pyoxigraph cannot cancel a query from another thread. Each query therefore runs in a worker
process that holds the store open; when a query passes its time limit its worker is killed
and a fresh one takes its place, while the other workers keep serving. Every worker opens the
store read-only (RocksDB allows many readers as long as nobody writes); a writable endpoint
has a single worker that opens the store read-write, so that updates and queries never race.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import NamedNode, Store

from jeugdgov.errors import InputError
from jeugdgov.sparql.results import GRAPH_FORMATS, SOLUTION_FORMATS, is_graph, serialize_result

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Job:
    """One query or update, with the result formats the client accepts, best first."""

    kind: str  # "query" or "update"
    text: str
    solution_formats: tuple[str, ...] = ("json",)
    graph_formats: tuple[str, ...] = ("turtle",)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes = b""

    @staticmethod
    def text(status: int, message: str) -> Answer:
        return Answer(status, TEXT, (message.rstrip() + "\n").encode("utf-8"))


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was stopped."""


class PoolBusy(Exception):
    """No worker became free within the time limit."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection = field(repr=False)


class WorkerPool:
    """A fixed number of worker processes over one store folder."""

    def __init__(self, store: Path, size: int = 2, writable: bool = False, timeout: float = 30.0,
                 start_timeout: float = 120.0):
        self.store = Path(store)
        self.size = 1 if writable else max(1, size)
        self.writable = writable
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._context = multiprocessing.get_context("spawn")  # the server has threads: never fork
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> WorkerPool:
        started = [self._spawn() for _ in range(self.size)]
        try:
            for worker in started:
                self._await_ready(worker)
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise
        return self

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        """Run a job on a free worker; QueryTimeout when it takes longer than the time limit."""
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise PoolBusy from None
        try:
            worker.connection.send(job)
            if worker.connection.poll(limit):
                answer = worker.connection.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            self._replace(worker)
            return Answer.text(500, "the query worker stopped unexpectedly; a new one is starting")
        self._replace(worker)
        raise QueryTimeout

    def alive(self) -> int:
        with self._lock:
            return sum(1 for w in self._workers if w.process.is_alive())

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            _stop(worker)

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, str(self.store), self.writable),
                                        name="jeugdgov-query-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.connection.poll(self.start_timeout):
            raise InputError("the query worker did not start in time", file=self.store)
        status, message = worker.connection.recv()
        if status != "ready":
            raise InputError(f"cannot open the store: {message}", file=self.store,
                             hint="is another process (jeugdgov load, oxigraph) using this store? stop it first")

    def _replace(self, worker: _Worker) -> None:
        """Stop a worker now and start its successor in the background."""
        with self._lock:
            self._workers.discard(worker)
        _stop(worker)
        threading.Thread(target=self._restart, name="jeugdgov-worker-restart", daemon=True).start()

    def _restart(self) -> None:
        with self._lock:
            if self._closed:
                return
        worker = self._spawn()
        try:
            self._await_ready(worker)
        except InputError:
            with self._lock:
                self._workers.discard(worker)
            _stop(worker)
            return
        with self._lock:
            closed = self._closed
        if closed:
            _stop(worker)
        else:
            self._idle.put(worker)


def _stop(worker: _Worker) -> None:
    worker.connection.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=10)


def _serve(connection: Connection, path: str, writable: bool) -> None:
    """The worker: open the store, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops the workers
    try:
        store = Store(path) if writable else Store.read_only(path)
    except OSError as error:
        connection.send(("failed", str(error)))
        return
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return  # the server is gone
        connection.send(answer(store, job))


def answer(store: Store, job: Job) -> Answer:
    """Run one job against a store and serialize its result in the best accepted format."""
    try:
        if job.kind == "update":
            store.update(job.text)
            store.flush()
            return Answer(204, TEXT)
        options: dict[str, object] = {}
        if job.default_graphs:
            options["default_graph"] = [NamedNode(g) for g in job.default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if job.named_graphs:
            options["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
        result = store.query(job.text, **options)
        graph = is_graph(result)
        formats = job.graph_formats if graph else job.solution_formats
        if not formats:
            offered = ", ".join(GRAPH_FORMATS if graph else SOLUTION_FORMATS)
            return Answer.text(406, f"none of the accepted media types fits this result; formats: {offered}")
        body, media = serialize_result(result, formats[0])
        return Answer(200, media, body)
    except SyntaxError as error:
        return Answer.text(400, f"SPARQL syntax error: {error}")
    except InputError as error:
        return Answer.text(406, str(error))
    except (ValueError, RuntimeError, TypeError) as error:
        return Answer.text(400, f"cannot evaluate the request: {error}")
    except OSError as error:
        return Answer.text(500, f"store error: {error}")
