"""``/api/strategies``: national and city AI strategies, and one with its pillars in order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from api.dependencies import get_backend
from api.errors import responses
from api.negotiation import json_response
from kg.backends import Backend
from kg.named import Lang
from kg.strategies import get_strategy, list_strategies
from kg.views import StrategyDetail, StrategyList

router = APIRouter(prefix="/api/strategies", tags=["strategies"])

LangParam = Annotated[Lang, Query(description="Language of labels: `en` or `ko`.")]
_PLACE = "An id or a label (English or Korean); repeat for OR."
_LEVEL = "`national` or `city`; repeat for OR. Another value matches nothing."


@router.get("", response_model=StrategyList, summary="AI strategies", responses=responses(400, 422))
def strategies(request: Request, backend: Annotated[Backend, Depends(get_backend)],
               level: Annotated[list[str], Query(description=_LEVEL)] = [],  # noqa: B006
               country: Annotated[list[str], Query(description=_PLACE)] = [],  # noqa: B006
               city: Annotated[list[str], Query(description=_PLACE)] = [],  # noqa: B006
               lang: LangParam = "en") -> Response:
    """The strategies of the given levels, countries and cities (filters combine with AND), oldest first."""
    return json_response(list_strategies(backend, level=level, country=country, city=city, lang=lang,
                                         catalog=request.app.state.queries))


@router.get("/{strategy_id}", response_model=StrategyDetail, summary="A strategy with its pillars",
            responses=responses(404, 422))
def strategy(request: Request, backend: Annotated[Backend, Depends(get_backend)],
             strategy_id: Annotated[str, Path(description="The strategy's id, e.g. `seoul-ai-strategy`.")],
             lang: LangParam = "en") -> Response:
    """Its pillars and programmes in the source's order, year, documents and sources."""
    found = get_strategy(backend, strategy_id, lang=lang, catalog=request.app.state.queries)
    if found is None:
        raise HTTPException(404, f"no strategy {strategy_id!r}")
    return json_response(found)
