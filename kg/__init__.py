"""Urban AI knowledge graph: build, validate, query."""

from __future__ import annotations

from kg.backends import Backend, Serialized, open_backend
from kg.build import BuildResult, build, check
from kg.concepts import get_scheme, list_schemes
from kg.config import Settings
from kg.cases import get_case, search_cases
from kg.errors import (BackendError, BackendTimeout, DataError, KGError, ParameterError, QueryError,
                       QuerySyntaxError, ReasoningError, ShapeViolation, StoreNotFound, UnknownQuery)
from kg.graph import KnowledgeGraph, open_graph
from kg.queries import NamedQuery, QueryCatalog
from kg.report import ValidationReport, ValidationResult
from kg.results import rows
from kg.similarity import Similarity, similar_cases
from kg.stats import graph_stats
from kg.strategies import get_strategy, list_strategies

__version__ = "0.1.0"

__all__ = [
    "Backend", "BackendError", "BackendTimeout", "BuildResult", "DataError", "KGError",
    "KnowledgeGraph", "NamedQuery", "ParameterError", "QueryCatalog", "QueryError",
    "QuerySyntaxError", "ReasoningError", "Serialized", "Settings", "ShapeViolation", "Similarity",
    "StoreNotFound", "UnknownQuery", "ValidationReport", "ValidationResult", "__version__", "build",
    "check", "get_case", "get_scheme", "get_strategy", "graph_stats", "list_schemes",
    "list_strategies", "open_backend", "open_graph", "rows", "search_cases", "similar_cases",
]
