"""Run a named query through a backend, and turn its rows into views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from kg.backends import Backend
from kg.namespaces import RESOURCE, UAI
from kg.queries import NamedQuery, QueryCatalog
from kg.results import rows
from kg.views import QueryInfo, QueryParam, Ref

Lang = Literal["en", "ko"]
LANGS: tuple[Lang, ...] = ("en", "ko")


def run(backend: Backend, catalog: QueryCatalog, name: str,
        values: Mapping[str, str | Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """The rows of the named query ``name`` with its parameters bound.

    :raises UnknownQuery: if there is no such query.
    :raises ParameterError: if a value does not fit its parameter.
    """
    sparql, bindings = catalog[name].prepare(values or {})
    return list(rows(backend.results(sparql, bindings=bindings)))


def ref_id(iri: str) -> str:
    """The slug of an IRI: the path under ``resource/``; for a concept, its slug within its scheme.

    >>> ref_id("https://w3id.org/urbanai-kg/resource/cityscope"), ref_id("https://w3id.org/urbanai-kg/resource/domains/mobility")
    ('cityscope', 'mobility')
    >>> ref_id("https://w3id.org/urbanai-kg/resource/cityscope/data/1"), ref_id("https://w3id.org/urbanai-kg/ontology#domain")
    ('cityscope/data/1', 'domain')
    """
    if iri.startswith(RESOURCE):
        path = iri[len(RESOURCE):]
        parts = path.split("/")
        return parts[1] if len(parts) == 2 else path  # scheme/concept; records and their parts otherwise
    if iri.startswith(UAI):
        return iri[len(UAI):]
    return iri


def pick(row: Mapping[str, Any], prefix: str, lang: Lang) -> str | None:
    """``row[prefix_<lang>]``, else the other language's value."""
    other = "ko" if lang == "en" else "en"
    value = row.get(f"{prefix}_{lang}") or row.get(f"{prefix}_{other}")
    return None if value is None else str(value)


def ref(iri: str, row: Mapping[str, Any], lang: Lang, prefix: str = "label") -> Ref:
    """A :class:`Ref` for ``iri`` labelled from ``row[prefix_en|prefix_ko]`` (else its id)."""
    return Ref(id=ref_id(iri), iri=iri, label=pick(row, prefix, lang) or ref_id(iri))


def to_int(value: object) -> int | None:
    """An integer from a number or a year literal (``"2019"``), else None."""
    if value is None:
        return None
    try:
        return int(str(value).split(".")[0])
    except ValueError:
        return None


def split(value: object) -> list[str]:
    """The ids in a space-separated list of IRIs (a GROUP_CONCAT column), sorted: its order is undefined.

    >>> split("https://w3id.org/urbanai-kg/resource/b https://w3id.org/urbanai-kg/resource/a")
    ['a', 'b']
    """
    return sorted(ref_id(iri) for iri in str(value or "").split())


def unique(refs: Sequence[Ref]) -> list[Ref]:
    """The refs without repeats, in order."""
    return list({r.iri: r for r in refs}.values())


def query_info(query: NamedQuery) -> QueryInfo:
    """What a named query's header says: name, title, description and typed parameters."""
    return QueryInfo(name=query.name, title=query.title, description=query.description,
                     params=[QueryParam(name=p.name, type=p.type, required=p.required, repeatable=p.is_list,
                                        scheme=p.scheme, description=p.description, example=p.example)
                             for p in query.params])
