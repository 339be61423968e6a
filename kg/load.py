"""Read the curated YAML files into typed records, collecting every problem."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from kg.errors import DataError
from kg.models import AnyRecord, Record
from kg.report import ValidationReport, ValidationResult

logger = logging.getLogger(__name__)

_adapter: TypeAdapter[Record] = TypeAdapter(AnyRecord)


@dataclass(frozen=True)
class Loaded:
    """A record and where it came from: ``graph`` is its file's path under the data directory."""

    record: Record
    path: Path
    graph: str


def load_records(data_dir: Path) -> list[Loaded]:
    """Load every ``*.yaml`` under ``data_dir``.

    :param data_dir: the data directory.
    :raises DataError: with a report naming file, record and field of every problem found.
    """
    report = ValidationReport()
    loaded: list[Loaded] = []
    files = sorted(data_dir.rglob("*.yaml"))
    if not files:
        report.add(ValidationResult("yaml", f"no *.yaml files in {data_dir}"))
    for path in files:
        loaded.extend(_load_file(path, data_dir, report))
    _check_unique_ids(loaded, report)
    if not report.conforms:
        raise DataError(f"{len(report.violations)} problem(s) in the data files", report=report)
    logger.info("loaded %d records from %d files", len(loaded), len(files))
    return loaded


def _load_file(path: Path, data_dir: Path, report: ValidationReport) -> list[Loaded]:
    name = str(path.relative_to(data_dir).with_suffix(""))
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        report.add(ValidationResult("yaml", f"invalid YAML: {where}{problem}", source_file=str(path)))
        return []
    except UnicodeDecodeError as exc:
        report.add(ValidationResult("yaml", f"not UTF-8: {exc}", source_file=str(path)))
        return []
    items = content if isinstance(content, list) else [content]
    out: list[Loaded] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            report.add(ValidationResult("model", f"item {index + 1} is not a mapping", source_file=str(path)))
            continue
        record_id = str(item.get("id", f"item {index + 1}"))
        try:
            record = _adapter.validate_python(item)
        except ValidationError as exc:
            # A union field (``kind: city | [city, country]``) fails once per member: one result per field.
            messages: dict[str, list[str]] = {}
            for error in exc.errors():
                text = f"{error['msg']} (got {_short(error.get('input'))})"
                messages.setdefault(_field_path(error["loc"]), []).append(text)
            for field_path, texts in messages.items():
                report.add(ValidationResult("model", "; or ".join(dict.fromkeys(texts)), source_file=str(path),
                                            record_id=record_id, path=field_path))
            continue
        out.append(Loaded(record, path, name))
    return out


def _check_unique_ids(loaded: list[Loaded], report: ValidationReport) -> None:
    seen: dict[str, Path] = {}
    for item in loaded:
        if item.record.id in seen:
            report.add(ValidationResult("model", f"duplicate id, first defined in {seen[item.record.id]}",
                                        source_file=str(item.path), record_id=item.record.id, path="id"))
        seen.setdefault(item.record.id, item.path)


def _field_path(loc: tuple[int | str, ...]) -> str:
    # The discriminated union puts the record type first ("case.start_year"): drop it.
    parts = [str(p) for p in loc if "[" not in str(p)]  # drop union-member tags like "list[...]"
    if len(parts) > 1 and parts[0] in {"case", "organisation", "place", "source", "strategy",
                                       "document", "cluster", "technique", "claim"}:
        parts = parts[1:]
    return ".".join(parts)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
