"""The query page in a real browser (Debian's Chromium via Playwright) against a real server.

Every request the page makes is recorded, and any that would leave the server's origin is
aborted and fails the test: the page must work offline, from the vendored YASGUI.
Playwright's sync API runs its own event loop, so these tests are plain functions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, Route, sync_playwright

from kg.config import Settings, resource_dir
from kg.namespaces import PREFIXES
from tests.conftest import LiveServer, serving

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
RESULT_ROWS = ".tabPanel.active .yasr table.dataTable tbody tr"
STATIC = Path(__file__).resolve().parents[1] / "api" / "static"


@contextmanager
def browser_page(*servers: LiveServer, intercept: bool = True) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A fresh page; yields it with the URLs it requested and those it tried to send elsewhere.

    With ``intercept`` a request elsewhere is also aborted. Without it requests are only watched:
    Playwright answers CORS preflights itself while it intercepts, so a CORS test must not.
    """
    origins = {urlsplit(server.url).netloc for server in servers}
    requested: list[str] = []
    foreign: list[str] = []

    def _local(url: str) -> bool:
        return url.startswith("data:") or urlsplit(url).netloc in origins

    def gate(route: Route) -> None:
        url = route.request.url
        requested.append(url)
        if _local(url):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(accept_downloads=True)
            if intercept:
                context.route("**/*", gate)
            else:
                context.on("request", lambda request: requested.append(request.url) if _local(request.url)
                           else foreign.append(request.url))
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page, requested, foreign
        finally:
            browser.close()


def editor_text(page: Page) -> str:
    text: str = page.evaluate("document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()")
    return text


def run_active_tab(page: Page) -> None:
    page.click(".tabPanel.active .yasqe_queryButton")
    page.wait_for_selector(RESULT_ROWS)


def test_page_lists_every_named_query_and_loads_only_local_files(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    names = {path.stem for path in resource_dir("queries").glob("*.rq")}
    assert set(re.findall(r'data-query="([^"]+)"', response.text)) == names
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert "/static/yasgui/yasgui.min.js" in assets and "/static/yasgui/yasgui.min.css" in assets
    assert all(a.startswith("/") or a.startswith("data:") for a in assets), assets
    for asset in (a for a in assets if a.startswith("/static/")):
        served = httpx.get(live_server.url + asset)
        assert served.status_code == 200
        assert served.content == (STATIC / asset.removeprefix("/static/")).read_bytes()


def test_vendored_yasgui_is_the_pinned_build_named_in_the_notices() -> None:
    notices = (STATIC.parents[1] / "THIRD_PARTY.md").read_text(encoding="utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        digest = hashlib.sha256((STATIC / "yasgui" / name).read_bytes()).hexdigest()
        assert f"`{name}` `{digest}`" in notices
    version = re.search(r"@zazuko/yasgui\]\([^)]*\) \*\*([0-9.]+)\*\*", notices)
    assert version is not None
    licences = (STATIC / "yasgui" / "THIRD_PARTY_LICENSES.txt").read_text(encoding="utf-8")
    assert f"@zazuko/yasgui {version.group(1)};" in licences
    assert "MIT" in (STATIC / "yasgui" / "LICENSE").read_text(encoding="utf-8")


def test_service_description_still_answers_machines(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "sparql-service-description" in response.text


def test_example_query_runs_in_the_browser_and_shows_the_cases(live_server: LiveServer) -> None:
    with browser_page(live_server) as (page, requested, foreign):
        page.goto(live_server.url + "/sparql")
        page.wait_for_selector(".tabPanel.active .CodeMirror")
        first = editor_text(page)
        assert all(f"PREFIX {prefix}: <{iri}>" in first for prefix, iri in PREFIXES.items())

        page.get_by_role("button", name="Cases of a domain", exact=True).click()
        page.wait_for_function("document.querySelector('.tabPanel.active .CodeMirror')"
                               ".CodeMirror.getValue().includes('title: Cases of a domain')")
        assert "uai:domain ?domain" in editor_text(page)
        assert page.locator(".tabsList .tab.active").inner_text().startswith("Cases of a domain")
        assert page.locator(".tabPanel.active .autocompleteWrapper input").input_value() == live_server.url + "/sparql"
        run_active_tab(page)

        table = page.locator(".tabPanel.active .yasr table.dataTable")
        assert page.locator(RESULT_ROWS).count() == len(list(resource_dir("data").glob("cases/*.yaml"))) == 17
        text = table.inner_text()
        assert "City Brain (Alibaba Cloud)" in text and "알리바바 클라우드 (City Brain)" in text
        assert "Hangzhou" in text

        with page.expect_download() as download_info:
            page.click(".tabPanel.active .yasr_downloadIcon")
        download = download_info.value
        csv = Path(download.path()).read_text(encoding="utf-8")
        assert "City Brain (Alibaba Cloud)" in csv and "알리바바 클라우드 (City Brain)" in csv

    assert foreign == []
    assert any(url.endswith("/static/yasgui/yasgui.min.js") for url in requested)
    assert any(url == live_server.url + "/sparql" for url in requested)


@pytest.fixture(scope="module")
def capped_server(settings: Settings) -> Iterator[LiveServer]:
    with serving(settings.model_copy(update={"max_rows": 5})) as server:
        yield server


def test_page_says_when_the_row_cap_cut_the_results(capped_server: LiveServer) -> None:
    with browser_page(capped_server) as (page, _requested, foreign):
        page.goto(capped_server.url + "/sparql")
        page.wait_for_selector(".tabPanel.active .CodeMirror")
        assert "title: All cases" in editor_text(page)
        run_active_tab(page)
        assert page.locator(RESULT_ROWS).count() == 5
        notice = page.locator("#notice")
        notice.wait_for(state="visible")
        assert "truncated at 5 rows" in notice.inner_text() and "5행에서 잘렸습니다" in notice.inner_text()
    assert foreign == []


CROSS_ORIGIN_FETCH = """async ([endpoint, query]) => {
    const response = await fetch(endpoint, {method: "POST", body: query, headers: {
        "Content-Type": "application/sparql-query", "Accept": "text/csv"}});
    return {status: response.status, truncated: response.headers.get("X-SPARQL-Truncated"),
            rows: response.headers.get("X-SPARQL-Rows"), body: await response.text()};
}"""


def test_a_page_of_another_origin_can_query_and_read_the_row_headers(live_server: LiveServer,
                                                                     capped_server: LiveServer) -> None:
    """CORS in a real browser: a POST with a non-simple content type (so a preflight) from another origin."""
    with browser_page(live_server, capped_server, intercept=False) as (page, requested, foreign):
        page.goto(live_server.url + "/sparql")
        query = "SELECT ?case WHERE { ?case a <https://w3id.org/urbanai-kg/ontology#UrbanAICase> }"
        answer = page.evaluate(CROSS_ORIGIN_FETCH, [capped_server.url + "/sparql", query])
    assert answer["status"] == 200
    assert answer["truncated"].startswith("true") and answer["rows"] == "5"
    assert len(answer["body"].splitlines()) == 1 + 5
    assert foreign == []
    assert capped_server.url + "/sparql" in requested
