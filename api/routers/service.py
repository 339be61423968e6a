"""What is being served: health, the SPARQL service description, and the VoID/DCAT dataset description."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from api import negotiation
from api.dependencies import get_backend
from api.routers import pages
from kg.backends import Backend
from kg.namespaces import DCAT, DCTERMS, PREFIXES, RDF, RDFS, RESOURCE, SD, VOID, XSD
from kg.results import rows

router = APIRouter(tags=["service"])

DATASET = NamedNode(RESOURCE + "dataset")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


class Health(BaseModel):
    status: str = Field(description="`ok` when the store answers.")
    triples: int = Field(description="Triples in the store, over all named graphs.")
    version: str | None = Field(description="The dataset version (dcat:version).")
    built_at: str | None = Field(description="When the served store was built.")
    commit: str | None = Field(description="The commit of the curated data it was built from.")
    graphs: dict[str, int] = Field(description="Triples per named graph.")


def _named(request: Request, backend: Backend, name: str) -> list[dict[str, Any]]:
    return list(rows(backend.results(request.app.state.queries[name].sparql)))


@router.get("/health", response_model=Health, summary="Service health and dataset version")
def health(request: Request, backend: Annotated[Backend, Depends(get_backend)]) -> Health:
    sizes = {str(r["graph"]): int(r["triples"]) for r in _named(request, backend, "graph-sizes")}
    info = next(iter(_named(request, backend, "dataset")), {})
    return Health(status="ok", triples=sum(sizes.values()), version=_opt(info.get("version")),
                  built_at=_opt(info.get("modified")), commit=_opt(info.get("commit")), graphs=sizes)


@router.get("/.well-known/void", summary="VoID/DCAT description of the dataset",
            responses={200: {"content": {m: {} for m in negotiation.GRAPH_FORMATS}}})
def void(request: Request, backend: Annotated[Backend, Depends(get_backend)]) -> Response:
    return _rdf(_void_triples(request, backend), request.headers.get("accept"))


def describe_service(request: Request, backend: Backend, *, accept: str | None) -> Response:
    """The query page for browsers, else the SPARQL 1.1 Service Description (Turtle by default)."""
    if negotiation.choose(accept, ["text/html", *negotiation.GRAPH_FORMATS]) == "text/html":
        return pages.query_page(request)
    endpoint = NamedNode(str(request.url.replace(query="", fragment="")))
    service = NamedNode(str(endpoint.value) + "#service")
    void_iri = NamedNode(str(request.url_for("void")))
    triples = [
        Triple(service, _iri(RDF, "type"), _iri(SD, "Service")),
        Triple(service, _iri(SD, "endpoint"), endpoint),
        Triple(service, _iri(SD, "supportedLanguage"), _iri(SD, "SPARQL11Query")),
        Triple(service, _iri(SD, "feature"), _iri(SD, "UnionDefaultGraph")),
        Triple(service, _iri(SD, "defaultDataset"), DATASET),
        Triple(DATASET, _iri(RDF, "type"), _iri(SD, "Dataset")),
        Triple(DATASET, _iri(VOID, "inDataset"), void_iri),
        Triple(DATASET, _iri(RDFS, "seeAlso"), void_iri),
        *(Triple(service, _iri(SD, "resultFormat"), NamedNode(f"http://www.w3.org/ns/formats/{f}"))
          for f in _RESULT_FORMATS),
        *(Triple(service, _iri(VOID, "vocabulary"), NamedNode(ns)) for ns in PREFIXES.values()),
    ]
    return _rdf(triples, accept)


def _void_triples(request: Request, backend: Backend) -> list[Triple]:
    sizes = _named(request, backend, "graph-sizes")
    info = next(iter(_named(request, backend, "dataset")), {})
    triples = [
        Triple(DATASET, _iri(RDF, "type"), _iri(VOID, "Dataset")),
        Triple(DATASET, _iri(RDF, "type"), _iri(DCAT, "Dataset")),
        Triple(DATASET, _iri(VOID, "triples"), _int(sum(int(r["triples"]) for r in sizes))),
        Triple(DATASET, _iri(VOID, "sparqlEndpoint"), NamedNode(str(request.url_for("sparql_get")))),
        Triple(DATASET, _iri(VOID, "uriSpace"), Literal(RESOURCE)),
    ]
    if info.get("version"):
        triples.append(Triple(DATASET, _iri(DCAT, "version"), Literal(str(info["version"]))))
    if info.get("license"):
        triples.append(Triple(DATASET, _iri(DCTERMS, "license"), NamedNode(str(info["license"]))))
    if info.get("modified"):
        triples.append(Triple(DATASET, _iri(DCTERMS, "modified"),
                              Literal(str(info["modified"]), datatype=_iri(XSD, "dateTime"))))
    for row in sizes:
        graph = NamedNode(str(row["graph"]))
        triples += [Triple(DATASET, _iri(VOID, "subset"), graph),
                    Triple(graph, _iri(RDF, "type"), _iri(VOID, "Dataset")),
                    Triple(graph, _iri(SD, "name"), graph),
                    Triple(graph, _iri(VOID, "triples"), _int(int(row["triples"])))]
    return triples


def _rdf(triples: list[Triple], accept: str | None) -> Response:
    rdf_format = negotiation.graph_format(accept) or RdfFormat.TURTLE
    if rdf_format is RdfFormat.N_QUADS or rdf_format is RdfFormat.TRIG:
        rdf_format = RdfFormat.TURTLE
    body = serialize(triples, format=rdf_format, prefixes={**PREFIXES, "sd": SD}) if rdf_format is RdfFormat.TURTLE \
        else serialize(triples, format=rdf_format)
    return Response(body or b"", media_type=rdf_format.media_type)


def _iri(namespace: str, local: str) -> NamedNode:
    return NamedNode(namespace + local)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=_iri(XSD, "integer"))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
