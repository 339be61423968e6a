"""The graph for notebooks: ``open_graph()`` → networkx projections, pandas tables, exports."""

from __future__ import annotations

import logging
from functools import lru_cache
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from kg.backends import Backend, Term, open_backend
from kg.errors import UnknownQuery
from kg.frames import frame, solutions
from kg.namespaces import XSD
from kg.queries import NamedQuery, QueryCatalog

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

logger = logging.getLogger(__name__)

#: Rows per request when a projection reads a remote endpoint: below the row cap of common
#: endpoints (this project's server and Virtuoso cap at 10,000 by default).
REMOTE_PAGE_SIZE = 5_000


class KnowledgeGraph:
    """The knowledge graph behind a :class:`~kg.backends.Backend`, for notebooks and scripts.

    :param backend: where the queries run (embedded store or remote endpoint).
    :param queries: the named queries (``queries/*.rq``); projections read through them.
    :param page_size: read projection queries in pages of this many rows (``ORDER BY`` +
        ``LIMIT``/``OFFSET``), for endpoints that cap their answers; ``None`` reads each at once.

    >>> from pyoxigraph import Quad, Store
    >>> from kg.backends.embedded import EmbeddedBackend
    >>> from kg.config import resource_dir
    >>> store = Store()
    >>> store.add(Quad(NamedNode("https://e/a"), NamedNode("https://e/year"),
    ...                Literal("2016", datatype=NamedNode(XSD + "gYear")), NamedNode("https://e/g")))
    >>> g = KnowledgeGraph(EmbeddedBackend(store), queries=QueryCatalog.from_dir(resource_dir("queries")))
    >>> g.query_df("SELECT ?s ?year WHERE { ?s <https://e/year> ?year }").dtypes["year"]
    Int64Dtype()
    """

    def __init__(self, backend: Backend, *, queries: QueryCatalog, page_size: int | None = None) -> None:
        if page_size is not None and page_size < 1:
            raise ValueError("page_size must be a positive number of rows")
        self.backend = backend
        self.queries = queries
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {type(self.backend).__name__} {len(self.queries)} named queries>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the backend (the store, or the HTTP connection pool)."""
        self.backend.close()

    # -- reading ---------------------------------------------------------------------------------

    def select(self, query: str, /, **params: object) -> list[dict[str, Term]]:
        """Rows of a SELECT query as dicts of variable name → pyoxigraph term.

        :param query: the name of a named query (``urbanai-kg queries`` lists them) or SPARQL text.
        :param params: a named query's parameters (``domain="mobility"``; a list for a list
            parameter), or for SPARQL text the
            values of variables, bound as terms (a ``str`` is a plain literal; pass a ``NamedNode``
            for an IRI).
        :raises UnknownQuery, ParameterError, QuerySyntaxError, BackendError: as the backend does.
        """
        sparql, bindings = self._prepare(query, params)
        return list(solutions(self.backend.results(sparql, bindings=bindings or None)))

    def query_df(self, query: str, /, **params: object) -> pd.DataFrame:
        """A pandas DataFrame of a SELECT query, with typed columns (see :mod:`kg.frames`).

        :param query: the name of a named query or SPARQL text; ``params`` as for :meth:`select`.

        For example ``g.query_df("strategies", country="canada")`` gives Canada's strategy, its
        ``year`` an ``Int64`` column.
        """
        sparql, bindings = self._prepare(query, params)
        result = self.backend.results(sparql, bindings=bindings or None)
        if not isinstance(result, QuerySolutions):
            raise TypeError("query_df needs a SELECT query")
        columns = [v.value for v in result.variables]
        return frame(solutions(result), columns)

    def rows(self, name: str, /, **params: object) -> Iterator[dict[str, Term]]:
        """Every row of a named query, in pages of ``page_size`` rows when set.

        A paged query gets ``ORDER BY`` its projected variables (so the query must not have its own)
        and ``LIMIT``/``OFFSET``; a page with fewer than ``page_size`` rows is the last. Without
        paging the query runs as written: ordering is what makes oxigraph slow (ten times, at any
        size), so the ``projection-*`` queries leave it to the pages.
        """
        if name not in self.queries:
            raise UnknownQuery(f"no named query {name!r}", query_name=name)
        sparql, bindings = self._prepare(name, params)
        if self.page_size is None:
            yield from solutions(self.backend.results(sparql, bindings=bindings or None))
            return
        order = " ".join(f"?{v}" for v in _projected(sparql))
        offset = 0
        while True:
            # Only a solution modifier is appended: the query itself stays in its .rq file.
            paged = f"{sparql.rstrip()}\nORDER BY {order}\nLIMIT {self.page_size} OFFSET {offset}"
            page = list(solutions(self.backend.results(paged, bindings=bindings or None)))
            yield from page
            if len(page) < self.page_size:
                return
            offset += self.page_size

    # -- projections and exports -------------------------------------------------------------------

    def to_networkx(self, kind: str = "cases") -> nx.Graph:
        """A networkx projection of the graph: ``rdf``, ``cases``, ``similarity``, ``actors`` or
        ``concepts`` (``docs/projections.md`` says what nodes and edges mean).

        :raises ValueError: for an unknown kind.
        """
        from kg.projections import projection

        return projection(kind).build(self)

    def export(self, path: str | Path, /, *, format: str, projection: str | None = None) -> Path:
        """Write the graph to ``path``: a projection as ``graphml``, ``gexf`` or ``node-link-json``
        (``projection`` defaults to ``rdf``), or the RDF itself as ``nquads``, ``trig``, ``turtle``,
        ``ntriples``, ``jsonld`` or ``rdfxml``.

        :raises ValueError: for an unknown format, or a projection with an RDF format.
        """
        from kg.exports import export_bytes

        target = Path(path)
        target.write_bytes(export_bytes(self, format=format, projection=projection))
        return target

    @property
    def projections(self) -> tuple[str, ...]:
        """The names of the projections :meth:`to_networkx` knows."""
        from kg.projections import PROJECTIONS

        return tuple(p.name for p in PROJECTIONS)

    def _prepare(self, query: str, params: Mapping[str, object]) -> tuple[str, dict[str, Term]]:
        if query in self.queries:
            named: NamedQuery = self.queries[query]
            raw = {k: [_raw(x) for x in v] if isinstance(v, (list, tuple)) else _raw(v) for k, v in params.items()}
            sparql, bindings = named.prepare(raw)
            return sparql, dict(bindings)
        return query, {name: _term(v) for name, v in params.items()}


def open_graph(*, store: str | Path | None = None, endpoint: str | None = None, timeout: float | None = None,
               queries: str | Path | None = None, page_size: int | None = None) -> KnowledgeGraph:
    """Open the knowledge graph: the embedded store, or a remote SPARQL endpoint.

    With no arguments this is the graph ``urbanai-kg serve`` would open: the settings
    (``KG_STORE``, ``KG_ENDPOINT``, ``KG_QUERY_TIMEOUT``, ``KG_QUERIES``, or ``.env``) decide.
    Given ``store`` or ``endpoint``, nothing is read from the environment.

    :param store: a store directory written by ``urbanai-kg build``.
    :param endpoint: the URL of a SPARQL 1.1 endpoint (its default graph the union of its graphs).
    :param timeout: seconds to wait for a remote answer (default 10).
    :param queries: the directory of named queries (default: the package's ``queries/``).
    :param page_size: rows per request for projections; a remote endpoint defaults to
        :data:`REMOTE_PAGE_SIZE`, the embedded store to no paging.
    :raises StoreNotFound: if there is no endpoint and nothing has been built in the store.

    In a notebook::

        g = open_graph()                                         # the built store, or KG_STORE
        G = g.to_networkx("cases")
        g = open_graph(endpoint="http://127.0.0.1:8000/sparql")  # a running server
    """
    from kg.config import Settings, resource_dir

    if store is None and endpoint is None:
        settings = Settings()
        store, endpoint = settings.store, settings.endpoint
        timeout = settings.query_timeout if timeout is None else timeout
        queries = settings.queries if queries is None else queries
    backend = open_backend(store=Path(store or "."), endpoint=endpoint, timeout=10.0 if timeout is None else timeout)
    if page_size is None and endpoint:
        page_size = REMOTE_PAGE_SIZE
    catalog = QueryCatalog.from_dir(Path(queries) if queries is not None else resource_dir("queries"))
    return KnowledgeGraph(backend, queries=catalog, page_size=page_size)


@lru_cache(maxsize=64)
def _projected(sparql: str) -> tuple[str, ...]:
    """The projected variables of a SELECT query, in order (parsed once per query text)."""
    from rdflib.plugins.sparql import prepareQuery

    return tuple(str(v) for v in prepareQuery(sparql).algebra["PV"])


def _raw(value: object) -> str:
    """A named-query parameter as the text its type parses (``2016``, ``true``, an id)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NamedNode):
        return value.value
    return str(value)


def _term(value: object) -> Term:
    """A Python value as the RDF term bound to a variable of SPARQL text."""
    if isinstance(value, (NamedNode, BlankNode, Literal, Triple)):
        return value
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return Literal(repr(value), datatype=NamedNode(XSD + "double"))
    if isinstance(value, str):
        return Literal(value)
    raise TypeError(f"cannot bind {value!r}: pass a str, int, float, bool or a pyoxigraph term")
