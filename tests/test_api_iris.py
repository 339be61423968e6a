"""Every IRI the JSON API returns dereferences at the server (design.md, "Conventions")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rdflib import Graph, URIRef

pytestmark = pytest.mark.anyio

BASE = "https://w3id.org/urbanai-kg/"


def iris(document: Any) -> Iterator[str]:
    """Every value of an ``iri`` key, at any depth."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "iri" and value is not None:
                yield value
            else:
                yield from iris(value)
    elif isinstance(document, list):
        for item in document:
            yield from iris(item)


def local_path(iri: str) -> str:
    """Where the server answers a canonical IRI: its path under the public URL (fragment dropped)."""
    assert iri.startswith(BASE), f"{iri} is not in the canonical namespace"
    return "/" + iri.removeprefix(BASE).split("#")[0]


async def test_every_iri_the_api_returns_resolves(client: httpx.AsyncClient) -> None:
    async def get(path: str) -> Any:
        response = await client.get(path)
        assert response.status_code == 200, path
        return response.json()

    documents = [await get("/api/cases?limit=100"), await get("/api/strategies"), await get("/api/concepts")]
    for case in documents[0]["items"]:
        documents += [await get(f"/api/cases/{case['id']}"), await get(f"/api/cases/{case['id']}/similar")]
    for strategy in documents[1]["items"]:
        documents.append(await get(f"/api/strategies/{strategy['id']}"))
    for scheme in documents[2]["items"]:
        documents.append(await get(f"/api/concepts/{scheme['id']}"))
    found = {iri for document in documents for iri in iris(document)}
    assert len(found) > 200  # cases, strategies, concepts, organisations, places, sources, statements
    failures = []
    for iri in sorted(found):
        response = await client.get(local_path(iri), headers={"accept": "text/turtle"})
        if response.status_code != 200 or (URIRef(iri), None, None) not in Graph().parse(data=response.text):
            failures.append((iri, response.status_code))
    assert not failures
