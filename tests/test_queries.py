"""Named queries: headers, the binding rule, and every query's answers on the curated data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kg.backends.embedded import EmbeddedBackend
from kg.config import resource_dir
from kg.errors import ParameterError, QueryError, UnknownQuery
from kg.queries import QueryCatalog, parse_query_file
from kg.results import rows

R = "https://w3id.org/urbanai-kg/resource/"
CATALOG = QueryCatalog.from_dir(resource_dir("queries"))


def run(backend: EmbeddedBackend, name: str, **params: str) -> list[dict[str, Any]]:
    sparql, bindings = CATALOG[name].prepare(params)
    return list(rows(backend.results(sparql, bindings=bindings)))


def ids(result: list[dict[str, Any]], column: str) -> list[str]:
    return [str(r[column]).removeprefix(R) for r in result]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_query_file_has_a_parsed_header() -> None:
    files = sorted(p.stem for p in resource_dir("queries").glob("*.rq"))
    assert list(CATALOG) == files
    for query in CATALOG.values():
        assert query.title and query.description


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT * { ?s ?p ?o }", "needs `#+ title:`"),
    ("#+ title: [unclosed\nSELECT * { ?s ?p ?o }", "not valid YAML"),
    ("#+ title: t\n#+ description: d\n#+ colour: red\nSELECT * { ?s ?p ?o }", "unknown header keys"),
    ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: float}\nSELECT ?x { ?x ?p ?o }", "needs a type"),
    ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: concept}\nSELECT ?x { ?x ?p ?o }", "needs a scheme"),
    ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: iri}\nSELECT ?s { ?s ?p ?x }", "projected"),
    ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: iri}\nSELECT ?s ?x { ?s ?p ?o OPTIONAL { ?o ?q ?x } }",
     "outside FILTER and OPTIONAL"),
    ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: string}\nSELECT ?s ?x { ?s ?p ?o FILTER(?o = ?x) }",
     "outside FILTER and OPTIONAL"),
    ("#+ title: t\n#+ description: d\nSELEC ?s", "does not parse"),
])
def test_bad_query_files_fail_loudly(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query_file(write(tmp_path, text))


def test_parameters_are_checked_and_typed() -> None:
    query = CATALOG["cases-by-domain"]
    assert query.prepare({"domain": "mobility"})[1]["domain"].value == R + "domains/mobility"
    with pytest.raises(ParameterError, match="needs parameter"):
        query.prepare({})
    with pytest.raises(ParameterError, match="no parameter"):
        query.prepare({"domain": "mobility", "colour": "red"})
    with pytest.raises(ParameterError, match="not an id"):
        query.prepare({"domain": "} DROP ALL {"})
    with pytest.raises(UnknownQuery):
        CATALOG["no-such-query"]


def test_every_query_runs_on_the_built_store(backend: EmbeddedBackend) -> None:
    for query in CATALOG.values():
        params = {p.name: p.example for p in query.params if p.example is not None}
        sparql, bindings = query.prepare(params)
        result = backend.results(sparql, bindings=bindings)
        assert list(result), f"{query.name} returned nothing"


@pytest.mark.parametrize(("domain", "expected"), [
    ("mobility", {"code-the-curb", "la-al-fresco", "wecount", "via", "singapore-smart-nation"}),
    ("urban-planning", {"cityscope", "deepscope", "sonyc", "delve"}),
    ("resources-environment", {"myutility", "quantified-canopy", "breeze-technologies"}),
    ("ai-city", {"city-brain", "nvidia-metropolis", "quayside", "mila-ecosystem", "genai-urban-planning"}),
])
def test_cases_by_domain_match_figure_3(backend: EmbeddedBackend, domain: str, expected: set[str]) -> None:
    assert set(ids(run(backend, "cases-by-domain", domain=domain), "case")) == expected


def test_cases_per_domain_in_scheme_order(backend: EmbeddedBackend) -> None:
    result = run(backend, "cases-per-domain")
    assert [(r["label_en"].split()[0], r["cases"]) for r in result] == [
        ("Mobility", 5), ("Urban", 4), ("Resources", 3), ("AI-city", 5)]
    assert [r["label_ko"] for r in result] == ["모빌리티", "도시·건축", "자원·환경", "AI-도시 수준"]


def test_all_cases_listed_with_both_labels(backend: EmbeddedBackend) -> None:
    result = run(backend, "cases")
    assert len({r["case"] for r in result}) == 17
    assert all(r.get("label_en") and r.get("label_ko") for r in result)


@pytest.mark.parametrize(("country", "included", "excluded"), [
    ("usa", {"code-the-curb", "la-al-fresco", "via", "cityscope", "deepscope", "sonyc"}, {"quayside", "city-brain"}),
    ("canada", {"myutility", "quayside", "mila-ecosystem"}, {"via"}),
    ("china", {"city-brain"}, {"quayside"}),
    ("lithuania", {"breeze-technologies"}, {"city-brain"}),
])
def test_cases_by_country_follow_place_containment(backend: EmbeddedBackend, country: str, included: set[str],
                                                  excluded: set[str]) -> None:
    found = set(ids(run(backend, "cases-by-country", country=country), "case"))
    assert included <= found
    assert not excluded & found


def test_editorial_stage_and_element_queries(backend: EmbeddedBackend) -> None:
    urban_data = set(ids(run(backend, "cases-by-stage", stage="urban-data"), "case"))
    assert {"wecount", "sonyc"} <= urban_data
    ecosystem = set(ids(run(backend, "cases-by-element", element="ai-ecosystem"), "case"))
    assert "mila-ecosystem" in ecosystem


def test_strategies_by_country_and_year(backend: EmbeddedBackend) -> None:
    result = run(backend, "strategies")
    years = {r["strategy"].removeprefix(R): r.get("year") for r in result}
    assert years["canada-national-ai-strategy"] == "2017"
    assert years["uk-national-ai-strategy"] == "2021"
    assert years["korea-national-ai-strategy"] == "2019"
    assert years["new-york-ai-strategy"] == "2021"
    assert years["seoul-ai-strategy"] == "2023"
    assert [r.get("year") for r in result] == sorted((r.get("year") for r in result), key=lambda y: y or "")
    korea = set(ids(run(backend, "strategies", country="south-korea"), "strategy"))
    assert {"korea-national-ai-strategy", "seoul-ai-strategy"} <= korea
    assert "new-york-ai-strategy" not in korea
    levels = {r["strategy"].removeprefix(R): r["level"] for r in result}
    assert levels["new-york-ai-strategy"] == "city" and levels["germany-national-ai-strategy"] == "national"


def test_uk_strategy_has_its_three_pillars_in_order(backend: EmbeddedBackend) -> None:
    pillars = [r for r in run(backend, "strategy-pillars", strategy="uk-national-ai-strategy") if r["kind"] == "pillar"]
    assert [r["position"] for r in pillars] == [1, 2, 3]
    assert "ecosystem" in pillars[0]["label_en"].lower()
    assert "govern" in pillars[2]["label_en"].lower()
    assert all(r.get("label_ko") for r in pillars)


def test_new_york_strategy_has_five_pillars(backend: EmbeddedBackend) -> None:
    pillars = [r for r in run(backend, "strategy-pillars", strategy="new-york-ai-strategy") if r["kind"] == "pillar"]
    assert [r["position"] for r in pillars] == [1, 2, 3, 4, 5]
    assert "data infrastructure" in pillars[0]["label_en"].lower()
    assert pillars[0]["label_ko"].startswith("도시 데이터 인프라")


def test_korea_strategy_counts_tasks_without_listing_them(backend: EmbeddedBackend) -> None:
    pillars = [r for r in run(backend, "strategy-pillars", strategy="korea-national-ai-strategy") if r["kind"] == "pillar"]
    assert len(pillars) == 3
    [row] = list(rows(backend.results(
        "SELECT ?n WHERE { <%skorea-national-ai-strategy> <https://w3id.org/urbanai-kg/ontology#taskCount> ?n }" % R)))
    assert row["n"] == 100


@pytest.mark.parametrize(("scheme", "count"), [
    ("domains", 4), ("stages", 8), ("infrastructure-layers", 4), ("data-channels", 7), ("governance-bodies", 4),
    ("elements", 12), ("ai-roles", 15)])
def test_scheme_concepts(backend: EmbeddedBackend, scheme: str, count: int) -> None:
    assert len(run(backend, "scheme-concepts", scheme=scheme)) == count


def test_stages_are_ordered_with_their_evidence_status(backend: EmbeddedBackend) -> None:
    stages = run(backend, "scheme-concepts", scheme="stages")
    assert [r["position"] for r in stages] == list(range(1, 9))
    statuses = [r["status"].rsplit("#", 1)[1] for r in stages]
    assert statuses == ["positionInferred"] * 4 + ["reconstructed"] * 4
    assert stages[0]["concept"].endswith("stages/urban-infrastructure")


def test_elements_come_with_their_sub_items_in_order(backend: EmbeddedBackend) -> None:
    concepts = ids(run(backend, "scheme-concepts", scheme="elements"), "concept")
    assert concepts[:3] == ["elements/urban-data", "elements/public-data-strategy",
                            "elements/data-channel-diversification"]
    assert concepts[9] == "elements/ai-governance"


def test_case_facts_carry_their_sources(backend: EmbeddedBackend) -> None:
    facts = run(backend, "case-sources", case="quayside")
    assert facts and all(f.get("sources") for f in facts)
    editorial = [f for f in facts if f["editorial"]]
    assert editorial and all(f["predicate"].rsplit("#", 1)[1] in {"aiRole", "stage", "element"} for f in editorial)
