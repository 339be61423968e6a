"""``/api/stats``: how big the graph is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.dependencies import get_backend
from api.errors import responses
from api.negotiation import json_response
from kg.backends import Backend
from kg.named import Lang
from kg.stats import graph_stats
from kg.views import Stats

router = APIRouter(prefix="/api/stats", tags=["stats"])


@router.get("", response_model=Stats, summary="Triples per graph and records per kind", responses=responses(422))
def stats(request: Request, backend: Annotated[Backend, Depends(get_backend)],
          lang: Annotated[Lang, Query(description="Language of the domain labels: `en` or `ko`.")] = "en") -> Response:
    return json_response(graph_stats(backend, lang=lang, catalog=request.app.state.queries))
