"""/api/cases on a real server: filters, free text in English and Korean, facets, one case, similar cases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from kg.config import resource_dir
from tests.conftest import LiveServer

DATA = resource_dir("data")
PROBLEM = "application/problem+json"
# Figure 3 of the brief: the mobility cases.
MOBILITY = {"code-the-curb", "la-al-fresco", "wecount", "via", "singapore-smart-nation"}
GOLD = [("cityscope", "deepscope"), ("code-the-curb", "la-al-fresco"), ("quayside", "delve")]


def _cases() -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (DATA / "cases").glob("*.yaml")}


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def _ids(http: httpx.Client, **params: Any) -> list[str]:
    response = http.get("/api/cases", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert set(body) == {"type", "title", "status", "detail"}  # RFC 9457, one shape everywhere
    assert body["status"] == status and body["title"] and body["detail"] and body["type"] == "about:blank"
    return body


def test_every_case_is_listed_with_id_iri_and_label(http: httpx.Client) -> None:
    page = http.get("/api/cases", params={"limit": 100}).json()
    assert page["total"] == len(_cases())
    assert {item["id"] for item in page["items"]} == set(_cases())
    for item in page["items"]:
        assert item["iri"] == f"https://w3id.org/urbanai-kg/resource/{item['id']}"
        assert item["label"] == _cases()[item["id"]]["label"]["en"]
    assert set(page["facets"]) == {"domain", "country", "city", "stage", "element", "role", "org"}


def test_domain_filter_gives_the_mobility_cases_and_facets_on_the_filtered_set(http: httpx.Client) -> None:
    page = http.get("/api/cases", params={"domain": "mobility"}).json()
    assert page["total"] == 5 and {item["id"] for item in page["items"]} == MOBILITY
    assert [(v["id"], v["count"]) for v in page["facets"]["domain"]] == [("mobility", 5)]
    los_angeles = {c for c in MOBILITY if "los-angeles" in _cases()[c].get("places", [])}
    city = {v["id"]: v["count"] for v in page["facets"]["city"]}
    assert city["los-angeles"] == len(los_angeles) == 2
    assert all(1 <= v["count"] <= 5 for values in page["facets"].values() for v in values)


@pytest.mark.parametrize("value", ["mobility", "Mobility", "MOBILITY", "모빌리티", "Ｍｏｂｉｌｉｔｙ", " mobility "])
def test_a_filter_value_is_an_id_or_a_label_in_either_language(http: httpx.Client, value: str) -> None:
    assert set(_ids(http, domain=value)) == MOBILITY


def test_korean_city_label_filters_cases(http: httpx.Client) -> None:
    places = {r["id"]: r for r in yaml.safe_load((DATA / "places.yaml").read_text(encoding="utf-8"))}
    expected = {c for c, r in _cases().items() if "los-angeles" in r.get("places", [])}
    assert set(_ids(http, city=places["los-angeles"]["label"]["ko"])) == expected == {"code-the-curb", "la-al-fresco"}


def test_values_of_one_filter_or_and_filters_and(http: httpx.Client) -> None:
    planning = {c for c, r in _cases().items() if "urban-planning" in r["domains"]}
    assert set(_ids(http, domain=["mobility", "urban-planning"])) == MOBILITY | planning
    assert set(_ids(http, domain="mobility", city="los-angeles")) == {"code-the-curb", "la-al-fresco"}
    assert _ids(http, domain="urban-planning", city="los-angeles") == []


def test_unknown_filter_value_gives_an_empty_page(http: httpx.Client) -> None:
    response = http.get("/api/cases", params={"domain": "no-such-domain"})
    assert response.status_code == 200
    assert response.json()["total"] == 0 and response.json()["items"] == []


def test_korean_word_inside_a_longer_korean_label_matches(http: httpx.Client) -> None:
    # 연석 ("curb") occurs only inside "LA 도로 연석 공간계획관리 (…)", the Korean labels of two cases.
    containing = {c for c, r in _cases().items() if "연석" in yaml.safe_dump(r, allow_unicode=True)}
    assert set(_ids(http, q="연석")) == containing == {"code-the-curb", "la-al-fresco"}


def test_free_text_matches_english_descriptions_and_every_word(http: httpx.Client) -> None:
    assert "wecount" in _ids(http, q="citizen-science")
    assert set(_ids(http, q="curb")) >= {"code-the-curb"}
    assert _ids(http, q="curb no-such-word-anywhere") == []
    assert set(_ids(http, q="Sidewalk Labs")) >= {"quayside", "delve"}


def test_korean_labels_with_lang_ko(http: httpx.Client) -> None:
    items = http.get("/api/cases", params={"lang": "ko", "domain": "mobility"}).json()["items"]
    assert {i["id"]: i["label"] for i in items} == {c: _cases()[c]["label"]["ko"] for c in MOBILITY}


def test_paging_covers_the_list_once(http: httpx.Client) -> None:
    full = _ids(http)
    pages = [_ids(http, limit=5, offset=o) for o in range(0, len(full), 5)]
    assert [c for page in pages for c in page] == full
    assert http.get("/api/cases", params={"limit": 5}).json()["limit"] == 5
    assert _ids(http, offset=1000) == []


@pytest.mark.parametrize("params", [{"lang": "fr"}, {"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}])
def test_bad_parameters_are_422_problem_details(http: httpx.Client, params: dict[str, Any]) -> None:
    _problem(http.get("/api/cases", params=params), 422)


def test_case_detail_has_every_fact_with_its_source(http: httpx.Client) -> None:
    record = _cases()["cityscope"]
    case = http.get("/api/cases/cityscope").json()
    assert case["labels"] == record["label"]
    assert {d["id"] for d in case["domains"]} == set(record["domains"])
    assert {o["id"] for o in case["lead_organisations"]} == set(record["lead_organisations"])
    assert all(link["sources"] and not link["editorial"] for link in case["lead_organisations"])
    facts = case["facts"]
    assert facts and all(f["sources"] for f in facts if not f["editorial"])
    editorial = [f for f in facts if f["editorial"]]
    assert editorial and all(f["attributed_to"] and not f["sources"] for f in editorial)
    assert case["editorial"]["roles"] and case["editorial"]["attributed_to"]
    assert {s["id"] for s in case["sources"]} >= set(record["sources"])
    lead_sources = {s for link in case["lead_organisations"] for s in link["sources"]}
    assert lead_sources == set(record["field_sources"]["lead_organisations"])
    assert {r["id"] for r in case["editorial"]["roles"]} == set(record["editorial"]["roles"])


def test_case_detail_in_korean(http: httpx.Client) -> None:
    case = http.get("/api/cases/quayside", params={"lang": "ko"}).json()
    assert case["label"] == _cases()["quayside"]["label"]["ko"]
    assert case["description"].startswith("사이드워크 랩스")


@pytest.mark.parametrize("case", ["no-such-case", "CityScope", "city%20scope"])
def test_unknown_case_is_404_problem(http: httpx.Client, case: str) -> None:
    _problem(http.get(f"/api/cases/{case}"), 404)
    _problem(http.get(f"/api/cases/{case}/similar"), 404)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("a", "b"), GOLD + [(b, a) for a, b in GOLD])
def test_similar_cases_rank_the_gold_pairs_in_the_top_three(http: httpx.Client, a: str, b: str, lang: str) -> None:
    found = http.get(f"/api/cases/{a}/similar", params={"limit": 3, "lang": lang}).json()
    assert found["case"]["id"] == a and len(found["items"]) == 3
    item = next(i for i in found["items"] if i["id"] == b)
    assert item["label"] == _cases()[b]["label"][lang]
    assert 0 < item["score"] <= 1 and item["reasons"]
    scores = [(-i["score"], i["id"]) for i in found["items"]]
    assert scores == sorted(scores)


def test_similar_reasons_name_what_the_pair_shares_in_the_language_asked(http: httpx.Client) -> None:
    def reasons(lang: str) -> dict[str, dict[str, Any]]:
        items = http.get("/api/cases/quayside/similar", params={"lang": lang}).json()["items"]
        return {r["feature"]: r for r in next(i for i in items if i["id"] == "delve")["reasons"]}

    en, ko = reasons("en"), reasons("ko")
    assert "Sidewalk Labs" in en["organisation"]["text"]
    assert "sidewalk-labs" in {v["id"] for v in ko["organisation"]["shared"]}
    assert ko["organisation"]["text"].startswith("공통 기관")
    assert all(r["editorial"] == (f in {"role", "stage", "element"}) for f, r in en.items())


def test_similar_limit_and_determinism(http: httpx.Client) -> None:
    first = http.get("/api/cases/wecount/similar", params={"limit": 4}).json()
    assert len(first["items"]) == 4
    assert http.get("/api/cases/wecount/similar", params={"limit": 4}).json() == first
    _problem(http.get("/api/cases/wecount/similar", params={"limit": 0}), 422)
