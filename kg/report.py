"""Validation problems from every layer of the build, collected and raised once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["violation", "warning", "info"]
Layer = Literal["yaml", "model", "shacl", "owl"]


@dataclass(frozen=True)
class ValidationResult:
    """One problem: where it is (file, record, focus node, path) and what is wrong."""

    layer: Layer
    message: str
    severity: Severity = "violation"
    source_file: str | None = None
    record_id: str | None = None
    focus_node: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = ":".join(p for p in (self.source_file, self.record_id) if p) or "(graph)"
        at = f" [{self.path}]" if self.path else ""
        return f"{where}{at}: {self.message} ({self.layer} {self.severity})"


@dataclass
class ValidationReport:
    """Every problem found, in the order found.

    >>> report = ValidationReport()
    >>> report.add(ValidationResult("model", "not a year", source_file="data/a.yaml"))
    >>> report.conforms, len(report)
    (False, 1)
    """

    results: list[ValidationResult] = field(default_factory=list)

    def add(self, result: ValidationResult) -> None:
        self.results.append(result)

    def extend(self, results: list[ValidationResult]) -> None:
        self.results.extend(results)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[ValidationResult]:
        return iter(self.results)

    def __str__(self) -> str:
        return "\n".join(str(r) for r in self.results)
