"""The build pipeline: YAML → records → RDF → SHACL → HermiT → materialisation → store."""

from __future__ import annotations

import datetime
import logging
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize
from rdflib import Graph

from kg import store as layout
from kg.errors import ShapeViolation
from kg.load import load_records
from kg.materialise import materialise
from kg.namespaces import DCTERMS, GRAPH_ONTOLOGY, ONTOLOGY_IRI, OWL, RESOURCE, UAI, XSD
from kg.reason import check_consistency
from kg.report import ValidationReport
from kg.shapes import validate_shapes
from kg.to_rdf import to_rdf

logger = logging.getLogger(__name__)

ONTOLOGY_FILES = ("urbanai.ttl", "concepts.ttl", "dataset.ttl")
SHAPES_FILE = "shapes.ttl"


@dataclass
class AssembledGraph:
    """The graph before it is stored: its quads, the SHACL report, and where each record came from."""

    quads: list[Quad]
    report: ValidationReport
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def triples(self) -> list[Triple]:
        return [Triple(q.subject, q.predicate, q.object) for q in self.quads]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    path: Path
    triples: int
    graphs: dict[str, int]
    seconds: float
    version: str
    built_at: str
    commit: str | None


def ontology_quads(ontology_dir: Path) -> list[Quad]:
    """The ontology, concept schemes and dataset description, in ``graph/ontology``."""
    quads: list[Quad] = []
    for name in ONTOLOGY_FILES:
        path = ontology_dir / name
        quads.extend(Quad(t.subject, t.predicate, t.object, GRAPH_ONTOLOGY)
                     for t in parse(path=str(path), format=RdfFormat.TURTLE, rename_blank_nodes=True))
    return quads


def assemble(*, data_dir: Path, ontology_dir: Path) -> AssembledGraph:
    """Load and convert the data and validate it with SHACL (no reasoning, nothing written).

    :raises DataError: if a file or record is malformed.
    """
    loaded = load_records(data_dir)
    quads = ontology_quads(ontology_dir) + to_rdf(loaded)
    origins = {RESOURCE + item.record.id: (str(item.path), item.record.id) for item in loaded}
    graph = AssembledGraph(quads, ValidationReport(), origins)
    rdflib_graph = Graph().parse(data=serialize(graph.triples(), format=RdfFormat.N_TRIPLES) or b"",
                                 format="nt")
    graph.report = validate_shapes(rdflib_graph, ontology_dir / SHAPES_FILE, origins=origins)
    return graph


def check(*, data_dir: Path, ontology_dir: Path, reason: bool = True) -> AssembledGraph:
    """Validate every layer; the graph is returned only if it passes.

    :raises DataError: on malformed files or records (every problem at once).
    :raises ShapeViolation: on SHACL violations (every one at once).
    :raises ReasoningError: if HermiT finds the ontology and data inconsistent.
    """
    graph = assemble(data_dir=data_dir, ontology_dir=ontology_dir)
    if not graph.report.conforms:
        raise ShapeViolation(f"{len(graph.report.violations)} SHACL violation(s)", report=graph.report)
    if reason:
        check_consistency(graph.triples())
    return graph


def build(*, data_dir: Path, ontology_dir: Path, rules_dir: Path, store_dir: Path,
          reason: bool = True) -> BuildResult:
    """Validate, materialise and write a new store, then make it current atomically.

    :raises KGError: on any validation failure; the current store is left untouched.
    """
    started = time.perf_counter()
    graph = check(data_dir=data_dir, ontology_dir=ontology_dir, reason=reason)
    quads = graph.quads + materialise(graph.quads, rules_dir)
    now = datetime.datetime.now(datetime.timezone.utc)
    commit = _commit(data_dir)
    quads = list(dict.fromkeys(quads + _build_description(now, commit)))
    counts: dict[str, int] = {}
    for quad in quads:
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    manifest = {"triples": len(quads), "graphs": dict(sorted(counts.items())),
                "seconds": round(time.perf_counter() - started, 3), "version": ontology_version(quads),
                "built_at": now.isoformat(timespec="seconds"), "commit": commit}
    path = layout.write_store(quads, store_dir, stamp=now.strftime("%Y%m%dT%H%M%S%fZ"), manifest=manifest)
    result = BuildResult(path=path, **manifest)  # type: ignore[arg-type]
    logger.info("built %d triples in %.1f s into %s", result.triples, result.seconds, result.path)
    return result


def _build_description(now: datetime.datetime, commit: str | None) -> list[Quad]:
    """When (and from which commit) this build was made, on the dataset description."""
    dataset = NamedNode(RESOURCE + "dataset")
    quads = [Quad(dataset, NamedNode(DCTERMS + "modified"),
                  Literal(now.isoformat(timespec="seconds"), datatype=NamedNode(XSD + "dateTime")), GRAPH_ONTOLOGY)]
    if commit:
        quads.append(Quad(dataset, NamedNode(UAI + "commit"), Literal(commit), GRAPH_ONTOLOGY))
    return quads


def ontology_version(quads: list[Quad]) -> str:
    ontology, version = NamedNode(ONTOLOGY_IRI), NamedNode(OWL + "versionInfo")
    return next((q.object.value for q in quads if q.subject == ontology and q.predicate == version), "unknown")


def _commit(path: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None
