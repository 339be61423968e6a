"""Cases for people: search with filters, free text and facets; everything known about one case.

Every read is a named query (``queries/case-*.rq``, ``sources-of.rq``). A filter value may be an id
or a label in English or Korean: :func:`resolve_filters` turns it into ids with the lookup query
``case-filter-values``, comparing after Unicode normalisation and case folding (:mod:`kg.text`).
The ids are then bound, one top-level VALUES block per filter, into ``case-search``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from kg.backends import Backend
from kg.named import Lang, pick, ref, ref_id, run, split, to_int
from kg.namespaces import CURATORS, RESOURCE, UAI, is_slug
from kg.queries import QueryCatalog, default_catalog
from kg.text import matches, normalise
from kg.views import (CaseDetail, CaseItem, CasePage, Editorial, Fact, FacetValue, Link, Ref, SourceView,
                      StatementView)

FILTERS = ("domain", "country", "city", "stage", "element", "role", "org")
_LINKS = {"domain": "domains", "locatedIn": "places", "leadOrganisation": "lead_organisations",
          "partnerOrganisation": "partner_organisations", "funder": "funders", "usesTechnique": "techniques",
          "buildsOn": "builds_on", "extendedBy": "extended_by"}
_EDITORIAL = {"aiRole": "roles", "stage": "stages", "element": "elements"}
_STATEMENTS = {"lifecycle": "lifecycle", "data": "data", "outcome": "outcomes", "controversy": "controversies",
               "correction": "corrections"}


def resolve_filters(backend: Backend, filters: Mapping[str, Sequence[str]], *,
                    catalog: QueryCatalog | None = None) -> dict[str, list[str]]:
    """The ids each filter's values stand for; a value matches an id or any label of a value.

    Blank values are ignored; a filter whose values match nothing maps to ``[]``.

    :raises ValueError: for a filter name not in :data:`FILTERS`.
    """
    wanted = {name: [v for v in values if v.strip()] for name, values in filters.items()}
    wanted = {name: values for name, values in wanted.items() if values}
    unknown = set(wanted) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filters: {sorted(unknown)}")
    if not wanted:
        return {}
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in run(backend, catalog or default_catalog(), "case-filter-values"):
        slug = ref_id(row["value"])
        index[(row["facet"], normalise(slug))].add(slug)
        index[(row["facet"], normalise(str(row["label"])))].add(slug)
    return {name: sorted({slug for v in values for slug in index.get((name, normalise(v)), ())})
            for name, values in wanted.items()}


def search_cases(backend: Backend, *, filters: Mapping[str, Sequence[str]] | None = None, q: str | None = None,
                 lang: Lang = "en", limit: int = 20, offset: int = 0,
                 catalog: QueryCatalog | None = None) -> CasePage:
    """The cases matching every filter (OR within one) and every word of ``q``, ordered by label.

    For example, ``search_cases(backend, filters={"city": ["로스앤젤레스"]}).total`` is 2 (Code the Curb
    and L.A. Al Fresco).

    :raises ParameterError: if the filters resolve to too many values.
    """
    catalog = catalog or default_catalog()
    resolved = resolve_filters(backend, filters or {}, catalog=catalog)
    if any(not ids for ids in resolved.values()):
        return CasePage(total=0, limit=limit, offset=offset, items=[], facets={name: [] for name in FILTERS})
    facts: dict[str, dict[str, dict[str, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    for row in run(backend, catalog, "case-search", resolved):
        facts[row["case"]][row["facet"]][row["value"]] = row
    if q and q.strip():
        texts: dict[str, list[str]] = defaultdict(list)
        for row in run(backend, catalog, "case-texts"):
            texts[row["case"]].append(str(row["text"]))
        facts = defaultdict(lambda: defaultdict(dict), {c: f for c, f in facts.items() if matches(q, texts[c])})
    cases = sorted(facts, key=lambda iri: (normalise(_label(iri, facts[iri], lang)), ref_id(iri)))
    items = [_item(iri, facts[iri], lang) for iri in cases[offset:offset + limit]]
    return CasePage(total=len(cases), limit=limit, offset=offset, items=items,
                    facets={name: _facet(name, facts, lang) for name in FILTERS})


def _label(iri: str, facts: Mapping[str, Mapping[str, Mapping[str, Any]]], lang: Lang) -> str:
    row = facts.get("label", {}).get(iri, {})
    return pick(row, "label", lang) or ref_id(iri)


def _refs(facts: Mapping[str, Mapping[str, Mapping[str, Any]]], facet: str, lang: Lang) -> list[Ref]:
    return sorted((ref(iri, row, lang) for iri, row in facts.get(facet, {}).items()), key=lambda r: r.id)


def _item(iri: str, facts: Mapping[str, Mapping[str, Mapping[str, Any]]], lang: Lang) -> CaseItem:
    status = _refs(facts, "status", lang)
    return CaseItem(id=ref_id(iri), iri=iri, label=_label(iri, facts, lang), domains=_refs(facts, "domain", lang),
                    places=_refs(facts, "place", lang), status=status[0] if status else None)


def _facet(name: str, facts: Mapping[str, Mapping[str, Mapping[str, Mapping[str, Any]]]],
           lang: Lang) -> list[FacetValue]:
    counts: Counter[str] = Counter()
    labels: dict[str, Ref] = {}
    for case_facts in facts.values():
        for iri, row in case_facts.get(name, {}).items():
            counts[iri] += 1
            labels[iri] = ref(iri, row, lang)
    values = [FacetValue(**labels[iri].model_dump(), count=n) for iri, n in counts.items()]
    return sorted(values, key=lambda v: (-v.count, normalise(v.label), v.id))


def get_case(backend: Backend, case_id: str, *, lang: Lang = "en",
             catalog: QueryCatalog | None = None) -> CaseDetail | None:
    """Everything the graph knows about one case, each fact with its sources; None if there is no such case."""
    catalog = catalog or default_catalog()
    if not is_slug(case_id):
        return None
    heads = run(backend, catalog, "case", {"case": case_id})
    if not heads:
        return None
    head = heads[0]
    iri = RESOURCE + case_id
    facts = run(backend, catalog, "case-sources", {"case": case_id})
    fact_sources = {(f["predicate"], str(f["value"])): split(f.get("sources")) for f in facts if not f["editorial"]}
    links: dict[str, list[Link]] = defaultdict(list)
    editorial: dict[str, list[Ref]] = defaultdict(list)
    labels: dict[str, str] = {}
    same_as: list[str] = []
    status: Ref | None = None
    for row in run(backend, catalog, "case-links", {"case": case_id}):
        prop, value = row["property"].rsplit("#", 1)[-1], str(row["value"])
        target = ref(value, row, lang)
        labels[value] = target.label
        if prop in _EDITORIAL and row["editorial"]:
            editorial[_EDITORIAL[prop]].append(target)
        elif prop in _LINKS:
            links[_LINKS[prop]].append(Link(**target.model_dump(), editorial=bool(row["editorial"]),
                                            sources=fact_sources.get((row["property"], value), [])))
        elif prop == "currentStatus":
            status = target
        elif prop == "exactMatch":
            same_as.append(value)
    statements: dict[str, list[StatementView]] = defaultdict(list)
    for row in sorted(run(backend, catalog, "case-statements", {"case": case_id}), key=_statement_order):
        view = _statement(row, lang)
        labels[view.iri] = view.text or view.id
        statements[_STATEMENTS[view.kind]].append(view)
    return CaseDetail(
        id=case_id, iri=iri, label=pick(head, "label", lang) or case_id,
        labels={k: str(head[f"label_{k}"]) for k in ("en", "ko") if head.get(f"label_{k}")},
        description=pick(head, "description", lang), is_group=bool(head.get("group")),
        **{name: links.get(name, []) for name in _LINKS.values()},
        start_year=to_int(head.get("start_year")), end_year=to_int(head.get("end_year")), status=status,
        homepage=head.get("homepage"), same_as=same_as,
        **{name: statements.get(name, []) for name in _STATEMENTS.values()},
        editorial=Editorial(attributed_to=CURATORS.value, rationale=pick(head, "rationale", lang),
                            **{name: editorial.get(name, []) for name in _EDITORIAL.values()}),
        facts=[_fact(f, labels) for f in facts],
        sources=sources_of(backend, case_id, lang=lang, catalog=catalog))


def _statement_order(row: Mapping[str, Any]) -> tuple[str, int]:
    head, _, number = str(row["statement"]).rpartition("/")
    return head, int(number) if number.isdigit() else 0


def _statement(row: Mapping[str, Any], lang: Lang) -> StatementView:
    iri = str(row["statement"])
    value = row.get("value")
    return StatementView(
        id=ref_id(iri), iri=iri, kind=row["kind"], text=pick(row, "text", lang),
        value=None if value is None else float(value), unit=row.get("unit"), year=to_int(row.get("year")),
        date=row.get("date"), status=ref(row["status"], row, lang, "status") if row.get("status") else None,
        data_kind=ref(row["data_kind"], row, lang, "data_kind") if row.get("data_kind") else None,
        field=row.get("field"), brief_says=row.get("brief_says"), sources=split(row.get("sources")))


def _fact(row: Mapping[str, Any], labels: Mapping[str, str]) -> Fact:
    prop, value, is_editorial = str(row["predicate"]), str(row["value"]), bool(row["editorial"])
    return Fact(property=prop.rsplit("#", 1)[-1] if prop.startswith(UAI) else prop, property_iri=prop,
                value=value, value_label=labels.get(value), editorial=is_editorial,
                sources=[] if is_editorial else split(row.get("sources")),
                attributed_to=CURATORS.value if is_editorial else None)


def sources_of(backend: Backend, record_id: str, *, lang: Lang = "en",
               catalog: QueryCatalog | None = None) -> list[SourceView]:
    """Every source cited for a record, one of its facts or one of its parts."""
    out = []
    for row in run(backend, catalog or default_catalog(), "sources-of", {"resource": record_id}):
        iri = str(row["source"])
        part_of = row.get("part_of")
        out.append(SourceView(
            id=ref_id(iri), iri=iri, label=str(row.get("title") or ref_id(iri)), kind=row.get("kind"),
            url=row.get("url"), year=to_int(row.get("year")), date=row.get("date"), publisher=row.get("publisher"),
            locator=row.get("locator"),
            part_of=Ref(id=ref_id(part_of), iri=part_of, label=str(row.get("part_of_title") or ref_id(part_of)))
            if part_of else None))
    return out
