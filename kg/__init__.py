"""Urban AI knowledge graph: build, validate, query."""

from __future__ import annotations

from kg.backends import Backend, Serialized, open_backend
from kg.build import BuildResult, build, check
from kg.config import Settings
from kg.errors import (BackendError, BackendTimeout, DataError, KGError, ParameterError, QueryError,
                       QuerySyntaxError, ReasoningError, ShapeViolation, StoreNotFound, UnknownQuery)
from kg.queries import NamedQuery, QueryCatalog
from kg.report import ValidationReport, ValidationResult
from kg.results import rows

__version__ = "0.1.0"

__all__ = [
    "Backend", "BackendError", "BackendTimeout", "BuildResult", "DataError", "KGError", "NamedQuery",
    "ParameterError", "QueryCatalog", "QueryError", "QuerySyntaxError", "ReasoningError", "Serialized",
    "Settings", "ShapeViolation", "StoreNotFound", "UnknownQuery", "ValidationReport", "ValidationResult",
    "__version__", "build", "check", "open_backend", "rows",
]
