"""Hostile input on a real server: every answer is a 200 with the right (often empty) answer or a 4xx
problem detail, never a 5xx and never a hang, and the store is unchanged afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from http.client import HTTPConnection
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import LiveServer

PROBLEM = "application/problem+json"
HOSTILE = [
    '"} DROP ALL {', "' OR 1=1 --", "\u0000", "a\u0000b", 'SELECT * WHERE { ?s ?p ?o }', "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <a> <b> <c> }", "SERVICE <http://example.org/sparql> {}", "<http://evil/>", '"', "'", "\\",
    "\\u0022", "}}}}", "{{{{", "%", "%00", "?x", "$x", "#", "_:b0", "x" * 10_000, "도시" * 2_500, "\U0001F600",
    "\ud7ff", "Ｍｏｂｉｌｉｔｙ\u200b", "<script>alert(1)</script>", "../../etc/passwd",
]
IN_TEXTS = {"'", "%"}  # occur in descriptions ("the city's", "20%")
LIST_ROUTES = ["/api/cases", "/api/strategies", "/api/concepts", "/api/stats"]
FILTERS = ["domain", "country", "city", "stage", "element", "role", "org", "q"]
ID_ROUTES = ["/api/cases/{}", "/api/cases/{}/similar", "/api/strategies/{}", "/api/concepts/{}", "/api/queries/{}"]


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=httpx.Timeout(60)) as client:
        yield client


@pytest.fixture(scope="module", autouse=True)
def store_unchanged(http: httpx.Client) -> Iterator[None]:
    before = http.get("/health").json()
    yield
    after = http.get("/health").json()
    assert after["triples"] == before["triples"] and after["graphs"] == before["graphs"]


def _safe(response: httpx.Response) -> int:
    """The status, having checked that the answer is a 200 or a 4xx problem detail."""
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith(PROBLEM), response.headers
        body: dict[str, Any] = response.json()
        assert body["status"] == response.status_code and body["detail"]
    return response.status_code


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_case_filters_give_empty_pages_or_4xx(http: httpx.Client, value: str) -> None:
    for name in FILTERS:
        response = http.get("/api/cases", params={name: value})
        assert _safe(response) == 200
        page = response.json()
        if name == "q" and value in IN_TEXTS:
            assert page["total"] > 0 and all(value in _texts(http, i["id"]) for i in page["items"])
        else:
            # No id or label is any of these (Ｍｏｂｉｌｉｔｙ + a zero-width space is no label), nor any text.
            assert page["total"] == len(page["items"]) == 0, (name, value)


def _texts(http: httpx.Client, case: str) -> str:
    """Everything the detail of a case shows, as text, in both languages."""
    return " ".join(http.get(f"/api/cases/{case}", params={"lang": lang}).text for lang in ("en", "ko"))


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_ids_are_404_problems(http: httpx.Client, value: str) -> None:
    for route in ID_ROUTES:
        assert _safe(http.get(route.format(quote(value, safe="")))) == 404, route


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strategy_filters_and_languages(http: httpx.Client, value: str) -> None:
    for name in ("level", "country", "city"):
        response = http.get("/api/strategies", params={name: value})
        assert _safe(response) == 200 and response.json()["items"] == []
    for route in LIST_ROUTES:
        assert _safe(http.get(route, params={"lang": value})) == 422


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_named_query_parameters(http: httpx.Client, value: str) -> None:
    response = http.get("/api/queries/cases-by-domain", params={"domain": value})
    assert _safe(response) in (200, 400)
    if response.status_code == 200:  # a well-formed id (e.g. "xxx…") of no domain
        assert response.json()["rows"] == []
    status = _safe(http.get("/api/queries/resource", params={"resource": value}))
    assert status in (200, 400)
    assert _safe(http.get("/api/queries/cases", params={value: "x"})) in (400, 422)


def test_repeated_parameters(http: httpx.Client) -> None:
    same = [("domain", "mobility")] * 200
    assert http.get("/api/cases", params=same).json()["total"] == 5
    distinct = [("org", f"org-{i}") for i in range(200)]
    response = http.get("/api/cases", params=distinct)
    assert _safe(response) == 200 and response.json()["total"] == 0
    assert _safe(http.get("/api/cases", params=[("lang", "en")] * 200)) == 200
    assert _safe(http.get("/api/cases", params=[("limit", "5")] * 200)) == 200
    assert _safe(http.get("/api/queries/case-search", params=[("domain", "mobility")] * 200)) == 200
    assert _safe(http.get("/api/queries/case-search", params=[("org", f"org-{i}") for i in range(200)])) == 400
    assert _safe(http.get("/api/queries/cases-by-domain", params=[("domain", "mobility")] * 200)) == 400
    everything = [(f, v) for f in ("domain", "stage", "element", "role") for v in ("mobility", "urban-data", "x")]
    assert _safe(http.get("/api/cases", params=everything * 20)) in (200, 400)


@pytest.mark.parametrize("raw", ["q=%zz", "q=%ff", "q=%e3%81", "domain=%zz%", "city=%ff%fe", "q=%", "%zz=1",
                                 "lang=%ff", "limit=%ff", "q=%00", "domain=mobility&domain=%c0%af"])
def test_invalid_percent_encoding(live_server: LiveServer, raw: str) -> None:
    """Sent byte for byte (httpx would re-encode them)."""
    for route in ("/api/cases", "/api/strategies", "/api/queries/cases"):
        _safe_raw(live_server, f"{route}?{raw}")
    for path in ("/api/cases/%zz", "/api/cases/%ff", "/api/concepts/%ff%fe", "/api/queries/%e3%81"):
        assert _safe_raw(live_server, path) == 404


def _safe_raw(live_server: LiveServer, target: str) -> int:
    connection = HTTPConnection("127.0.0.1", live_server.port, timeout=60)
    try:
        connection.request("GET", target)
        answer = connection.getresponse()
        body = answer.read()
        response = httpx.Response(answer.status, headers=answer.getheaders(), content=body)
    finally:
        connection.close()
    return _safe(response)


@pytest.mark.parametrize("value", ["-1", "-99999999999999999999", "0", "101", "99999999999999999999999", "1e3",
                                   "1.5", "", " ", "NaN", "0x10", "9" * 5000])
def test_negative_or_huge_limit_is_422(http: httpx.Client, value: str) -> None:
    assert _safe(http.get("/api/cases", params={"limit": value})) == 422
    assert _safe(http.get("/api/cases/cityscope/similar", params={"limit": value})) == 422


@pytest.mark.parametrize("value", ["-1", "-99999999999999999999", "1.5", "", "NaN", "0x10", "9" * 5000])
def test_negative_or_malformed_offset_is_422(http: httpx.Client, value: str) -> None:
    assert _safe(http.get("/api/cases", params={"offset": value})) == 422


@pytest.mark.parametrize("offset", [17, 10**12, 10**30])
def test_huge_offset_gives_an_empty_page_with_the_total(http: httpx.Client, offset: int) -> None:
    page = http.get("/api/cases", params={"offset": offset}).json()
    assert page["items"] == [] and page["total"] == 17 and page["offset"] == offset


def test_wrong_methods_are_405_problems(http: httpx.Client) -> None:
    for route in ("/api/cases", "/api/cases/cityscope", "/api/queries/cases", "/api/stats"):
        assert _safe(http.post(route, content=b"DROP ALL")) == 405
        assert _safe(http.delete(route)) == 405


def test_unknown_api_path_is_404_problem(http: httpx.Client) -> None:
    assert _safe(http.get("/api/no-such-route")) == 404
    assert _safe(http.get("/api/cases/cityscope/similar/more")) == 404


def test_server_still_answers_after_the_barrage(http: httpx.Client) -> None:
    assert http.get("/health", timeout=30).json()["status"] == "ok"
    assert http.get("/api/cases", params={"domain": "mobility"}).json()["total"] == 5
