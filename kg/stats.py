"""How big the graph is: triples per named graph, records per kind, cases per domain."""

from __future__ import annotations

from kg.backends import Backend
from kg.named import Lang, ref, run
from kg.queries import QueryCatalog, default_catalog
from kg.views import FacetValue, Stats


def graph_stats(backend: Backend, *, lang: Lang = "en", catalog: QueryCatalog | None = None) -> Stats:
    """Counts from ``graph-sizes``, ``stats`` and ``cases-per-domain``."""
    catalog = catalog or default_catalog()
    graphs = {str(row["graph"]): int(row["triples"]) for row in run(backend, catalog, "graph-sizes")}
    counts = {str(row["kind"]): int(row["count"]) for row in run(backend, catalog, "stats")}
    domains = [FacetValue(**ref(row["domain"], row, lang).model_dump(), count=int(row["cases"]))
               for row in run(backend, catalog, "cases-per-domain")]
    return Stats(triples=sum(graphs.values()), graphs=graphs, counts=counts, cases_per_domain=domains)
