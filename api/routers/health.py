"""Liveness and what is being served."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.dependencies import get_backend
from kg.backends import Backend
from kg.results import rows

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str = Field(description="`ok` when the store answers.")
    triples: int = Field(description="Triples in the store, over all named graphs.")
    version: str | None = Field(description="The dataset version (dcat:version).")
    built_at: str | None = Field(description="When the served store was built.")
    commit: str | None = Field(description="The commit of the curated data it was built from.")
    graphs: dict[str, int] = Field(description="Triples per named graph.")


@router.get("/health", response_model=Health, summary="Service health and dataset version")
def health(request: Request, backend: Annotated[Backend, Depends(get_backend)]) -> Health:
    catalog = request.app.state.queries
    sizes = {str(r["graph"]): int(r["triples"]) for r in rows(backend.results(catalog["graph-sizes"].sparql))}
    info = next(iter(rows(backend.results(catalog["dataset"].sparql))), {})
    return Health(status="ok", triples=sum(sizes.values()), version=_opt(info.get("version")),
                  built_at=_opt(info.get("modified")), commit=_opt(info.get("commit")), graphs=sizes)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
