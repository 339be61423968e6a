"""The FastAPI application: assembles the routers over one backend opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import kg
from api import errors
from api.routers import cases, concepts, queries, resources, service, sparql, stats, strategies
from kg.backends import Backend, open_backend
from kg.config import Settings, get_settings
from kg.guard import QueryGuard
from kg.queries import QueryCatalog


def create_app(settings: Settings | None = None, *, backend: Backend | None = None) -> FastAPI:
    """A new app. It opens ``backend`` (or the one ``settings`` names) at startup and closes it at shutdown."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.queries = QueryCatalog.from_dir(settings.queries)
        app.state.backend = backend or open_backend(store=settings.store, endpoint=settings.endpoint,
                                                    timeout=settings.query_timeout, in_memory=settings.in_memory)
        app.state.guard = _guard(app.state.backend, settings)
        try:
            yield
        finally:
            if app.state.guard is not None:
                app.state.guard.close()
            if backend is None:
                app.state.backend.close()

    app = FastAPI(title="Urban AI Knowledge Graph", version=kg.__version__, lifespan=lifespan,
                  description="SPARQL 1.1 and a JSON API over the Urban AI knowledge graph.")
    errors.install(app)
    # Researchers' own pages may query from any origin; no credentials, so "*" is safe.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False, allow_methods=["GET", "POST"],
                       allow_headers=["*"], expose_headers=[sparql.TRUNCATED, sparql.ROWS])
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(service.router)
    app.include_router(sparql.router)
    app.include_router(cases.router)
    app.include_router(strategies.router)
    app.include_router(concepts.router)
    app.include_router(queries.router)
    app.include_router(stats.router)
    app.include_router(resources.router)
    return app


class HeadAsGet:
    """Answer HEAD as GET without the body: RFC 9110 asks every general-purpose server for both.

    Link checkers and RDF clients ask for the headers of an IRI with HEAD. The routes are declared
    for GET only (so the OpenAPI document lists each operation once); the app sees a GET, and the
    body it writes is dropped here, whatever server runs the app. The headers, ``Content-Length``
    included, are those of the GET.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _guard(backend: Backend, settings: Settings) -> QueryGuard | None:
    """Worker processes for user SPARQL over the embedded store; a remote store guards itself."""
    build_dir = getattr(backend, "build_dir", None)
    return None if build_dir is None else QueryGuard.from_settings(build_dir, settings)
