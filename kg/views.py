"""Typed views of the graph, in one language: what the JSON API serves and notebooks can use.

Every view of a resource has ``id`` (the slug a route or filter accepts: ``cityscope``; for a
concept, its slug within its scheme: ``mobility``), ``iri`` (the canonical IRI, which the server
dereferences) and ``label`` (in the requested language, else the other one).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class Ref(View):
    """A resource or concept, named."""

    id: str = Field(description="Slug: the id routes and filters accept.")
    iri: str = Field(description="Canonical IRI; `GET /resource/{id}` at the server dereferences it.")
    label: str = Field(description="Label in the requested language (else the other one).")


class Link(Ref):
    """A linked resource or concept, with the sources of the link."""

    editorial: bool = Field(description="True for the curators' classification (graph/editorial), not a sourced fact.")
    sources: list[str] = Field(description="Ids of the sources that state the link (none for editorial links).")


class FacetValue(Ref):
    count: int = Field(description="Cases of the filtered set with this value.")


class CaseItem(Ref):
    """A case in a list."""

    domains: list[Ref] = Field(description="Its domains.")
    places: list[Ref] = Field(description="Where it happens.")
    status: Ref | None = Field(description="Its current lifecycle status, if known.")


class CasePage(View):
    """One page of the cases that match the filters, with facets over all of them."""

    total: int = Field(description="Cases that match, over all pages.")
    limit: int
    offset: int
    items: list[CaseItem]
    facets: dict[str, list[FacetValue]] = Field(
        description="Per filter name, the values of the matching cases with their counts, most frequent first.")


class SourceView(Ref):
    """A source: ``label`` is its title as published."""

    kind: str | None = Field(description="brief, report, web, news, article, law or book.")
    url: str | None
    year: int | None
    date: str | None
    publisher: str | None
    locator: str | None = Field(description="Section, page, figure or table within the source.")
    part_of: Ref | None = Field(description="The larger source it is part of.")


class Fact(View):
    """One statement about a case with its sources, as the graph reifies it."""

    property: str = Field(description="Local name of the property, e.g. `locatedIn`.")
    property_iri: str
    value: str = Field(description="An IRI, or a literal's text.")
    value_label: str | None = Field(description="The value's label, for an IRI that has one.")
    sources: list[str] = Field(description="Ids of the sources that state it.")
    editorial: bool = Field(description="True for the curators' classification.")
    attributed_to: str | None = Field(description="For editorial facts: the IRI of the curators.")


class StatementView(View):
    """A sourced statement of a case: lifecycle event, data use, outcome, controversy or correction."""

    id: str
    iri: str
    kind: str = Field(description="lifecycle, data, outcome, controversy or correction.")
    text: str | None
    value: float | None
    unit: str | None
    year: int | None
    date: str | None
    status: Ref | None = Field(description="Lifecycle events: the status reached.")
    data_kind: Ref | None = Field(description="Data uses: the kind of data.")
    field: str | None = Field(description="Corrections: the field corrected.")
    brief_says: str | None = Field(description="Corrections: what the brief wrote.")
    sources: list[str]


class Editorial(View):
    """The curators' classification of a case (graph/editorial), not stated by any source."""

    attributed_to: str = Field(description="IRI of the curators.")
    roles: list[Ref]
    stages: list[Ref]
    elements: list[Ref]
    rationale: str | None = Field(description="Why, in the requested language.")


class CaseDetail(Ref):
    """Everything the graph knows about a case."""

    labels: dict[str, str] = Field(description="Labels by language.")
    description: str | None
    is_group: bool = Field(description="A group of cases the brief names together.")
    domains: list[Link]
    places: list[Link]
    lead_organisations: list[Link]
    partner_organisations: list[Link]
    funders: list[Link]
    techniques: list[Link]
    builds_on: list[Link]
    extended_by: list[Link]
    start_year: int | None
    end_year: int | None
    status: Ref | None = Field(description="Current status: that of the latest lifecycle event.")
    homepage: str | None
    same_as: list[str] = Field(description="Exact matches elsewhere (e.g. Wikidata).")
    lifecycle: list[StatementView]
    data: list[StatementView]
    outcomes: list[StatementView]
    controversies: list[StatementView]
    corrections: list[StatementView]
    editorial: Editorial
    facts: list[Fact] = Field(description="Every fact with its sources; editorial facts marked.")
    sources: list[SourceView] = Field(description="Every source cited for the case or its parts.")


class StrategyItem(Ref):
    level: str = Field(description="national or city.")
    year: int | None
    places: list[Ref]
    countries: list[Ref]


class StrategyList(View):
    total: int
    items: list[StrategyItem]


class Component(View):
    """A pillar (area, pillar or project) or programme of a strategy."""

    id: str
    iri: str
    position: int = Field(description="1-based position in the source's order.")
    label: str
    description: str | None
    sources: list[str]


class DocumentRef(Ref):
    kind: str | None = Field(description="law, report or plan.")
    year: int | None


class StrategyDetail(Ref):
    labels: dict[str, str]
    description: str | None
    level: str
    year: int | None
    date: str | None
    goal: str | None = Field(description="The specialised goal the brief names.")
    task_count: int | None
    places: list[Ref]
    countries: list[Ref]
    issued_by: list[Ref]
    pillars: list[Component] = Field(description="The areas, pillars or projects it names, in order.")
    programmes: list[Component]
    documents: list[DocumentRef]
    updated_by: list[Ref]
    sources: list[SourceView]


class SchemeItem(Ref):
    ordered: bool = Field(description="Whether the order of its concepts is meaningful.")
    concepts: int


class SchemeList(View):
    items: list[SchemeItem]


class ConceptCase(Ref):
    property: str = Field(description="How the case touches the concept: domain, aiRole, stage, element, usesData, lifecycleEvent.")
    editorial: bool
    via: str | None = Field(description="Id of the exactly matching concept the link goes through, if any.")


class ConceptView(Ref):
    position: int | None
    definition: str | None
    broader: str | None = Field(description="Id of the broader concept.")
    status: str | None = Field(description="Evidence status: stated, positionInferred or reconstructed.")
    cases: list[ConceptCase]


class SchemeDetail(Ref):
    ordered: bool
    concepts: list[ConceptView] = Field(description="In the scheme's order where it has one.")


class Stats(View):
    """The size of the graph: triples per named graph, records per kind, cases per domain."""

    triples: int = Field(description="Triples in the store, over all named graphs.")
    graphs: dict[str, int] = Field(description="Triples per named graph (IRI).")
    counts: dict[str, int] = Field(description="Records per kind: cases, strategies, organisations, concepts, …")
    cases_per_domain: list[FacetValue]


class SharedValue(Ref):
    """A value two cases share; for shared words, ``iri`` is null and ``id`` is the word."""

    iri: str | None = Field(description="Canonical IRI of the shared value; null for a shared word.")


class ReasonView(View):
    """Why two cases are alike: one feature group, its share of the score, and the shared values."""

    feature: str = Field(description="domain, role, stage, element, data-kind, technique, place, organisation, "
                                     "builds-on or text.")
    text: str = Field(description="The reason, readable, in the requested language.")
    editorial: bool = Field(description="True when it rests on the curators' classification.")
    weight: float = Field(description="This reason's share of the score.")
    shared: list[SharedValue]


class SimilarItem(Ref):
    """A case like the one asked about."""

    score: float = Field(description="Similarity in [0, 1]; symmetric.")
    reasons: list[ReasonView] = Field(description="Largest share first.")


class SimilarList(View):
    """The cases most like one case: score descending, then id."""

    case: Ref
    items: list[SimilarItem]


class QueryParam(View):
    """A typed parameter of a named query."""

    name: str
    type: str = Field(description="resource (an id), concept (an id within `scheme`), iri, string or integer.")
    required: bool
    repeatable: bool = Field(description="Takes several values (repeat the parameter): OR.")
    scheme: str | None = Field(description="For concept parameters: the scheme of the id.")
    description: str | None
    example: str | None


class QueryInfo(View):
    """A named query of `queries/`."""

    name: str = Field(description="The file stem; `GET /api/queries/{name}` runs it.")
    title: str
    description: str
    params: list[QueryParam]


class QueryList(View):
    items: list[QueryInfo]


Cell = str | int | float | bool


class QueryRows(View):
    """The rows of a named SELECT (or ASK) query, each cell an IRI, a literal's text, a number or a boolean."""

    name: str
    columns: list[str]
    rows: list[dict[str, Cell]] = Field(description="Unbound cells are left out of their row.")
    truncated: bool = Field(description="True when the row cap cut the answer.")
