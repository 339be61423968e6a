"""Time and peak memory of every networkx projection over a synthetic store (docs/benchmarks.md).

Each projection is built in a fresh process, so its peak resident memory (Python, networkx and the
store's own, which tracemalloc would miss) is its own. The store comes from ``bench/synth.py`` and
is reused when the directory already holds a build.

    python bench/projections.py --triples 1000000 --store /tmp/synth-1m
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).parent
NAMES = ("rdf", "cases", "similarity", "actors", "concepts")


def measure(store: Path, name: str) -> dict[str, float]:
    """Build one projection from ``store`` in this process: seconds, memory (MiB), size."""
    from kg.graph import open_graph

    with open_graph(store=store) as graph:
        graph.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")  # open the store before the baseline is taken
        before = _peak_mib()
        start = time.perf_counter()
        G = graph.to_networkx(name)
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "baseline_mib": round(before), "peak_mib": round(_peak_mib()),
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, required=True, help="store directory (written if empty)")
    parser.add_argument("--only", choices=NAMES, help="measure one projection in this process (internal)")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.store, args.only)))
        return
    if not (args.store / "current").exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, str(BENCH / "synth.py"), "--triples", str(args.triples),
                        "--store", str(args.store)], check=True)
        print(f"synthetic store written in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    print("| projection | nodes | edges | seconds | peak RSS (MiB) | of which the projection (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in NAMES:
        done = subprocess.run([sys.executable, __file__, "--store", str(args.store), "--only", name],
                              check=True, stdout=subprocess.PIPE, text=True)
        m = json.loads(done.stdout)
        print(f"| {name} | {m['nodes']:,} | {m['edges']:,} | {m['seconds']:.1f} | {m['peak_mib']:,.0f} "
              f"| {m['peak_mib'] - m['baseline_mib']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
