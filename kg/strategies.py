"""National and city AI strategies: a filtered list, and one strategy with its pillars in order.

Reads ``strategy-search``, ``strategy``, ``strategy-links``, ``strategy-pillars`` and ``sources-of``.
Country and city filters accept an id or a label in English or Korean, like the case filters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from kg.backends import Backend
from kg.cases import resolve_filters, sources_of
from kg.named import Lang, pick, ref, ref_id, run, split, to_int, unique
from kg.namespaces import RESOURCE, is_slug
from kg.queries import QueryCatalog, default_catalog
from kg.text import normalise
from kg.views import Component, DocumentRef, Ref, StrategyDetail, StrategyItem, StrategyList

LEVELS = ("national", "city")


def list_strategies(backend: Backend, *, level: Sequence[str] = (), country: Sequence[str] = (),
                    city: Sequence[str] = (), lang: Lang = "en", catalog: QueryCatalog | None = None) -> StrategyList:
    """The strategies of the given levels, countries and cities (each a list: OR; together: AND), oldest first."""
    catalog = catalog or default_catalog()
    values = resolve_filters(backend, {"country": country, "city": city}, catalog=catalog)
    levels = [v for v in level if v.strip()]
    if levels:
        values["level"] = [v for v in (normalise(v) for v in levels) if v in LEVELS]
    if any(not ids for ids in values.values()):
        return StrategyList(total=0, items=[])
    items = _search(backend, catalog, values, lang)
    return StrategyList(total=len(items), items=items)


def _search(backend: Backend, catalog: QueryCatalog, values: Mapping[str, Sequence[str]],
            lang: Lang) -> list[StrategyItem]:
    """The items of ``strategy-search`` for the given filter values, one per strategy, oldest first."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in run(backend, catalog, "strategy-search", values):
        grouped[row["strategy"]].append(row)
    items = []
    for iri, found in grouped.items():
        head = found[0]
        items.append(StrategyItem(
            id=ref_id(iri), iri=iri, label=pick(head, "label", lang) or ref_id(iri), level=str(head["level"]),
            year=to_int(head.get("year")), places=unique([ref(r["place"], r, lang, "place") for r in found]),
            countries=unique([ref(r["in_country"], r, lang, "country") for r in found if r.get("in_country")])))
    return items


def get_strategy(backend: Backend, strategy_id: str, *, lang: Lang = "en",
                 catalog: QueryCatalog | None = None) -> StrategyDetail | None:
    """One strategy with its pillars and programmes in the source's order; None if there is no such strategy."""
    catalog = catalog or default_catalog()
    if not is_slug(strategy_id):
        return None
    heads = run(backend, catalog, "strategy", {"strategy": strategy_id})
    if not heads:
        return None
    head = heads[0]
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in run(backend, catalog, "strategy-links", {"strategy": strategy_id}):
        links[row["property"].rsplit("#", 1)[-1]].append(row)
    components: dict[str, list[Component]] = defaultdict(list)
    for row in run(backend, catalog, "strategy-pillars", {"strategy": strategy_id}):
        components[row["kind"]].append(Component(
            id=ref_id(row["component"]), iri=row["component"], position=int(row["position"]),
            label=pick(row, "label", lang) or ref_id(row["component"]), description=pick(row, "description", lang),
            sources=split(row.get("sources"))))
    places = [ref(r["value"], r, lang) for r in links["locatedIn"]]
    match = next(iter(_search(backend, catalog, {"strategy": [strategy_id]}, lang)), None)
    return StrategyDetail(
        id=strategy_id, iri=RESOURCE + strategy_id, label=pick(head, "label", lang) or strategy_id,
        labels={k: str(head[f"label_{k}"]) for k in ("en", "ko") if head.get(f"label_{k}")},
        description=pick(head, "description", lang), level=str(head["level"]), year=to_int(head.get("year")),
        date=head.get("date"), goal=pick(head, "goal", lang), task_count=to_int(head.get("task_count")),
        places=places, countries=match.countries if match else [],
        issued_by=[ref(r["value"], r, lang) for r in links["issuedBy"]],
        pillars=sorted(components["pillar"], key=lambda c: c.position),
        programmes=sorted(components["programme"], key=lambda c: c.position),
        documents=[DocumentRef(**ref(r["value"], r, lang).model_dump(), kind=r.get("kind"), year=to_int(r.get("year")))
                   for r in links["hasDocument"]],
        updated_by=[ref(r["value"], r, lang) for r in links["updatedBy"]],
        sources=sources_of(backend, strategy_id, lang=lang, catalog=catalog))


__all__ = ["LEVELS", "Ref", "get_strategy", "list_strategies"]
