"""The store behind one small interface, with an embedded and a remote implementation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Union

from pyoxigraph import (BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions,
                        QueryTriples, RdfFormat, Triple)

Term = Union[NamedNode, BlankNode, Literal, Triple]
Parsed = Union[QuerySolutions, QueryBoolean, QueryTriples]
Format = Union[QueryResultsFormat, RdfFormat]


@dataclass(frozen=True)
class Serialized:
    """A query answer as the store serialised it."""

    body: bytes
    media_type: str


class Backend(Protocol):
    """What the server and the library need from a SPARQL store.

    The default graph of every query is the union of the named graphs, unless ``default_graphs``
    is given.
    """

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              results_format: QueryResultsFormat = QueryResultsFormat.JSON,
              graph_format: RdfFormat = RdfFormat.N_TRIPLES) -> Serialized:
        """Run a query and return the serialised answer.

        :raises QuerySyntaxError: if the query does not parse.
        :raises BackendError: if the store cannot answer.
        """
        ...

    def results(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Parsed:
        """Run a query and return pyoxigraph's result objects (solutions, boolean or triples)."""
        ...

    def close(self) -> None:
        ...


def open_backend(*, store: Path, endpoint: str | None = None, timeout: float = 10.0,
                 in_memory: bool = False) -> Backend:
    """The remote backend if an endpoint is given, else the embedded store's current build
    (read-only on disk, or copied into memory with ``in_memory``).

    :raises StoreNotFound: if there is no endpoint and nothing has been built in ``store``.
    """
    if endpoint:
        from kg.backends.remote import RemoteBackend

        return RemoteBackend(endpoint, timeout=timeout)
    from kg.backends.embedded import EmbeddedBackend

    return EmbeddedBackend.open(store, in_memory=in_memory)
