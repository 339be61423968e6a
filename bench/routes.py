"""Latency of the JSON API's main routes against the same ``kg`` call in-process on the same store.

Each route of ``/api`` is a thin layer over one ``kg`` function, which runs the named queries; the
in-process column is that function on ``Store.read_only`` of the same build, serialised to JSON the
way the route does (pydantic ``model_dump_json``), so the difference is what HTTP and FastAPI add.
The case and the strategy are the first urban-planning case and the first city strategy, so the
same script runs on synthetic stores (``bench/synth.py``), whose ids are suffixed.

    python bench/routes.py --store /tmp/synth-100k

Prints a Markdown table: median and p99 in ms, and the route's overhead over in-process.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from harness import Timing, free_port, kg_server, measure, server
from kg import get_case, get_strategy, list_strategies, search_cases
from kg.backends.embedded import EmbeddedBackend
from kg.queries import default_catalog
from kg.similarity import similar_view


def routes(backend: EmbeddedBackend) -> dict[str, tuple[str, dict[str, str], Callable[[], object]]]:
    """Route name → (path, query parameters, the in-process call it stands for)."""
    catalog = default_catalog()
    case = search_cases(backend, filters={"domain": ["urban-planning"]}, catalog=catalog).items[0].id
    strategy = list_strategies(backend, level=["city"], catalog=catalog).items[0].id
    return {
        "cases (all)": ("/api/cases", {}, lambda: search_cases(backend, catalog=catalog).model_dump_json()),
        "cases?domain=mobility": ("/api/cases", {"domain": "mobility"}, lambda: search_cases(
            backend, filters={"domain": ["mobility"]}, catalog=catalog).model_dump_json()),
        "cases?q=도시&lang=ko": ("/api/cases", {"q": "도시", "lang": "ko"}, lambda: search_cases(
            backend, q="도시", lang="ko", catalog=catalog).model_dump_json()),
        "cases/{id}": (f"/api/cases/{case}", {}, lambda: get_case(
            backend, case, catalog=catalog).model_dump_json()),  # type: ignore[union-attr]
        "cases/{id}/similar": (f"/api/cases/{case}/similar", {}, lambda: similar_view(
            backend, case, catalog=catalog).model_dump_json()),  # type: ignore[union-attr]
        "strategies": ("/api/strategies", {}, lambda: list_strategies(backend, catalog=catalog).model_dump_json()),
        "strategies/{id}": (f"/api/strategies/{strategy}", {}, lambda: get_strategy(
            backend, strategy, catalog=catalog).model_dump_json()),  # type: ignore[union-attr]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per route and side, at most")
    args = parser.parse_args()

    backend = EmbeddedBackend.open(args.store, in_memory=True)  # as the server holds it (KG_IN_MEMORY)
    table = routes(backend)
    port = free_port()
    timings = {}
    with server(kg_server(args.store, port), port) as client:
        for name, (path, params, call) in table.items():
            def request(p: str = path, q: dict[str, str] = params) -> None:
                status, body = client.get(p, q, accept="application/json")
                if status != 200:
                    raise RuntimeError(f"{p}: HTTP {status}: {body[:300]!r}")
            timings[name] = measure({"in-process": call, "HTTP": request}, runs=args.runs, budget=args.budget)

    print(f"\n{len(backend.store):,} triples, store {args.store}\n")
    print("| route | in-process median / p99 | HTTP median / p99 | overhead (median) |")
    print("|---|---:|---:|---:|")
    for name in table:
        a, b = timings[name]["in-process"], timings[name]["HTTP"]
        assert isinstance(a, Timing) and isinstance(b, Timing), b
        overhead = b.median - a.median
        print(f"| {name} | {a.median:.2f} / {a.p99:.2f} | {b.median:.2f} / {b.p99:.2f} | "
              f"{overhead:+.2f} ms ({overhead / a.median:+.0%}) |")


if __name__ == "__main__":
    main()
