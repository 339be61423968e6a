"""The W3C SPARQL 1.1 Protocol test suite (../shared/w3c/protocol), read-only tests, on a real server.

The runner parses the manifest, keeps the 27 tests that apply to a query-only endpoint (the 7
`update_*` tests perform updates), loads the manifests' own data into the named graphs they name,
and sends each request as written, with the path prefix `/sparql/` mapped to this server's `/sparql`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, Quad, QueryBoolean, QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg import store as layout
from kg.config import Settings
from tests.conftest import LiveServer, serving

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples", "application/rdf+json"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]
    boolean: bool | None
    format: str | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: tuple[Request, ...]
    graphs: tuple[tuple[str, Path], ...]


def load_suite() -> list[ProtocolTest]:
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        name = str(entry).rsplit("#", 1)[1]
        action = manifest.value(entry, MF.action)
        requests = tuple(_request(manifest, r) for r in Collection(manifest, manifest.value(action, HT.requests)))
        graphs = tuple((str(manifest.value(d, RDFS.label)), SUITE / str(manifest.value(d, UT.graph)).rsplit("/", 1)[1])
                       for d in manifest.objects(entry, UT.graphData))
        tests.append(ProtocolTest(name, str(manifest.value(entry, MF.name)), requests, graphs))
    return tests


def _request(manifest: Graph, node: URIRef) -> Request:
    headers = {}
    if (header_list := manifest.value(node, HT.headers)) is not None:
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
    body = None
    if (content := manifest.value(node, HT.body)) is not None:
        encoding = str(manifest.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(content, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    boolean = manifest.value(response, MF.expectedBoolean)
    return Request(
        method=str(manifest.value(node, HT.methodName)), path=str(manifest.value(node, HT.absolutePath)),
        headers=headers, body=body,
        statuses=frozenset(str(s).removeprefix(HTS) for s in manifest.objects(response, MF.expectedStatus)),
        boolean=None if boolean is None else boolean.toPython(),
        format=None if manifest.value(response, MF.expectedFormat) is None
        else str(manifest.value(response, MF.expectedFormat)))


SUITE_TESTS = load_suite()
READ_ONLY = [t for t in SUITE_TESTS if not t.name.startswith("update_")]


def test_runner_finds_the_whole_suite() -> None:
    assert len(SUITE_TESTS) == 34
    assert len(READ_ONLY) == 27
    assert sum(t.name.startswith("query_") for t in READ_ONLY) == 13
    assert sum(t.name.startswith("bad_") for t in READ_ONLY) == 14


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    graphs = {label: path for test in SUITE_TESTS for label, path in test.graphs}
    assert len(graphs) == 3
    quads = [Quad(t.subject, t.predicate, t.object, NamedNode(label))
             for label, path in graphs.items() for t in parse(path=str(path), format=RdfFormat.N_TRIPLES)]
    store = tmp_path_factory.mktemp("w3c-store")
    layout.write_store(quads, store, stamp="w3c", manifest={"triples": len(quads)}, dump=False)
    with serving(Settings(store=store, query_workers=2)) as server:
        yield server


@pytest.mark.parametrize("test", READ_ONLY, ids=[t.name for t in READ_ONLY])
def test_protocol(test: ProtocolTest, w3c_server: LiveServer) -> None:
    for request in test.requests:
        path = request.path.replace("/sparql/", "/sparql", 1)
        response = httpx.request(request.method, w3c_server.url + path, headers=request.headers,
                                 content=request.body, timeout=30)
        assert f"{str(response.status_code)[0]}xx" in request.statuses, (test.title, response.status_code,
                                                                         response.text[:300])
        if not response.is_success:
            continue
        media_type = response.headers["content-type"].split(";")[0].strip()
        if request.format in ("boolean", "tabular"):
            assert media_type in RESULT_TYPES
        if request.format == "RDF" or test.name == "query_content_type_describe" \
                or test.name == "query_content_type_construct":
            assert media_type in RDF_TYPES
            list(parse(response.content, format=RdfFormat.from_media_type(media_type)))
        if test.name == "query_content_type_ask":
            assert media_type in {"application/sparql-results+xml", "application/sparql-results+json"}
        if request.boolean is not None:
            results_format = QueryResultsFormat.from_media_type(media_type)
            assert results_format is not None
            parsed = parse_query_results(response.content, format=results_format)
            assert isinstance(parsed, QueryBoolean) and bool(parsed) is request.boolean
