"""The SPARQL 1.1 Protocol endpoint: queries only, every result format, a guard around user queries.

Requests are read per the protocol: GET with ``query``; POST form-encoded; POST
``application/sparql-query``. ``default-graph-uri`` and ``named-graph-uri`` may come in the URL or
the form. The extra parameters clients add (``format``, ``output``, ``results``) choose the format
when present. Updates, in any form (also at ``/update`` and ``/sparql/update``), are refused with 403: the
store is opened read-only anyway. Query text must be UTF-8 (else 400); a body over the size cap gets 413.
Truncation by the row cap is signalled in the ``X-SPARQL-Truncated`` header (documented in the README).
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import QueryResultsFormat, RdfFormat
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.types import Message

from api import negotiation
from api.routers import service
from kg.backends import Backend

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
TRUNCATED = "X-SPARQL-Truncated"
ROWS = "X-SPARQL-Rows"
_HIGH_BYTE = re.compile(rb"%[89a-fA-F]")

_RESPONSES = {
    200: {"description": "Results (JSON, XML, CSV, TSV) or a graph (Turtle, N-Triples, RDF/XML, JSON-LD)",
          "content": {m: {} for m in (*negotiation.RESULTS_FORMATS, *negotiation.GRAPH_FORMATS)}},
    400: {"description": "Malformed or refused query (the parser's message, text/plain)"},
    403: {"description": "An update was attempted"},
    413: {"description": "The query text is over the size cap"},
    415: {"description": "Unsupported request content type"},
    503: {"description": "The query ran too long or no worker was free (Retry-After)"},
}


def _text(message: str, status: int) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=status)


def _is_utf8(encoded: bytes) -> bool:
    """Whether URL-encoded bytes decode as UTF-8, as the protocol requires.

    Only a check: starlette would replace bad bytes (query string) or read them as Latin-1 (form
    body) and run a different query than the one sent, so they are refused before it parses them.
    """
    if encoded.isascii() and not _HIGH_BYTE.search(encoded):
        return True  # the common case, checked in C: ASCII, with no escaped byte over 0x7F
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _body_limit(request: Request) -> int:
    """Bytes a POST body may have: the query's character cap, URL-encoded at worst (12 bytes a character)."""
    max_length: int = request.app.state.settings.max_query_length
    return 12 * max_length + 8192


async def _bounded_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it grows past ``limit`` (never read a huge body into memory)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _replay(request: Request, body: bytes) -> Request:
    """The same request over a body already read, so that ``form()`` can parse it."""
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def _accept(request: Request, params: QueryParams | FormData) -> str | None:
    """The client's Accept header, unless a ``format``/``output``/``results`` parameter names a format.

    Clients repeat these parameters with values of their own (SPARQLWrapper sends ``format=n3`` or
    ``format=tsv&format=text/tab-separated-values``): the first value that names a known format or
    a media type wins; values naming neither are ignored, so the Accept header still counts.
    """
    for name in ("format", "output", "results"):
        for value in params.getlist(name):
            if not isinstance(value, str):
                continue
            if value.lower() in negotiation.ALIASES:
                return negotiation.ALIASES[value.lower()]
            if "/" in value:
                return value
    return request.headers.get("accept")


async def _execute(request: Request, query: str, accept: str | None,
                   default_graphs: list[str], named_graphs: list[str]) -> Response:
    results_format = negotiation.results_format(accept) or QueryResultsFormat.JSON
    graph_format = negotiation.graph_format(accept) or RdfFormat.TURTLE
    guard = request.app.state.guard
    if guard is None:  # a remote store guards itself; its timeouts come back as BackendTimeout
        backend: Backend = request.app.state.backend
        answer = await run_in_threadpool(backend.query, query, default_graphs=default_graphs or None,
                                         named_graphs=named_graphs or None, results_format=results_format,
                                         graph_format=graph_format)
        return Response(answer.body, media_type=answer.media_type)
    # The guard's workers are awaited on the event loop: no thread per query.
    guarded = await guard.arun(query, default_graphs=default_graphs or None, named_graphs=named_graphs or None,
                               results_format=results_format, graph_format=graph_format,
                               base_iri=str(request.url.replace(query="", fragment="")))
    headers = {ROWS: str(guarded.rows)}
    if guarded.truncated:
        headers[TRUNCATED] = f"true; max-rows={guard.limits.max_rows}"
    return Response(guarded.body, media_type=guarded.media_type, headers=headers)


@router.get("/sparql", summary="SPARQL query (GET), service description, or the query page",
            responses=_RESPONSES)
async def sparql_get(request: Request) -> Response:
    params = request.query_params
    if "update" in params:
        return _text(READ_ONLY, 403)
    if not _is_utf8(request.scope["query_string"]):
        return _text("the query string is not valid UTF-8", 400)
    queries = params.getlist("query")
    if len(queries) > 1:
        return _text("exactly one `query` parameter is allowed", 400)
    if not queries:
        return await run_in_threadpool(service.describe_service, request, request.app.state.backend,
                                       accept=request.headers.get("accept"))
    return await _execute(request, queries[0], _accept(request, params),
                          params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))


@router.post("/sparql", summary="SPARQL query (POST form-encoded or application/sparql-query)",
             responses=_RESPONSES, openapi_extra={"requestBody": {"content": {
                 FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                 SPARQL_QUERY: {"schema": {"type": "string"}}}}})
async def sparql_post(request: Request) -> Response:
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    params = request.query_params
    default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    if "update" in params or media_type == SPARQL_UPDATE:
        return _text(READ_ONLY, 403)
    if not _is_utf8(request.scope["query_string"]):
        return _text("the query string is not valid UTF-8", 400)
    if media_type not in (SPARQL_QUERY, FORM):
        return _text(f"unsupported content type {media_type or '(none)'}: use {FORM} or {SPARQL_QUERY}", 415)
    body = await _bounded_body(request, _body_limit(request))
    if body is None:
        return _text(f"the request body is over the size cap ({_body_limit(request)} bytes)", 413)
    if media_type == SPARQL_QUERY:
        charset = parameters.partition("charset=")[2].strip().strip('"').lower()
        if charset and charset not in ("utf-8", "utf8"):
            return _text(f"query text must be UTF-8, not {charset}", 400)
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            return _text("query text is not valid UTF-8", 400)
        accept = _accept(request, params)
    else:
        if not _is_utf8(body):
            return _text("form body is not valid UTF-8", 400)
        form = await _replay(request, body).form()
        if "update" in form:
            return _text(READ_ONLY, 403)
        queries = form.getlist("query")
        if len(queries) != 1 or not isinstance(queries[0], str):
            return _text("exactly one `query` parameter is required", 400)
        query = queries[0]
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
        accept = _accept(request, form) if any(k in form for k in ("format", "output", "results")) \
            else _accept(request, params)
    return await _execute(request, query, accept, default_graphs, named_graphs)


@router.api_route("/sparql/update", methods=["GET", "POST"], include_in_schema=False)
@router.api_route("/update", methods=["GET", "POST"], include_in_schema=False)
def update_endpoint() -> Response:
    """Where clients look for an update endpoint: there is none, and they are told why."""
    return _text(READ_ONLY, 403)
