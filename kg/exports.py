"""Exports: a projection as GraphML, GEXF or node-link JSON, or the RDF in a standard syntax.

GraphML and GEXF go through :func:`portable`, so Gephi and Cytoscape read them as written: no
``None`` attribute, IRIs as strings, a list joined into one string (``"; "``) and one type per
attribute key (booleans, integers, numbers — integers widened to floats where a key mixes them — or
else strings for every value of the key). Node-link JSON keeps the projection as it is.

RDF comes from pyoxigraph's own serialisers. The dataset formats (N-Quads, TriG, JSON-LD) keep the
named graphs: the embedded store dumps itself, and a remote endpoint is read with the ``quads``
named query (in pages, where the endpoint caps its rows). The triple formats hold the union of the
graphs (the default graph every query sees).
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from kg.namespaces import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph

GRAPH_FORMATS = ("graphml", "gexf", "node-link-json")
"""Formats of a networkx projection."""
RDF_FORMATS: dict[str, RdfFormat] = {
    "nquads": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG, "jsonld": RdfFormat.JSON_LD,
    "turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "rdfxml": RdfFormat.RDF_XML,
}
"""Formats of the RDF itself, by the name ``urbanai-kg export --format`` takes."""
FORMATS = GRAPH_FORMATS + tuple(RDF_FORMATS)
_SEPARATOR = "; "


def export_bytes(graph: KnowledgeGraph, /, *, format: str, projection: str | None = None) -> bytes:
    """The graph serialised as ``format`` (one of :data:`FORMATS`).

    :param projection: for a graph format, the projection to write (default ``rdf``).
    :raises ValueError: for an unknown format, or a projection asked of an RDF format.
    """
    if format in RDF_FORMATS:
        if projection is not None:
            raise ValueError(f"{format} writes the RDF itself: leave out the projection")
        return rdf_bytes(graph, RDF_FORMATS[format])
    if format not in GRAPH_FORMATS:
        raise ValueError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    return graph_bytes(graph.to_networkx(projection or "rdf"), format=format)


def graph_bytes(nx_graph: nx.Graph, /, *, format: str) -> bytes:
    """A networkx graph as ``graphml``, ``gexf`` (both through :func:`portable`) or ``node-link-json``.

    >>> import networkx as nx
    >>> G = nx.Graph(name="demo")
    >>> G.add_edge("https://e/a", "https://e/b", relation="domain")
    >>> b"https://e/a" in graph_bytes(G, format="graphml")
    True
    """
    import networkx as nx

    if format == "node-link-json":
        data = nx.node_link_data(nx_graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    buffer = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(portable(nx_graph), buffer, encoding="utf-8")
    elif format == "gexf":
        nx.write_gexf(portable(nx_graph), buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {format!r}: use one of {', '.join(GRAPH_FORMATS)}")
    return buffer.getvalue()


def portable(nx_graph: nx.Graph, /) -> nx.Graph:
    """A copy of a graph whose attributes every GraphML/GEXF reader takes (see the module docstring).

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", types=["uai:Case", "skos:Concept"], year=2016, note=None)
    >>> G.add_node("b", year=2017.5)
    >>> portable(G).nodes(data=True)
    NodeDataView({'a': {'types': 'uai:Case; skos:Concept', 'year': 2016.0}, 'b': {'year': 2017.5}})
    """
    copy = nx_graph.__class__()
    copy.graph.update(_uniform([dict(nx_graph.graph)])[0])
    nodes = list(nx_graph.nodes(data=True))
    copy.add_nodes_from((str(n), attrs) for (n, _), attrs in zip(nodes, _uniform([a for _, a in nodes])))
    if nx_graph.is_multigraph():
        edges = list(nx_graph.edges(keys=True, data=True))
        copy.add_edges_from((str(u), str(v), str(k), attrs)
                            for (u, v, k, _), attrs in zip(edges, _uniform([e[3] for e in edges])))
    else:
        pairs = list(nx_graph.edges(data=True))
        copy.add_edges_from((str(u), str(v), attrs) for (u, v, _), attrs in zip(pairs, _uniform([e[2] for e in pairs])))
    return copy


def rdf_bytes(graph: KnowledgeGraph, rdf_format: RdfFormat, /) -> bytes:
    """The RDF of the graph as pyoxigraph serialises it (named graphs kept where the format can)."""
    from kg.backends.embedded import EmbeddedBackend

    prefixes = None if rdf_format in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES) else PREFIXES
    backend = graph.backend
    if rdf_format.supports_datasets and isinstance(backend, EmbeddedBackend):
        return backend.store.dump(format=rdf_format, prefixes=prefixes) or b""
    if rdf_format.supports_datasets:
        quads = (Quad(row["s"], row["p"], row["o"], row["g"]) for row in graph.rows("quads"))  # type: ignore[arg-type]
        return serialize(quads, format=rdf_format, prefixes=prefixes) or b""
    triples = (Triple(row["s"], row["p"], row["o"]) for row in graph.rows("projection-rdf"))  # type: ignore[arg-type]
    return serialize(triples, format=rdf_format, prefixes=prefixes) or b""


def _uniform(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records with scalar values and one type per key, ``None`` values left out."""
    flat = [{k: _scalar(v) for k, v in record.items() if v is not None} for record in records]
    types: dict[str, set[type]] = {}
    for record in flat:
        for key, v in record.items():
            types.setdefault(key, set()).add(type(v))
    cast = {key: _common(found) for key, found in types.items()}
    return [{k: cast[k](v) for k, v in record.items()} for record in flat]


def _scalar(v: Any) -> Any:
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return _SEPARATOR.join(str(x) for x in items if x is not None)
    if isinstance(v, (bool, int, float, str)):
        return v
    return str(v)  # an IRI term, a date: its text


def _common(found: set[type]) -> type:
    """The one type every value of a key can take."""
    for single in (bool, int, float):
        if found == {single}:
            return single
    return float if found == {int, float} else str
