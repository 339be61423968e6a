"""Exports: GraphML and GEXF that other tools re-read as written, node-link JSON, the RDF syntaxes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Quad, RdfFormat, parse

from kg import KnowledgeGraph, open_graph
from kg.build import BuildResult
from kg.cli import cli
from kg.config import Settings
from kg.exports import export_bytes, graph_bytes, portable
from kg.namespaces import RESOURCE
from tests.conftest import LiveServer

NAMES = ["rdf", "cases", "similarity", "actors", "concepts"]


@pytest.fixture(scope="module")
def graph(settings: Settings) -> Iterator[KnowledgeGraph]:
    with open_graph(store=settings.store) as opened:
        yield opened


@pytest.fixture(scope="module")
def projections(graph: KnowledgeGraph) -> dict[str, nx.Graph]:
    return {name: graph.to_networkx(name) for name in NAMES}


def as_text(attrs: dict[str, Any], *, drop: tuple[str, ...] = ()) -> dict[str, str]:
    return {k: str(v) for k, v in attrs.items() if k not in drop}


def edge_table(G: nx.Graph, *, drop: tuple[str, ...] = ()) -> dict[tuple[str, ...], dict[str, str]]:
    if G.is_multigraph():
        return {(u, v, str(k)): as_text(d, drop=drop) for u, v, k, d in G.edges(keys=True, data=True)}
    # an undirected edge may come back the other way round
    return {tuple(sorted((u, v)) if not G.is_directed() else (u, v)): as_text(d, drop=drop)
            for u, v, d in G.edges(data=True)}


def assert_same(written: nx.Graph, read: nx.Graph, *, edge_drop: tuple[str, ...] = ()) -> None:
    assert read.is_directed() == written.is_directed()
    assert read.is_multigraph() == written.is_multigraph() or not any(
        written.number_of_edges(u, v) > 1 for u, v in written.edges())
    assert {n: as_text(d) for n, d in read.nodes(data=True)} == {n: as_text(d) for n, d in written.nodes(data=True)}
    assert edge_table(read, drop=edge_drop) == edge_table(written)


@pytest.mark.parametrize("name", NAMES)
def test_graphml_reads_back_the_same_graph(projections: dict[str, nx.Graph], name: str) -> None:
    G = projections[name]
    read = nx.read_graphml(io.BytesIO(graph_bytes(G, format="graphml")), force_multigraph=G.is_multigraph())
    written = portable(G)
    assert_same(written, read)
    # the reader adds empty node_default/edge_default dicts of its own
    assert {k: v for k, v in read.graph.items() if not k.endswith("_default")} == written.graph
    assert read.number_of_nodes() == G.number_of_nodes() and read.number_of_edges() == G.number_of_edges()


@pytest.mark.parametrize("name", NAMES)
def test_gexf_reads_back_the_same_graph(projections: dict[str, nx.Graph], name: str) -> None:
    G = projections[name]
    read = nx.read_gexf(io.BytesIO(graph_bytes(G, format="gexf")))
    # GEXF gives every edge an "id" attribute: the writer's counter, not data of ours
    assert_same(portable(G), read, edge_drop=("id",))
    assert read.number_of_nodes() == G.number_of_nodes() and read.number_of_edges() == G.number_of_edges()


@pytest.mark.parametrize("name", NAMES)
def test_graph_formats_declare_one_type_per_attribute(projections: dict[str, nx.Graph], name: str) -> None:
    root = ET.fromstring(graph_bytes(projections[name], format="graphml"))
    keys = [(k.get("for"), k.get("attr.name")) for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert keys and len(keys) == len(set(keys))
    gexf = ET.fromstring(graph_bytes(projections[name], format="gexf"))
    for attributes in gexf.iter("{http://www.gexf.net/1.2draft}attributes"):
        titles = [a.get("title") for a in attributes]
        assert len(titles) == len(set(titles))


def test_portable_flattens_lists_and_unifies_types() -> None:
    G = nx.MultiDiGraph()
    G.add_node("https://e/a", types=["uai:A", "uai:B"], year=2016, note=None, flag=True)
    G.add_node("https://e/b", year=2016.5, flag="maybe")
    G.add_edge("https://e/a", "https://e/b", key="https://e/p", weight=None, predicate="ex:p")
    P = portable(G)
    assert P.nodes["https://e/a"] == {"types": "uai:A; uai:B", "year": 2016.0, "flag": "True"}
    assert P.nodes["https://e/b"] == {"year": 2016.5, "flag": "maybe"}
    assert P.edges["https://e/a", "https://e/b", "https://e/p"] == {"predicate": "ex:p"}


def test_rdf_projection_attributes_keep_both_languages_in_graphml(projections: dict[str, nx.Graph]) -> None:
    read = nx.read_graphml(io.BytesIO(graph_bytes(projections["rdf"], format="graphml")), force_multigraph=True)
    node = read.nodes[RESOURCE + "city-brain"]
    assert node["label_ko"] == projections["rdf"].nodes[RESOURCE + "city-brain"]["label_ko"]
    assert "uai:UrbanAICase" in node["types"].split("; ")


@pytest.mark.parametrize("name", NAMES)
def test_node_link_json_round_trips_exactly(graph: KnowledgeGraph, projections: dict[str, nx.Graph], name: str) -> None:
    data = json.loads(export_bytes(graph, format="node-link-json", projection=name))
    read = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(read, projections[name])
    assert type(read) is type(projections[name])


def test_nquads_keeps_every_quad_and_jsonld_the_same_dataset(graph: KnowledgeGraph,
                                                             built_store: tuple[Path, BuildResult]) -> None:
    quads = list(parse(export_bytes(graph, format="nquads"), format=RdfFormat.N_QUADS))
    assert len(quads) == built_store[1].triples
    from_jsonld = list(parse(export_bytes(graph, format="jsonld"), format=RdfFormat.JSON_LD))
    assert without_blank_nodes(from_jsonld) == without_blank_nodes(quads)
    assert len({q.graph_name for q in from_jsonld}) == len({q.graph_name for q in quads}) > 3


def without_blank_nodes(quads: list[Quad]) -> set[Quad]:
    return {q for q in quads if not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)}


def test_turtle_holds_the_union_of_the_graphs(graph: KnowledgeGraph, live_server: LiveServer) -> None:
    (row,) = graph.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    local = list(parse(export_bytes(graph, format="turtle"), format=RdfFormat.TURTLE))
    assert len(local) == int(row["n"].value)
    with open_graph(endpoint=live_server.url + "/sparql", timeout=60) as remote:
        served = list(parse(export_bytes(remote, format="turtle"), format=RdfFormat.TURTLE))
    assert len(served) == len(local) and without_blank_nodes(served) == without_blank_nodes(local)


def test_an_rdf_format_takes_no_projection(graph: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="projection"):
        export_bytes(graph, format="turtle", projection="cases")
    with pytest.raises(ValueError, match="graphml"):
        export_bytes(graph, format="pajek")


def test_cli_exports_a_projection_as_graphml(settings: Settings, tmp_path: Path) -> None:
    target = tmp_path / "cases.graphml"
    result = CliRunner().invoke(cli, ["export", "--format", "graphml", "--projection", "cases",
                                      "--out", str(target), "--store", str(settings.store)])
    assert result.exit_code == 0, result.output
    read = nx.read_graphml(target)
    cases = [n for n, d in read.nodes(data=True) if d["kind"] == "case"]
    assert len(cases) == len(list((Path(__file__).parents[1] / "data" / "cases").glob("*.yaml")))


def test_cli_exports_gexf_from_an_endpoint(live_server: LiveServer, tmp_path: Path) -> None:
    target = tmp_path / "concepts.gexf"
    result = CliRunner().invoke(cli, ["export", "--format", "gexf", "--projection", "concepts", "--out", str(target),
                                      "--endpoint", live_server.url + "/sparql"])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(target).nodes[RESOURCE + "stages"]["kind"] == "scheme"


def test_cli_refuses_a_projection_with_an_rdf_format(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "turtle", "--projection", "cases",
                                      "--store", str(settings.store)])
    assert result.exit_code == 2 and "projection" in result.output


def test_graph_export_writes_the_file(graph: KnowledgeGraph, projections: dict[str, nx.Graph], tmp_path: Path) -> None:
    written = graph.export(tmp_path / "actors.gexf", format="gexf", projection="actors")
    assert set(nx.read_gexf(written)) == set(projections["actors"])


def test_nquads_from_an_endpoint_keeps_the_named_graphs(graph: KnowledgeGraph, live_server: LiveServer) -> None:
    local = set(parse(export_bytes(graph, format="nquads"), format=RdfFormat.N_QUADS))
    with open_graph(endpoint=live_server.url + "/sparql", timeout=60, page_size=5000) as remote:
        served = list(parse(export_bytes(remote, format="nquads"), format=RdfFormat.N_QUADS))
    assert len(served) == len(local)
    assert without_blank_nodes(served) == without_blank_nodes(list(local))
    assert len({q.graph_name for q in served}) > 3
