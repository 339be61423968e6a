"""Comparable cases: a weighted similarity over what two cases share, with reasons in English or Korean.

The method and its weights are documented in ``docs/similarity.md``. In short: each feature group
(domain, AI roles, stages, elements, data kinds, techniques, places, organisations, lineage, text)
gives a weighted Jaccard index of the two cases' values, each value weighted by its inverse
document frequency over all cases (halved when reached through a hierarchy: a broader technique,
a containing place, a parent organisation, a broader element); the score is the weighted mean of
the groups, between 0 and 1, and symmetric. Features come from ``case-features.rq`` and
``case-texts.rq``.

For example, over a built store::

    [s.other for s in similar_cases(open_backend(store=path), "cityscope", limit=1)]  # ['deepscope']
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kg.backends import Backend
from kg.named import LANGS, Lang, pick, ref_id, run
from kg.namespaces import RESOURCE
from kg.queries import QueryCatalog, default_catalog
from kg.text import content_words
from kg.views import ReasonView, Ref, SharedValue, SimilarItem, SimilarList

WEIGHTS: dict[str, float] = {
    "domain": 1.0, "role": 3.0, "stage": 1.0, "element": 1.0, "data-kind": 1.0, "technique": 1.5,
    "place": 1.5, "organisation": 4.0, "builds-on": 2.0, "text": 1.0,
}
"""Weight of each feature group in the score."""
EDITORIAL = frozenset({"role", "stage", "element"})
"""Groups that are the curators' classification (graph/editorial), not sourced facts."""
INHERITED = 0.5
"""Factor for a value reached through a hierarchy rather than stated for the case."""

_TEXTS: dict[str, dict[Lang, str]] = {
    "domain": {"en": "Same domain: {}", "ko": "같은 분야: {}"},
    "role": {"en": "Same AI role (editorial classification): {}", "ko": "같은 AI 역할 (편집 분류): {}"},
    "stage": {"en": "Shared stages (editorial classification): {}", "ko": "공통 단계 (편집 분류): {}"},
    "element": {"en": "Shared elements of urban AI (editorial classification): {}",
                "ko": "공통 도시 AI 구현 요소 (편집 분류): {}"},
    "data-kind": {"en": "Same kinds of data: {}", "ko": "같은 데이터 유형: {}"},
    "technique": {"en": "Shared AI techniques (with broader ones): {}", "ko": "공통 AI 기법 (상위 기법 포함): {}"},
    "place": {"en": "Same place (with containing places): {}", "ko": "같은 장소 (상위 지역 포함): {}"},
    "organisation": {"en": "Shared organisations (with parent organisations): {}",
                     "ko": "공통 기관 (상위 기관 포함): {}"},
    "builds-on": {"en": "One builds on the other: {}", "ko": "한 사례가 다른 사례를 바탕으로 함: {}"},
    "text": {"en": "Descriptions share the words: {}", "ko": "설명의 공통 핵심어 (영문): {}"},
}
_SHOWN = 6


@dataclass(frozen=True)
class Shared:
    """A value two cases share (for ``text``: a word, with no ``iri``)."""

    id: str
    iri: str | None
    label: str


@dataclass(frozen=True)
class Reason:
    """Why two cases are alike: one feature group, its share of the score, and the shared values."""

    feature: str
    text: str
    editorial: bool
    weight: float
    shared: tuple[Shared, ...]


@dataclass(frozen=True)
class Similarity:
    """How alike ``case`` and ``other`` (ids) are: ``score`` in [0, 1] and the reasons, largest first."""

    case: str
    other: str
    score: float
    reasons: tuple[Reason, ...]
    case_label: str
    other_label: str


@dataclass
class Profiles:
    """Every case's weighted values per feature group, with the labels needed for reasons."""

    values: dict[str, dict[str, dict[str, float]]]
    labels: dict[str, dict[str, str]]

    @classmethod
    def load(cls, backend: Backend, *, catalog: QueryCatalog | None = None) -> Profiles:
        catalog = catalog or default_catalog()
        raw: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        for row in run(backend, catalog, "case-features"):
            case, value = ref_id(row["case"]), str(row["value"])
            weight = INHERITED if row.get("inherited") else 1.0
            group = raw[case][row["feature"]]
            group[value] = max(group.get(value, 0.0), weight)
            labels[value].update({k: str(row[f"label_{k}"]) for k in ("en", "ko") if row.get(f"label_{k}")})
        for row in run(backend, catalog, "case-texts"):
            case = ref_id(row["case"])
            raw[case]  # a case with no features still exists
            if row["kind"] == "label":
                labels[row["case"]][str(row["lang"])] = str(row["text"])
            if row["kind"] in ("label", "description") and row["lang"] == "en":
                raw[case]["text"].update({word: 1.0 for word in content_words(str(row["text"]))})
        return cls(values=_idf_weighted(raw), labels=dict(labels))

    def label(self, iri: str, lang: Lang) -> str:
        return pick({f"label_{k}": v for k, v in self.labels.get(iri, {}).items()}, "label", lang) or ref_id(iri)

    def compare(self, case: str, other: str, *, lang: Lang = "en") -> Similarity:
        """The similarity of two cases (ids) of the profiles."""
        return self.compare_in(case, other, langs=(lang,))[0]

    def compare_in(self, case: str, other: str, *, langs: tuple[Lang, ...] = LANGS) -> tuple[Similarity, ...]:
        """The similarity of two cases, compared once and told in each of ``langs``."""
        a, b = self.values[case], self.values[other]
        total = sum(WEIGHTS.values())
        shares = []
        for group, weight in WEIGHTS.items():
            if group == "builds-on":  # a link between the two, not a value they share
                shared = [RESOURCE + base for base, on in ((other, a), (case, b))
                          if RESOURCE + base in on.get(group, {})]
                index = 1.0 if shared else 0.0
            else:
                index, shared = _jaccard(a.get(group, {}), b.get(group, {}))
            if index > 0:
                shares.append((group, weight * index / total, shared))
        score = round(sum(share for _, share, _ in shares), 4)
        told = []
        for lang in langs:
            reasons = sorted((self._reason(group, share, shared, lang) for group, share, shared in shares),
                             key=lambda r: (-r.weight, r.feature))
            told.append(Similarity(case=case, other=other, score=score, reasons=tuple(reasons),
                                   case_label=self.label(RESOURCE + case, lang),
                                   other_label=self.label(RESOURCE + other, lang)))
        return tuple(told)

    def pairs(self, *, langs: tuple[Lang, ...] = ("en",)) -> Iterator[tuple[Similarity, ...]]:
        """Every pair of cases that share something, once (``case`` < ``other``), told in each of
        ``langs``: one at a time, so that a large graph's pairs are never all held at once."""
        cases = sorted(self.values)
        for i, case in enumerate(cases):
            for other in cases[i + 1:]:
                told = self.compare_in(case, other, langs=langs)
                if told[0].score > 0:
                    yield told

    def _reason(self, group: str, share: float, shared: list[str], lang: Lang) -> Reason:
        if group == "text":
            values = tuple(Shared(id=w, iri=None, label=w) for w in shared)
        else:
            values = tuple(Shared(id=ref_id(v), iri=v, label=self.label(v, lang)) for v in shared)
        listed = ", ".join(v.label for v in values[:_SHOWN]) + (", …" if len(values) > _SHOWN else "")
        return Reason(feature=group, text=_TEXTS[group][lang].format(listed), editorial=group in EDITORIAL,
                      weight=round(share, 4), shared=values)


def similar_cases(backend: Backend, case_id: str, *, lang: Lang = "en", limit: int = 10,
                  catalog: QueryCatalog | None = None, profiles: Profiles | None = None) -> list[Similarity]:
    """The cases most like ``case_id``: score descending, then id; only those sharing something.

    :raises KeyError: if there is no such case.
    """
    profiles = profiles or Profiles.load(backend, catalog=catalog)
    if case_id not in profiles.values:
        raise KeyError(case_id)
    found = [profiles.compare(case_id, other, lang=lang) for other in profiles.values if other != case_id]
    return sorted((s for s in found if s.score > 0), key=lambda s: (-s.score, s.other))[:limit]


_CACHE: weakref.WeakKeyDictionary[object, Profiles] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def cached_profiles(backend: Backend, *, catalog: QueryCatalog | None = None) -> Profiles:
    """The profiles of ``backend``'s cases, loaded once per backend object (a whole-graph read).

    A backend opens one immutable build, so its profiles never go stale; a new build means a new backend.
    """
    with _CACHE_LOCK:
        found = _CACHE.get(backend)
    if found is None:
        found = Profiles.load(backend, catalog=catalog)
        with _CACHE_LOCK:
            _CACHE[backend] = found
    return found


def similar_view(backend: Backend, case_id: str, *, lang: Lang = "en", limit: int = 10,
                 catalog: QueryCatalog | None = None) -> SimilarList | None:
    """:func:`similar_cases` as a view, over the cached profiles; None if there is no such case."""
    profiles = cached_profiles(backend, catalog=catalog)
    if case_id not in profiles.values:
        return None
    found = similar_cases(backend, case_id, lang=lang, limit=limit, profiles=profiles)
    items = [SimilarItem(id=s.other, iri=RESOURCE + s.other, label=s.other_label, score=s.score,
                         reasons=[ReasonView(feature=r.feature, text=r.text, editorial=r.editorial, weight=r.weight,
                                             shared=[SharedValue(id=v.id, iri=v.iri, label=v.label)
                                                     for v in r.shared])
                                  for r in s.reasons])
             for s in found]
    return SimilarList(case=Ref(id=case_id, iri=RESOURCE + case_id, label=profiles.label(RESOURCE + case_id, lang)),
                       items=items)


def all_pairs(backend: Backend, *, lang: Lang = "en", catalog: QueryCatalog | None = None) -> list[Similarity]:
    """Every pair of cases that share something, once (``case`` < ``other``), score descending then ids:
    the weighted edges of a case–case graph."""
    found = [told for told, in Profiles.load(backend, catalog=catalog).pairs(langs=(lang,))]
    return sorted(found, key=lambda s: (-s.score, s.case, s.other))


def _idf_weighted(raw: Mapping[str, Mapping[str, Mapping[str, float]]]) -> dict[str, dict[str, dict[str, float]]]:
    """Each value's weight times ln(1 + N / df), df being the number of cases that have the value."""
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    for groups in raw.values():
        for group, values in groups.items():
            for value in values:
                frequency[(group, value)] += 1
    n = len(raw)
    return {case: {group: {v: w * math.log(1 + n / frequency[(group, v)]) for v, w in values.items()}
                   for group, values in groups.items()} for case, groups in raw.items()}


def _jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[float, list[str]]:
    """Weighted Jaccard index of two weighted sets, and their shared values, heaviest first."""
    union = set(a) | set(b)
    top = sum(max(a.get(v, 0.0), b.get(v, 0.0)) for v in union)
    shared = sorted(set(a) & set(b), key=lambda v: (-min(a[v], b[v]), v))
    return (sum(min(a[v], b[v]) for v in shared) / top if top else 0.0), shared

