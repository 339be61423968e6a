"""Plain Python rows from pyoxigraph query results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions

from kg.backends import Parsed

_NUMERIC = {"integer", "decimal", "int", "long", "double", "float", "nonNegativeInteger"}


def rows(result: Parsed) -> Iterator[dict[str, Any]]:
    """Each solution as a dict of Python values: IRIs and plain literals as ``str``, numbers as numbers.

    >>> from pyoxigraph import Store
    >>> list(rows(Store().query('SELECT ?n WHERE { BIND(2 AS ?n) }')))
    [{'n': 2}]
    """
    if not isinstance(result, QuerySolutions):
        raise TypeError("rows() needs SELECT results")
    names = [v.value for v in result.variables]
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = python_value(term)
        yield row


def python_value(term: object) -> Any:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal):
        local = term.datatype.value.rsplit("#", 1)[-1]
        if local in _NUMERIC:
            number = float(term.value)
            return int(number) if local not in {"decimal", "double", "float"} else number
        if local == "boolean":
            return term.value == "true"
        return term.value
    return str(term)
