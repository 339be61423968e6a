"""Materialise what SPARQL users need (super-types, inverses, closures) into ``graph/inferred``.

The rules are the CONSTRUCT queries of ``queries/rules/``, run in file order until nothing new
appears; HermiT checks consistency but does not write these back.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pyoxigraph import Quad, Store

from kg.namespaces import GRAPH_INFERRED

logger = logging.getLogger(__name__)


def materialise(quads: list[Quad], rules_dir: Path, *, max_rounds: int = 10) -> list[Quad]:
    """The inferred quads (in ``graph/inferred``) that the rules add to ``quads``.

    :raises RuntimeError: if the rules have not reached a fixpoint after ``max_rounds``.
    """
    rules = [path.read_text(encoding="utf-8") for path in sorted(rules_dir.glob("*.rq"))]
    store = Store()
    store.extend(quads)
    inferred: list[Quad] = []
    for _round in range(max_rounds):
        new: dict[Quad, None] = {}  # ordered and without duplicates
        for rule in rules:
            for triple in store.query(rule, use_default_graph_as_union=True):
                if next(store.quads_for_pattern(triple.subject, triple.predicate, triple.object), None) is None:
                    new[Quad(triple.subject, triple.predicate, triple.object, GRAPH_INFERRED)] = None
        if not new:
            logger.info("materialised %d triples from %d rules", len(inferred), len(rules))
            return inferred
        store.extend(new)
        inferred.extend(new)
    raise RuntimeError(f"materialisation did not reach a fixpoint in {max_rounds} rounds")
