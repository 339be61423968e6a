"""Latency of every named query through ``/sparql``, in-process, and through rdflib-endpoint.

Each named query (with its header's example parameters, bound by a top-level ``VALUES`` so all
three run the same text) is timed three ways on the same data:

- **in-process**: the build's store as the server holds it (a copy in memory, or ``--on-disk``
  read-only), query, serialise the store's own JSON (N-Triples for graphs) — the floor;
- **/sparql**: this project's server (``urbanai-kg serve``, the guard's worker processes) over
  loopback, one keep-alive connection;
- **rdflib-endpoint**: the same N-Quads served by rdflib-endpoint (``--rdflib``). It goes on
  computing a query after the client gives up (``--rdflib-timeout``), so the queries after such a
  one get a fresh rdflib-endpoint rather than waiting behind it.

    python bench/synth.py --triples 100000 --store /tmp/synth-100k
    python bench/sparql.py --store /tmp/synth-100k --rdflib

Prints a Markdown table: median and p99 in ms, the server's overhead over in-process, and the
ratio rdflib-endpoint / server with its geometric mean.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat, Store

from harness import Client, Timing, free_port, geometric_mean, kg_server, measure, rdflib_server, server
from kg import store as layout
from kg.backends.embedded import open_store
from kg.backends.remote import with_values
from kg.config import Settings, resource_dir
from kg.queries import QueryCatalog

JSON = QueryResultsFormat.JSON


def benchmark_texts(catalog: QueryCatalog) -> dict[str, str]:
    """Each named query that can run with its examples, as one SPARQL text."""
    texts = {}
    for query in catalog.values():
        examples = {p.name: p.example for p in query.params if p.example is not None}
        if any(p.required and p.name not in examples for p in query.params):
            continue
        sparql, bindings = query.prepare(examples)
        texts[query.name] = with_values(sparql, bindings)
    return texts


def in_process(store: Store, text: str) -> tuple[bytes, str]:
    """Run and serialise as the server's worker does; return the bytes and the media type asked for."""
    result = store.query(text, use_default_graph_as_union=True)
    answer_format = _format(result)
    return result.serialize(format=answer_format) or b"", answer_format.media_type


def _format(result: QuerySolutions | QueryBoolean | QueryTriples) -> QueryResultsFormat | RdfFormat:
    """SPARQL JSON for results, N-Triples for a graph."""
    return JSON if isinstance(result, (QuerySolutions, QueryBoolean)) else RdfFormat.N_TRIPLES


def _probe(store: Store, text: str) -> tuple[str, int]:
    """The media type to ask the servers for, and how many rows (or triples) the query gives in full."""
    result = store.query(text, use_default_graph_as_union=True)
    return _format(result).media_type, 1 if isinstance(result, QueryBoolean) else sum(1 for _ in result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store directory (urbanai-kg build / synth.py)")
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib-endpoint on the same data")
    parser.add_argument("--on-disk", action="store_true", help="read the store on disk (KG_IN_MEMORY=false)")
    parser.add_argument("--only", help="comma-separated names of the queries to time (default: all)")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per query and system, at most")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds rdflib-endpoint may take")
    args = parser.parse_args()

    build = layout.current_build(args.store)
    store = open_store(build / layout.OXIGRAPH, in_memory=not args.on_disk)
    texts = benchmark_texts(QueryCatalog.from_dir(resource_dir("queries")))
    if args.only:
        texts = {name: texts[name] for name in args.only.split(",")}
    probed = {name: _probe(store, text) for name, text in texts.items()}
    accept = {name: media_type for name, (media_type, _) in probed.items()}
    max_rows = Settings().max_rows  # what the server cuts at (KG_MAX_ROWS): the ratio would flatter it
    capped = {name for name, (_, rows) in probed.items() if rows > max_rows}

    def through(client: Client, name: str) -> Callable[[], None]:
        def request() -> None:
            try:
                status, body = client.get("/sparql", {"query": texts[name]}, accept=accept[name])
            except TimeoutError:
                client.close()
                raise RuntimeError(f"no answer in {client.timeout:g} s") from None
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
        return request

    timings: dict[str, dict[str, Timing | str]] = {}
    with ExitStack() as servers, ExitStack() as rdflib_servers:
        port = free_port()
        ours = servers.enter_context(server(kg_server(args.store, port), port,
                                            env={"KG_IN_MEMORY": str(not args.on_disk).lower()}))
        dump = Path(servers.enter_context(tempfile.TemporaryDirectory())) / "data.nq"

        def start_rdflib() -> Client:
            port = free_port()
            return rdflib_servers.enter_context(server(rdflib_server(dump, port), port, ready="/sparql?query=ASK%7B%7D",
                                                       timeout=args.rdflib_timeout))

        theirs = None
        if args.rdflib:
            store.dump(output=str(dump), format=RdfFormat.N_QUADS)
            theirs = start_rdflib()
        for name, text in texts.items():
            sides = {"in-process": lambda t=text: in_process(store, t), "/sparql": through(ours, name)}
            if theirs is not None:
                sides["rdflib-endpoint"] = through(theirs, name)
            timings[name] = measure(sides, runs=args.runs, budget=args.budget)
            if theirs is not None and str(timings[name]["rdflib-endpoint"]).startswith("no answer"):
                # rdflib-endpoint goes on computing after the client gives up: the next queries
                # would wait behind it, so they get a fresh server.
                rdflib_servers.close()
                theirs = start_rdflib()

    triples = len(store)
    print(f"\n{triples:,} triples, store {args.store} {'on disk' if args.on_disk else 'in memory'}\n")
    head = "| query | in-process median / p99 | /sparql median / p99 | overhead (median) |"
    rule = "|---|---:|---:|---:|"
    if args.rdflib:
        head += " rdflib-endpoint median / p99 | rdflib-endpoint ÷ /sparql |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    ratios, overheads, within = [], [], 0
    for name in texts:
        a, b = timings[name]["in-process"], timings[name]["/sparql"]
        assert isinstance(a, Timing) and isinstance(b, Timing), b
        overhead = b.median - a.median
        overheads.append(overhead)
        within += overhead <= max(0.5, 0.1 * a.median)
        line = (f"| {name} | {a.median:.2f} / {a.p99:.2f} | {b.median:.2f} / {b.p99:.2f} | "
                f"{overhead:+.2f} ms ({overhead / a.median:+.0%}) |")
        if args.rdflib:
            c = timings[name]["rdflib-endpoint"]
            if isinstance(c, Timing):
                ratio = c.median / b.median
                if name not in capped:
                    ratios.append(ratio)
                line += f" {c.median:.1f} / {c.p99:.1f} | {ratio:.0f}×{' (cut)' if name in capped else ''} |"
            else:
                line += f" fails: {c[:80]} | – |"
        print(line)
    print(f"\nOverhead of /sparql, median over the {len(overheads)} queries: {statistics.median(overheads):+.2f} ms; "
          f"within max(0.5 ms, 10 %) for {within}")
    if ratios:
        cut = f" (not {', '.join(sorted(capped))}: over {max_rows:,} rows, cut by /sparql)" if capped else ""
        print(f"Geometric mean over the {len(ratios)} queries both answer in full{cut}, rdflib-endpoint ÷ /sparql: "
              f"{geometric_mean(ratios):.0f}×")


if __name__ == "__main__":
    main()
