"""The build: RDF snapshot of the good fixture, store layout, dump, and atomic replacement."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse, serialize

from kg import store as layout
from kg.build import BuildResult, assemble
from kg.config import resource_dir
from kg.errors import DataError, StoreNotFound
from kg.namespaces import GRAPH_ONTOLOGY
from tests.conftest import BAD, GOOD, SNAPSHOTS, build_into


def test_good_fixture_matches_its_snapshot(update_snapshots: bool) -> None:
    """The records' RDF (ontology graph left out) equals the golden file (`pytest --update-snapshots`).

    The build makes no blank nodes, so comparing quad sets is comparing the datasets as graphs.
    """
    quads = [q for q in assemble(data_dir=GOOD, ontology_dir=resource_dir("ontology")).quads
             if q.graph_name != GRAPH_ONTOLOGY]
    golden = SNAPSHOTS / "good.nq"
    if update_snapshots:
        serialize(sorted(quads, key=str), output=str(golden), format=RdfFormat.N_QUADS)
    expected = list(parse(path=str(golden), format=RdfFormat.N_QUADS))
    assert len(set(quads)) == len(expected)
    assert set(quads) == set(expected)


def test_build_writes_store_dump_and_manifest(built_store: tuple[Path, BuildResult]) -> None:
    store_dir, result = built_store
    current = layout.current_build(store_dir)
    assert current == result.path
    manifest = layout.read_manifest(current)
    assert manifest["triples"] == result.triples == sum(result.graphs.values())
    dumped = list(parse(path=str(current / layout.DUMP), format=RdfFormat.N_QUADS))
    assert len(dumped) == result.triples
    graphs = {q.graph_name.value for q in dumped}
    assert {"https://w3id.org/urbanai-kg/graph/ontology", "https://w3id.org/urbanai-kg/graph/inferred",
            "https://w3id.org/urbanai-kg/graph/editorial",
            "https://w3id.org/urbanai-kg/graph/data/cases/city-brain"} <= graphs
    assert len(Store.read_only(str(current / layout.OXIGRAPH))) == result.triples


def test_failed_build_leaves_the_served_store_untouched(tmp_path: Path) -> None:
    first = build_into(tmp_path, GOOD)
    broken = tmp_path / "broken-data"
    broken.mkdir()
    (broken / "records.yaml").write_text((GOOD / "records.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "broken.yaml").write_text((BAD / "wrong-type.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(DataError):
        build_into(tmp_path, broken)
    assert layout.current_build(tmp_path) == first.path
    assert len(Store.read_only(str(first.path / layout.OXIGRAPH))) == first.triples


def test_rebuild_swaps_current_and_keeps_the_previous_build(tmp_path: Path) -> None:
    first = build_into(tmp_path, GOOD)
    second = build_into(tmp_path, GOOD)
    assert layout.current_build(tmp_path) == second.path != first.path
    assert first.path.exists()
    third = build_into(tmp_path, GOOD)
    assert not first.path.exists() and second.path.exists() and third.path.exists()


def test_materialisation_adds_types_inverses_and_containment(tmp_path: Path) -> None:
    result = build_into(tmp_path, GOOD)
    store = Store.read_only(str(result.path / layout.OXIGRAPH))
    inferred = "GRAPH <https://w3id.org/urbanai-kg/graph/inferred>"
    res, uai = "https://w3id.org/urbanai-kg/resource/", "https://w3id.org/urbanai-kg/ontology#"
    assert store.query(f"ASK {{ {inferred} {{ <{res}city-hall> a <https://schema.org/Organization> }} }}")
    assert store.query(f"ASK {{ {inferred} {{ <{res}city-hall> <{uai}involvedIn> <{res}traffic-ai> }} }}")
    assert store.query(f"ASK {{ {inferred} {{ <{res}korea> <{uai}contains> <{res}seoul> }} }}")
    assert store.query(f"ASK {{ {inferred} {{ <{res}traffic-ai> <{uai}currentStatus> <{res}lifecycle-statuses/operating> }} }}")
    assert store.query(f"ASK {{ {inferred} {{ <{res}domains/mobility> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}")


def test_missing_store_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFound, match="urbanai-kg build"):
        layout.current_build(tmp_path)
