"""One fixture per validation rule: each must be reported by its layer, naming file, record and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import check
from kg.config import resource_dir
from kg.errors import DataError, ReasoningError, ShapeViolation
from tests.conftest import BAD, GOOD


def dataset_with(tmp_path: Path, rule: str) -> Path:
    """The good fixture plus the one broken file of ``rule``."""
    shutil.copy(GOOD / "records.yaml", tmp_path / "records.yaml")
    shutil.copy(BAD / f"{rule}.yaml", tmp_path / "broken.yaml")
    return tmp_path


def run_check(data: Path) -> None:
    check(data_dir=data, ontology_dir=resource_dir("ontology"))


def test_good_fixture_conforms() -> None:
    graph = check(data_dir=GOOD, ontology_dir=resource_dir("ontology"))
    assert graph.report.conforms
    assert len(graph.quads) > 100


@pytest.mark.parametrize(("rule", "record", "field", "message"), [
    ("yaml-syntax", None, None, "invalid YAML: line 4"),
    ("wrong-type", "busan", "within", "Input should be a valid list"),
    ("malformed-year", "busan-ai", "start_year", "Input should be a valid integer"),
    ("unknown-field-source", "busan", "field_sources", "field_sources names fields this record type does not have: population"),
])
def test_model_layer_reports_file_record_and_field(tmp_path: Path, rule: str, record: str | None,
                                                   field: str | None, message: str) -> None:
    with pytest.raises(DataError) as caught:
        run_check(dataset_with(tmp_path, rule))
    [problem] = caught.value.report.violations
    assert problem.source_file == str(tmp_path / "broken.yaml")
    assert problem.record_id == record
    assert problem.path == field
    assert message in problem.message


def test_every_model_problem_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- {type: place, id: x, kind: town, label: {en: X, ko: 엑스}}\n"
                                     "- {type: case, id: y, label: {en: Y, ko: 와이}, start_year: soon, colour: red}\n",
                                     encoding="utf-8")
    with pytest.raises(DataError) as caught:
        run_check(tmp_path)
    problems = {(p.record_id, p.path) for p in caught.value.report.violations}
    assert problems == {("x", "kind"), ("y", "start_year"), ("y", "colour")}


@pytest.mark.parametrize(("rule", "focus", "path", "message"), [
    ("missing-korean-label", "busan", "http://www.w3.org/2000/01/rdf-schema#label", "needs a Korean label"),
    ("unknown-domain", "busan-ai", "https://w3id.org/urbanai-kg/ontology#domain", "needs a domain of the domains scheme"),
    ("dangling-reference", "busan-ai", "https://w3id.org/urbanai-kg/ontology#locatedIn", "does not resolve to a place"),
    ("one-language-description", "busan", "http://purl.org/dc/terms/description", "in one language only"),
    ("dangling-field-source", "busan", "http://purl.org/dc/terms/source", "not a known source record"),
])
def test_shacl_layer_reports_the_expected_violation(tmp_path: Path, rule: str, focus: str, path: str,
                                                    message: str) -> None:
    with pytest.raises(ShapeViolation) as caught:
        run_check(dataset_with(tmp_path, rule))
    [problem] = caught.value.report.violations
    assert (problem.source_file, problem.record_id) == (str(tmp_path / "broken.yaml"), focus)
    assert problem.path == path
    assert message in problem.message


def test_hermit_reports_disjoint_types_as_inconsistent(tmp_path: Path) -> None:
    with pytest.raises(ReasoningError, match="inconsistent"):
        run_check(dataset_with(tmp_path, "disjoint-types"))


def test_curated_data_is_consistent_and_conforms() -> None:
    graph = check(data_dir=resource_dir("data"), ontology_dir=resource_dir("ontology"))
    assert graph.report.conforms, str(graph.report)
