"""The FastAPI application: assembles the routers over one backend opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import kg
from api import errors
from api.routers import service, sparql
from kg import store as layout
from kg.backends import Backend, open_backend
from kg.config import Settings, get_settings
from kg.guard import Limits, QueryGuard
from kg.queries import QueryCatalog


def create_app(settings: Settings | None = None, *, backend: Backend | None = None) -> FastAPI:
    """A new app. It opens ``backend`` (or the one ``settings`` names) at startup and closes it at shutdown."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.queries = QueryCatalog.from_dir(settings.queries)
        app.state.backend = backend or open_backend(store=settings.store, endpoint=settings.endpoint,
                                                    timeout=settings.query_timeout)
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
    app.include_router(service.router)
    app.include_router(sparql.router)
    return app


def _guard(backend: Backend, settings: Settings) -> QueryGuard | None:
    """Worker processes for user SPARQL over the embedded store; a remote store guards itself."""
    build_dir = getattr(backend, "build_dir", None)
    if build_dir is None:
        return None
    limits = Limits(timeout=settings.query_timeout, max_rows=settings.max_rows, max_length=settings.max_query_length,
                    max_depth=settings.max_query_depth, memory_mb=settings.query_memory)
    return QueryGuard(build_dir / layout.OXIGRAPH, workers=settings.query_workers, limits=limits)
