"""Run user-written SPARQL where it can be killed: worker processes over a read-only store.

Before a query reaches a worker, :func:`screen` refuses what must never run: text over the size
cap, ``SERVICE`` (pyoxigraph would really make the outbound call) and nesting deeper than the
limit (pyoxigraph's parser overflows its stack and kills the process a few thousand levels deep).
A worker that runs past the timeout or over the memory limit is killed and replaced; results are
capped at ``max_rows`` (see :mod:`kg.rowcap`). Workers start with ``forkserver``, so none inherits
the server's threads, and each opens the store itself (read-only on disk, or a copy in memory).

The query log (logger ``kg.guard``, INFO) has one line per user query: its outcome (``ok``,
``truncated``, ``timeout``, ``memory``, ``crash``, ``cancelled``, ``syntax error``, ``refused``, ``busy``,
``error``), its duration, its rows, and the start of its text.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import re
import time
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, serialize

from kg.backends.embedded import open_store
from kg.config import Settings
from kg.errors import KGError, QueryError, QueryRefused, QuerySyntaxError, QueryTimeout, QueryTooLarge, ServerBusy
from kg.rowcap import serialize_capped
from kg.store import OXIGRAPH

logger = logging.getLogger(__name__)

# What the lexer must skip, leftmost first: a comment, a long or short string, an IRI.
_OPAQUE = re.compile("|".join((
    r"#[^\n]*",
    r'"""(?:\\.|[^\\])*?"""', r"'''(?:\\.|[^\\])*?'''",
    r'"(?:\\.|[^"\\\n])*"', r"'(?:\\.|[^'\\\n])*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>',
)), re.DOTALL)
# The keyword, not a variable (?SERVICE), a prefixed name (ex:SERVICE, SERVICE:x) or a language tag.
_SERVICE = re.compile(r"(?<![?$:@A-Za-z_\-])SERVICE(?![A-Za-z0-9_\-:])", re.IGNORECASE)
_NOT_BRACKETS = re.compile(r"[^{}()\[\]]+")
_READY = "ready"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Limits:
    """What one user query may use."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_length: int = 100_000
    max_depth: int = 64
    memory_mb: int = 2048


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    rows: int
    truncated: bool
    seconds: float


def screen(text: str, limits: Limits) -> None:
    """Refuse a query before any parser sees it.

    :raises QueryTooLarge: if the text is longer than ``limits.max_length`` characters.
    :raises QueryRefused: if it uses ``SERVICE`` or nests deeper than ``limits.max_depth``.

    >>> screen('SELECT * { ?s ?p "SERVICE" } # SERVICE in a comment', Limits())
    >>> screen("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", Limits())
    Traceback (most recent call last):
    ...
    kg.errors.QueryRefused: SERVICE is not allowed on this endpoint
    """
    if len(text) > limits.max_length:
        raise QueryTooLarge(f"query is {len(text)} characters; the limit is {limits.max_length}")
    code = _OPAQUE.sub(" ", text)  # comments, strings and IRIs hold no keywords and no nesting
    # The word test first: the keyword regex is case-insensitive, so it cannot skip ahead by itself.
    if "service" in code.lower() and _SERVICE.search(code):
        raise QueryRefused("SERVICE is not allowed on this endpoint")
    depth = 0
    for bracket in _NOT_BRACKETS.sub("", code):
        depth += 1 if bracket in "{([" else -1
        if depth > limits.max_depth:
            raise QueryRefused(f"query nests deeper than {limits.max_depth} levels")


class QueryGuard:
    """A pool of worker processes answering SPARQL over one store, each query bounded by ``limits``."""

    def __init__(self, store_path: Path, *, workers: int = 2, limits: Limits = Limits(),
                 queue_timeout: float = 2.0, startup_timeout: float = 60.0, in_memory: bool = False) -> None:
        self.store_path = store_path
        self.limits = limits
        self.in_memory = in_memory
        self.queue_timeout = queue_timeout
        self.startup_timeout = startup_timeout
        self._context = multiprocessing.get_context("forkserver")
        # Last in, first out: the worker that answered last has the store warm in its CPU caches.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        for _ in range(workers):
            self._idle.put(self._spawn())

    @classmethod
    def from_settings(cls, build_dir: Path, settings: Settings, *, workers: int | None = None) -> QueryGuard:
        """A guard over a build's store with the limits of ``settings`` (``KG_QUERY_*``, ``KG_MAX_*``)."""
        limits = Limits(timeout=settings.query_timeout, max_rows=settings.max_rows,
                        max_length=settings.max_query_length, max_depth=settings.max_query_depth,
                        memory_mb=settings.query_memory)
        return cls(build_dir / OXIGRAPH, workers=settings.query_workers if workers is None else workers,
                   limits=limits, queue_timeout=settings.query_wait, in_memory=settings.in_memory)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_work, args=(child, self.store_path, self.limits.max_rows, self.in_memory),
                                        daemon=True, name="kg-query-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, sparql: str, **options: Any) -> Answer:
        """:meth:`arun` for callers without an event loop (the CLI, scripts)."""
        return asyncio.run(self.arun(sparql, **options))

    async def arun(self, sparql: str, *, default_graphs: list[str] | None = None,
                   named_graphs: list[str] | None = None,
                   results_format: QueryResultsFormat = QueryResultsFormat.JSON,
                   graph_format: RdfFormat = RdfFormat.TURTLE, base_iri: str | None = None) -> Answer:
        """Run a user query in a worker; relative IRIs in it resolve against ``base_iri``.

        The event loop is never blocked: the answer is awaited on the worker's pipe, and the
        timeout and the memory limit are checked while it runs.

        :raises QuerySyntaxError: the parser's message, for a malformed query.
        :raises QueryTimeout: the query ran past the timeout (or the memory limit) and was killed.
        :raises ServerBusy: no worker became free in time.
        """
        try:
            screen(sparql, self.limits)
        except QueryError:
            _log("refused", 0.0, 0, sparql)
            raise
        worker = await self._checkout(sparql)
        started = time.perf_counter()
        outcome, rows = "error", 0
        try:
            worker.connection.send((sparql, base_iri, default_graphs, named_graphs, results_format.media_type,
                                    graph_format.media_type))
            reply = await self._wait(worker)
            if reply[0] == "syntax":
                outcome = "syntax error"
                raise QuerySyntaxError(reply[1])
            if reply[0] == "error":
                raise KGError(reply[1])
            _, body, media_type, rows, truncated = reply
            answer = Answer(body, media_type, rows, truncated, time.perf_counter() - started)
            outcome = "truncated" if truncated else "ok"
            return answer
        except (_Exceeded, EOFError, OSError) as exc:
            outcome = exc.cut if isinstance(exc, _Exceeded) else "crash"
            worker.kill()
            worker = self._spawn()
            if isinstance(exc, _Exceeded):
                raise QueryTimeout(str(exc)) from None
            raise QueryTimeout("the query worker died (memory limit or crash); the query was stopped") from exc
        except asyncio.CancelledError:  # the client went away: its query must not stay in the worker
            outcome = "cancelled"
            worker.kill()
            worker = self._spawn()
            raise
        finally:
            self._idle.put(worker)
            _log(outcome, time.perf_counter() - started, rows, sparql)

    async def _checkout(self, sparql: str) -> _Worker:
        """An idle worker with its store open, waiting up to ``queue_timeout`` for one to be free."""
        deadline = time.monotonic() + self.queue_timeout
        while True:
            try:
                worker = self._idle.get_nowait()
                break
            except queue.Empty:
                if time.monotonic() > deadline:
                    _log("busy", 0.0, 0, sparql)
                    raise ServerBusy("all query workers are busy; try again shortly") from None
                await asyncio.sleep(0.005)
        if not worker.ready:
            # A new worker is still opening the store: that time is not the query's.
            try:
                if not await _readable(worker.connection, self.startup_timeout):
                    raise TimeoutError(f"the query worker did not start within {self.startup_timeout:g} s")
                worker.take_ready()
            except (TimeoutError, EOFError, OSError) as exc:
                worker.kill()
                self._idle.put(self._spawn())
                _log("busy", 0.0, 0, sparql)
                raise ServerBusy("a query worker failed to start; try again shortly") from exc
        return worker

    async def _wait(self, worker: _Worker) -> Any:
        deadline = time.monotonic() + self.limits.timeout
        limit_bytes = self.limits.memory_mb * 1024 * 1024
        while not await _readable(worker.connection, 0.02):
            if time.monotonic() > deadline:
                raise _Exceeded("timeout", f"the query ran longer than {self.limits.timeout:g} s and was stopped")
            if worker.rss() - worker.at_rest > limit_bytes:
                raise _Exceeded("memory", f"the query used more than {self.limits.memory_mb} MB and was stopped")
        return worker.connection.recv()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


async def _readable(connection: Connection, timeout: float) -> bool:
    """Whether ``connection`` has data within ``timeout`` seconds, awaited on the event loop."""
    if connection.poll():
        return True
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = connection.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop leaves the fd non-blocking: recv() of a long answer would fail


class _Exceeded(Exception):
    """A running query crossed a limit (``cut`` is ``timeout`` or ``memory``); its worker must go."""

    def __init__(self, cut: str, message: str) -> None:
        super().__init__(message)
        self.cut = cut


def _log(outcome: str, seconds: float, rows: int, sparql: str) -> None:
    """The query log: one line per user query, saying what (if anything) was cut."""
    if logger.isEnabledFor(logging.INFO):  # the text is not even split when nobody reads the log
        logger.info("query %s in %.1f ms, %d rows: %s", outcome, seconds * 1000, rows, " ".join(sparql.split())[:200])


@dataclass
class _Worker:
    process: Any
    connection: Connection
    ready: bool = False
    at_rest: int = 0
    """Its resident size once the store is open (a copy in memory counts): the memory limit is on top."""

    def take_ready(self) -> None:
        """Read the worker's first message, sent once its store is open."""
        if self.connection.recv() != _READY:
            raise OSError("the query worker sent something else than its ready signal")
        self.ready = True
        self.at_rest = self.rss()

    def rss(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as statm:
                return int(statm.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


def _work(connection: Connection, store_path: Path, max_rows: int, in_memory: bool) -> None:
    """A worker's loop: open the store (or copy it into memory), answer queries until the pipe closes."""
    store = open_store(store_path, in_memory=in_memory)
    connection.send(_READY)
    while True:
        try:
            sparql, base_iri, default_graphs, named_graphs, results_media, graph_media = connection.recv()
        except EOFError:
            return
        connection.send(_answer(store, sparql, base_iri, default_graphs, named_graphs, results_media, graph_media,
                                max_rows))


def _answer(store: Store, sparql: str, base_iri: str | None, default_graphs: list[str] | None,
            named_graphs: list[str] | None, results_media: str, graph_media: str, max_rows: int) -> tuple[Any, ...]:
    options: dict[str, Any] = {"use_default_graph_as_union": not default_graphs, "base_iri": base_iri}
    if default_graphs:
        options["default_graph"] = [NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [NamedNode(g) for g in named_graphs]
    results_format = QueryResultsFormat.from_media_type(results_media) or QueryResultsFormat.JSON
    graph_format = RdfFormat.from_media_type(graph_media) or RdfFormat.TURTLE
    try:
        result = store.query(sparql, **options)
        if isinstance(result, QueryBoolean):
            return ("ok", result.serialize(format=results_format), results_format.media_type, 1, False)
        if isinstance(result, QuerySolutions):
            body, rows, truncated = serialize_capped(result, results_format, max_rows=max_rows)
            return ("ok", body, results_format.media_type, rows, truncated)
        triples = list(islice(result, max_rows + 1))
        body = serialize(triples[:max_rows], format=graph_format) or b""
        return ("ok", body, graph_format.media_type, min(len(triples), max_rows), len(triples) > max_rows)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except (OSError, RuntimeError, ValueError) as exc:
        return ("error", f"query failed: {exc}")

