"""``/api/cases``: search with filters, free text and facets; one case; the cases most like it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from api.dependencies import get_backend
from api.errors import responses
from api.negotiation import json_response
from kg.backends import Backend
from kg.cases import get_case, search_cases
from kg.named import Lang
from kg.similarity import similar_view
from kg.views import CaseDetail, CasePage, SimilarList

router = APIRouter(prefix="/api/cases", tags=["cases"])

MAX_LIMIT = 100
_FILTER = "An id or a label (English or Korean); repeat for OR. Different filters combine with AND."
Filter = Annotated[list[str], Query(description=_FILTER)]
LangParam = Annotated[Lang, Query(description="Language of labels and reasons: `en` or `ko`.")]
CaseId = Annotated[str, Path(description="The case's id (slug), e.g. `cityscope`.")]


@router.get("", response_model=CasePage, summary="Search cases, with facets", responses=responses(400, 422))
def cases(request: Request, backend: Annotated[Backend, Depends(get_backend)],
          domain: Filter = [], country: Filter = [], city: Filter = [], stage: Filter = [],  # noqa: B006
          element: Filter = [], role: Filter = [], org: Filter = [],  # noqa: B006
          q: Annotated[str | None, Query(description="Words that must all occur (as substrings) in a case's "
                                                     "labels, descriptions, organisations or places, "
                                                     "English or Korean.")] = None,
          lang: LangParam = "en",
          limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 20,
          offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0) -> Response:
    """The matching cases ordered by label, one page of them, and facets counted over all of them."""
    filters = {"domain": domain, "country": country, "city": city, "stage": stage, "element": element,
               "role": role, "org": org}
    return json_response(search_cases(backend, filters=filters, q=q, lang=lang, limit=limit, offset=offset,
                                      catalog=request.app.state.queries))


@router.get("/{case_id}", response_model=CaseDetail, summary="Everything known about a case",
            responses=responses(404, 422))
def case(request: Request, backend: Annotated[Backend, Depends(get_backend)], case_id: CaseId,
         lang: LangParam = "en") -> Response:
    """Every fact with its sources; the curators' classification marked as editorial."""
    found = get_case(backend, case_id, lang=lang, catalog=request.app.state.queries)
    if found is None:
        raise HTTPException(404, f"no case {case_id!r}")
    return json_response(found)


@router.get("/{case_id}/similar", response_model=SimilarList, summary="The cases most like a case",
            responses=responses(404, 422))
def similar(request: Request, backend: Annotated[Backend, Depends(get_backend)], case_id: CaseId,
            lang: LangParam = "en",
            limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Cases to return.")] = 10) -> Response:
    """Score descending, then id; each with the reasons in ``lang`` (see docs/similarity.md)."""
    found = similar_view(backend, case_id, lang=lang, limit=limit, catalog=request.app.state.queries)
    if found is None:
        raise HTTPException(404, f"no case {case_id!r}")
    return json_response(found)
