"""Exceptions → HTTP answers, in one place: problem details for ``/api``, plain text for ``/sparql``."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from kg.errors import BackendTimeout, KGError

logger = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every ``/api`` error."""

    type: str = Field(default="about:blank", description="A URI for the kind of problem.")
    title: str = Field(description="Short summary: the exception or the HTTP status phrase.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong, for this request.")


def responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The ``responses`` of a route: each status answered with a :class:`Problem`."""
    return {status: {"model": Problem, "description": HTTPStatus(status).phrase,
                     "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}


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


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's errors (unknown route, wrong method, routes' own 404s) as problem details under ``/api``."""
    assert isinstance(exc, HTTPException)
    if not request.url.path.startswith("/api"):
        return await http_exception_handler(request, exc)
    response = problem(exc.status_code, HTTPStatus(exc.status_code).phrase, str(exc.detail))
    response.headers.update(exc.headers or {})
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    """Parameters that do not fit their declared type: 422 problem details under ``/api``."""
    assert isinstance(exc, RequestValidationError)
    if not request.url.path.startswith("/api"):
        return await request_validation_exception_handler(request, exc)
    detail = "; ".join(f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', '')}"
                       for error in exc.errors())
    return problem(422, "Unprocessable Content", detail or "invalid request")


def install(app: FastAPI) -> None:
    app.add_exception_handler(KGError, kg_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)
