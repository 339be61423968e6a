"""What a dereferenced IRI answers with: a resource's triples and description, the ontology and its terms.

Every read is a named query (``resource``, ``resource-description``, ``ontology``,
``ontology-terms``, ``graph``); this module only shapes their answers. Nothing here knows HTTP:
the API's ``/resource``, ``/ontology`` and ``/graph`` routes negotiate and render.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import (BlankNode, Literal, NamedNode, QuerySolution, QuerySolutions, RdfFormat, Triple, Variable,
                        parse)

from kg.backends import Backend, Parsed
from kg.namespaces import BASE, DCTERMS, GRAPH, PREFIXES, RDF, RDFS, RESOURCE, is_slug
from kg.queries import QueryCatalog

MAX_ID_LENGTH = 200
_RDF_TYPE = RDF + "type"
_LABEL = RDFS + "label"
_TITLE = DCTERMS + "title"


def local_iri(path: str, *, namespace: str = RESOURCE) -> str | None:
    """The canonical IRI of a path under ``resource/`` (or ``namespace``), or None if it cannot be one.

    Ids are slugs (:func:`kg.namespaces.is_slug`) joined by ``/`` (``cityscope/data/1``) and at most
    :data:`MAX_ID_LENGTH` characters; anything else (dot segments, quotes, NUL) names nothing.

    >>> local_iri("domains/mobility")
    'https://w3id.org/urbanai-kg/resource/domains/mobility'
    >>> local_iri("../etc/passwd") is None, local_iri('a"b') is None, local_iri("") is None
    (True, True, True)
    """
    if len(path) > MAX_ID_LENGTH or not all(is_slug(segment) for segment in path.split("/")):
        return None
    return namespace + path


def public_link(iri: str, *, public_url: str) -> str:
    """Where this server answers a canonical IRI (``public_url`` replaces the namespace); others stay.

    >>> public_link("https://w3id.org/urbanai-kg/resource/via", public_url="http://example.test/kg")
    'http://example.test/kg/resource/via'
    >>> public_link("https://schema.org/Place", public_url="http://example.test/kg/")
    'https://schema.org/Place'
    """
    if iri.startswith(BASE):
        return public_url.rstrip("/") + "/" + iri[len(BASE):]
    return iri


def curie(iri: str) -> str:
    """A short name for an IRI with the project's prefixes.

    >>> curie("http://purl.org/dc/terms/source"), curie("http://example.org/x")
    ('dcterms:source', 'http://example.org/x')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@dataclass(frozen=True)
class Value:
    """The object of a described triple: an IRI, a blank node or a literal, with labels where known."""

    term: NamedNode | BlankNode | Literal
    label_en: str | None = None
    label_ko: str | None = None
    title: str | None = None

    @property
    def is_iri(self) -> bool:
        return isinstance(self.term, NamedNode)

    @property
    def text(self) -> str:
        """The label (English, else Korean, else title), the literal's text, or a short name."""
        if isinstance(self.term, Literal):
            return self.term.value
        if isinstance(self.term, BlankNode):
            return f"_:{self.term.value}"
        return self.label_en or self.label_ko or self.title or curie(self.term.value)

    @property
    def language(self) -> str | None:
        return self.term.language if isinstance(self.term, Literal) else None


@dataclass(frozen=True)
class Fact:
    """One triple of a description, with the property's labels, its sources and its standing."""

    subject: str
    property: str
    value: Value
    property_en: str | None = None
    property_ko: str | None = None
    sources: tuple[str, ...] = ()
    editorial: bool = False
    inferred: bool = False


@dataclass(frozen=True)
class Description:
    """What the graph says about a resource and its parts, in the order of the query."""

    iri: str
    facts: tuple[Fact, ...]

    def about(self, subject: str | None = None) -> list[Fact]:
        """The facts whose subject is ``subject`` (default: the resource itself)."""
        subject = subject or self.iri
        return [f for f in self.facts if f.subject == subject]

    @property
    def parts(self) -> list[str]:
        """The IRIs of the parts described with it (``…/data/1``, ``…/pillars/2``), in order."""
        return list(dict.fromkeys(f.subject for f in self.facts if f.subject != self.iri))

    def labels(self, subject: str | None = None) -> dict[str, list[str]]:
        """The ``rdfs:label`` texts of a subject by language tag (``""`` for none); else its titles."""
        found: dict[str, list[str]] = {}
        facts = self.about(subject)
        for wanted in (_LABEL, _TITLE):
            for fact in facts:
                if fact.property == wanted and isinstance(fact.value.term, Literal):
                    found.setdefault(fact.value.term.language or "", []).append(fact.value.term.value)
            if found:
                break
        return found

    @property
    def types(self) -> list[Value]:
        return [f.value for f in self.about() if f.property == _RDF_TYPE]

    @property
    def source_titles(self) -> dict[str, str]:
        """Titles of the sources the description names, by IRI."""
        return {f.value.term.value: f.value.text for f in self.facts
                if f.property == DCTERMS + "source" and isinstance(f.value.term, NamedNode)}


@dataclass(frozen=True)
class Term:
    """A class, property or individual of the ontology, for its documentation."""

    iri: str
    kind: str
    label_en: str | None = None
    label_ko: str | None = None
    definition_en: str | None = None
    definition_ko: str | None = None
    supers: tuple[str, ...] = field(default=())
    domains: tuple[str, ...] = field(default=())
    ranges: tuple[str, ...] = field(default=())

    @property
    def anchor(self) -> str:
        """The fragment of the term's IRI: ``/ontology#UrbanAICase`` lands on it."""
        return self.iri.rpartition("#")[2]


def _text(solution: QuerySolution, name: str) -> str | None:
    term = solution[Variable(name)]
    return None if term is None else str(term.value)


def _words(solution: QuerySolution, name: str) -> tuple[str, ...]:
    """The distinct IRIs of a space-separated GROUP_CONCAT column, sorted (the store's order varies)."""
    return tuple(sorted(set((_text(solution, name) or "").split())))


def _triples(result: Parsed | Iterable[object]) -> list[Triple]:
    """Triples from a CONSTRUCT answer (pyoxigraph triples, or the quads a remote answer parses into)."""
    return [item if isinstance(item, Triple) else Triple(item.subject, item.predicate, item.object)  # type: ignore[attr-defined]
            for item in result]  # type: ignore[union-attr]


def resource_triples(iri: str, *, backend: Backend, catalog: QueryCatalog) -> list[Triple]:
    """The triples ``/resource/…`` serves for ``iri`` (named query ``resource``); empty if unknown."""
    sparql, bindings = catalog["resource"].prepare({"resource": iri})
    return _triples(backend.results(sparql, bindings=bindings))


def describe(iri: str, *, backend: Backend, catalog: QueryCatalog) -> Description | None:
    """The labelled description of ``iri`` (named query ``resource-description``), or None if unknown."""
    sparql, bindings = catalog["resource-description"].prepare({"resource": iri})
    result = backend.results(sparql, bindings=bindings)
    assert isinstance(result, QuerySolutions)
    facts = []
    for row in result:
        value = row[Variable("value")]
        facts.append(Fact(
            subject=str(_text(row, "subject")), property=str(_text(row, "property")),
            value=Value(value, label_en=_text(row, "value_en"), label_ko=_text(row, "value_ko"),  # type: ignore[arg-type]
                        title=_text(row, "value_title")),
            property_en=_text(row, "property_en"), property_ko=_text(row, "property_ko"),
            sources=_words(row, "sources"),
            editorial=_text(row, "editorial") == "true", inferred=_text(row, "inferred") == "true"))
    return Description(iri, tuple(facts)) if facts else None


def ontology_triples(*, backend: Backend, catalog: QueryCatalog) -> list[Triple]:
    """The ontology document's triples (named query ``ontology``)."""
    return _triples(backend.results(catalog["ontology"].sparql))


def vocabulary(*, backend: Backend, catalog: QueryCatalog) -> list[Term]:
    """The ontology's terms with labels, definitions, supers, domains and ranges (``ontology-terms``)."""
    result = backend.results(catalog["ontology-terms"].sparql)
    assert isinstance(result, QuerySolutions)
    return [Term(iri=str(_text(row, "term")), kind=str(_text(row, "kind")), label_en=_text(row, "label_en"),
                 label_ko=_text(row, "label_ko"), definition_en=_text(row, "definition_en"),
                 definition_ko=_text(row, "definition_ko"), supers=_words(row, "supers"),
                 domains=_words(row, "domains"), ranges=_words(row, "ranges"))
            for row in result]


def graph_triples(iri: str, *, backend: Backend, catalog: QueryCatalog) -> list[Triple]:
    """The content of one named graph (named query ``graph`` over it as the default graph); empty if unknown."""
    if not iri.startswith(GRAPH):
        return []
    answer = backend.query(catalog["graph"].sparql, default_graphs=[iri], graph_format=RdfFormat.N_TRIPLES)
    rdf_format = RdfFormat.from_media_type(answer.media_type) or RdfFormat.N_TRIPLES
    return _triples(parse(answer.body, format=rdf_format))
