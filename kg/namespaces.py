"""IRIs of the graph: the canonical namespace, named graphs and reused vocabularies."""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

BASE = "https://w3id.org/urbanai-kg/"
ONTOLOGY_IRI = BASE + "ontology"
UAI = BASE + "ontology#"
RESOURCE = BASE + "resource/"
GRAPH = BASE + "graph/"

GRAPH_ONTOLOGY = NamedNode(GRAPH + "ontology")
GRAPH_INFERRED = NamedNode(GRAPH + "inferred")
GRAPH_EDITORIAL = NamedNode(GRAPH + "editorial")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES: dict[str, str] = {
    "uai": UAI,
    "res": RESOURCE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "dcat": DCAT,
    "void": VOID,
}

CURATORS = NamedNode(RESOURCE + "urbanai-kg-curators")


def resource(slug: str) -> NamedNode:
    """The canonical IRI of a resource.

    >>> resource("city-brain").value
    'https://w3id.org/urbanai-kg/resource/city-brain'
    """
    return NamedNode(RESOURCE + slug)


def concept(scheme: str, slug: str) -> NamedNode:
    """The IRI of a concept of a scheme.

    >>> concept("domains", "mobility").value
    'https://w3id.org/urbanai-kg/resource/domains/mobility'
    """
    return NamedNode(f"{RESOURCE}{scheme}/{slug}")


def data_graph(name: str) -> NamedNode:
    """The named graph of one data file (its path under ``data/`` without suffix).

    >>> data_graph("cases/city-brain").value
    'https://w3id.org/urbanai-kg/graph/data/cases/city-brain'
    """
    return NamedNode(f"{GRAPH}data/{name}")


def term(local: str) -> NamedNode:
    """A term of the Urban AI ontology.

    >>> term("UrbanAICase").value
    'https://w3id.org/urbanai-kg/ontology#UrbanAICase'
    """
    return NamedNode(UAI + local)


SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""A record's id: lowercase letters and digits in hyphenated runs (``city-brain``)."""
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(text: str) -> bool:
    """Whether ``text`` is a slug, the last segment of a resource IRI.

    >>> is_slug("city-brain"), is_slug("City Brain"), is_slug("city-brain\\n")
    (True, False, False)
    """
    return _SLUG.fullmatch(text) is not None
