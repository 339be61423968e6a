"""The endpoint as researchers reach it: SPARQLWrapper, rdflib's SPARQLStore and plain httpx on a real server.

Expected data comes from the curated records (``data/cases/*.yaml``), not from the server.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML
from SPARQLWrapper import SPARQLWrapper

from kg.config import resource_dir
from tests.conftest import LiveServer

UAI = Namespace("https://w3id.org/urbanai-kg/ontology#")
RES = Namespace("https://w3id.org/urbanai-kg/resource/")
PREFIXES = f"PREFIX uai: <{UAI}>\nPREFIX rdfs: <{RDFS}>\nPREFIX res: <{RES}>\n"
LABELS = PREFIXES + "SELECT ?case ?label WHERE { ?case a uai:UrbanAICase ; rdfs:label ?label }"
COUNT = PREFIXES + "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a uai:UrbanAICase }"
ASK_CITY_BRAIN = PREFIXES + "ASK { res:city-brain a uai:UrbanAICase }"
CONSTRUCT_LABELS = PREFIXES + ("CONSTRUCT { ?case rdfs:label ?label } "
                               "WHERE { ?case a uai:UrbanAICase ; rdfs:label ?label }")
DESCRIBE_CITY_BRAIN = PREFIXES + "DESCRIBE res:city-brain"

# (how SPARQLWrapper sends it, request method, POST encoding)
METHODS = {"GET": (GET, URLENCODED), "POST form": (POST, URLENCODED), "POST direct": (POST, POSTDIRECTLY)}


def curated_cases() -> dict[str, dict[str, str]]:
    """Slug → {"en": label, "ko": label} of every case record."""
    cases = {}
    for path in sorted(resource_dir("data").glob("cases/*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases[record["id"]] = record["label"]
    return cases


# SPARQLWrapper and rdflib's JSON-LD parser still build ConjunctiveGraph; not this project's warning.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

CASES = curated_cases()
EXPECTED_LABELS = {(label, lang) for labels in CASES.values() for lang, label in labels.items()}


def test_the_curated_data_has_seventeen_cases_in_two_languages() -> None:
    assert len(CASES) == 17
    assert all(set(labels) == {"en", "ko"} for labels in CASES.values())
    assert CASES["city-brain"]["en"].startswith("City Brain")


def wrapper(server: LiveServer, method: str, query: str, return_format: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    http_method, encoding = METHODS[method]
    sparql.setMethod(http_method)
    sparql.setRequestMethod(encoding)
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    sparql.setTimeout(30)
    return sparql


def _json_labels(converted: Any) -> set[tuple[str, str | None]]:
    return {(b["label"]["value"], b["label"].get("xml:lang")) for b in converted["results"]["bindings"]}


def _xml_labels(converted: Any) -> set[tuple[str, str | None]]:
    out = set()
    for binding in converted.getElementsByTagName("binding"):
        if binding.getAttribute("name") == "label":
            literal = binding.getElementsByTagName("literal")[0]
            out.add((literal.firstChild.data, literal.getAttribute("xml:lang") or None))
    return out


def _csv_labels(converted: Any) -> set[tuple[str, str | None]]:
    rows = list(csv.DictReader(io.StringIO(converted.decode("utf-8"))))
    return {(row["label"], None) for row in rows}


def _tsv_labels(converted: Any) -> set[tuple[str, str | None]]:
    lines = converted.decode("utf-8").splitlines()
    column = lines[0].split("\t").index("?label")
    out = set()
    for line in lines[1:]:
        cell = line.split("\t")[column]  # a Turtle literal: "text"@lang
        text, _, lang = cell.rpartition("@")
        out.add((text.strip('"'), lang))
    return out


SELECT_FORMATS: dict[str, tuple[str, Callable[[Any], set[tuple[str, str | None]]]]] = {
    JSON: ("application/sparql-results+json", _json_labels),
    XML: ("application/sparql-results+xml", _xml_labels),
    CSV: ("text/csv", _csv_labels),
    TSV: ("text/tab-separated-values", _tsv_labels),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", SELECT_FORMATS)
def test_sparqlwrapper_select_returns_every_case_label(live_server: LiveServer, method: str,
                                                      return_format: str) -> None:
    media_type, labels = SELECT_FORMATS[return_format]
    result = wrapper(live_server, method, LABELS, return_format).query()
    assert result.info()["content-type"].startswith(media_type)
    found = labels(result.convert())
    if return_format == CSV:  # CSV drops language tags
        assert found == {(text, None) for text, _ in EXPECTED_LABELS}
    else:
        assert found == EXPECTED_LABELS


def _boolean(return_format: str, converted: Any) -> bool:
    if return_format == JSON:
        return bool(converted["boolean"])
    if return_format == XML:
        return bool(converted.getElementsByTagName("boolean")[0].firstChild.data == "true")
    return bool(converted.decode("utf-8").strip().splitlines()[-1] == "true")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", SELECT_FORMATS)
def test_sparqlwrapper_ask_in_every_format(live_server: LiveServer, method: str, return_format: str) -> None:
    yes = wrapper(live_server, method, ASK_CITY_BRAIN, return_format).query()
    assert _boolean(return_format, yes.convert()) is True
    no = wrapper(live_server, method, ASK_CITY_BRAIN.replace("city-brain", "no-such-case"), return_format).query()
    assert _boolean(return_format, no.convert()) is False


# (SPARQLWrapper format, an Accept header to force, the media type expected back)
GRAPH_FORMATS = {
    "turtle": (TURTLE, None, "text/turtle"),
    "n-triples": (N3, "application/n-triples", "application/n-triples"),
    "rdf/xml": (RDFXML, None, "application/rdf+xml"),
    "json-ld": (JSONLD, None, "application/ld+json"),
}


def graph_query(server: LiveServer, method: str, query: str, name: str) -> Graph:
    return_format, accept, media_type = GRAPH_FORMATS[name]
    sparql = wrapper(server, method, query, return_format)
    if accept:  # SPARQLWrapper has no N-Triples format: ask for it by content negotiation alone
        sparql.setOnlyConneg(True)
        sparql.addCustomHttpHeader("Accept", accept)
    result = sparql.query()
    assert result.info()["content-type"].startswith(media_type)
    converted = result.convert()
    if isinstance(converted, bytes):  # SPARQLWrapper hands Turtle and N-Triples back unparsed
        return Graph().parse(data=converted.decode("utf-8"), format="nt" if accept else "turtle")
    assert isinstance(converted, Graph)
    return converted


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", GRAPH_FORMATS)
def test_sparqlwrapper_construct_in_every_graph_format(live_server: LiveServer, method: str, name: str) -> None:
    graph = graph_query(live_server, method, CONSTRUCT_LABELS, name)
    found = {(str(o), o.language) for o in graph.objects(None, RDFS.label) if isinstance(o, Literal)}
    assert found == EXPECTED_LABELS
    assert set(graph.subjects(RDFS.label, None)) == {RES[slug] for slug in CASES}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", GRAPH_FORMATS)
def test_sparqlwrapper_describe_in_every_graph_format(live_server: LiveServer, method: str, name: str) -> None:
    graph = graph_query(live_server, method, DESCRIBE_CITY_BRAIN, name)
    city_brain = RES["city-brain"]
    labels = set(graph.objects(city_brain, RDFS.label))
    assert labels == {Literal(CASES["city-brain"]["en"], lang="en"), Literal(CASES["city-brain"]["ko"], lang="ko")}
    assert (city_brain, URIRef(str(UAI) + "domain"), RES["domains/ai-city"]) in graph


def test_rdflib_sparqlstore_reads_the_cases_with_their_labels(live_server: LiveServer) -> None:
    graph = Graph(SPARQLStore(live_server.url + "/sparql", returnFormat="json"))
    rows = graph.query(PREFIXES + """SELECT ?case ?en ?ko WHERE {
        ?case a uai:UrbanAICase ; rdfs:label ?en, ?ko .
        FILTER(lang(?en) = "en" && lang(?ko) = "ko") }""")
    found = {str(row.case).removeprefix(str(RES)): {"en": str(row.en), "ko": str(row.ko)} for row in rows}
    assert found == CASES
    counted = list(graph.query(COUNT))
    assert int(counted[0][0]) == 17
    assert (RES["city-brain"], RDFS.label, Literal(CASES["city-brain"]["ko"], lang="ko")) in graph


def test_count_of_cases_is_seventeen_over_plain_http(live_server: LiveServer) -> None:
    response = httpx.post(live_server.url + "/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.text.splitlines() == ["n", str(len(CASES))]


@pytest.mark.parametrize(("accept", "media_type"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
    ("text/html;q=0.9, text/csv;q=0.8", "text/csv"),
    ("application/*;q=0.5, text/csv;q=0.4", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_negotiates_q_valued_accept_headers(live_server: LiveServer, accept: str, media_type: str) -> None:
    response = httpx.get(live_server.url + "/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert str(len(CASES)) in response.text


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/rdf+xml;q=0.3, application/n-triples;q=0.8", "application/n-triples"),
    ("application/ld+json;q=1.0, text/turtle;q=0.9", "application/ld+json"),
    ("text/turtle;q=0.1, application/rdf+xml;q=0.2", "application/rdf+xml"),
])
def test_construct_negotiates_q_valued_accept_headers(live_server: LiveServer, accept: str, media_type: str) -> None:
    response = httpx.get(live_server.url + "/sparql", params={"query": DESCRIBE_CITY_BRAIN}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert CASES["city-brain"]["ko"] in response.text


@pytest.mark.parametrize(("params", "media_type"), [
    ({"format": "csv"}, "text/csv"),
    ({"output": "tsv"}, "text/tab-separated-values"),
    ({"results": "xml"}, "application/sparql-results+xml"),
    ({"format": "text/csv"}, "text/csv"),
    ({"format": ["tsv", "text/tab-separated-values"]}, "text/tab-separated-values"),
    ({"format": "no-such-format"}, "application/sparql-results+xml"),  # unknown: the Accept header counts
])
def test_format_parameters_choose_the_result_format(live_server: LiveServer, params: dict[str, Any],
                                                   media_type: str) -> None:
    headers = {"Accept": "application/sparql-results+xml"}
    response = httpx.get(live_server.url + "/sparql", params={"query": COUNT, **params}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert str(len(CASES)) in response.text
    posted = httpx.post(live_server.url + "/sparql", data={"query": COUNT, **params}, headers=headers)
    assert posted.headers["content-type"].startswith(media_type)


def test_format_json_on_a_graph_query_gives_json_ld(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/sparql", params={"query": DESCRIBE_CITY_BRAIN, "format": "json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.text, format="json-ld")
    assert (RES["city-brain"], RDFS.label, Literal(CASES["city-brain"]["en"], lang="en")) in graph


def test_unknown_format_parameter_falls_back_to_accept_for_graphs(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/sparql", params={"query": DESCRIBE_CITY_BRAIN, "format": "n3"},
                         headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples")


def test_cors_preflight_allows_get_and_post_without_credentials(live_server: LiveServer) -> None:
    response = httpx.options(live_server.url + "/sparql", headers={
        "Origin": "https://notebook.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert {m.strip() for m in response.headers["access-control-allow-methods"].split(",")} == {"GET", "POST"}
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers
    refused = httpx.options(live_server.url + "/sparql", headers={
        "Origin": "https://notebook.example.org", "Access-Control-Request-Method": "DELETE"})
    assert refused.status_code == 400


def test_cors_simple_request_exposes_the_row_headers(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/sparql", params={"query": COUNT},
                         headers={"Origin": "https://notebook.example.org"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-sparql-truncated", "x-sparql-rows"} <= exposed
    assert response.headers["x-sparql-rows"] == "1"


def test_long_answers_arrive_whole_every_time(live_server: LiveServer, backend: Any) -> None:
    """Answers longer than a pipe's buffer cross from the worker intact, query after query
    (the server awaits workers on its event loop, uvloop included)."""
    everything = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5000"
    expected = len(list(backend.results(everything)))
    assert expected == 5000
    with httpx.Client(base_url=live_server.url) as client:
        for _ in range(12):
            response = client.get("/sparql", params={"query": everything}, headers={"Accept": "text/tab-separated-values"})
            assert response.status_code == 200 and len(response.content) > 256 * 1024
            assert response.text.count("\n") == expected + 1
