"""The exception tree of the library.

::

    KGError
    ├── DataError            a data file or record is malformed (pydantic layer)
    ├── ShapeViolation       the graph breaks a SHACL rule
    ├── ReasoningError       HermiT finds ontology + data inconsistent
    ├── QueryError
    │   ├── QuerySyntaxError the SPARQL text does not parse
    │   ├── UnknownQuery     no named query has that name
    │   ├── ParameterError   a named-query parameter is missing or malformed
    │   ├── QueryRefused     the endpoint will not run it (SERVICE, too deeply nested, an update)
    │   └── QueryTooLarge    the query text is over the size cap
    ├── QueryTimeout         a user query ran too long (or over the memory limit) and was stopped
    ├── ServerBusy           no query worker became free in time
    ├── StoreNotFound        no built store at the given place
    └── BackendError         the store failed to answer
        └── BackendTimeout   the store did not answer in time
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.report import ValidationReport


class KGError(Exception):
    """Base of every error the library raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataError(KGError):
    """Raised when data files do not parse or records do not fit their model."""

    status = 422

    def __init__(self, message: str, *, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report


class ShapeViolation(KGError):
    """Raised when the built graph violates the SHACL shapes."""

    status = 422

    def __init__(self, message: str, *, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report


class ReasoningError(KGError):
    """Raised when the reasoner finds the ontology and data inconsistent, or cannot run."""

    status = 422

    def __init__(self, message: str, *, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class QueryError(KGError):
    """Base of errors about a query."""

    status = 400


class QuerySyntaxError(QueryError):
    """Raised when SPARQL text does not parse; the message is the parser's."""


class UnknownQuery(QueryError):
    """Raised when a named query is asked for that does not exist."""

    status = 404

    def __init__(self, message: str, *, query_name: str) -> None:
        super().__init__(message)
        self.query_name = query_name


class ParameterError(QueryError):
    """Raised when a named query's parameter is missing, unknown or malformed."""

    def __init__(self, message: str, *, query_name: str, parameter: str) -> None:
        super().__init__(message)
        self.query_name = query_name
        self.parameter = parameter


class QueryRefused(QueryError):
    """Raised when a query is refused before it runs: SERVICE, nesting too deep, or an update."""


class QueryTooLarge(QueryError):
    """Raised when the query text is longer than the size cap."""

    status = 413


class QueryTimeout(KGError):
    """Raised when a user query runs past its time or memory limit and its worker is killed."""

    status = 503


class ServerBusy(KGError):
    """Raised when every query worker stays busy for longer than the queue timeout."""

    status = 503


class StoreNotFound(KGError):
    """Raised when a store directory holds no built store."""

    status = 503

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class BackendError(KGError):
    """Raised when the store fails to answer (unreachable, or a server error)."""

    status = 503


class BackendTimeout(BackendError):
    """Raised when the store does not answer within the timeout."""

    status = 504
