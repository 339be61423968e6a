"""Concept schemes for people: the list of schemes, and one scheme's concepts in order with their cases.

Reads ``schemes``, ``scheme-concepts`` and ``concept-cases``. A concept gets the cases linked to it
directly and, through ``skos:exactMatch``, those of the concept it matches (stages 1–4 and the
infrastructure layers); links that are the curators' classification are marked ``editorial``.
"""

from __future__ import annotations

from collections import defaultdict

from kg.backends import Backend
from kg.named import Lang, pick, ref, ref_id, run
from kg.namespaces import is_slug
from kg.queries import QueryCatalog, default_catalog
from kg.views import ConceptCase, ConceptView, SchemeDetail, SchemeItem, SchemeList



def list_schemes(backend: Backend, *, lang: Lang = "en", catalog: QueryCatalog | None = None) -> SchemeList:
    """Every concept scheme of the graph, by id, with its size and whether its order means something."""
    items = [SchemeItem(**ref(row["scheme"], row, lang).model_dump(), ordered=bool(row.get("ordered")),
                        concepts=int(row["concepts"]))
             for row in run(backend, catalog or default_catalog(), "schemes")]
    return SchemeList(items=sorted(items, key=lambda s: s.id))


def get_scheme(backend: Backend, scheme_id: str, *, lang: Lang = "en",
               catalog: QueryCatalog | None = None) -> SchemeDetail | None:
    """One scheme's concepts, in the scheme's order where it has one, each with the cases that touch it;
    None if there is no such scheme."""
    catalog = catalog or default_catalog()
    if not is_slug(scheme_id):
        return None
    head = next((s for s in list_schemes(backend, lang=lang, catalog=catalog).items if s.id == scheme_id), None)
    if head is None:
        return None
    cases: dict[str, list[ConceptCase]] = defaultdict(list)
    for row in run(backend, catalog, "concept-cases", {"scheme": scheme_id}):
        cases[row["concept"]].append(ConceptCase(
            **ref(row["case"], row, lang).model_dump(), property=ref_id(row["property"]),
            editorial=bool(row["editorial"]), via=ref_id(row["via"]) if row.get("via") else None))
    concepts = {}
    for row in run(backend, catalog, "scheme-concepts", {"scheme": scheme_id}):
        iri = row["concept"]
        concepts.setdefault(iri, ConceptView(
            **ref(iri, row, lang).model_dump(), position=row.get("position"),
            definition=pick(row, "definition", lang), broader=ref_id(row["broader"]) if row.get("broader") else None,
            status=ref_id(row["status"]) if row.get("status") else None,
            cases=sorted(cases.get(iri, []), key=lambda c: (c.id, c.property))))
    return SchemeDetail(**head.model_dump(exclude={"concepts"}), concepts=list(concepts.values()))
