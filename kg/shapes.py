"""SHACL validation of the built graph with pySHACL, mapped back to files and records."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.namespaces import RESOURCE
from kg.report import ValidationReport, ValidationResult

logger = logging.getLogger(__name__)

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def validate_shapes(graph: Graph, shapes: Path, *, origins: Mapping[str, tuple[str, str]]) -> ValidationReport:
    """Validate ``graph`` (ontology + concepts + data) against the shapes file.

    :param origins: resource IRI → (source file, record id), to say where each problem is.
    :returns: one result per SHACL result, in a stable order.
    """
    import pyshacl

    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, results_graph, _text = pyshacl.validate(
        graph, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True)
    report = ValidationReport()
    results = []
    # Only the report's own results: nested sh:detail results repeat them from the value's side.
    for node in results_graph.objects(predicate=SH.result):
        focus = results_graph.value(node, SH.focusNode)
        path = results_graph.value(node, SH.resultPath)
        message = results_graph.value(node, SH.resultMessage)
        value = results_graph.value(node, SH.value)
        severity = _SEVERITY.get(results_graph.value(node, SH.resultSeverity), "violation")  # type: ignore[arg-type]
        source_file, record_id = _origin(str(focus), origins)
        text = str(message) if message else "violates a shape"
        if value is not None:
            text += f" (value: {_short(value)})"
        results.append(ValidationResult(
            "shacl", text, severity=severity,  # type: ignore[arg-type]
            source_file=source_file, record_id=record_id, focus_node=str(focus),
            path=_short(path) if path is not None else None))
    report.extend(sorted(results, key=lambda r: (r.source_file or "", r.record_id or "", r.path or "", r.message)))
    logger.info("SHACL: %d result(s)", len(report))
    return report


def _origin(focus: str, origins: Mapping[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    # A nested node (resource/{id}/pillars/1) belongs to the record it is under.
    candidate = focus
    while candidate.startswith(RESOURCE):
        if candidate in origins:
            return origins[candidate]
        if "/" not in candidate[len(RESOURCE):]:
            break
        candidate = candidate.rsplit("/", 1)[0]
    return None, focus.removeprefix(RESOURCE) if focus.startswith(RESOURCE) else None


def _short(term: object) -> str:
    if isinstance(term, URIRef):
        return str(term).removeprefix(RESOURCE)
    return str(term)
