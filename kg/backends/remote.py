"""The remote backend: any SPARQL 1.1 endpoint over HTTP (httpx, pooled, with timeouts).

Bindings are sent as one top-level ``VALUES`` block of serialised terms (never raw text), which
gives the same rows as the embedded backend's substitutions under the binding rule of
:mod:`kg.queries`. The endpoint must use the union of its named graphs as the default graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import httpx
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from kg.backends import Parsed, Serialized, Term
from kg.errors import BackendError, BackendTimeout, QuerySyntaxError


class RemoteBackend:
    """Queries a SPARQL endpoint.

    :param endpoint: the endpoint URL.
    :param timeout: seconds to wait for the answer.
    :param transport: an httpx transport (tests use ``MockTransport`` for failure paths).
    """

    def __init__(self, endpoint: str, *, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = endpoint
        self.client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                                   limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
                                   transport=transport)

    def _post(self, sparql: str, bindings: Mapping[str, Term] | None, accept: str,
              default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None) -> httpx.Response:
        form = [("query", with_values(sparql, bindings))]
        form += [("default-graph-uri", g) for g in default_graphs or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        try:
            response = self.client.post(self.endpoint, content=urlencode(form), headers={
                "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        except httpx.TimeoutException as exc:
            raise BackendTimeout(f"{self.endpoint} did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise BackendError(f"{self.endpoint} is unreachable: {exc}") from exc
        if response.status_code == 400:
            raise QuerySyntaxError(response.text)
        if response.status_code >= 400:
            raise BackendError(f"{self.endpoint} answered {response.status_code}: {response.text[:200]}")
        return response

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              results_format: QueryResultsFormat = QueryResultsFormat.JSON,
              graph_format: RdfFormat = RdfFormat.N_TRIPLES) -> Serialized:
        accept = f"{results_format.media_type}, {graph_format.media_type};q=0.9"
        response = self._post(sparql, bindings, accept, default_graphs, named_graphs)
        media_type = response.headers.get("content-type", results_format.media_type).split(";")[0].strip()
        return Serialized(response.content, media_type)

    def results(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Parsed:
        accept = f"{QueryResultsFormat.JSON.media_type}, {RdfFormat.N_TRIPLES.media_type};q=0.9"
        response = self._post(sparql, bindings, accept)
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        results_format = QueryResultsFormat.from_media_type(media_type)
        if results_format is not None:
            return parse_query_results(response.content, format=results_format)  # type: ignore[no-any-return]
        graph_format = RdfFormat.from_media_type(media_type) or RdfFormat.N_TRIPLES
        return list(parse(response.content, format=graph_format))  # type: ignore[return-value]

    def close(self) -> None:
        self.client.close()


def with_values(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """The query with a top-level ``VALUES`` block for the bindings.

    >>> from pyoxigraph import Literal
    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"o": Literal('say "hi"')})
    'SELECT ?x WHERE { ?x ?p ?o }\\nVALUES (?o) { ("say \\\\"hi\\\\"") }'
    """
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(str(term) for term in bindings.values())
    return f"{sparql}\nVALUES ({names}) {{ ({row}) }}"

