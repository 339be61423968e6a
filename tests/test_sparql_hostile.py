"""Hostile SPARQL on a real server with tight limits: refused with the right status, never a hang,
never a change to the store, and the server keeps answering everyone else.

The server runs with a 2 s timeout, three workers, 50 rows and a 200 MB worker memory limit.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from pyoxigraph import QueryResultsFormat, Store

from kg import store as layout
from kg.config import Settings
from kg.errors import QueryTimeout, ServerBusy
from kg.guard import Limits, QueryGuard
from tests.conftest import LiveServer, serving

TIMEOUT = 2.0
MAX_ROWS = 50
MAX_LENGTH = 20_000
MEMORY_MB = 200
LIVENESS = 30.0  # generous: a bound on "never hangs", not a speed claim

UAI = "https://w3id.org/urbanai-kg/ontology#"
CASES = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{UAI}UrbanAICase> }}"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# CPU-bound and small in memory: a three-way cross join, grouped and ordered.
RUNAWAY = ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
           "GROUP BY ?a ORDER BY DESC(?n)")
# Memory-bound: ORDER BY over the whole cross join keeps every row.
HOARDER = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
UPDATES = {
    "insert data": "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "delete where": "DELETE WHERE { ?s ?p ?o }",
    "load": "LOAD <http://example.org/data.ttl>",
    "clear": "CLEAR ALL",
    "drop": "DROP ALL",
}
REFUSED = {400, 403, 405, 415}


@pytest.fixture(scope="module")
def hostile(settings: Settings) -> Iterator[LiveServer]:
    limited = settings.model_copy(update={"query_timeout": TIMEOUT, "query_workers": 3, "max_rows": MAX_ROWS,
                                          "max_query_length": MAX_LENGTH, "query_memory": MEMORY_MB})
    with serving(limited) as server:
        yield server


@pytest.fixture(scope="module")
def http(hostile: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hostile.url, timeout=httpx.Timeout(LIVENESS)) as client:
        yield client


def count(http: httpx.Client, query: str) -> int:
    response = http.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return int(response.text.splitlines()[1])


def assert_alive(http: httpx.Client) -> None:
    response = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_malformed_query_gets_400_with_the_parsers_message(http: httpx.Client) -> None:
    query = "SELECT ?x WHERE { ?x ?p }"
    with pytest.raises(SyntaxError) as parser:
        Store().query(query)
    for response in (http.get("/sparql", params={"query": query}),
                     http.post("/sparql", data={"query": query}),
                     http.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text == str(parser.value)


def test_oversized_query_gets_413(http: httpx.Client) -> None:
    query = "ASK {}" + " " * MAX_LENGTH
    for response in (http.get("/sparql", params={"query": query}),
                     http.post("/sparql", data={"query": query}),
                     http.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 413
        assert str(MAX_LENGTH) in response.text
    just_fits = "ASK {}" + " " * (MAX_LENGTH - 6)
    assert http.post("/sparql", data={"query": just_fits}).status_code == 200


def test_a_huge_body_is_refused_before_it_is_read_whole(http: httpx.Client) -> None:
    body = b"ASK {}" + b" " * (20 * MAX_LENGTH)
    streamed = http.post("/sparql", content=iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                         headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413
    declared = http.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413
    assert_alive(http)


@pytest.mark.parametrize("opening", ["{", "(", "["])
def test_deep_nesting_gets_400_and_the_server_lives(http: httpx.Client, opening: str) -> None:
    query = "SELECT * WHERE " + opening * 5000
    response = http.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "nests deeper" in response.text
    assert_alive(http)


def test_service_is_refused_without_an_outbound_call(http: httpx.Client) -> None:
    calls: list[str] = []
    with serving_probe(calls) as probe:
        query = f"SELECT * WHERE {{ SERVICE <{probe}/sparql> {{ ?s ?p ?o }} }}"
        response = http.post("/sparql", data={"query": query})
        silent = http.post("/sparql", data={"query": query.replace("SERVICE", "service SILENT")})
    assert response.status_code == 400 and "SERVICE" in response.text
    assert silent.status_code == 400
    assert calls == []


@contextmanager
def serving_probe(calls: list[str]) -> Iterator[str]:
    """A loopback HTTP listener that records any request it gets (a SERVICE call would be one)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            calls.append(self.path)
            self.send_error(500)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("name", UPDATES)
def test_updates_are_refused_everywhere_and_change_nothing(http: httpx.Client, name: str) -> None:
    update = UPDATES[name]
    before, health_before = count(http, TRIPLES), http.get("/health").json()["triples"]
    answers = {
        "GET query=": http.get("/sparql", params={"query": update}),
        "GET update=": http.get("/sparql", params={"update": update}),
        "POST query=": http.post("/sparql", data={"query": update}),
        "POST update=": http.post("/sparql", data={"update": update}),
        "POST sparql-update": http.post("/sparql", content=update,
                                        headers={"Content-Type": "application/sparql-update"}),
        "POST sparql-query": http.post("/sparql", content=update,
                                       headers={"Content-Type": "application/sparql-query"}),
    }
    for path in ("/update", "/sparql/update", "/api/queries"):
        answers[f"{path} form"] = http.post(path, data={"update": update})
        answers[f"{path} sparql-update"] = http.post(path, content=update,
                                                     headers={"Content-Type": "application/sparql-update"})
    for path in ("/update", "/sparql/update"):
        answers[f"GET {path}"] = http.get(path, params={"update": update})
    for how, response in answers.items():
        assert response.status_code in REFUSED, (how, response.status_code, response.text[:200])
    # The protocol's own answers at /sparql: an update is not a query (parser, 400); update= is refused (403).
    assert answers["GET query="].status_code == answers["POST query="].status_code == 400
    assert answers["POST sparql-query"].status_code == 400
    assert {answers[k].status_code for k in ("GET update=", "POST update=", "POST sparql-update")} == {403}
    assert count(http, TRIPLES) == before
    assert http.get("/health").json()["triples"] == health_before == before


@pytest.mark.parametrize("how", ["GET", "POST form", "POST form percent-encoded", "POST sparql-query"])
def test_query_bytes_that_are_not_utf8_get_400(hostile: LiveServer, how: str) -> None:
    latin1 = 'SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1")
    with httpx.Client(base_url=hostile.url, timeout=LIVENESS) as raw:
        if how == "GET":
            response = raw.get("/sparql?query=" + "".join(f"%{b:02X}" for b in latin1))
        elif how == "POST form":
            response = raw.post("/sparql", content=b"query=" + latin1,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        elif how == "POST form percent-encoded":
            response = raw.post("/sparql", content=b"query=" + "".join(f"%{b:02X}" for b in latin1).encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        else:
            response = raw.post("/sparql", content=latin1, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "UTF-8" in response.text
    # The same query in UTF-8 runs and returns the text as sent.
    good = httpx.post(hostile.url + "/sparql", data={"query": latin1.decode("latin-1")}, headers={"Accept": "text/csv"})
    assert good.status_code == 200 and good.text.splitlines()[1] == "caf\xe9"


def test_row_cap_truncates_with_headers(http: httpx.Client) -> None:
    response = http.post("/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"].startswith("true")
    assert response.headers["x-sparql-rows"] == str(MAX_ROWS)
    assert len(response.text.splitlines()) == MAX_ROWS + 1
    small = http.post("/sparql", data={"query": CASES})
    assert "x-sparql-truncated" not in small.headers and small.headers["x-sparql-rows"] == "1"


def test_runaway_query_is_cut_logged_and_does_not_block_others(http: httpx.Client,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kg.guard")
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["response"] = http.post("/sparql", data={"query": RUNAWAY})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)  # let it reach a worker
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: count(http, CASES), range(20)))
    assert answers == [17] * 20
    assert thread.is_alive() or "response" in outcome
    thread.join(LIVENESS)
    assert not thread.is_alive()

    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert "longer than" in response.text
    seconds = outcome["seconds"]
    assert isinstance(seconds, float) and TIMEOUT <= seconds < LIVENESS
    cut = [r for r in caplog.records if r.name == "kg.guard" and r.getMessage().startswith("query timeout")]
    assert len(cut) == 1 and "ORDER BY DESC(?n)" in cut[0].getMessage()
    assert sum(r.getMessage().startswith("query ok") for r in caplog.records if r.name == "kg.guard") >= 20
    assert_alive(http)


def test_memory_hog_is_killed_and_logged(http: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kg.guard")
    response = http.post("/sparql", data={"query": HOARDER})
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert f"more than {MEMORY_MB} MB" in response.text
    logged = [r.getMessage() for r in caplog.records if r.name == "kg.guard"]
    assert [m for m in logged if m.startswith("query memory")], logged
    assert_alive(http)


@pytest.mark.parametrize("in_memory", [False, True])
def test_workers_answer_alike_on_disk_and_in_memory(settings: Settings, in_memory: bool) -> None:
    store = layout.current_build(settings.store) / layout.OXIGRAPH
    guard = QueryGuard(store, workers=1, limits=Limits(timeout=LIVENESS, max_rows=MAX_ROWS), in_memory=in_memory)
    try:
        answer = guard.run(CASES, results_format=QueryResultsFormat.CSV)
        assert answer.body.decode().splitlines() == ["n", "17"]
        capped = guard.run("SELECT * WHERE { ?s ?p ?o }", results_format=QueryResultsFormat.TSV)
        assert capped.truncated and capped.rows == MAX_ROWS
    finally:
        guard.close()


def test_a_new_workers_startup_does_not_count_against_the_query_timeout(settings: Settings) -> None:
    """Regression: a worker takes about a second to start (forkserver, imports, store copy); a query
    sent to it at once used to run out of a short timeout while it was still starting."""
    store = layout.current_build(settings.store) / layout.OXIGRAPH
    guard = QueryGuard(store, workers=1, limits=Limits(timeout=0.3), in_memory=True)
    try:
        assert guard.run("ASK {}").body == b'{"head":{},"boolean":true}'
        with pytest.raises(QueryTimeout):
            guard.run(RUNAWAY)
        assert guard.run("ASK {}").body == b'{"head":{},"boolean":true}'  # its replacement, also just started
    finally:
        guard.close()


def test_a_query_that_finds_no_free_worker_in_time_is_told_to_retry(settings: Settings) -> None:
    """One worker, busy with a runaway query: the next query waits ``KG_QUERY_WAIT`` seconds, then 503."""
    wait = settings.model_copy(update={"query_wait": 0.2, "query_timeout": 3.0})
    guard = QueryGuard.from_settings(layout.current_build(settings.store), wait, workers=1)

    async def busy_while_a_runaway_runs() -> BaseException | None:
        assert (await guard.arun("ASK {}")).body == b'{"head":{},"boolean":true}'  # the worker is up
        runaway = asyncio.create_task(guard.arun(RUNAWAY))
        await asyncio.sleep(0.1)
        waited = time.monotonic()
        with pytest.raises(ServerBusy) as busy:
            await guard.arun("ASK {}")
        assert 0.2 <= time.monotonic() - waited < LIVENESS
        assert busy.value.status == 503
        return (await asyncio.gather(runaway, return_exceptions=True))[0]  # type: ignore[no-any-return]

    try:
        cut = asyncio.run(busy_while_a_runaway_runs())
        assert isinstance(cut, QueryTimeout)
        assert guard.run("ASK {}").rows == 1  # the replacement answers
    finally:
        guard.close()
