"""The embedded backend: a pyoxigraph store opened read-only from a built store directory, or copied
into memory from it (three to eight times faster queries; see ``docs/benchmarks.md``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pyoxigraph import (NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store,
                        Variable)

from kg import store as layout
from kg.backends import Parsed, Serialized, Term
from kg.errors import BackendError, QuerySyntaxError


def open_store(path: Path, *, in_memory: bool = False) -> Store:
    """The on-disk store at ``path`` read-only, or (``in_memory``) a copy of it in memory."""
    on_disk = Store.read_only(str(path))
    if not in_memory:
        return on_disk
    copy = Store()
    copy.bulk_extend(on_disk.quads_for_pattern(None, None, None, None))
    return copy


class EmbeddedBackend:
    """Queries a pyoxigraph store in-process.

    >>> from pyoxigraph import Quad
    >>> store = Store()
    >>> store.add(Quad(NamedNode("http://e/s"), NamedNode("http://e/p"), NamedNode("http://e/o"), NamedNode("http://e/g")))
    >>> EmbeddedBackend(store).results("ASK { ?s ?p ?o }")
    <QueryBoolean true>
    """

    def __init__(self, store: Store, *, build_dir: Path | None = None) -> None:
        self.store = store
        self.build_dir = build_dir

    @classmethod
    def open(cls, store_dir: Path, *, in_memory: bool = False) -> EmbeddedBackend:
        """Open the current build of a store directory read-only, or a copy of it in memory.

        :raises StoreNotFound: if nothing has been built there.
        """
        build_dir = layout.current_build(store_dir)
        return cls(open_store(build_dir / layout.OXIGRAPH, in_memory=in_memory), build_dir=build_dir)

    def _run(self, sparql: str, bindings: Mapping[str, Term] | None, default_graphs: Sequence[str] | None,
             named_graphs: Sequence[str] | None) -> Parsed:
        options: dict[str, Any] = {}
        if default_graphs:
            options["default_graph"] = [NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [NamedNode(g) for g in named_graphs]
        if bindings:
            options["substitutions"] = {Variable(name): term for name, term in bindings.items()}
        try:
            return self.store.query(sparql, **options)  # type: ignore[no-any-return]
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise BackendError(f"store error: {exc}") from exc

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              results_format: QueryResultsFormat = QueryResultsFormat.JSON,
              graph_format: RdfFormat = RdfFormat.N_TRIPLES) -> Serialized:
        result = self._run(sparql, bindings, default_graphs, named_graphs)
        if isinstance(result, (QuerySolutions, QueryBoolean)):
            return Serialized(result.serialize(format=results_format) or b"", results_format.media_type)
        return Serialized(result.serialize(format=graph_format) or b"", graph_format.media_type)

    def results(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Parsed:
        return self._run(sparql, bindings, None, None)

    def close(self) -> None:
        del self.store
