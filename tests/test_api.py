"""The first server: /health and /sparql, in-process and on a real uvicorn server with real clients."""

from __future__ import annotations

import httpx
import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from tests.conftest import LiveServer

pytestmark = pytest.mark.anyio

UAI = "https://w3id.org/urbanai-kg/ontology#"

CASES = {
    "code-the-curb": "Code the Curb", "la-al-fresco": "Al Fresco", "wecount": "WeCount", "via": "Via",
    "singapore-smart-nation": "Smart Nation", "cityscope": "CityScope", "deepscope": "DeepScope",
    "sonyc": "Sounds of New York City", "delve": "Delve", "myutility": "MyUtility",
    "quantified-canopy": "Quantified Canopy", "breeze-technologies": "Breeze", "city-brain": "City Brain",
    "nvidia-metropolis": "Metropolis", "quayside": "Quayside", "mila-ecosystem": "Mila",
    "genai-urban-planning": "enerative",
}

CASE_OVERVIEW = f"""
PREFIX uai: <{UAI}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?case ?en ?ko (COUNT(DISTINCT ?domain) AS ?domains) (COUNT(DISTINCT ?source) AS ?sources) WHERE {{
  ?case a uai:UrbanAICase ; uai:domain ?domain ; dcterms:source ?source ;
        rdfs:label ?en , ?ko .
  FILTER(lang(?en) = "en" && lang(?ko) = "ko")
}} GROUP BY ?case ?en ?ko
"""


async def test_health_reports_the_store(client: httpx.AsyncClient, built_store) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["triples"] == built_store[1].triples
    assert body["version"] == "0.1.0"
    assert set(body["graphs"]) >= {"https://w3id.org/urbanai-kg/graph/ontology",
                                   "https://w3id.org/urbanai-kg/graph/inferred",
                                   "https://w3id.org/urbanai-kg/graph/editorial"}


async def test_sparql_get_post_form_and_direct_agree(client: httpx.AsyncClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{UAI}UrbanAICase> }}"
    answers = [
        await client.get("/sparql", params={"query": query}),
        await client.post("/sparql", data={"query": query}),
        await client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "17"


async def test_malformed_query_gets_400_with_the_parser_message(client: httpx.AsyncClient) -> None:
    response = await client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "error at" in response.text


async def test_update_is_refused_and_nothing_changes(client: httpx.AsyncClient) -> None:
    before = (await client.get("/health")).json()["triples"]
    response = await client.post("/sparql", data={"update": "DROP ALL"})
    assert response.status_code == 403
    as_query = await client.post("/sparql", data={"query": "DROP ALL"})
    assert as_query.status_code == 400
    assert (await client.get("/health")).json()["triples"] == before


def test_every_case_of_the_brief_has_labels_domain_and_source(live_server: LiveServer) -> None:
    sparql = SPARQLWrapper(f"{live_server.url}/sparql")
    sparql.setQuery(CASE_OVERVIEW)
    sparql.setReturnFormat(JSON)
    sparql.setMethod(POST)
    bindings = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    found = {b["case"]["value"].rsplit("/", 1)[1]: b for b in bindings}
    assert set(found) == set(CASES)
    for case, name in CASES.items():
        assert name.lower() in found[case]["en"]["value"].lower(), case
        assert found[case]["ko"]["value"]
        assert int(found[case]["domains"]["value"]) >= 1
        assert int(found[case]["sources"]["value"]) >= 1


def test_live_server_answers_health(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/health", timeout=10)
    assert response.status_code == 200 and response.json()["status"] == "ok"
