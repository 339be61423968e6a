"""Latency of every named query through ``/sparql``, in-process, and through rdflib-endpoint.

Each named query (with its header's example parameters, bound by a top-level ``VALUES`` so all
three run the same text) is timed three ways on the same data:

- **in-process**: the build's store as the server holds it (a copy in memory, or ``--on-disk``
  read-only), query, serialise the store's own JSON (N-Triples for graphs) — the floor;
- **/sparql**: this project's server (``urbanai-kg serve``, the guard's worker processes) over
  loopback, one keep-alive connection;
- **rdflib-endpoint**: the same N-Quads served by rdflib-endpoint (``--rdflib``).

    python bench/synth.py --triples 100000 --store /tmp/synth-100k
    python bench/sparql.py --store /tmp/synth-100k --rdflib

Prints a Markdown table: median and p99 in ms, the server's overhead over in-process, and the
ratio rdflib-endpoint / server with its geometric mean.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store

from harness import Timing, free_port, geometric_mean, kg_server, measure, rdflib_server, server
from kg import store as layout
from kg.backends.embedded import open_store
from kg.backends.remote import with_values
from kg.config import resource_dir
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
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        return result.serialize(format=JSON) or b"", JSON.media_type
    return result.serialize(format=RdfFormat.N_TRIPLES) or b"", RdfFormat.N_TRIPLES.media_type


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
    accept = {name: in_process(store, text)[1] for name, text in texts.items()}
    local = {name: measure(lambda t=text: in_process(store, t), runs=args.runs, budget=args.budget)
             for name, text in texts.items()}

    def through(client: object) -> dict[str, Timing | str]:
        timings: dict[str, Timing | str] = {}
        for name, text in texts.items():
            def request(t: str = text, a: str = accept[name]) -> None:
                try:
                    status, body = client.get("/sparql", {"query": t}, accept=a)  # type: ignore[attr-defined]
                except TimeoutError:
                    client.reset()  # type: ignore[attr-defined]
                    raise RuntimeError(f"{name}: HTTP timeout: no answer in {client.timeout:g} s") from None
                if status != 200:
                    raise RuntimeError(f"{name}: HTTP {status}: {body[:300]!r}")
            try:
                timings[name] = measure(request, runs=args.runs, budget=args.budget)
            except RuntimeError as exc:  # rdflib-endpoint fails some queries; say so, time the rest
                timings[name] = str(exc).split(": ", 2)[-1][:80]
        return timings

    port = free_port()
    with server(kg_server(args.store, port), port, env={"KG_IN_MEMORY": str(not args.on_disk).lower()}) as client:
        served = through(client)
    other: dict[str, Timing | str] = {}
    if args.rdflib:
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "data.nq"
            store.dump(output=str(dump), format=RdfFormat.N_QUADS)
            port = free_port()
            with server(rdflib_server(dump, port), port, ready="/sparql?query=ASK%7B%7D",
                        timeout=args.rdflib_timeout) as client:
                other = through(client)

    triples = len(store)
    print(f"\n{triples:,} triples, store {args.store} {'on disk' if args.on_disk else 'in memory'}\n")
    head = "| query | in-process median / p99 | /sparql median / p99 | overhead (median) |"
    rule = "|---|---:|---:|---:|"
    if other:
        head += " rdflib-endpoint median / p99 | rdflib-endpoint ÷ /sparql |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    ratios = []
    for name in texts:
        a, b = local[name], served[name]
        assert isinstance(b, Timing), b
        overhead = b.median - a.median
        line = (f"| {name} | {a.median:.2f} / {a.p99:.2f} | {b.median:.2f} / {b.p99:.2f} | "
                f"{overhead:+.2f} ms ({overhead / a.median:+.0%}) |")
        if other:
            c = other[name]
            if isinstance(c, Timing):
                ratios.append(c.median / b.median)
                line += f" {c.median:.1f} / {c.p99:.1f} | {ratios[-1]:.0f}× |"
            else:
                line += f" fails: {c} | – |"
        print(line)
    if ratios:
        print(f"\nGeometric mean over the {len(ratios)} queries both answer, rdflib-endpoint ÷ /sparql: "
              f"{geometric_mean(ratios):.0f}×")


if __name__ == "__main__":
    main()
