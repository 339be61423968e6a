"""Media types ↔ pyoxigraph formats, in one table, and ``Accept`` negotiation with q-values."""

from __future__ import annotations

from functools import lru_cache

from fastapi.responses import Response
from pydantic import BaseModel
from pyoxigraph import QueryResultsFormat, RdfFormat

RESULTS_FORMATS: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}

# Values of the `format` / `output` / `results` parameters that clients send, as Accept headers.
ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "n-triples": "application/n-triples",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdf/xml": "application/rdf+xml",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "nquads": "application/n-quads", "nq": "application/n-quads",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header, best first (stable for equal q).

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('application/json', 1.0), ('text/csv', 0.5)]
    """
    ranges: list[tuple[str, float]] = []
    for part in (header or "*/*").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((media.lower(), q))
    return sorted(ranges, key=lambda item: -item[1])


def choose(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the ``Accept`` header likes best, or None.

    >>> choose("text/turtle;q=0.9, */*;q=0.1", ["application/n-triples", "text/turtle"])
    'text/turtle'
    """
    for media, _q in parse_accept(header):
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            prefix = media[:-1]
            match = next((o for o in offered if o.startswith(prefix)), None)
        else:
            match = media if media in offered else None
        if match:
            return match
    return None


@lru_cache(maxsize=256)  # a server sees few distinct Accept headers, each once per query
def results_format(header: str | None) -> QueryResultsFormat | None:
    media = choose(header, list(RESULTS_FORMATS))
    return RESULTS_FORMATS[media] if media else None


@lru_cache(maxsize=256)
def graph_format(header: str | None) -> RdfFormat | None:
    media = choose(header, list(GRAPH_FORMATS))
    return GRAPH_FORMATS[media] if media else None


def json_response(view: BaseModel) -> Response:
    """A view as JSON, written by pydantic's serialiser in one step.

    The routes still declare ``response_model`` (the contract and the OpenAPI document); returning
    a ``Response`` spares FastAPI re-validating the view, turning it into dicts and encoding those
    again in Python, a third of what a route adds over its ``kg`` call (``docs/benchmarks.md``).
    """
    return Response(view.model_dump_json(), media_type="application/json")
