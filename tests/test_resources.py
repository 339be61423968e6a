"""Dereferenceable IRIs: /resource/{id}, /ontology and /graph/{name}, negotiated between HTML and RDF."""

from __future__ import annotations

import http.client
import re
from html import escape
from pathlib import Path
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from api.main import create_app
from kg.backends.embedded import EmbeddedBackend
from kg.config import Settings, resource_dir
from kg.results import rows

pytestmark = pytest.mark.anyio

BASE = "https://w3id.org/urbanai-kg/"
R = BASE + "resource/"
UAI = Namespace(BASE + "ontology#")
DATA = resource_dir("data")
ONTOLOGY = Graph().parse(resource_dir("ontology") / "urbanai.ttl")
CONCEPTS = Graph().parse(resource_dir("ontology") / "concepts.ttl")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
             "application/rdf+xml": "xml"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


CASES = {path.stem: load(path) for path in sorted((DATA / "cases").glob("*.yaml"))}
SOURCES = {s["id"]: s for f in sorted((DATA / "sources").glob("*.yaml")) for s in load(f)}


@pytest.fixture(scope="module")
async def app_client(settings: Settings, backend: EmbeddedBackend) -> AsyncIterator[httpx.AsyncClient]:
    """One in-process client for the module: starting an app (query catalogue, guard workers) takes seconds."""
    app = create_app(settings, backend=backend)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            yield client


def select(backend: EmbeddedBackend, sparql: str) -> list[dict[str, Any]]:
    return list(rows(backend.results(sparql)))


def parsed(response: httpx.Response) -> Graph:
    media = response.headers["content-type"].split(";")[0]
    return Graph().parse(data=response.content, format=RDF_TYPES[media])


def table_rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)


def hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', page)


def test_every_case_lists_in_sparql_as_in_the_data(backend: EmbeddedBackend) -> None:
    found = select(backend, f"SELECT DISTINCT ?case WHERE {{ ?case a <{UAI}UrbanAICase> }}")
    assert {str(r["case"]).removeprefix(R) for r in found} == set(CASES)
    assert len(CASES) == 17


def test_every_case_dereferences_in_html_and_rdf(live_server: Any, backend: EmbeddedBackend) -> None:
    cases = [str(r["case"]) for r in select(backend, f"SELECT ?case WHERE {{ ?case a <{UAI}UrbanAICase> }}")]
    assert len(cases) == 17
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for iri in cases:
            record = CASES[iri.removeprefix(R)]
            labels = {Literal(record["label"]["en"], lang="en"), Literal(record["label"]["ko"], lang="ko")}
            page = client.get("/resource/" + iri.removeprefix(R), headers={"accept": BROWSER})
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert escape(record["label"]["en"]) in page.text and escape(record["label"]["ko"]) in page.text
            graphs = []
            for media in RDF_TYPES:
                answer = client.get("/resource/" + iri.removeprefix(R), headers={"accept": media})
                assert answer.status_code == 200, (iri, media)
                assert answer.headers["content-type"].split(";")[0] == media
                graph = parsed(answer)
                assert set(graph.objects(URIRef(iri), RDFS.label)) == labels, (iri, media)
                assert (URIRef(iri), RDF.type, UAI.UrbanAICase) in graph
                graphs.append(graph)
            assert all(isomorphic(graphs[0], other) for other in graphs[1:]), iri


async def test_case_page_marks_editorial_links_and_shows_sources(app_client: httpx.AsyncClient) -> None:
    for slug, record in CASES.items():
        page = (await app_client.get(f"/resource/{slug}", headers={"accept": "text/html"})).text
        rows_ = table_rows(page)
        editorial = record.get("editorial", {})
        for scheme, key in (("ai-roles", "roles"), ("stages", "stages"), ("elements", "elements")):
            for concept in editorial.get(key, []):
                row = next(r for r in rows_ if f'/resource/{scheme}/{concept}"' in r)
                assert "editorial · 편집 분류" in row, (slug, concept)
        for domain in record["domains"]:
            row = next(r for r in rows_ if f'/resource/domains/{domain}"' in r)
            assert "editorial · 편집 분류" not in row
            for source in record.get("field_sources", {}).get("domains", []):
                assert f'/resource/{source}"' in row and escape(SOURCES[source]["title"]) in row, (slug, source)
        for source in record["sources"]:
            assert escape(SOURCES[source]["title"]) in page


async def test_turtle_parts_and_lists_come_with_the_resource(app_client: httpx.AsyncClient) -> None:
    graph = parsed(await app_client.get("/resource/city-brain", headers={"accept": "text/turtle"}))
    first_data = URIRef(R + "city-brain/data/1")
    assert (URIRef(R + "city-brain"), UAI.usesData, first_data) in graph
    assert Literal(CASES["city-brain"]["data"][0]["label"]["ko"], lang="ko") in set(graph.objects(first_data, RDFS.label))
    order = parsed(await app_client.get("/resource/stages/order", headers={"accept": "text/turtle"}))
    head = order.value(URIRef(R + "stages/order"), SKOS.memberList)
    expected = CONCEPTS.value(URIRef(R + "stages/order"), SKOS.memberList)
    assert list(Collection(order, head)) == list(Collection(CONCEPTS, expected))
    assert len(list(Collection(order, head))) == 8


async def test_ontology_documents_every_term_with_an_anchor(app_client: httpx.AsyncClient) -> None:
    page = await app_client.get("/ontology", headers={"accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    terms = {s for s in ONTOLOGY.subjects(RDFS.label, None) if str(s).startswith(str(UAI))}
    assert {UAI.UrbanAICase, UAI.element} <= terms
    for term in terms:
        assert f'id="{str(term).removeprefix(str(UAI))}"' in page.text, term
        for label in ONTOLOGY.objects(term, RDFS.label):
            assert escape(str(label)) in page.text
    section = page.text.split('id="element"', 1)[1].split("</section>", 1)[0]
    assert 'href="#UrbanAICase"' in section  # its domain, linked to the class's anchor


def disjoint_classes(graph: Graph) -> list[list[str]]:
    """The member lists of the graph's owl:AllDisjointClasses axioms, sorted."""
    return sorted(sorted(map(str, Collection(graph, graph.value(axiom, OWL.members))))
                  for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses))


async def test_ontology_rdf_has_the_terms_and_their_axioms(app_client: httpx.AsyncClient) -> None:
    served = parsed(await app_client.get("/ontology", headers={"accept": "text/turtle"}))
    for term in (UAI.UrbanAICase, UAI.element):
        assert set(ONTOLOGY.objects(term, RDFS.label)) <= set(served.objects(term, RDFS.label))
        assert any(label.language == "ko" for label in served.objects(term, RDFS.label))
    named = [t for t in ONTOLOGY if isinstance(t[0], URIRef) and not isinstance(t[2], BNode)]
    assert len(named) > 300 and not [t for t in named if t not in served]
    assert disjoint_classes(served) == disjoint_classes(ONTOLOGY) and disjoint_classes(served)
    assert not list(served.subjects(RDF.type, SKOS.Concept))


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/n-triples;q=0.9, text/html;q=0.8", "application/n-triples"),
    ("text/html;q=0.4, text/turtle;q=0.6", "text/turtle"),
    (BROWSER, "text/html"),
    ("application/rdf+xml, text/turtle;q=0.1", "application/rdf+xml"),
    ("*/*", "text/turtle"),
    ("image/png;q=0.9, text/*;q=0.5", "text/turtle"),
    ("application/json", "application/ld+json"),
])
async def test_content_negotiation_follows_q_values(app_client: httpx.AsyncClient, accept: str, expected: str) -> None:
    for path in ("/resource/via", "/ontology", "/graph/data/cases/via"):
        response = await app_client.get(path, headers={"accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == expected, (path, accept)
        assert "accept" in response.headers["vary"].lower()


async def test_format_parameter_overrides_accept_and_unacceptable_gives_406(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/resource/via?format=ttl", headers={"accept": "text/html"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert (await app_client.get("/resource/via?format=html")).headers["content-type"].startswith("text/html")
    for accept in ("image/png", "text/turtle;q=0"):
        assert (await app_client.get("/resource/via", headers={"accept": accept})).status_code == 406


async def test_unknown_resources_are_404_in_the_client_s_terms(app_client: httpx.AsyncClient) -> None:
    for path in ("/resource/no-such-case", "/resource/domains/no-such-domain", "/graph/no-such-graph",
                 "/resource/city-brain/data/99"):
        problem = await app_client.get(path, headers={"accept": "application/json"})
        assert problem.status_code == 404 and problem.headers["content-type"] == "application/problem+json"
        assert problem.json()["status"] == 404 and problem.json()["title"] == "Not Found"
        page = await app_client.get(path, headers={"accept": BROWSER})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        plain = await app_client.get(path, headers={"accept": "text/turtle"})
        assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")


async def test_public_url_changes_links_but_not_iris(built_store: Any, backend: EmbeddedBackend,
                                                      app_client: httpx.AsyncClient,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_PUBLIC_URL", "http://example.test/kg")
    app = create_app(Settings(store=built_store[0]), backend=backend)
    canonical = await app_client.get("/resource/city-brain", headers={"accept": "text/turtle"})
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as moved:
            page = (await moved.get("/resource/city-brain", headers={"accept": "text/html"})).text
            assert "http://example.test/kg/resource/alibaba-cloud" in hrefs(page)
            assert "http://example.test/kg/ontology#UrbanAICase" in hrefs(page)
            assert not [h for h in hrefs(page) if h.startswith(BASE)]
            assert "<code>https://w3id.org/urbanai-kg/resource/city-brain</code>" in page
            turtle = await moved.get("/resource/city-brain", headers={"accept": "text/turtle"})
            assert "example.test" not in turtle.text
            assert isomorphic(parsed(turtle), parsed(canonical))
            ontology = (await moved.get("/ontology", headers={"accept": "text/html"}))
            assert "http://example.test/kg/ontology?format=ttl" in ontology.headers["link"]
            graph_page = (await moved.get("/graph/editorial", headers={"accept": "text/html"})).text
            assert "http://example.test/kg/resource/city-brain" in hrefs(graph_page)


# Raw dot segments never reach the server through httpx (it normalises them); see the http.client test.
HOSTILE = ["%2E%2E", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/etc/passwd", "city-brain/%2E%2E/via", "%00",
           "city-brain%00", "a" * 5000, "a/" * 2000, "city-brain%22", "%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
           "'%20OR%201=1", "CITY-BRAIN", "city%20brain", "city-brain/", "/city-brain", "%ZZ", "%F0%9F%92%A5",
           "city-brain%3E%20%3Chttp://e/p%3E%20%3Chttp://e/o", "city-brain?format=%00"]


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_hostile_ids_are_client_errors(app_client: httpx.AsyncClient, hostile: str) -> None:
    for prefix in ("/resource/", "/graph/"):
        for accept in ("text/html", "text/turtle", "application/json"):
            response = await app_client.get(httpx.URL(prefix + hostile), headers={"accept": accept})
            assert 400 <= response.status_code < 500, (prefix, hostile, accept, response.status_code)
            if response.headers["content-type"].startswith("text/html"):
                assert "<script>" not in response.text


def test_hostile_ids_on_a_real_server(live_server: Any) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for hostile in HOSTILE:
            response = client.get(httpx.URL(live_server.url + "/resource/" + hostile), headers={"accept": BROWSER})
            assert 400 <= response.status_code < 500, (hostile, response.status_code)
        assert client.get("/resource/via").status_code == 200  # and it still answers
    for raw in ("/resource/../../etc/passwd", "/resource/city-brain/../../api", "/graph/../resource/via",
                "/resource/city-brain/./data/1"):
        connection = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
        try:
            connection.request("GET", raw, headers={"Accept": "text/html"})
            status = connection.getresponse().status
        finally:
            connection.close()
        assert 400 <= status < 500, (raw, status)


async def test_pages_escape_the_data(app_client: httpx.AsyncClient) -> None:
    organisations = load(DATA / "organisations.yaml")
    record = next(r for r in organisations if "&" in r["label"]["en"])
    page = (await app_client.get(f"/resource/{record['id']}", headers={"accept": "text/html"})).text
    assert escape(record["label"]["en"]) in page and record["label"]["en"] not in page


def _records(loaded: Any) -> list[dict[str, Any]]:
    """The records of one data file (a record, or a list of them)."""
    return [r for r in (loaded if isinstance(loaded, list) else [loaded]) if isinstance(r, dict) and "id" in r]


async def test_every_resource_in_the_store_resolves(app_client: httpx.AsyncClient, backend: EmbeddedBackend) -> None:
    subjects = [str(r["s"]) for r in select(backend, f"""
        SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{R}")
                                               && !CONTAINS(STR(?s), "/fact/")) }}""")]
    concepts = {str(c) for c in CONCEPTS.subjects(RDF.type, SKOS.Concept)} | {
        str(s) for s in CONCEPTS.subjects(RDF.type, SKOS.ConceptScheme)}
    records = {R + record["id"] for path in DATA.rglob("*.yaml") for record in _records(load(path))}
    assert len(concepts) > 80 and {R + slug for slug in CASES} <= records and len(records) > 250
    assert concepts | records <= set(subjects)
    failures = []
    for iri in subjects:
        for accept in ("text/html", "text/turtle"):
            response = await app_client.get("/resource/" + iri.removeprefix(R), headers={"accept": accept})
            if response.status_code != 200:
                failures.append((iri, accept, response.status_code))
    assert not failures
    facts = select(backend, f"SELECT ?f WHERE {{ ?f a <{RDF}Statement> }} LIMIT 20")
    for row in facts:
        response = await app_client.get("/resource/" + str(row["f"]).removeprefix(R), headers={"accept": "text/turtle"})
        assert response.status_code == 200 and (URIRef(row["f"]), RDF.subject, None) in parsed(response)


async def test_named_graphs_dereference_to_their_content(app_client: httpx.AsyncClient, backend: EmbeddedBackend) -> None:
    graph_iri = BASE + "graph/data/cases/city-brain"
    count = select(backend, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")[0]["n"]
    served = parsed(await app_client.get("/graph/data/cases/city-brain", headers={"accept": "application/n-triples"}))
    assert len(served) == count
    assert Literal(CASES["city-brain"]["label"]["ko"], lang="ko") in set(served.objects(URIRef(R + "city-brain"),
                                                                                         RDFS.label))
    page = await app_client.get("/graph/data/cases/city-brain", headers={"accept": "text/html"})
    assert page.status_code == 200 and f"{count} triples" in page.text
    assert "https://w3id.org/urbanai-kg/resource/city-brain" in hrefs(page.text)


async def test_openapi_documents_the_dereferencing_routes(app_client: httpx.AsyncClient) -> None:
    paths = (await app_client.get("/openapi.json")).json()["paths"]
    assert {"/resource/{id}", "/ontology", "/graph/{name}"} <= set(paths)
    assert "text/turtle" in paths["/resource/{id}"]["get"]["responses"]["200"]["content"]


async def test_a_remote_store_serves_the_same_descriptions(settings: Settings, live_server: Any,
                                                           app_client: httpx.AsyncClient) -> None:
    remote = settings.model_copy(update={"endpoint": f"{live_server.url}/sparql"})
    app = create_app(remote)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            for path in ("/resource/city-brain", "/resource/stages/order", "/ontology", "/graph/data/cases/via"):
                for media in ("text/turtle", "text/html"):
                    here = await app_client.get(path, headers={"accept": media})
                    there = await client.get(path, headers={"accept": media})
                    assert there.status_code == 200, (path, media)
                    if media == "text/html":
                        assert there.text == here.text, path
                    else:
                        assert isomorphic(parsed(there), parsed(here)), path
            assert (await client.get("/resource/no-such-case")).status_code == 404


def test_head_answers_the_headers_of_get_without_a_body(live_server: Any) -> None:
    """HEAD on an IRI, the API and the endpoint: GET's status and headers, no body (RFC 9110)."""
    paths = ["/resource/city-brain", "/ontology", "/api/cases?lang=ko", "/health",
             "/sparql?query=ASK%7B%7D", "/resource/no-such-thing"]
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for path in paths:
            for accept in ("text/turtle", BROWSER):
                get = client.get(path, headers={"accept": accept})
                head = client.head(path, headers={"accept": accept})
                assert head.status_code == get.status_code, path
                assert head.content == b"", path
                assert head.headers["content-type"] == get.headers["content-type"], path
                assert head.headers["content-length"] == str(len(get.content)), path
        assert client.request("DELETE", "/resource/city-brain").status_code == 405
