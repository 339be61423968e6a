"""The SPARQL 1.1 Protocol endpoint: queries only, every result format, a guard around user queries.

Requests are read per the protocol: GET with ``query``; POST form-encoded; POST
``application/sparql-query``. ``default-graph-uri`` and ``named-graph-uri`` may come in the URL or
the form. The extra parameters clients add (``format``, ``output``, ``results``) choose the format
when present. Updates, in any form, are refused with 403: the store is opened read-only anyway.
Truncation by the row cap is signalled in the ``X-SPARQL-Truncated`` header (documented in the README).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import QueryResultsFormat, RdfFormat
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams

from api import negotiation
from api.dependencies import get_backend
from api.routers import service
from kg.backends import Backend

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
TRUNCATED = "X-SPARQL-Truncated"
ROWS = "X-SPARQL-Rows"

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


def _accept(request: Request, params: QueryParams | FormData) -> str | None:
    """The client's Accept header, unless a ``format``/``output``/``results`` parameter names a format."""
    for name in ("format", "output", "results"):
        value = params.get(name)
        if isinstance(value, str) and value:
            return negotiation.ALIASES.get(value.lower(), value)
    return request.headers.get("accept")


def _execute(request: Request, backend: Backend, query: str, accept: str | None,
             default_graphs: list[str], named_graphs: list[str]) -> Response:
    results_format = negotiation.results_format(accept) or QueryResultsFormat.JSON
    graph_format = negotiation.graph_format(accept) or RdfFormat.TURTLE
    guard = request.app.state.guard
    if guard is None:  # a remote store guards itself; its timeouts come back as BackendTimeout
        answer = backend.query(query, default_graphs=default_graphs or None, named_graphs=named_graphs or None,
                               results_format=results_format, graph_format=graph_format)
        return Response(answer.body, media_type=answer.media_type)
    guarded = guard.run(query, default_graphs=default_graphs or None, named_graphs=named_graphs or None,
                        results_format=results_format, graph_format=graph_format,
                        base_iri=str(request.url.replace(query="", fragment="")))
    headers = {ROWS: str(guarded.rows)}
    if guarded.truncated:
        headers[TRUNCATED] = f"true; max-rows={guard.limits.max_rows}"
    return Response(guarded.body, media_type=guarded.media_type, headers=headers)


@router.get("/sparql", summary="SPARQL query (GET), service description, or the query page",
            responses=_RESPONSES)
def sparql_get(request: Request, backend: Annotated[Backend, Depends(get_backend)]) -> Response:
    params = request.query_params
    if "update" in params:
        return _text(READ_ONLY, 403)
    queries = params.getlist("query")
    if len(queries) > 1:
        return _text("exactly one `query` parameter is allowed", 400)
    if not queries:
        return service.describe_service(request, backend, accept=request.headers.get("accept"))
    return _execute(request, backend, queries[0], _accept(request, params),
                    params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))


@router.post("/sparql", summary="SPARQL query (POST form-encoded or application/sparql-query)",
             responses=_RESPONSES, openapi_extra={"requestBody": {"content": {
                 FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                 SPARQL_QUERY: {"schema": {"type": "string"}}}}})
async def sparql_post(request: Request, backend: Annotated[Backend, Depends(get_backend)]) -> Response:
    # async only to read the body; the query itself runs in the thread pool, off the event loop.
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    params = request.query_params
    default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    if "update" in params or media_type == SPARQL_UPDATE:
        return _text(READ_ONLY, 403)
    if media_type == SPARQL_QUERY:
        charset = parameters.partition("charset=")[2].strip().strip('"').lower()
        if charset and charset not in ("utf-8", "utf8"):
            return _text(f"query text must be UTF-8, not {charset}", 400)
        try:
            query = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            return _text("query text is not valid UTF-8", 400)
        accept = _accept(request, params)
    elif media_type == FORM:
        try:
            form = await request.form()
        except UnicodeDecodeError:
            return _text("form body is not valid UTF-8", 400)
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
    else:
        return _text(f"unsupported content type {media_type or '(none)'}: use {FORM} or {SPARQL_QUERY}", 415)
    return await run_in_threadpool(_execute, request, backend, query, accept, default_graphs, named_graphs)
