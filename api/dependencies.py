"""Request dependencies: settings, and the backend opened once in the app's lifespan."""

from __future__ import annotations

from fastapi import Request

from kg.backends import Backend
from kg.config import Settings
from kg.config import get_settings as _get_settings


def get_settings() -> Settings:
    """The settings; tests override this with ``app.dependency_overrides``."""
    return _get_settings()


async def get_backend(request: Request) -> Backend:
    """The app's backend (``async``: FastAPI would run a plain function in a thread, for nothing)."""
    backend: Backend = request.app.state.backend
    return backend
