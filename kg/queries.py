"""Named queries: ``queries/<name>.rq`` files with a ``#+`` YAML header, parsed once at load time.

A header looks like::

    #+ title: Cases of a domain
    #+ description: The cases the brief files under one domain.
    #+ params:
    #+   domain: {type: concept, scheme: domains, required: true, example: mobility}

Parameter types: ``resource`` (a slug of ``resource/``), ``concept`` (a slug of ``scheme``), ``iri``,
``string``, ``integer``. **Binding rule**: each parameter is a projected
variable that occurs in a triple pattern outside FILTER and OPTIONAL, so binding it by
``substitutions`` (embedded) or by a top-level ``VALUES`` block (remote) gives the same rows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal as TypingLiteral

import yaml
from pyoxigraph import Literal, NamedNode

from kg.errors import ParameterError, QueryError, UnknownQuery
from kg.namespaces import RESOURCE, XSD, concept

logger = logging.getLogger(__name__)

ParamType = TypingLiteral["resource", "concept", "iri", "string", "integer"]
_TYPES = {"resource", "concept", "iri", "string", "integer"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Parameter:
    """A typed parameter of a named query."""

    name: str
    type: ParamType
    required: bool = False
    scheme: str | None = None
    description: str | None = None
    example: str | None = None

    def to_term(self, value: str, *, query_name: str) -> NamedNode | Literal:
        """Convert a raw value to the RDF term bound to the variable.

        :raises ParameterError: if the value does not fit the type.
        """
        def fail(why: str) -> ParameterError:
            return ParameterError(f"parameter {self.name!r} of {query_name!r}: {why}",
                                  query_name=query_name, parameter=self.name)

        if self.type in ("resource", "concept"):
            if not _SLUG.match(value):
                raise fail(f"{value!r} is not an id (lowercase letters, digits and hyphens)")
            return concept(self.scheme or "", value) if self.type == "concept" else NamedNode(RESOURCE + value)
        if self.type == "iri":
            try:
                return NamedNode(value)
            except ValueError as exc:
                raise fail(f"not an IRI: {exc}") from exc
        if self.type == "integer":
            if not re.fullmatch(r"-?[0-9]{1,18}", value):
                raise fail(f"{value!r} is not an integer")
            return Literal(value, datatype=NamedNode(XSD + "integer"))
        return Literal(value)


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (the file stem), header and SPARQL text."""

    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Parameter, ...] = field(default=())
    path: Path | None = None

    def bindings(self, values: Mapping[str, str]) -> dict[str, NamedNode | Literal]:
        """Typed bindings for raw parameter values.

        :raises ParameterError: on an unknown, missing or malformed parameter.
        """
        known = {p.name: p for p in self.params}
        for name in values:
            if name not in known:
                raise ParameterError(f"{self.name!r} has no parameter {name!r}", query_name=self.name, parameter=name)
        out: dict[str, NamedNode | Literal] = {}
        for param in self.params:
            if param.name in values:
                out[param.name] = param.to_term(values[param.name], query_name=self.name)
            elif param.required:
                raise ParameterError(f"{self.name!r} needs parameter {param.name!r}",
                                     query_name=self.name, parameter=param.name)
        return out


class QueryCatalog(Mapping[str, NamedQuery]):
    """All named queries of a directory, by name."""

    def __init__(self, queries: Mapping[str, NamedQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    @classmethod
    def from_dir(cls, directory: Path) -> QueryCatalog:
        """Load ``directory/*.rq``.

        :raises QueryError: on a bad header or a parameter that breaks the binding rule.
        """
        queries = {}
        for path in sorted(directory.glob("*.rq")):
            query = parse_query_file(path)
            queries[query.name] = query
        logger.info("loaded %d named queries from %s", len(queries), directory)
        return cls(queries)

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQuery(f"no named query {name!r}", query_name=name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)


def parse_query_file(path: Path) -> NamedQuery:
    """Parse one ``.rq`` file.

    :raises QueryError: naming the file and what is wrong with its header.
    """
    text = path.read_text(encoding="utf-8")
    header_lines = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    try:
        header: Any = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict) or not header.get("title") or not header.get("description"):
        raise QueryError(f"{path}: header needs `#+ title:` and `#+ description:`")
    unknown = set(header) - {"title", "description", "params"}
    if unknown:
        raise QueryError(f"{path}: unknown header keys {sorted(unknown)}")
    params = tuple(_parameter(path, name, spec) for name, spec in (header.get("params") or {}).items())
    query = NamedQuery(name=path.stem, title=str(header["title"]), description=str(header["description"]).strip(),
                       sparql=text, params=params, path=path)
    _check_binding_rule(query)
    return query


def _parameter(path: Path, name: str, spec: Any) -> Parameter:
    if not isinstance(spec, dict) or spec.get("type") not in _TYPES:
        raise QueryError(f"{path}: parameter {name!r} needs a type, one of {sorted(_TYPES)}")
    if spec["type"] == "concept" and not spec.get("scheme"):
        raise QueryError(f"{path}: concept parameter {name!r} needs a scheme")
    unknown = set(spec) - {"type", "required", "scheme", "description", "example"}
    if unknown:
        raise QueryError(f"{path}: parameter {name!r} has unknown keys {sorted(unknown)}")
    return Parameter(name=name, type=spec["type"], required=bool(spec.get("required", False)),
                     scheme=spec.get("scheme"), description=spec.get("description"),
                     example=None if spec.get("example") is None else str(spec["example"]))


def _check_binding_rule(query: NamedQuery) -> None:
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(query.sparql)
    except Exception as exc:  # rdflib's parser raises pyparsing errors of several kinds
        raise QueryError(f"{query.path}: does not parse: {exc}") from exc
    projected = {str(v) for v in prepared.algebra.get("PV", [])}
    in_patterns = _pattern_variables(prepared.algebra)
    for param in query.params:
        if param.name not in projected:
            raise QueryError(f"{query.path}: parameter ?{param.name} must be a projected variable")
        if param.name not in in_patterns:
            raise QueryError(f"{query.path}: parameter ?{param.name} must occur in a triple pattern "
                             "outside FILTER and OPTIONAL")


def _pattern_variables(node: Any) -> set[str]:
    """Variables of the triple patterns reachable without entering OPTIONAL, FILTER or MINUS."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    found: set[str] = set()
    if isinstance(node, CompValue):
        if node.name == "BGP":
            found.update(str(t) for triple in node["triples"] for t in triple if isinstance(t, Variable))
            return found
        for key, value in node.items():
            if node.name == "LeftJoin" and key == "p2" or node.name == "Minus" and key == "p2":
                continue
            if key == "expr":
                continue
            found |= _pattern_variables(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            found |= _pattern_variables(item)
    return found
