"""Typed records of the curated data, each field declaring how it becomes RDF.

A record's class IRI is ``rdf_class`` (or ``kind_classes[kind]``); a field's predicate and value kind
is its :class:`Rdf` marker. :mod:`kg.to_rdf` reads these declarations and nothing else. Pydantic
checks syntax and types here; graph rules (both languages, known concepts, resolvable references)
are SHACL's job, so that every such problem is reported in one place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kg.namespaces import DCTERMS, RDFS, SCHEMA, SKOS, SLUG_PATTERN, UAI

ValueKind = Literal["text", "ref", "concept", "year", "date", "int", "decimal", "url", "string", "bool", "nested"]


@dataclass(frozen=True)
class Rdf:
    """How a field maps to RDF: its predicate, the kind of value, and for concepts the scheme."""

    predicate: str
    kind: ValueKind
    scheme: str | None = None
    node_class: str | None = None
    ordered: bool = False


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Year = Annotated[int, Field(ge=1000, le=2999)]
Url = Annotated[str, StringConstraints(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """Text in English and Korean; SHACL, not pydantic, insists on both."""

    en: str | None = None
    ko: str | None = None


class Sourced(Strict):
    sources: Annotated[list[Slug], Rdf(DCTERMS + "source", "ref")] = []


class Component(Sourced):
    """A pillar, area, project or programme of a strategy, in the source's order."""

    label: Annotated[Text, Rdf(RDFS + "label", "text")]
    description: Annotated[Text | None, Rdf(DCTERMS + "description", "text")] = None


class Statement(Sourced):
    """A sourced outcome or controversy."""

    text: Annotated[Text, Rdf(UAI + "text", "text")]
    value: Annotated[float | None, Rdf(UAI + "value", "decimal")] = None
    unit: Annotated[str | None, Rdf(UAI + "unit", "string")] = None
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None


class LifecycleEvent(Sourced):
    status: Annotated[Slug, Rdf(UAI + "status", "concept", scheme="lifecycle-statuses")]
    date: Annotated[datetime.date | None, Rdf(UAI + "date", "date")] = None
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None


class DataItem(Sourced):
    label: Annotated[Text, Rdf(RDFS + "label", "text")]
    kind: Annotated[Slug, Rdf(UAI + "dataKind", "concept", scheme="data-kinds")]


class Correction(Sourced):
    """A flagged correction of the brief: the field, what the brief says, and why it is changed."""

    field: Annotated[str, Rdf(UAI + "field", "string")]
    brief_says: Annotated[str, Rdf(UAI + "briefSays", "string")]
    note: Annotated[Text, Rdf(SKOS + "note", "text")]


class Editorial(Strict):
    """The curators' classification of a case; written to ``graph/editorial``."""

    roles: Annotated[list[Slug], Rdf(UAI + "aiRole", "concept", scheme="ai-roles")] = []
    stages: Annotated[list[Slug], Rdf(UAI + "stage", "concept", scheme="stages")] = []
    elements: Annotated[list[Slug], Rdf(UAI + "element", "concept", scheme="elements")] = []
    rationale: Annotated[Text | None, Rdf(SKOS + "editorialNote", "text")] = None


class Record(Strict):
    """Fields every record has. ``field_sources`` names the sources of single fields."""

    rdf_class: ClassVar[str]
    kind_classes: ClassVar[dict[str, str]] = {}

    id: Slug
    sources: Annotated[list[Slug], Rdf(DCTERMS + "source", "ref")] = []
    field_sources: dict[str, list[Slug]] = {}
    same_as: Annotated[list[Url], Rdf(SKOS + "exactMatch", "url")] = []
    homepage: Annotated[Url | None, Rdf(SCHEMA + "url", "url")] = None
    corrections: Annotated[list[Correction], Rdf(UAI + "correction", "nested", node_class=UAI + "Correction")] = []

    @field_validator("field_sources")
    @classmethod
    def _names_fields(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(cls.model_fields))
        if unknown:
            raise ValueError(f"field_sources names fields this record type does not have: {', '.join(unknown)}")
        return value

    def kinds(self) -> list[str]:
        """The record's ``kind`` values (a city-state has two)."""
        kind = getattr(self, "kind", None)
        if kind is None:
            return []
        return list(kind) if isinstance(kind, list) else [kind]


class Labelled(Record):
    label: Annotated[Text, Rdf(RDFS + "label", "text")]
    description: Annotated[Text | None, Rdf(DCTERMS + "description", "text")] = None


class Case(Labelled):
    rdf_class: ClassVar[str] = UAI + "UrbanAICase"

    type: Literal["case"]
    is_group: bool = False
    domains: Annotated[list[Slug], Rdf(UAI + "domain", "concept", scheme="domains")] = []
    places: Annotated[list[Slug], Rdf(UAI + "locatedIn", "ref")] = []
    lead_organisations: Annotated[list[Slug], Rdf(UAI + "leadOrganisation", "ref")] = []
    partner_organisations: Annotated[list[Slug], Rdf(UAI + "partnerOrganisation", "ref")] = []
    funders: Annotated[list[Slug], Rdf(UAI + "funder", "ref")] = []
    start_year: Annotated[Year | None, Rdf(UAI + "startYear", "year")] = None
    end_year: Annotated[Year | None, Rdf(UAI + "endYear", "year")] = None
    lifecycle: Annotated[list[LifecycleEvent],
                         Rdf(UAI + "lifecycleEvent", "nested", node_class=UAI + "LifecycleEvent")] = []
    data: Annotated[list[DataItem], Rdf(UAI + "usesData", "nested", node_class=UAI + "DataUse")] = []
    techniques: Annotated[list[Slug], Rdf(UAI + "usesTechnique", "ref")] = []
    outcomes: Annotated[list[Statement], Rdf(UAI + "outcome", "nested", node_class=UAI + "Outcome")] = []
    controversies: Annotated[list[Statement],
                             Rdf(UAI + "controversy", "nested", node_class=UAI + "Controversy")] = []
    builds_on: Annotated[list[Slug], Rdf(UAI + "buildsOn", "ref")] = []
    editorial: Editorial | None = None


class Organisation(Labelled):
    rdf_class: ClassVar[str] = UAI + "Organisation"
    kind_classes: ClassVar[dict[str, str]] = {
        "company": UAI + "Company", "research-institute": UAI + "ResearchInstitute",
        "university": UAI + "University", "government": UAI + "GovernmentBody",
        "non-profit": UAI + "NonProfit", "international": UAI + "InternationalOrganisation",
        "think-tank": UAI + "ThinkTank",
    }

    type: Literal["organisation"]
    kind: Literal["company", "research-institute", "university", "government", "non-profit",
                  "international", "think-tank"] | None = None
    places: Annotated[list[Slug], Rdf(UAI + "locatedIn", "ref")] = []
    parent: Annotated[Slug | None, Rdf(UAI + "parentOrganisation", "ref")] = None
    founded: Annotated[Year | None, Rdf(SCHEMA + "foundingDate", "year")] = None


PlaceKind = Literal["city", "country", "region"]


class Place(Labelled):
    rdf_class: ClassVar[str] = UAI + "Place"
    kind_classes: ClassVar[dict[str, str]] = {
        "city": UAI + "City", "country": UAI + "Country", "region": UAI + "Region"}

    type: Literal["place"]
    kind: PlaceKind | list[PlaceKind]
    within: Annotated[list[Slug], Rdf(UAI + "within", "ref")] = []


class Source(Record):
    rdf_class: ClassVar[str] = UAI + "Source"

    type: Literal["source"]
    kind: Annotated[Literal["brief", "report", "web", "news", "article", "law", "book"],
                    Rdf(UAI + "sourceKind", "string")]
    title: str  # written by to_rdf as dcterms:title in the source's own language
    lang: Annotated[str, Rdf(DCTERMS + "language", "string")] = "en"
    authors: Annotated[list[str], Rdf(SCHEMA + "author", "string")] = []
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None
    date: Annotated[datetime.date | None, Rdf(DCTERMS + "issued", "date")] = None
    publisher: Annotated[str | None, Rdf(DCTERMS + "publisher", "string")] = None
    url: Annotated[Url | None, Rdf(SCHEMA + "url", "url")] = None
    retrieved: Annotated[datetime.date | None, Rdf(UAI + "retrieved", "date")] = None
    part_of: Annotated[Slug | None, Rdf(DCTERMS + "isPartOf", "ref")] = None
    locator: Annotated[str | None, Rdf(UAI + "locator", "string")] = None


class Strategy(Labelled):
    rdf_class: ClassVar[str] = UAI + "AIStrategy"
    kind_classes: ClassVar[dict[str, str]] = {
        "national": UAI + "NationalAIStrategy", "city": UAI + "CityAIStrategy"}

    type: Literal["strategy"]
    level: Annotated[Literal["national", "city"], Rdf(UAI + "level", "string")]
    places: Annotated[list[Slug], Rdf(UAI + "locatedIn", "ref")] = []
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None
    date: Annotated[datetime.date | None, Rdf(UAI + "date", "date")] = None
    issued_by: Annotated[list[Slug], Rdf(UAI + "issuedBy", "ref")] = []
    goal: Annotated[Text | None, Rdf(UAI + "goal", "text")] = None
    pillars: Annotated[list[Component],
                       Rdf(UAI + "hasPillar", "nested", node_class=UAI + "Pillar", ordered=True)] = []
    programmes: Annotated[list[Component],
                          Rdf(UAI + "hasProgramme", "nested", node_class=UAI + "Programme", ordered=True)] = []
    task_count: Annotated[int | None, Rdf(UAI + "taskCount", "int")] = None
    documents: Annotated[list[Slug], Rdf(UAI + "hasDocument", "ref")] = []
    updated_by: Annotated[list[Slug], Rdf(UAI + "updatedBy", "ref")] = []

    def kinds(self) -> list[str]:
        return [self.level]


class Document(Labelled):
    rdf_class: ClassVar[str] = UAI + "Document"
    kind_classes: ClassVar[dict[str, str]] = {"law": UAI + "Law", "report": UAI + "Report", "plan": UAI + "Plan"}

    type: Literal["document"]
    kind: Literal["law", "report", "plan"]
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None
    date: Annotated[datetime.date | None, Rdf(UAI + "date", "date")] = None
    issued_by: Annotated[list[Slug], Rdf(UAI + "issuedBy", "ref")] = []
    places: Annotated[list[Slug], Rdf(UAI + "locatedIn", "ref")] = []
    updated_by: Annotated[list[Slug], Rdf(UAI + "updatedBy", "ref")] = []


class Cluster(Labelled):
    rdf_class: ClassVar[str] = UAI + "Cluster"

    type: Literal["cluster"]
    places: Annotated[list[Slug], Rdf(UAI + "locatedIn", "ref")] = []
    members: Annotated[list[Slug], Rdf(UAI + "hasMember", "ref")] = []
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None


class Technique(Labelled):
    rdf_class: ClassVar[str] = UAI + "AITechnique"

    type: Literal["technique"]
    broader: Annotated[list[Slug], Rdf(UAI + "broaderTechnique", "ref")] = []


class Claim(Record):
    rdf_class: ClassVar[str] = UAI + "QuantitativeClaim"

    type: Literal["claim"]
    text: Annotated[Text, Rdf(UAI + "text", "text")]
    value: Annotated[float | None, Rdf(UAI + "value", "decimal")] = None
    unit: Annotated[str | None, Rdf(UAI + "unit", "string")] = None
    about: Annotated[list[Slug], Rdf(UAI + "about", "ref")] = []
    year: Annotated[Year | None, Rdf(UAI + "year", "year")] = None
    note: Annotated[Text | None, Rdf(SKOS + "note", "text")] = None


AnyRecord = Annotated[
    Union[Case, Organisation, Place, Source, Strategy, Document, Cluster, Technique, Claim],
    Field(discriminator="type"),
]
