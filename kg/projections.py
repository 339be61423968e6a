"""networkx projections of the knowledge graph, one small class each (``docs/projections.md``).

Every projection reads named queries (``queries/projection-*.rq``) through the backend, so the
embedded store and a remote endpoint give the same graph. Nodes are keyed by IRI (blank nodes by
``_:id``) and carry ``kind``, ``label`` (English, else Korean, else the IRI's compact form),
``label_en`` and ``label_ko`` where the graph has them; an attribute the graph lacks is left out,
never ``None``.

>>> [p.name for p in PROJECTIONS]
['rdf', 'cases', 'similarity', 'actors', 'concepts']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from pyoxigraph import BlankNode, Literal, NamedNode

from kg.frames import value
from kg.namespaces import PREFIXES, RDF, RDFS, RESOURCE, SKOS

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends import Term
    from kg.graph import KnowledgeGraph

_TYPE = RDF + "type"
_PREF_LABEL = SKOS + "prefLabel"
_LABEL = RDFS + "label"
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def curie(iri: str) -> str:
    """The compact form of an IRI with the project's prefixes, else the IRI itself.

    >>> curie("https://w3id.org/urbanai-kg/ontology#UrbanAICase"), curie("https://example.org/x")
    ('uai:UrbanAICase', 'https://example.org/x')
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


_curie = lru_cache(maxsize=4096)(curie)  # the rdf projection asks for the same few predicates a million times


def node_key(term: Term) -> str:
    """The networkx node of a resource: its IRI, or ``_:id`` for a blank node."""
    return term.value if isinstance(term, NamedNode) else str(term)


class Projection:
    """One way of seeing the graph as a networkx graph."""

    name: ClassVar[str]
    #: What the nodes and edges mean, in one sentence (also the graph's ``description``).
    description: ClassVar[str]

    def build(self, graph: KnowledgeGraph) -> nx.Graph:
        raise NotImplementedError

    def _new(self, cls: type[nx.Graph]) -> nx.Graph:
        return cls(name=self.name, description=self.description)


class RdfProjection(Projection):
    """The whole graph: resources as nodes, literals and types as node attributes.

    Every triple whose object is a resource (IRI or blank node) and whose predicate is not
    ``rdf:type`` is an edge, keyed by the predicate's IRI, with ``predicate`` its compact form.
    Node attributes: ``kind`` (``iri``/``bnode``), ``types`` (compact class IRIs, sorted),
    ``label_en``/``label_ko`` (``skos:prefLabel``, else ``rdfs:label``), ``label``, and one
    attribute per literal predicate and language, named ``curie`` or ``curie@lang``
    (``dcterms:description@ko``): a value, or a sorted list when there are several.
    """

    name = "rdf"
    description = "The whole graph: resources as nodes, typed literals as attributes, other triples as edges."

    def build(self, graph: KnowledgeGraph) -> nx.MultiDiGraph:
        import networkx as nx

        result = self._new(nx.MultiDiGraph)
        types: defaultdict[str, set[str]] = defaultdict(set)
        literals: defaultdict[str, defaultdict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        kinds: dict[str, str] = {}
        edges: list[tuple[str, str, str]] = []  # distinct already: the query says so
        for row in graph.rows("projection-rdf"):
            subject, predicate, obj = row["s"], row["p"], row["o"]
            key = node_key(subject)
            if key not in kinds:
                kinds[key] = "bnode" if isinstance(subject, BlankNode) else "iri"
            iri = predicate.value  # type: ignore[union-attr]
            if isinstance(obj, Literal):
                literals[key][iri].append(obj)
            elif iri == _TYPE:
                types[key].add(_curie(node_key(obj)))
            else:
                target = node_key(obj)
                if target not in kinds:
                    kinds[target] = "bnode" if isinstance(obj, BlankNode) else "iri"
                edges.append((key, target, iri))
        for key, kind in kinds.items():
            attrs: dict[str, Any] = {"kind": kind}
            if types.get(key):
                attrs["types"] = sorted(types[key])
            by_predicate = literals.get(key, {})
            attrs.update(_labels(key, by_predicate))
            for iri, values in by_predicate.items():
                by_lang: defaultdict[str, list[Any]] = defaultdict(list)
                for literal in values:
                    name = _curie(iri) + (f"@{literal.language}" if literal.language else "")
                    by_lang[name].append(_attribute(literal))
                for name, found in by_lang.items():
                    unique = sorted(set(found), key=str)
                    attrs[name] = unique[0] if len(unique) == 1 else unique
            result.add_node(key, **attrs)
        for source, target, iri in edges:  # add_edge: faster than a multigraph's add_edges_from
            result.add_edge(source, target, key=iri, predicate=_curie(iri))
        return result


class CasesProjection(Projection):
    """The case–feature bipartite graph.

    Nodes: every case (``kind="case"``, ``bipartite=0``) and every domain, AI role, stage,
    element, organisation, place and technique a case is linked to (``kind`` says which,
    ``bipartite=1``). Edges: a case and a feature it is linked to, with ``relation`` (``domain``,
    ``role``, ``stage``, ``element``, ``lead-organisation``, ``partner-organisation``, ``funder``,
    ``place``, ``technique``; several are joined by ``", "``) and ``editorial`` (true when the
    link is only the curators' classification in ``graph/editorial``).
    """

    name = "cases"
    description = "Cases and the domains, AI roles, stages, elements, organisations, places and techniques they link to."

    def build(self, graph: KnowledgeGraph) -> nx.Graph:
        import networkx as nx

        result = self._new(nx.Graph)
        for row in graph.rows("projection-cases-nodes"):
            attrs = _node_attributes(row)
            result.add_node(node_key(row["node"]), **attrs, bipartite=0 if attrs["kind"] == "case" else 1)
        _add_edges(result, graph.rows("projection-cases-edges"), "case", "feature",
                   extra=lambda row: {"editorial": value(row["editorial"]) is True})
        return result


class SimilarityProjection(Projection):
    """The case–case similarity graph: the similarity of ``/api/cases/{id}/similar``.

    Nodes: every case (``kind="case"``). Edges: two cases with a positive score (the comparison of
    the pairs of :meth:`kg.similarity.Profiles.pairs`), with ``weight`` (the score, in (0, 1]), ``features`` (the
    feature groups they share, largest share first, joined by ``", "``), ``editorial`` (true when
    every shared group is the curators' classification) and ``reasons_en``/``reasons_ko`` (the
    reasons in English and Korean, joined by ``"; "``).
    """

    name = "similarity"
    description = "Cases, and an edge weighted by their similarity score between every two similar cases."

    def build(self, graph: KnowledgeGraph) -> nx.Graph:
        import networkx as nx

        from kg.similarity import cached_profiles

        result = self._new(nx.Graph)
        for row in graph.rows("projection-similarity-nodes"):
            result.add_node(node_key(row["node"]), **_node_attributes(row))
        profiles = cached_profiles(graph.backend, catalog=graph.queries)  # those /similar uses
        # Pair by pair, never holding every pair's Similarity (3 KB each: 4 GB for the 1.4M pairs
        # of 1M synthetic triples, docs/benchmarks.md).
        for english, korean in profiles.pairs(langs=("en", "ko")):
            result.add_edge(RESOURCE + english.case, RESOURCE + english.other, weight=english.score,
                            features=", ".join(r.feature for r in english.reasons),
                            editorial=all(r.editorial for r in english.reasons),
                            reasons_en="; ".join(r.text for r in english.reasons),
                            reasons_ko="; ".join(r.text for r in korean.reasons))
        return result


class ActorsProjection(Projection):
    """Who works where: organisations, cases and places.

    Nodes: every case, organisation and place (``kind``). Edges, directed as the RDF states them:
    case → organisation (``lead-organisation``, ``partner-organisation``, ``funder``), case →
    place (``located-in``), organisation → place (``seated-in``), place → the place it lies
    directly within (``within``), each with ``relation``.
    """

    name = "actors"
    description = "Organisations, cases and places: who runs, partners or funds which case, and where."

    def build(self, graph: KnowledgeGraph) -> nx.DiGraph:
        import networkx as nx

        result = self._new(nx.DiGraph)
        for row in graph.rows("projection-actors-nodes"):
            result.add_node(node_key(row["node"]), **_node_attributes(row))
        _add_edges(result, graph.rows("projection-actors-edges"), "source", "target")
        return result


class ConceptsProjection(Projection):
    """Each concept scheme's hierarchy, as one DAG.

    Nodes: every concept scheme (``kind="scheme"``) and concept (``kind="concept"``, with its
    ``scheme``, and ``position`` and ``status`` where it has them). Edges point down the hierarchy:
    scheme → each top concept (``relation="top-concept"``), broader → narrower concept for each
    stated ``skos:broader`` (``relation="narrower"``).
    """

    name = "concepts"
    description = "Concept schemes and their concepts: scheme → top concept and broader → narrower edges."

    def build(self, graph: KnowledgeGraph) -> nx.DiGraph:
        import networkx as nx

        result = self._new(nx.DiGraph)
        for row in graph.rows("projection-concepts-nodes"):
            attrs = _node_attributes(row)
            for name in ("scheme", "position", "status"):
                if name in row:
                    attrs[name] = value(row[name])
            result.add_node(node_key(row["node"]), **attrs)
        _add_edges(result, graph.rows("projection-concepts-edges"), "parent", "child")
        return result


PROJECTIONS: tuple[type[Projection], ...] = (
    RdfProjection, CasesProjection, SimilarityProjection, ActorsProjection, ConceptsProjection)


def projection(name: str) -> Projection:
    """The projection called ``name``.

    :raises ValueError: naming the known projections.
    """
    for cls in PROJECTIONS:
        if cls.name == name:
            return cls()
    raise ValueError(f"unknown projection {name!r}: use one of {', '.join(p.name for p in PROJECTIONS)}")


def _node_attributes(row: dict[str, Term]) -> dict[str, Any]:
    attrs: dict[str, Any] = {"kind": value(row["kind"])}
    for lang in ("en", "ko"):
        if f"label_{lang}" in row:
            attrs[f"label_{lang}"] = value(row[f"label_{lang}"])
    attrs["label"] = attrs.get("label_en") or attrs.get("label_ko") or _short(node_key(row["node"]))
    return attrs


def _add_edges(result: nx.Graph, rows: Iterable[dict[str, Term]], source: str, target: str,
               extra: Any = None) -> None:
    """Add one edge per (source, target); several relations between the same two are joined."""
    for row in rows:
        if target not in row:  # a case with no feature comes back once, unbound
            continue
        u, v = node_key(row[source]), node_key(row[target])
        relation = str(value(row["relation"]))
        attrs = extra(row) if extra else {}
        if result.has_edge(u, v):
            data = result.edges[u, v]
            data["relation"] = ", ".join(sorted({*data["relation"].split(", "), relation}))
            if "editorial" in attrs:  # editorial only if every link behind the edge is
                data["editorial"] = data["editorial"] and attrs["editorial"]
        else:
            result.add_edge(u, v, relation=relation, **attrs)


def _labels(key: str, by_predicate: dict[str, list[Literal]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in ("en", "ko"):
        for iri in (_PREF_LABEL, _LABEL):
            found = sorted(lit.value for lit in by_predicate.get(iri, ()) if lit.language == lang)
            if found:
                out[f"label_{lang}"] = found[0]
                break
    out["label"] = out.get("label_en") or out.get("label_ko") or _short(key)
    return out


def _short(key: str) -> str:
    compact = curie(key)
    return compact.split(":", 1)[1] if compact != key else key


def _attribute(literal: Literal) -> Any:
    """A literal as an attribute value: numbers and booleans typed, dates as ISO text (JSON-safe)."""
    result = value(literal)
    return result.isoformat() if hasattr(result, "isoformat") else result
