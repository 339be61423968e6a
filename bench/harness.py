"""Shared parts of the latency benchmarks: timing, servers in subprocesses, a keep-alive HTTP client."""

from __future__ import annotations

import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode


@dataclass(frozen=True)
class Timing:
    """Latencies of one operation, in milliseconds."""

    median: float
    p99: float
    runs: int


def measure(operation: Callable[[], object], *, runs: int = 200, budget: float = 5.0, warmup: int = 5) -> Timing:
    """Run ``operation`` ``runs`` times after a warm-up, or fewer if ``budget`` seconds run out (at
    least 5 runs; 3, and one warm-up, for an operation slower than a fifth of the budget)."""
    start = time.perf_counter()
    operation()
    slow = time.perf_counter() - start > budget / 5
    for _ in range(0 if slow else warmup - 1):
        operation()
    least = 3 if slow else 5
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < runs and (len(times) < least or time.perf_counter() < deadline):
        start_ns = time.perf_counter_ns()
        operation()
        times.append((time.perf_counter_ns() - start_ns) / 1e6)
    times.sort()
    return Timing(median=statistics.median(times), p99=times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)],
                  runs=len(times))


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
                client.reset()
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
    """One keep-alive HTTP/1.1 connection: the least a client can add to a request."""

    def __init__(self, port: int, timeout: float = 120.0) -> None:
        self.port, self.timeout = port, timeout
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def get(self, path: str, params: dict[str, str] | None = None, accept: str = "*/*") -> tuple[int, bytes]:
        target = f"{path}?{urlencode(params)}" if params else path
        self.connection.request("GET", target, headers={"Accept": accept})
        response = self.connection.getresponse()
        return response.status, response.read()

    def reset(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def close(self) -> None:
        self.connection.close()


def kg_server(store: Path, port: int) -> list[str]:
    """The command that serves ``store`` with this project's server."""
    return [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)]


def rdflib_server(nquads: Path, port: int) -> list[str]:
    """The command that serves an N-Quads file with rdflib-endpoint (default graph: the union)."""
    return [sys.executable, str(Path(__file__).with_name("rdflib_server.py")), str(nquads), str(port)]


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))
