"""Exceptions → HTTP answers, in one place: problem details for ``/api``, plain text for ``/sparql``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from kg.errors import BackendTimeout, KGError

logger = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str) -> JSONResponse:
    """An RFC 9457 problem details response."""
    return JSONResponse({"type": "about:blank", "title": title, "status": status, "detail": detail},
                        status_code=status, media_type=PROBLEM)


def _answer(request: Request, status: int, title: str, detail: str) -> Response:
    headers = {"Retry-After": "5"} if status == 503 else None
    if request.url.path.startswith("/api"):
        response: Response = problem(status, title, detail)
        if headers:
            response.headers.update(headers)
        return response
    return PlainTextResponse(detail, status_code=status, headers=headers)


async def kg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KGError)
    status = 504 if isinstance(exc, BackendTimeout) else exc.status
    return _answer(request, status, type(exc).__name__, exc.message)


async def unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return _answer(request, 500, "Internal Server Error", "unexpected error; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(KGError, kg_error)
    app.add_exception_handler(Exception, unexpected)
