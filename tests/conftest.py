from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.main import create_app
from kg.backends.embedded import EmbeddedBackend
from kg.build import BuildResult, build
from kg.config import Settings, resource_dir

TESTS = Path(__file__).parent
GOOD = TESTS / "data" / "good"
BAD = TESTS / "data" / "bad"
SNAPSHOTS = TESTS / "snapshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="Rewrite the golden files in tests/snapshots.")


@pytest.fixture(scope="session")
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


def build_into(store: Path, data: Path) -> BuildResult:
    return build(data_dir=data, ontology_dir=resource_dir("ontology"), rules_dir=resource_dir("queries") / "rules",
                 store_dir=store)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The curated data, built once per session with every check (SHACL and HermiT)."""
    store = tmp_path_factory.mktemp("store")
    return store, build_into(store, resource_dir("data"))


@pytest.fixture(scope="session")
def settings(built_store: tuple[Path, BuildResult]) -> Settings:
    return Settings(store=built_store[0])


@pytest.fixture(scope="session")
def backend(settings: Settings) -> Iterator[EmbeddedBackend]:
    opened = EmbeddedBackend.open(settings.store)
    yield opened
    opened.close()


@pytest.fixture
async def client(settings: Settings, backend: EmbeddedBackend) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client over a fresh app (the lifespan runs, so the app is as served)."""
    app = create_app(settings, backend=backend)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
            yield ac


class LiveServer:
    def __init__(self, server: uvicorn.Server, port: int) -> None:
        self.server, self.port = server, port
        self.url = f"http://127.0.0.1:{port}"


@contextmanager
def serving(settings: Settings) -> Iterator[LiveServer]:
    """A real uvicorn server in a thread on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(server, port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with serving(settings) as server:
        yield server


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"
