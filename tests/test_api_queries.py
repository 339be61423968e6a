"""/api/queries on a real server: the catalog of queries/, and each query run with bound parameters."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml
from pyoxigraph import NamedNode, RdfFormat, parse

from kg.config import Settings, resource_dir
from tests.conftest import LiveServer, serving

QUERIES = resource_dir("queries")
RESOURCE = "https://w3id.org/urbanai-kg/resource/"
MOBILITY = {"code-the-curb", "la-al-fresco", "wecount", "via", "singapore-smart-nation"}
PROBLEM = "application/problem+json"


def _header(name: str) -> dict[str, Any]:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    header: dict[str, Any] = yaml.safe_load("\n".join(line[3:] for line in text.splitlines() if line.startswith("#+")))
    return header


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def test_every_query_file_is_listed_with_its_header(http: httpx.Client) -> None:
    listed = {q["name"]: q for q in http.get("/api/queries").json()["items"]}
    assert set(listed) == {p.stem for p in QUERIES.glob("*.rq")}
    search = listed["case-search"]
    assert search["title"] == _header("case-search")["title"]
    params = {p["name"]: p for p in search["params"]}
    assert set(params) == set(_header("case-search")["params"])
    assert params["domain"]["repeatable"] and params["domain"]["type"] == "concept"
    assert params["domain"]["scheme"] == "domains"
    by_domain = {p["name"]: p for p in listed["cases-by-domain"]["params"]}
    assert by_domain["domain"]["required"] and not by_domain["domain"]["repeatable"]


def test_a_query_runs_with_its_parameter_bound(http: httpx.Client) -> None:
    found = http.get("/api/queries/cases-by-domain", params={"domain": "mobility"}).json()
    assert found["name"] == "cases-by-domain" and "case" in found["columns"] and not found["truncated"]
    assert {row["case"].removeprefix(RESOURCE) for row in found["rows"]} == MOBILITY


def test_a_list_parameter_takes_repeated_values(http: httpx.Client) -> None:
    one = http.get("/api/queries/case-search", params={"domain": "mobility"}).json()
    two = http.get("/api/queries/case-search", params={"domain": ["mobility", "ai-city"]}).json()
    cases_one = {row["case"] for row in one["rows"]}
    assert {c.removeprefix(RESOURCE) for c in cases_one} == MOBILITY
    assert cases_one < {row["case"] for row in two["rows"]}


@pytest.mark.parametrize("how", [{"headers": {"Accept": "text/csv"}}, {"params": {"format": "csv"}}])
def test_csv_on_request(http: httpx.Client, how: dict[str, Any]) -> None:
    params = {"domain": "mobility", **how.get("params", {})}
    response = http.get("/api/queries/cases-by-domain", params=params, headers=how.get("headers"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["case"].removeprefix(RESOURCE) for row in table} == MOBILITY
    assert any("LA 도로 연석" in row["label_ko"] for row in table)


def test_construct_query_answers_turtle(http: httpx.Client) -> None:
    iri = RESOURCE + "cityscope"
    response = http.get("/api/queries/resource", params={"resource": iri})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = list(parse(response.content, format=RdfFormat.TURTLE))
    assert any(t.subject == NamedNode(iri) for t in triples)
    nt = http.get("/api/queries/resource", params={"resource": iri}, headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(list(parse(nt.content, format=RdfFormat.N_TRIPLES))) == len(triples)


def test_unknown_query_is_404_problem(http: httpx.Client) -> None:
    response = http.get("/api/queries/no-such-query")
    assert response.status_code == 404 and response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["title"] == "UnknownQuery"


@pytest.mark.parametrize("params", [
    {},                                           # missing required parameter
    {"domain": "not a slug"},                     # malformed id
    {"domain": "} DROP ALL {"},
    {"domain": ["mobility", "ai-city"]},          # one value for a scalar parameter
    {"domain": "mobility", "colour": "red"},      # unknown parameter
])
def test_bad_parameters_are_400_problems(http: httpx.Client, params: dict[str, Any]) -> None:
    response = http.get("/api/queries/cases-by-domain", params=params)
    assert response.status_code == 400 and response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["title"] == "ParameterError"


def test_bad_format_is_422(http: httpx.Client) -> None:
    response = http.get("/api/queries/cases", params={"format": "xlsx"})
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM)


def test_an_unknown_domain_id_gives_no_rows(http: httpx.Client) -> None:
    found = http.get("/api/queries/cases-by-domain", params={"domain": "no-such-domain"}).json()
    assert found["rows"] == []


def test_row_cap_is_signalled(settings: Settings) -> None:
    capped = settings.model_copy(update={"max_rows": 3})
    with serving(capped) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        found = http.get("/api/queries/cases").json()
        assert len(found["rows"]) == 3 and found["truncated"]
        response = http.get("/api/queries/cases", params={"format": "csv"})
        assert response.headers["x-sparql-truncated"].startswith("true")
        assert len(list(csv.DictReader(io.StringIO(response.text)))) == 3
