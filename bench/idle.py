"""How much slower a query runs in-process when the CPU has idled just before it, as a server's has.

The in-process column of ``bench/sparql.py`` runs each query back to back, with a hot CPU. A
server's worker waits between queries; on a virtual machine an idle core clocks down and loses
its caches, so the same query, in the same process, takes longer after a pause. This script runs
each named query back to back and after a pause of ``--pause`` ms, in interleaved rounds.

    python bench/idle.py --store /tmp/kgstore --only dataset,cases,case-features
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg import store as layout
from kg.backends.embedded import open_store
from kg.config import resource_dir
from kg.queries import QueryCatalog
from sparql import benchmark_texts, in_process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--only", help="comma-separated names of the queries (default: all)")
    parser.add_argument("--pause", type=float, default=1.0, help="milliseconds of idling before each timed run")
    parser.add_argument("--runs", type=int, default=100, help="runs per round and way")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    store = open_store(layout.current_build(args.store) / layout.OXIGRAPH, in_memory=True)
    texts = benchmark_texts(QueryCatalog.from_dir(resource_dir("queries")))
    names = args.only.split(",") if args.only else list(texts)
    print(f"| query | back to back (ms) | after {args.pause:g} ms idle (ms) | slower by |")
    print("|---|---:|---:|---:|")
    for name in names:
        times: dict[float, list[float]] = {0.0: [], args.pause / 1000: []}
        for _ in range(args.rounds):
            for pause, samples in times.items():
                for _ in range(args.runs):
                    if pause:
                        time.sleep(pause)
                    start = time.perf_counter_ns()
                    in_process(store, texts[name])
                    samples.append((time.perf_counter_ns() - start) / 1e6)
        hot, rested = (statistics.median(samples) for samples in times.values())
        print(f"| {name} | {hot:.2f} | {rested:.2f} | {rested - hot:+.2f} ms ({rested / hot - 1:+.0%}) |")


if __name__ == "__main__":
    main()
