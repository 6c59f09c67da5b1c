"""Running SPARQL in worker processes, so that a runaway query can be stopped.

pyoxigraph cannot cancel a query from another thread. Each query therefore runs in a worker
process that holds the store open; when a query passes its time limit its worker is killed
and a fresh one takes its place, while the other workers keep serving. Every worker opens the
store read-only (RocksDB allows many readers as long as nobody writes); a writable endpoint
has a single worker that opens the store read-write, so that updates and queries never race.

Each worker is bounded: its heap by ``memory_limit`` (``RLIMIT_DATA``; a query that needs more
ends its worker, which is answered with :data:`OVER_MEMORY`), its serialized result by
``max_result`` bytes (:data:`OVER_RESULT`), and
its life by the server's: a thread in the worker waits on a pipe only the server holds open and
ends the worker the moment that pipe closes, so a ``kill -9`` of the server leaves no worker
running on (nor holding the store's lock). Unless ``network`` is allowed, a worker cannot open a
connection at all (:mod:`jeugdgov.isolation`).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import resource
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import NamedNode, Store

from jeugdgov.errors import InputError
from jeugdgov.isolation import cut_off_network
from jeugdgov.sparql.results import GRAPH_FORMATS, SOLUTION_FORMATS, is_graph, write_result

TEXT = "text/plain; charset=utf-8"
#: A query that needs more memory than a worker may use. Not a 5xx: the same query fails again
#: however often it is retried, so the client is told to change it (or the endpoint's limit).
OVER_MEMORY = 422
#: A result larger than a worker may send; like a request that is too large, it must be narrowed.
OVER_RESULT = 413


def over_memory(limit: int | None) -> Answer:
    """The answer to a query stopped at the memory limit (``limit`` bytes, None: unknown)."""
    size = f"the limit of {limit // 2**20} MB per worker" if limit else "what the worker may use"
    grootte = f"de grens van {limit // 2**20} MB per proces" if limit else "wat het proces mag gebruiken"
    return Answer.text(OVER_MEMORY, (f"the query needs more memory than {size} and was stopped; narrow it down "
                                     "(parameters, LIMIT, fewer joined patterns) or start the endpoint with a "
                                     "larger --memory-limit",
                                     f"de query heeft meer geheugen nodig dan {grootte} en is gestopt; beperk haar "
                                     "(parameters, LIMIT, minder gekoppelde patronen) of start het endpoint met een "
                                     "grotere --memory-limit"))


def over_result(limit: int) -> Answer:
    """The answer to a query whose serialized result grew past ``limit`` bytes."""
    return Answer.text(OVER_RESULT, (f"the result is larger than the limit of {_megabytes(limit)} MB; narrow the "
                                     "query down (parameters, LIMIT) or start the endpoint with a larger --max-result",
                                     f"het resultaat is groter dan de grens van {_megabytes(limit)} MB; beperk de "
                                     "query (parameters, LIMIT) of start het endpoint met een grotere --max-result"))


def _megabytes(size: int) -> str:
    return f"{size / 2**20:g}" if size % 2**20 else str(size // 2**20)


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

    headers: tuple[tuple[str, str], ...] = ()
    #: The body in Dutch, when it is a message said in both languages (the endpoint sends the one
    #: the request's Accept-Language or the endpoint's --lang asks for).
    dutch: bytes = b""

    @staticmethod
    def text(status: int, message: str | tuple[str, str], headers: tuple[tuple[str, str], ...] = ()) -> Answer:
        """A plain-text answer of one line, as BI tools show an error body; ``message`` in English,
        or in English and Dutch."""
        english, dutch = (message, "") if isinstance(message, str) else message
        return Answer(status, TEXT, _line(english), headers, _line(dutch) if dutch else b"")


def _line(message: str) -> bytes:
    return (" ".join(message.split()) + "\n").encode("utf-8")


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was stopped."""


class PoolBusy(Exception):
    """No worker became free in time, or too many requests are already waiting for one."""


class ResultTooLarge(Exception):
    """A serialized result grew past the limit."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection = field(repr=False)
    lifeline: Connection = field(repr=False)


class WorkerPool:
    """A fixed number of worker processes over one store folder, used from an asyncio event loop:
    a request waits for a free worker and for its answer on the loop itself (the worker's pipe is
    watched for reading), so no thread is handed each request."""

    def __init__(self, store: Path, size: int = 4, writable: bool = False, timeout: float = 30.0,
                 start_timeout: float = 120.0, memory_limit: int | None = 2048 * 2**20,
                 max_result: int = 200 * 2**20, queue_limit: int = 64, queue_wait: float = 10.0,
                 network: bool = False):
        self.store = Path(store)
        self.size = 1 if writable else max(1, size)
        self.writable = writable
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.memory_limit = memory_limit
        self.max_result = max_result
        self.network = network
        #: why the workers could not be cut off from the network (None: they are, or need not be)
        self.network_left_open: str | None = None
        self.queue_limit = max(1, queue_limit)
        self.queue_wait = queue_wait
        self._context = multiprocessing.get_context("spawn")  # the server has threads: never fork
        self._idle: deque[_Worker] = deque()
        self._waiting: deque[asyncio.Future[_Worker]] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> WorkerPool:
        started = [self._spawn() for _ in range(self.size)]
        try:
            for worker in started:
                self._await_ready(worker)
                self._idle.append(worker)
        except BaseException:
            self.close()
            raise
        return self

    async def run(self, job: Job, timeout: float | None = None) -> Answer:
        """Run a job on a free worker; QueryTimeout when it takes longer than the time limit.

        PoolBusy at once when ``queue_limit`` requests already wait for a worker, or when none
        becomes free within ``queue_wait`` seconds: a client is better told to come back than
        left hanging while every worker is busy.
        """
        self._loop = asyncio.get_running_loop()
        limit = self.timeout if timeout is None else timeout
        worker = await self._acquire(min(limit, self.queue_wait))
        try:
            worker.connection.send(job)
            if await _readable(self._loop, worker.connection, limit):
                answer: Answer = worker.connection.recv()
                self._release(worker)
                return answer
        except (EOFError, OSError):
            # why it died first, then its successor: stopping it reaps it too, and a second
            # wait for the same process would find no exit status
            note = await self._loop.run_in_executor(None, self._death_note, worker)
            self._replace(worker)
            return note
        except asyncio.CancelledError:  # the server is stopping: the worker's answer is nobody's
            self._replace(worker)
            raise
        self._replace(worker)
        raise QueryTimeout

    async def _acquire(self, wait: float) -> _Worker:
        if self._idle:
            return self._idle.popleft()
        if len(self._waiting) >= self.queue_limit:
            raise PoolBusy
        assert self._loop is not None
        waiter: asyncio.Future[_Worker] = self._loop.create_future()
        self._waiting.append(waiter)
        try:
            return await asyncio.wait_for(waiter, wait)
        except asyncio.TimeoutError:
            raise PoolBusy from None
        finally:
            with contextlib.suppress(ValueError):
                self._waiting.remove(waiter)

    def _release(self, worker: _Worker) -> None:
        """Hand a free worker to the longest waiting request, or keep it idle."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _death_note(self, worker: _Worker) -> Answer:
        worker.process.join(timeout=2)
        # a failed allocation aborts the Rust code in pyoxigraph (SIGABRT); the kernel's OOM killer sends SIGKILL
        if self.memory_limit and worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL):
            return over_memory(self.memory_limit)
        return Answer.text(500, ("the query worker stopped unexpectedly; a new one is starting",
                                 "het queryproces stopte onverwacht; er start een nieuw"))

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
        life_end, life_held = self._context.Pipe(duplex=False)  # the server holds the sending end
        limits = Limits(self.memory_limit, self.max_result, self.network)
        process = self._context.Process(target=_serve, args=(child, str(self.store), self.writable, life_end, limits),
                                        name="jeugdgov-query-worker", daemon=True)
        process.start()
        child.close()
        life_end.close()
        worker = _Worker(process, parent, life_held)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.connection.poll(self.start_timeout):
            raise InputError("the query worker did not start in time", file=self.store,
                             nl=("het queryproces startte niet op tijd", None))
        status, message = worker.connection.recv()
        if status == "ready":
            self.network_left_open = message
        else:
            raise InputError(f"cannot open the store: {message}", file=self.store,
                             hint="is another process (jeugdgov load, oxigraph) using this store? stop it first",
                             nl=(f"kan de store niet openen: {message}", "gebruikt een ander proces (jeugdgov load, "
                                 "oxigraph) deze store? stop dat eerst"))

    def _replace(self, worker: _Worker) -> None:
        """Stop a worker and start its successor, both on a thread of their own: the successor
        takes a moment to open the store, and the loop must not wait for it."""
        with self._lock:
            self._workers.discard(worker)
        threading.Thread(target=self._restart, args=(worker,), name="jeugdgov-worker-restart", daemon=True).start()

    def _restart(self, stopped: _Worker) -> None:
        _stop(stopped)
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
        if closed or self._loop is None or self._loop.is_closed():
            _stop(worker)
        else:
            self._loop.call_soon_threadsafe(self._release, worker)


async def _readable(loop: asyncio.AbstractEventLoop, connection: Connection, timeout: float) -> bool:
    """Whether the connection has something to read (or was closed) within ``timeout`` seconds."""
    ready: asyncio.Future[None] = loop.create_future()
    descriptor = connection.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(descriptor, wake)
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(descriptor)
        os.set_blocking(descriptor, True)  # uvloop made it non-blocking; recv() reads a whole message


def _stop(worker: _Worker) -> None:
    worker.connection.close()
    worker.lifeline.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=10)


@dataclass(frozen=True)
class Limits:
    """What one worker may use: heap bytes (None: no limit) and bytes of a serialized result."""

    memory: int | None
    result: int
    network: bool = False  # False: the worker runs where it can open no connection


def _serve(connection: Connection, path: str, writable: bool, lifeline: Connection, limits: Limits) -> None:
    """The worker: open the store, then answer jobs until the pipe closes or the server dies."""
    left_open = None if limits.network else cut_off_network()  # while this process has one thread
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops the workers
    threading.Thread(target=_die_with_server, args=(lifeline,), name="jeugdgov-lifeline", daemon=True).start()
    if limits.memory:
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory, limits.memory))
    try:
        store = Store(path) if writable else Store.read_only(path)
    except OSError as error:
        connection.send(("failed", str(error)))
        return
    connection.send(("ready", left_open))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return  # the server is gone
        try:
            reply = answer(store, job, limits.result, limits.memory)
        except Exception as error:  # a bug must cost one request, never the worker
            reply = Answer.text(500, (f"internal error in the query worker: {error!r}",
                                      f"interne fout in het queryproces: {error!r}"))
        connection.send(reply)


def _die_with_server(lifeline: Connection) -> None:
    """Wait until the server is gone (its end of the pipe closes), then end this worker at once:
    an update must not be committed for a client nobody answers, nor the store stay locked."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv()
    os._exit(0)


class _CappedBuffer:
    """A file-like sink that refuses to grow past a number of bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def answer(store: Store, job: Job, max_result: int = 200 * 2**20, memory_limit: int | None = None) -> Answer:
    """Run one job against a store and serialize its result in the best accepted format."""
    try:
        if job.kind == "update":
            store.update(job.text)
            store.flush()
            return Answer(204, TEXT)
        result = store.query(job.text, use_default_graph_as_union=not job.default_graphs,
                             default_graph=[NamedNode(g) for g in job.default_graphs] or None,
                             named_graphs=[NamedNode(g) for g in job.named_graphs] or None)
        graph = is_graph(result)
        formats = job.graph_formats if graph else job.solution_formats
        if not formats:
            offered = ", ".join(GRAPH_FORMATS if graph else SOLUTION_FORMATS)
            return Answer.text(406, (f"none of the accepted media types fits this result; formats: {offered}",
                                     f"geen van de aanvaarde mediatypen past bij dit resultaat; formaten: {offered}"))
        sink = _CappedBuffer(max_result)
        media = write_result(result, formats[0], sink)
        return Answer(200, media, sink.getvalue())
    except ResultTooLarge:
        return over_result(max_result)
    except MemoryError:
        return over_memory(memory_limit)
    except SyntaxError as error:
        return Answer.text(400, (f"SPARQL syntax error: {error}", f"SPARQL-syntaxfout: {error}"))
    except InputError as error:
        return Answer.text(406, (error.text(), error.text("tip", "nl")))
    except (ValueError, RuntimeError, TypeError) as error:
        return Answer.text(400, (f"cannot evaluate the request: {error}", f"kan het verzoek niet uitvoeren: {error}"))
    except OSError as error:
        return Answer.text(500, (f"store error: {error}", f"fout in de store: {error}"))
