"""The SPARQL 1.1 Protocol endpoint (queries only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import QueryResultsFormat, RdfFormat

from api import negotiation
from api.dependencies import get_backend
from kg.backends import Backend

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"


def _run(backend: Backend, query: str | None, update: str | None, accept: str | None,
         default_graphs: list[str], named_graphs: list[str]) -> Response:
    if update is not None:
        return PlainTextResponse("this endpoint is read-only: SPARQL Update is not accepted", status_code=403)
    if not query:
        return PlainTextResponse("missing `query` parameter", status_code=400)
    answer = backend.query(
        query, default_graphs=default_graphs or None, named_graphs=named_graphs or None,
        results_format=negotiation.results_format(accept) or QueryResultsFormat.JSON,
        graph_format=negotiation.graph_format(accept) or RdfFormat.TURTLE)
    return Response(answer.body, media_type=answer.media_type)


@router.get("/sparql", summary="SPARQL query (GET)")
def sparql_get(
    request: Request,
    backend: Annotated[Backend, Depends(get_backend)],
    query: Annotated[str | None, Query(description="SPARQL query text")] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = [],
) -> Response:
    return _run(backend, query, None, request.headers.get("accept"), default_graph_uri, named_graph_uri)


@router.post("/sparql", summary="SPARQL query (POST, form or application/sparql-query)")
async def sparql_post(request: Request, backend: Annotated[Backend, Depends(get_backend)]) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    query = update = None
    if content_type == SPARQL_QUERY:
        try:
            query = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            return PlainTextResponse("query text is not valid UTF-8", status_code=400)
    elif content_type == FORM:
        form = await request.form()
        query = _text(form.get("query"))
        update = _text(form.get("update"))
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
    elif content_type == "application/sparql-update":
        update = ""
    else:
        return PlainTextResponse(f"unsupported content type {content_type!r}: use {FORM} or {SPARQL_QUERY}",
                                 status_code=415)
    accept = request.headers.get("accept")
    # The query runs in the thread pool: pyoxigraph blocks, and the event loop must not.
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_run, backend, query, update, accept, default_graphs, named_graphs)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
