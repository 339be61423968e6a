"""/api/strategies, /api/concepts and /api/stats on a real server, checked against the curated records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from kg.config import resource_dir
from tests.conftest import LiveServer

DATA = resource_dir("data")
SCHEMES = {"domains", "stages", "elements", "ai-roles", "data-channels", "governance-bodies",
           "infrastructure-layers", "terms"}
PROBLEM = "application/problem+json"


def _records(folder: str) -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (DATA / folder).glob("*.yaml")}


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def _get(http: httpx.Client, url: str, **params: Any) -> Any:
    response = http.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_strategies_list_every_strategy_oldest_first(http: httpx.Client) -> None:
    records = _records("strategies")
    found = _get(http, "/api/strategies")
    assert found["total"] == len(records) and {s["id"] for s in found["items"]} == set(records)
    years = [s["year"] for s in found["items"] if s["year"] is not None]  # a strategy without a year comes first
    assert years == sorted(years) and len(years) == sum(1 for r in records.values() if "year" in r)
    for item in found["items"]:
        assert item["year"] == records[item["id"]].get("year") and item["level"] == records[item["id"]]["level"]


@pytest.mark.parametrize("level", ["national", "city"])
def test_strategies_by_level(http: httpx.Client, level: str) -> None:
    expected = {s for s, r in _records("strategies").items() if r["level"] == level}
    assert {s["id"] for s in _get(http, "/api/strategies", level=level)["items"]} == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"city": "seoul"}, {"seoul-ai-strategy"}),
    ({"city": "서울"}, {"seoul-ai-strategy"}),
    ({"country": "south-korea"}, {"korea-national-ai-strategy", "seoul-ai-strategy"}),
    ({"country": "한국", "level": "national"}, {"korea-national-ai-strategy"}),
    ({"country": ["uk", "canada"]}, {"uk-national-ai-strategy", "canada-national-ai-strategy"}),
    ({"city": "no-such-city"}, set()),
    ({"level": "galactic"}, set()),
])
def test_strategies_by_place_and_level(http: httpx.Client, params: dict[str, Any], expected: set[str]) -> None:
    assert {s["id"] for s in _get(http, "/api/strategies", **params)["items"]} == expected


def test_strategy_detail_has_pillars_in_order_year_and_sources(http: httpx.Client) -> None:
    record = _records("strategies")["uk-national-ai-strategy"]
    for lang in ("en", "ko"):
        found = _get(http, "/api/strategies/uk-national-ai-strategy", lang=lang)
        assert [p["label"] for p in found["pillars"]] == [p["label"][lang] for p in record["pillars"]]
        assert [p["position"] for p in found["pillars"]] == list(range(1, len(record["pillars"]) + 1))
        assert found["label"] == record["label"][lang]
    assert found["year"] == 2021 and found["level"] == "national"
    assert {s["id"] for s in found["sources"]} >= set(record["sources"])
    assert [p["sources"] for p in found["pillars"]] == [sorted(p["sources"]) for p in record["pillars"]]
    assert [p["id"] for p in found["issued_by"]] == record["issued_by"]


@pytest.mark.parametrize("strategy", ["no-such-strategy", "Seoul", "../etc"])
def test_unknown_strategy_is_404_problem(http: httpx.Client, strategy: str) -> None:
    response = http.get(f"/api/strategies/{strategy}")
    assert response.status_code == 404 and response.headers["content-type"].startswith(PROBLEM)


def test_concepts_lists_the_contract_schemes(http: httpx.Client) -> None:
    found = {s["id"]: s for s in _get(http, "/api/concepts")["items"]}
    assert SCHEMES <= set(found)
    assert found["stages"]["ordered"] and found["stages"]["concepts"] == 8
    assert found["domains"]["concepts"] == 4
    assert _get(http, "/api/concepts", lang="ko")["items"][0]["label"] != next(iter(found.values()))["label"]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_contract_scheme_answers_with_its_concepts(http: httpx.Client, scheme: str) -> None:
    found = _get(http, f"/api/concepts/{scheme}")
    assert found["id"] == scheme and found["concepts"]
    assert all(c["iri"].endswith(f"/{scheme}/{c['id']}") and c["label"] for c in found["concepts"])


def test_stages_come_in_order_with_their_evidence_status(http: httpx.Client) -> None:
    stages = _get(http, "/api/concepts/stages")["concepts"]
    assert [c["position"] for c in stages] == list(range(1, 9))
    # design.md: stages 1–4 are the infrastructure layers (position inferred), 5–8 a reconstruction.
    assert [c["status"] for c in stages] == ["positionInferred"] * 4 + ["reconstructed"] * 4
    cases = _records("cases")
    for concept in stages:
        editorial = {c for c, r in cases.items() if concept["id"] in r.get("editorial", {}).get("stages", [])}
        direct = {c["id"] for c in concept["cases"] if c["property"] == "stage"}
        assert direct == editorial, concept["id"]
        assert all(c["editorial"] for c in concept["cases"] if c["property"] == "stage")


def test_domain_concepts_carry_their_cases(http: httpx.Client) -> None:
    domains = {c["id"]: c for c in _get(http, "/api/concepts/domains", lang="ko")["concepts"]}
    assert set(domains) == {"mobility", "urban-planning", "resources-environment", "ai-city"}
    assert domains["mobility"]["label"] == "모빌리티"
    cases = _records("cases")
    for concept_id, concept in domains.items():
        expected = {c for c, r in cases.items() if concept_id in r["domains"]}
        assert {c["id"] for c in concept["cases"]} == expected
        assert not any(c["editorial"] for c in concept["cases"])


@pytest.mark.parametrize("scheme", ["no-such-scheme", "Stages", "stages%00"])
def test_unknown_scheme_is_404_problem(http: httpx.Client, scheme: str) -> None:
    response = http.get(f"/api/concepts/{scheme}")
    assert response.status_code == 404 and response.headers["content-type"].startswith(PROBLEM)


def test_stats_count_triples_per_graph_and_records(http: httpx.Client) -> None:
    stats = _get(http, "/api/stats")
    health = _get(http, "/health")
    assert stats["triples"] == health["triples"] == sum(stats["graphs"].values())
    assert stats["graphs"] == health["graphs"]
    assert stats["counts"]["cases"] == len(_records("cases"))
    assert stats["counts"]["strategies"] == len(_records("strategies"))
    organisations = [r for name in ("organisations.yaml", "policy-organisations.yaml")
                     for r in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))]
    assert stats["counts"]["organisations"] == len(organisations)
    assert stats["counts"]["concepts"] > 0 and stats["counts"]["schemes"] >= len(SCHEMES)
    assert {d["id"]: d["count"] for d in stats["cases_per_domain"]}["mobility"] == 5
