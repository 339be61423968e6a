"""networkx projections and typed DataFrames, on the embedded store and on a real SPARQL endpoint.

The counts come from SPARQL COUNT queries written here, independently of ``queries/projection-*.rq``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import yaml
from pyoxigraph import NamedNode

from kg import KnowledgeGraph, open_graph
from kg.config import Settings, resource_dir
from kg.namespaces import RESOURCE
from kg.similarity import similar_cases
from tests.conftest import LiveServer

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX uai: <https://w3id.org/urbanai-kg/ontology#>
"""
CASE_LINKS = ("uai:domain uai:aiRole uai:stage uai:element uai:leadOrganisation uai:partnerOrganisation "
              "uai:funder uai:locatedIn uai:usesTechnique")

COUNTS: dict[str, tuple[str, str]] = {
    "rdf": (
        """SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
             { ?n ?p ?o } UNION { ?s ?p ?n FILTER(!isLiteral(?n) && ?p != rdf:type) } }""",
        """SELECT (COUNT(*) AS ?count) WHERE {
             SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isLiteral(?o) && ?p != rdf:type) } }""",
    ),
    "cases": (
        f"""SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {{
              {{ ?n a uai:UrbanAICase }} UNION {{ VALUES ?p {{ {CASE_LINKS} }} ?c a uai:UrbanAICase ; ?p ?n }} }}""",
        f"""SELECT (COUNT(*) AS ?count) WHERE {{
              SELECT DISTINCT ?c ?n WHERE {{ VALUES ?p {{ {CASE_LINKS} }} ?c a uai:UrbanAICase ; ?p ?n }} }}""",
    ),
    "similarity": (
        "SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE { ?n a uai:UrbanAICase }",
        "",  # the edges are checked against kg.similarity.similar_cases below
    ),
    "actors": (
        """SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
             VALUES ?class { uai:UrbanAICase uai:Organisation uai:Place } ?n a ?class }""",
        """SELECT (COUNT(*) AS ?count) WHERE { SELECT DISTINCT ?s ?t WHERE {
             { ?s a uai:UrbanAICase ; uai:leadOrganisation|uai:partnerOrganisation|uai:funder ?t .
               ?t a uai:Organisation }
             UNION { ?s a uai:UrbanAICase ; uai:locatedIn ?t . ?t a uai:Place }
             UNION { ?s a uai:Organisation ; uai:locatedIn ?t . ?t a uai:Place }
             UNION { GRAPH ?g { ?s uai:within ?t } ?s a uai:Place .
                     FILTER(STRSTARTS(STR(?g), "https://w3id.org/urbanai-kg/graph/data/")) } } }""",
    ),
    "concepts": (
        """SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
             { ?n a skos:ConceptScheme } UNION { ?n a skos:Concept ; skos:inScheme ?s } }""",
        """SELECT (COUNT(*) AS ?count) WHERE { SELECT DISTINCT ?parent ?child WHERE {
             { ?parent a skos:ConceptScheme ; skos:hasTopConcept ?child }
             UNION { ?child skos:topConceptOf ?parent . ?parent a skos:ConceptScheme }
             UNION { ?child skos:broader ?parent } } }""",
    ),
}


@pytest.fixture(scope="module", params=["embedded", "remote"])
def graph(request: pytest.FixtureRequest, settings: Settings) -> Iterator[KnowledgeGraph]:
    if request.param == "embedded":
        opened = open_graph(store=settings.store)
    else:
        server: LiveServer = request.getfixturevalue("live_server")
        opened = open_graph(endpoint=server.url + "/sparql", timeout=60)
    with opened:
        yield opened


@pytest.fixture(scope="module")
def projections(graph: KnowledgeGraph) -> dict[str, nx.Graph]:
    return {name: graph.to_networkx(name) for name in graph.projections}


def count(graph: KnowledgeGraph, sparql: str) -> int:
    (row,) = graph.select(PREFIXES + sparql)
    return int(row["count"].value)


def case_records() -> list[dict[str, object]]:
    files = sorted((resource_dir("data") / "cases").glob("*.yaml"))
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]


@pytest.mark.parametrize("name", list(COUNTS))
def test_projection_sizes_equal_independent_counts(graph: KnowledgeGraph, projections: dict[str, nx.Graph],
                                                   name: str) -> None:
    nodes, edges = COUNTS[name]
    G = projections[name]
    assert G.number_of_nodes() == count(graph, nodes) > 0
    if edges:
        assert G.number_of_edges() == count(graph, edges) > 0


def test_every_projection_is_named_and_has_no_none_attribute(projections: dict[str, nx.Graph]) -> None:
    assert sorted(projections) == ["actors", "cases", "concepts", "rdf", "similarity"]
    for name, G in projections.items():
        assert G.graph["name"] == name and G.graph["description"]
        for _, attrs in G.nodes(data=True):
            assert None not in attrs.values() and attrs["label"]
        for *_, attrs in G.edges(data=True):
            assert None not in attrs.values()


def test_rdf_projection_keeps_literals_and_types_as_attributes(projections: dict[str, nx.Graph]) -> None:
    G = projections["rdf"]
    assert isinstance(G, nx.MultiDiGraph)
    for record in case_records():
        node = G.nodes[RESOURCE + str(record["id"])]
        label = record["label"]
        assert isinstance(label, dict)
        assert (node["label_en"], node["label_ko"]) == (label["en"].strip(), label["ko"].strip())
        assert "uai:UrbanAICase" in node["types"]
    # no literal became a node: every node is an IRI or a blank node
    assert {attrs["kind"] for _, attrs in G.nodes(data=True)} <= {"iri", "bnode"}
    assert all(not str(n).startswith('"') for n in G)
    city_brain = RESOURCE + "city-brain"
    assert G.nodes[city_brain]["uai:startYear"] == 2016
    assert G.has_edge(city_brain, RESOURCE + "domains/ai-city", key="https://w3id.org/urbanai-kg/ontology#domain")


def test_cases_projection_links_each_case_to_its_stated_features(projections: dict[str, nx.Graph]) -> None:
    G = projections["cases"]
    assert nx.is_bipartite(G)
    for record in case_records():
        case = RESOURCE + str(record["id"])
        assert G.nodes[case]["kind"] == "case" and G.nodes[case]["bipartite"] == 0
        for domain in record.get("domains", []):  # type: ignore[attr-defined]
            edge = G.edges[case, RESOURCE + "domains/" + domain]
            assert "domain" in edge["relation"] and edge["editorial"] is False
        for org in record.get("lead_organisations", []):  # type: ignore[attr-defined]
            assert G.nodes[RESOURCE + org]["kind"] == "organisation"
            assert "lead-organisation" in G.edges[case, RESOURCE + org]["relation"]
        for place in record.get("places", []):  # type: ignore[attr-defined]
            assert G.edges[case, RESOURCE + place]["editorial"] is False


def test_cases_projection_marks_the_editorial_links(graph: KnowledgeGraph, projections: dict[str, nx.Graph]) -> None:
    # stage, element and AI role are the curators' classification (docs/editorial-criteria.md)
    only_editorial = count(graph, f"""SELECT (COUNT(*) AS ?count) WHERE {{ SELECT DISTINCT ?c ?n WHERE {{
        VALUES ?p {{ {CASE_LINKS} }}
        GRAPH <https://w3id.org/urbanai-kg/graph/editorial> {{ ?c ?p ?n }}
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?c ?p ?n }} FILTER(?g != <https://w3id.org/urbanai-kg/graph/editorial>) }}
    }} }}""")
    edges = list(projections["cases"].edges(data=True))
    assert sum(1 for *_, e in edges if e["editorial"]) == only_editorial > 0
    kinds = {projections["cases"].nodes[v]["kind"] for _, v, e in edges if e["editorial"]}
    kinds |= {projections["cases"].nodes[u]["kind"] for u, _, e in edges if e["editorial"]}
    assert kinds - {"case"} <= {"stage", "element", "role"}


def test_similarity_projection_is_the_similarity_of_similar_cases(graph: KnowledgeGraph,
                                                                  projections: dict[str, nx.Graph]) -> None:
    G = projections["similarity"]
    for case in G:
        case_id = case.removeprefix(RESOURCE)
        expected = {RESOURCE + s.other: s.score for s in similar_cases(graph.backend, case_id, limit=1000)}
        assert {other: G.edges[case, other]["weight"] for other in G[case]} == expected
    scores = [e["weight"] for *_, e in G.edges(data=True)]
    assert scores and all(0 < w <= 1 for w in scores)
    some = next(iter(G.edges(data=True)))[2]
    assert some["reasons_en"] and some["reasons_ko"] and some["features"]


def test_actors_projection_connects_organisations_cases_and_places(projections: dict[str, nx.Graph]) -> None:
    G = projections["actors"]
    record = next(r for r in case_records() if r["id"] == "city-brain")
    case = RESOURCE + "city-brain"
    assert {RESOURCE + o for o in record["lead_organisations"]} <= set(G.successors(case))  # type: ignore[attr-defined]
    assert {RESOURCE + p for p in record["places"]} <= set(G.successors(case))  # type: ignore[attr-defined]
    assert {G.nodes[n]["kind"] for n in G} == {"case", "organisation", "place"}


def test_concepts_projection_is_a_dag_of_the_schemes(projections: dict[str, nx.Graph]) -> None:
    G = projections["concepts"]
    assert nx.is_directed_acyclic_graph(G)
    stages = [n for n, d in G.nodes(data=True) if d.get("scheme") == RESOURCE + "stages"]
    assert len(stages) == 8  # the eight stages of the brief's structure
    assert sorted(G.nodes[n]["position"] for n in stages) == list(range(1, 9))
    assert all(G.nodes[n]["label_ko"] for n in stages)
    for scheme in ("domains", "stages", "elements", "ai-roles"):
        assert G.nodes[RESOURCE + scheme]["kind"] == "scheme" and G.out_degree(RESOURCE + scheme) > 0


def test_unknown_projection_names_the_known_ones(graph: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="cases, similarity"):
        graph.to_networkx("people")


def test_paged_reads_give_the_same_projection(graph: KnowledgeGraph, projections: dict[str, nx.Graph]) -> None:
    paged = KnowledgeGraph(graph.backend, queries=graph.queries, page_size=7)
    G = paged.to_networkx("actors")
    assert nx.utils.graphs_equal(G, projections["actors"])


def test_query_df_types_its_columns(graph: KnowledgeGraph) -> None:
    df = graph.query_df("strategies")
    assert str(df["year"].dtype) == "Int64" and str(df["label_en"].dtype) == "string"
    assert str(df["label_ko"].dtype) == "string" and str(df["strategy"].dtype) == "string"
    files = (resource_dir("data") / "strategies").glob("*.yaml")
    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]
    expected = {r["id"]: r.get("year") for r in records}
    assert None in expected.values()  # a strategy without a year: <NA>, and the column stays integer
    got = {s: (None if pd.isna(y) else y) for s, y in zip(df["strategy"].str.removeprefix(RESOURCE), df["year"])}
    assert got == expected


def test_query_df_binds_parameters(graph: KnowledgeGraph) -> None:
    canada = graph.query_df("strategies", country="canada")
    assert canada["strategy"].tolist() == [RESOURCE + "canada-national-ai-strategy"]
    record = next(r for r in case_records() if r["id"] == "city-brain")
    started = graph.query_df(PREFIXES + "SELECT ?c ?n WHERE { ?c a uai:UrbanAICase ; uai:startYear ?n }",
                             c=NamedNode(RESOURCE + "city-brain"))
    assert str(started["n"].dtype) == "Int64" and started["n"].tolist() == [record["start_year"]]


def test_open_graph_reads_kg_store(monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the working directory
    monkeypatch.setenv("KG_STORE", str(settings.store))
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    with open_graph() as g:
        assert g.to_networkx("cases").number_of_nodes() > 0
