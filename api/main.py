"""The FastAPI application: assembles the routers over one backend opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import kg
from api import errors
from api.routers import health, sparql
from kg.backends import Backend, open_backend
from kg.config import Settings, get_settings
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
        try:
            yield
        finally:
            if backend is None:
                app.state.backend.close()

    app = FastAPI(title="Urban AI Knowledge Graph", version=kg.__version__, lifespan=lifespan,
                  description="SPARQL 1.1 and a JSON API over the Urban AI knowledge graph.")
    errors.install(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    return app
