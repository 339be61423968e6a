"""``/api/concepts``: the concept schemes, and one scheme's concepts in order with the cases of each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from api.dependencies import get_backend
from api.errors import responses
from api.negotiation import json_response
from kg.backends import Backend
from kg.concepts import get_scheme, list_schemes
from kg.named import Lang
from kg.views import SchemeDetail, SchemeList

router = APIRouter(prefix="/api/concepts", tags=["concepts"])

LangParam = Annotated[Lang, Query(description="Language of labels and definitions: `en` or `ko`.")]


@router.get("", response_model=SchemeList, summary="The concept schemes", responses=responses(422))
def schemes(request: Request, backend: Annotated[Backend, Depends(get_backend)],
            lang: LangParam = "en") -> Response:
    return json_response(list_schemes(backend, lang=lang, catalog=request.app.state.queries))


@router.get("/{scheme}", response_model=SchemeDetail, summary="A scheme's concepts, with their cases",
            responses=responses(404, 422))
def scheme(request: Request, backend: Annotated[Backend, Depends(get_backend)],
           scheme: Annotated[str, Path(description="The scheme's id, e.g. `stages`, `domains`, `ai-roles`.")],
           lang: LangParam = "en") -> Response:
    """Concepts in the scheme's order where it has one (stages 1–8), each with the cases that touch it."""
    found = get_scheme(backend, scheme, lang=lang, catalog=request.app.state.queries)
    if found is None:
        raise HTTPException(404, f"no concept scheme {scheme!r}")
    return json_response(found)
