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

**List parameters** (``list: true``) take any number of values, meaning OR. The query declares
each with one line ``VALUES ?name { UNDEF }`` at the top level of its WHERE clause, and may then
use the variable anywhere (typically ``FILTER(!BOUND(?name) || EXISTS { … ?name … })``).
:meth:`NamedQuery.prepare` replaces ``UNDEF`` by the serialised RDF terms of the values; with no
value the line stays ``UNDEF`` and the filter is off. Both backends then run the same text, so
they agree. Several list parameters multiply: at most :data:`MAX_VALUES` values each and
:data:`MAX_COMBINATIONS` combinations in all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from math import prod
from pathlib import Path
from typing import Any, Literal as TypingLiteral

import yaml
from pyoxigraph import Literal, NamedNode

from kg.config import resource_dir
from kg.errors import ParameterError, QueryError, UnknownQuery
from kg.namespaces import RESOURCE, XSD, concept, is_slug

logger = logging.getLogger(__name__)

ParamType = TypingLiteral["resource", "concept", "iri", "string", "integer"]
_TYPES = {"resource", "concept", "iri", "string", "integer"}
MAX_VALUES = 50
MAX_COMBINATIONS = 1000


def _values_line(name: str) -> re.Pattern[str]:
    return re.compile(rf"^([ \t]*)VALUES[ \t]+\?{re.escape(name)}[ \t]*\{{[ \t]*UNDEF[ \t]*\}}[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Parameter:
    """A typed parameter of a named query."""

    name: str
    type: ParamType
    required: bool = False
    scheme: str | None = None
    description: str | None = None
    example: str | None = None
    is_list: bool = False

    def to_term(self, value: str, *, query_name: str) -> NamedNode | Literal:
        """Convert a raw value to the RDF term bound to the variable.

        :raises ParameterError: if the value does not fit the type.
        """
        def fail(why: str) -> ParameterError:
            return ParameterError(f"parameter {self.name!r} of {query_name!r}: {why}",
                                  query_name=query_name, parameter=self.name)

        if self.type in ("resource", "concept"):
            if not is_slug(value):
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

    def _bindings(self, values: Mapping[str, str]) -> dict[str, NamedNode | Literal]:
        """Typed bindings for the raw values of the scalar parameters (names already checked)."""
        out: dict[str, NamedNode | Literal] = {}
        for param in self.params:
            if param.is_list:
                continue
            if param.name in values:
                out[param.name] = param.to_term(values[param.name], query_name=self.name)
            elif param.required:
                raise ParameterError(f"{self.name!r} needs parameter {param.name!r}",
                                     query_name=self.name, parameter=param.name)
        return out

    def prepare(self, values: Mapping[str, str | Sequence[str]]) -> tuple[str, dict[str, NamedNode | Literal]]:
        """The SPARQL text with list parameters filled in, and the bindings of the others.

        A scalar parameter takes one value; a list parameter any number (a ``str`` is one value).

        :raises ParameterError: on an unknown, missing, repeated or malformed parameter, or too many values.

        >>> query = NamedQuery("q", "t", "d", "SELECT ?x WHERE {\\n  VALUES ?x { UNDEF }\\n  ?x ?p ?o }",
        ...                    (Parameter("x", "string", is_list=True),))
        >>> print(query.prepare({"x": ["a", 'say "b"']})[0])
        SELECT ?x WHERE {
          VALUES ?x { "a" "say \\"b\\"" }
          ?x ?p ?o }
        """
        self._check_names(values)
        lists = {p.name: p for p in self.params if p.is_list}
        scalars: dict[str, str] = {}
        for name, given in values.items():
            if name in lists:
                continue
            many = [given] if isinstance(given, str) else list(given)
            if len(many) != 1:
                raise ParameterError(f"parameter {name!r} of {self.name!r} takes one value, not {len(many)}",
                                     query_name=self.name, parameter=name)
            scalars[name] = many[0]
        sparql = self.sparql
        sizes = []
        for name, param in lists.items():
            if name not in values:
                continue
            raw = [values[name]] if isinstance(values[name], str) else list(values[name])
            terms = list(dict.fromkeys(str(param.to_term(v, query_name=self.name)) for v in raw))
            if len(terms) > MAX_VALUES:
                raise ParameterError(f"parameter {name!r} of {self.name!r} takes at most {MAX_VALUES} values",
                                     query_name=self.name, parameter=name)
            sizes.append(len(terms))
            line = f"VALUES ?{name} {{ {' '.join(terms)} }}"
            sparql = _values_line(name).sub(lambda match, line=line: match.group(1) + line, sparql, count=1)  # type: ignore[misc]
        if prod(sizes) > MAX_COMBINATIONS:
            raise ParameterError(f"{self.name!r}: more than {MAX_COMBINATIONS} combinations of list values",
                                 query_name=self.name, parameter=next(iter(lists)))
        return sparql, self._bindings(scalars)

    def _check_names(self, values: Mapping[str, object]) -> None:
        known = {p.name for p in self.params}
        for name in values:
            if name not in known:
                raise ParameterError(f"{self.name!r} has no parameter {name!r}", query_name=self.name, parameter=name)


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


@lru_cache(maxsize=1)
def default_catalog() -> QueryCatalog:
    """The named queries that ship with the package (``queries/``), loaded once."""
    return QueryCatalog.from_dir(resource_dir("queries"))


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
    unknown = set(spec) - {"type", "required", "scheme", "description", "example", "list"}
    if unknown:
        raise QueryError(f"{path}: parameter {name!r} has unknown keys {sorted(unknown)}")
    return Parameter(name=name, type=spec["type"], required=bool(spec.get("required", False)),
                     scheme=spec.get("scheme"), description=spec.get("description"),
                     example=None if spec.get("example") is None else str(spec["example"]),
                     is_list=bool(spec.get("list", False)))


def _check_binding_rule(query: NamedQuery) -> None:
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(query.sparql)
    except Exception as exc:  # rdflib's parser raises pyparsing errors of several kinds
        raise QueryError(f"{query.path}: does not parse: {exc}") from exc
    algebra = prepared.algebra
    # CONSTRUCT has no projection of its own: every variable of its WHERE clause is in scope.
    projected = {str(v) for v in (algebra["PV"] if "PV" in algebra else algebra["p"]["PV"])}
    in_patterns = _pattern_variables(algebra)
    top_values = _top_values(algebra)
    for param in query.params:
        if param.is_list:
            if len(_values_line(param.name).findall(query.sparql)) != 1 or param.name not in top_values:
                raise QueryError(f"{query.path}: list parameter ?{param.name} needs exactly one line "
                                 f"`VALUES ?{param.name} {{ UNDEF }}` at the top level of the WHERE clause")
            continue
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


def _top_values(node: Any) -> set[str]:
    """Variables of the VALUES blocks joined at the top level (not inside OPTIONAL, UNION, MINUS or FILTER)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return set()
    if node.name == "values":
        return {str(v) for row in node["res"] for v in row}
    if node.name == "Union":
        return set()
    keys = ["p1"] if node.name in ("LeftJoin", "Minus") else ["p", "p1", "p2"]
    found: set[str] = set()
    for key in keys:
        if key in node:
            found |= _top_values(node[key])
    return found
