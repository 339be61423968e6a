"""``/api/queries``: the named queries of ``queries/``, listed and run with their parameters bound.

A SELECT answers JSON rows, or the store's CSV on ``Accept: text/csv`` or ``format=csv``; both are
cut at the row cap (``truncated`` in JSON, the ``X-SPARQL-Truncated`` header in CSV). A CONSTRUCT
answers its graph in Turtle (or N-Triples, RDF/XML, JSON-LD when ``Accept`` asks for one).
"""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from api import negotiation
from api.dependencies import get_backend
from api.errors import responses
from api.routers.sparql import ROWS, TRUNCATED
from kg.backends import Backend
from kg.named import query_info
from kg.results import rows
from kg.rowcap import serialize_capped
from kg.views import QueryList, QueryRows

router = APIRouter(prefix="/api/queries", tags=["queries"])

_GRAPHS = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
_OK = {200: {"description": "JSON rows (SELECT), CSV on request, or a graph (CONSTRUCT)",
             "content": {"text/csv": {}, **{m: {} for m in _GRAPHS}}}}


@router.get("", response_model=QueryList, summary="The named queries")
def list_queries(request: Request) -> QueryList:
    return QueryList(items=[query_info(q) for q in request.app.state.queries.values()])


@router.get("/{name}", response_model=QueryRows, summary="Run a named query",
            responses={**_OK, **responses(400, 404, 422)})
def run_query(request: Request, backend: Annotated[Backend, Depends(get_backend)],
              name: Annotated[str, Path(description="The query's name, e.g. `cases-by-domain`.")],
              format: Annotated[Literal["json", "csv"] | None,
                                Query(description="`csv` for CSV, as `Accept: text/csv` does.")] = None,
              ) -> Response | QueryRows:
    """Its parameters come as query parameters (``?domain=mobility``; repeat a list parameter);
    an unknown, missing or malformed one is a 400."""
    query = request.app.state.queries[name]
    values: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key != "format":
            values.setdefault(key, []).append(value)
    sparql, bindings = query.prepare(values)
    result = backend.results(sparql, bindings=bindings)
    max_rows = request.app.state.settings.max_rows
    if isinstance(result, QueryBoolean):
        return QueryRows(name=name, columns=["boolean"], rows=[{"boolean": bool(result)}], truncated=False)
    if not isinstance(result, QuerySolutions):
        graph_format = negotiation.graph_format(negotiation.choose(request.headers.get("accept"), list(_GRAPHS)))
        graph_format = graph_format or RdfFormat.TURTLE
        return Response(result.serialize(format=graph_format) or b"", media_type=graph_format.media_type)
    wanted = format or negotiation.choose(request.headers.get("accept"), ["application/json", "text/csv"])
    if wanted in ("csv", "text/csv"):
        body, count, truncated = serialize_capped(result, QueryResultsFormat.CSV, max_rows=max_rows)
        headers = {ROWS: str(count)}
        if truncated:
            headers[TRUNCATED] = f"true; max-rows={max_rows}"
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
    columns = [v.value for v in result.variables]
    found = list(islice(rows(result), max_rows + 1))
    return QueryRows(name=name, columns=columns, rows=found[:max_rows], truncated=len(found) > max_rows)
