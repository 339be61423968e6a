"""Shared parts of the latency benchmarks: timing, servers in subprocesses, a keep-alive HTTP client."""

from __future__ import annotations

import math
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class Timing:
    """Latencies of one operation, in milliseconds."""

    median: float
    p99: float
    runs: int


def measure(operations: Mapping[str, Callable[[], object]], *, runs: int = 200, budget: float = 5.0,
            rounds: int = 5, warmup: int = 5) -> dict[str, Timing | str]:
    """Time each of ``operations`` (the same work done different ways) in interleaved rounds.

    Each round runs every operation for its share of ``runs`` and ``budget`` seconds, so that a
    slow spell of a shared machine falls on all of them alike rather than on whichever ran then.
    An operation slower than a fifth of the budget gets one warm-up and a run in each of the first
    three rounds. One that raises ``RuntimeError`` is timed no further; its message stands in for
    its timing.
    """
    samples: dict[str, list[float]] = {name: [] for name in operations}
    failed: dict[str, str] = {}
    slow: set[str] = set()
    for name, operation in operations.items():
        try:
            start = time.perf_counter()
            operation()
            if time.perf_counter() - start > budget / 5:
                slow.add(name)
            for _ in range(0 if name in slow else warmup - 1):
                operation()
        except RuntimeError as exc:
            failed[name] = str(exc)
    for round_ in range(rounds):
        for name, operation in operations.items():
            if name in failed or (name in slow and round_ >= 3):
                continue
            times = samples[name]
            wanted = len(times) + 1 if name in slow else runs * (round_ + 1) // rounds
            deadline = time.perf_counter() + budget / rounds
            try:
                while True:  # at least once a round
                    start_ns = time.perf_counter_ns()
                    operation()
                    times.append((time.perf_counter_ns() - start_ns) / 1e6)
                    if len(times) >= wanted or time.perf_counter() > deadline:
                        break
            except RuntimeError as exc:
                failed[name] = str(exc)
    timings: dict[str, Timing | str] = dict(failed)
    for name, times in samples.items():
        if name not in failed:
            times.sort()
            timings[name] = Timing(median=statistics.median(times), runs=len(times),
                                   p99=times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)])
    return {name: timings[name] for name in operations}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(command: list[str], port: int, *, env: dict[str, str] | None = None,
           ready: str = "/health", wait: float = 600.0, timeout: float = 120.0) -> Iterator[Client]:
    """Start ``command`` (a server on ``port``), wait until ``ready`` answers 200, stop it afterwards."""
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    client = Client(port, timeout)
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[:3]} exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if client.get(ready)[0] == 200:
                    break
            except OSError:
                client.close()
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not answer {ready} in {wait} s")
            time.sleep(0.2)
        yield client
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Client:
    """One keep-alive HTTP/1.1 connection on a plain socket: the least a client can add to a request.

    The request goes out in one write and the response is read by its ``Content-Length`` (or its
    chunks). ``http.client`` would add 0.1 ms of its own header parsing to every request on this
    machine, a fifth of the overhead the benchmarks look for. A connection idle for longer than
    ``IDLE`` seconds is replaced before it is used: uvicorn closes keep-alive connections idle 5 s.
    """

    IDLE = 4.0

    def __init__(self, port: int, timeout: float = 120.0) -> None:
        self.port, self.timeout = port, timeout
        self._socket: socket.socket | None = None
        self._file: Any = None
        self._used = 0.0

    def get(self, path: str, params: dict[str, str] | None = None, accept: str = "*/*") -> tuple[int, bytes]:
        target = f"{path}?{urlencode(params)}" if params else path
        if self._socket is not None and time.monotonic() - self._used > self.IDLE:
            self.close()
        if self._socket is None:
            self._socket = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._file = self._socket.makefile("rb")
        self._socket.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: {accept}\r\n\r\n"
                             .encode())
        status_line = self._file.readline()
        if not status_line:
            self.close()
            raise ConnectionResetError("the server closed the connection")
        headers = {}
        while (line := self._file.readline()).strip():
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        if headers.get(b"transfer-encoding") == b"chunked":
            body = b"".join(iter(self._chunk, b""))
        elif b"content-length" in headers:
            body = self._file.read(int(headers[b"content-length"]))
        else:
            body = self._file.read()
            headers[b"connection"] = b"close"
        self._used = time.monotonic()
        if headers.get(b"connection") == b"close":
            self.close()
        return int(status_line.split(b" ", 2)[1]), body

    def _chunk(self) -> bytes:
        size = int(self._file.readline().split(b";")[0], 16)
        data = self._file.read(size + 2)[:size]  # each chunk ends with CRLF
        if not size:
            while self._file.readline().strip():  # trailers, then the blank line
                pass
        return data

    def close(self) -> None:
        """Close the connection; the next request opens a new one."""
        if self._socket is not None:
            self._file.close()
            self._socket.close()
            self._socket = self._file = None


def kg_server(store: Path, port: int) -> list[str]:
    """The command that serves ``store`` with this project's server."""
    return [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)]


def rdflib_server(nquads: Path, port: int) -> list[str]:
    """The command that serves an N-Quads file with rdflib-endpoint (default graph: the union)."""
    return [sys.executable, str(Path(__file__).with_name("rdflib_server.py")), str(nquads), str(port)]


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))
