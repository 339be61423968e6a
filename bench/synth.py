"""Deterministic synthetic data in the real graph's shape, for benchmarks (10k, 100k, 1M triples).

The curated graph is the template: the ontology and concept schemes are kept once, and every data,
editorial and inferred quad is replicated with the record IRIs suffixed per copy (``city-brain`` →
``city-brain-s7``) and labels numbered, until the requested size is reached. Places and concepts
stay shared, so filters by country or domain hit many copies, as they would with a larger register.

    python bench/synth.py --triples 100000 --out /tmp/synth-100k.nq
    python bench/synth.py --triples 100000 --store /tmp/synth-100k   # a store `urbanai-kg serve` opens
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kg import store as layout
from kg.build import check
from kg.config import resource_dir
from kg.materialise import materialise
from kg.namespaces import GRAPH_ONTOLOGY, RDFS, RESOURCE, UAI

_PLACE = NamedNode(UAI + "Place")
_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def curated_quads() -> list[Quad]:
    """The curated graph as the build makes it (without the HermiT check, which changes nothing)."""
    graph = check(data_dir=resource_dir("data"), ontology_dir=resource_dir("ontology"), reason=False)
    return graph.quads + materialise(graph.quads, resource_dir("queries") / "rules")


def generate(triples: int, *, seed: int = 0, template: list[Quad] | None = None) -> Iterator[Quad]:
    """About ``triples`` quads (never fewer), the same for the same arguments."""
    template = template if template is not None else curated_quads()
    fixed = [q for q in template if q.graph_name == GRAPH_ONTOLOGY]
    body = [q for q in template if q.graph_name != GRAPH_ONTOLOGY]
    shared = {q.subject.value for q in template if q.predicate == _TYPE and q.object == _PLACE}
    shared |= {q.subject.value for q in fixed if q.subject.value.startswith(RESOURCE)}
    # Later copies leave out quads about shared nodes (a place's label, a concept's inferred label):
    # those facts exist once. Every other quad gets a per-copy subject, so no copy repeats another.
    repeated = [q for q in body if q.subject.value.startswith(RESOURCE) and not _is_shared(q.subject.value, shared)]
    yield from fixed
    emitted, copy = len(fixed), 0
    rng = random.Random(seed)
    while emitted < triples:
        quads = body if copy == 0 else repeated
        if emitted + len(quads) > triples:
            quads = rng.sample(quads, len(quads))  # deterministic: which quads a partial copy keeps
        for quad in quads:
            yield _renamed(quad, copy, shared)
            emitted += 1
            if emitted >= triples:
                return
        copy += 1


def _renamed(quad: Quad, copy: int, shared: set[str]) -> Quad:
    def node(term: object) -> object:
        if isinstance(term, NamedNode) and term.value.startswith(RESOURCE) and not _is_shared(term.value, shared):
            head, sep, tail = term.value[len(RESOURCE):].partition("/")
            return NamedNode(f"{RESOURCE}{head}-s{copy}{sep}{tail}")
        return term

    obj = quad.object
    if isinstance(obj, Literal) and quad.predicate.value == RDFS + "label" and copy:
        obj = Literal(f"{obj.value} {copy}", language=obj.language)
    else:
        obj = node(obj)  # type: ignore[assignment]
    graph = quad.graph_name
    if isinstance(graph, NamedNode) and "/graph/data/" in graph.value:
        graph = NamedNode(f"{graph.value}-s{copy}")
    return Quad(node(quad.subject), quad.predicate, obj, graph)  # type: ignore[arg-type]


def _is_shared(iri: str, shared: set[str]) -> bool:
    return iri in shared or any(iri.startswith(s + "/") for s in shared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="N-Quads file to write")
    parser.add_argument("--store", type=Path, help="store directory to write")
    args = parser.parse_args()
    quads = list(dict.fromkeys(generate(args.triples, seed=args.seed)))
    if args.out:
        serialize(quads, output=str(args.out), format=RdfFormat.N_QUADS)
    if args.store:
        layout.write_store(quads, args.store, stamp=f"synthetic-{len(quads)}",
                           manifest={"triples": len(quads), "synthetic": True}, dump=False)
    print(f"{len(quads)} quads")


if __name__ == "__main__":
    main()
