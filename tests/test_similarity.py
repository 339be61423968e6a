"""Similarity: the gold pairs rank in each other's top three, with the reasons the data supports."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.backends.embedded import EmbeddedBackend
from kg.config import resource_dir
from kg.similarity import EDITORIAL, WEIGHTS, Profiles, all_pairs, cached_profiles, similar_cases

DATA = resource_dir("data")
GOLD = [("cityscope", "deepscope"), ("code-the-curb", "la-al-fresco"), ("quayside", "delve")]
_ORGS = ("lead_organisations", "partner_organisations", "funders")


def _record(case: str) -> dict[str, object]:
    return yaml.safe_load((DATA / "cases" / f"{case}.yaml").read_text(encoding="utf-8"))


def _labels(path: Path) -> dict[str, dict[str, str]]:
    return {r["id"]: r["label"] for r in yaml.safe_load(path.read_text(encoding="utf-8"))}


def _stated(case: str, *fields: str) -> set[str]:
    record = _record(case)
    return {value for name in fields for value in record.get(name, []) or []}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def profiles(backend: EmbeddedBackend) -> Profiles:
    return Profiles.load(backend)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("a", "b"), GOLD + [(b, a) for a, b in GOLD])
def test_gold_pairs_rank_in_each_others_top_three(backend: EmbeddedBackend, profiles: Profiles,
                                                  a: str, b: str, lang: str) -> None:
    top = similar_cases(backend, a, lang=lang, limit=3, profiles=profiles)  # type: ignore[arg-type]
    assert b in [s.other for s in top]


@pytest.mark.parametrize(("a", "b"), GOLD)
def test_gold_pairs_give_the_values_their_records_share_as_reasons(profiles: Profiles, a: str, b: str) -> None:
    """Every domain, place and organisation both records state appears in the reason of its group."""
    found = profiles.compare(a, b)
    shared = {r.feature: {v.id for v in r.shared} for r in found.reasons}
    for feature, fields in (("domain", ("domains",)), ("place", ("places",)), ("organisation", _ORGS)):
        both = _stated(a, *fields) & _stated(b, *fields)
        assert both <= shared.get(feature, set()), (feature, both)
    assert found.score == profiles.compare(b, a).score


def test_the_expected_reasons_of_each_gold_pair(profiles: Profiles) -> None:
    def shared(a: str, b: str) -> dict[str, set[str]]:
        return {r.feature: {v.id for v in r.shared} for r in profiles.compare(a, b).reasons}

    scope = shared("cityscope", "deepscope")
    assert {"mit-media-lab", "mit-city-science-group"} <= scope["organisation"]
    assert "cambridge-ma" in scope["place"] and "urban-planning" in scope["domain"]
    assert scope["builds-on"] == {"cityscope"}  # deepscope.yaml: builds_on: [cityscope]
    curb = shared("code-the-curb", "la-al-fresco")
    assert "los-angeles" in curb["place"] and "mobility" in curb["domain"]
    # LADOT (Code the Curb's lead) is a department of the City of Los Angeles (L.A. Al Fresco's lead).
    assert "city-of-los-angeles" in curb["organisation"]
    assert "sidewalk-labs" in shared("quayside", "delve")["organisation"]


def test_reasons_read_in_korean_with_korean_labels(profiles: Profiles) -> None:
    places = _labels(DATA / "places.yaml")
    found = profiles.compare("code-the-curb", "la-al-fresco", lang="ko")
    place = next(r for r in found.reasons if r.feature == "place")
    assert places["los-angeles"]["ko"] in place.text
    assert all(not r.text.startswith(("Same", "Shared", "One", "Descriptions")) for r in found.reasons)
    english = profiles.compare("code-the-curb", "la-al-fresco", lang="en")
    assert places["los-angeles"]["en"] in next(r.text for r in english.reasons if r.feature == "place")
    assert found.score == english.score


def test_editorial_reasons_are_marked_and_weights_add_up(profiles: Profiles) -> None:
    found = profiles.compare("cityscope", "deepscope")
    assert {r.feature for r in found.reasons if r.editorial} == {r.feature for r in found.reasons} & EDITORIAL
    assert found.score == pytest.approx(sum(r.weight for r in found.reasons), abs=1e-3)
    assert set(WEIGHTS) >= {r.feature for r in found.reasons}
    assert 0 < found.score <= 1


def test_order_is_deterministic_score_then_id(backend: EmbeddedBackend, profiles: Profiles) -> None:
    first = similar_cases(backend, "wecount", limit=20, profiles=profiles)
    assert first == similar_cases(backend, "wecount", limit=20, profiles=Profiles.load(backend))
    assert [(-s.score, s.other) for s in first] == sorted((-s.score, s.other) for s in first)
    assert "wecount" not in [s.other for s in first]


def test_all_pairs_agree_with_similar_cases(backend: EmbeddedBackend, profiles: Profiles) -> None:
    pairs = {(s.case, s.other): s.score for s in all_pairs(backend)}
    for s in similar_cases(backend, "delve", limit=20, profiles=profiles):
        assert pairs[tuple(sorted(("delve", s.other)))] == s.score  # type: ignore[index]


def test_profiles_are_cached_per_backend(backend: EmbeddedBackend) -> None:
    assert cached_profiles(backend) is cached_profiles(backend)


def test_unknown_case_raises_key_error(backend: EmbeddedBackend, profiles: Profiles) -> None:
    with pytest.raises(KeyError):
        similar_cases(backend, "no-such-case", profiles=profiles)
