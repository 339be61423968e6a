"""Records → quads, driven only by the :class:`kg.models.Rdf` declarations on the models.

Each record lands in its file's graph ``graph/data/{file}``; editorial classification in
``graph/editorial``. Every fact about a record (not its type, label or description) is reified as an
``rdf:Statement`` carrying ``dcterms:source`` for the sources of that field (of the part, for a link
to a part with sources of its own), so that every fact can be shown with its source; editorial links
are reified with ``prov:wasAttributedTo`` the curators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from pyoxigraph import Literal, NamedNode, Quad

from kg.load import Loaded
from kg.models import Case, Editorial, Rdf, Source, Text
from kg.namespaces import (CURATORS, DCTERMS, GRAPH_EDITORIAL, PROV, RDF, RDFS, UAI, XSD, concept,
                           data_graph, resource)

TYPE = NamedNode(RDF + "type")
SOURCE = NamedNode(DCTERMS + "source")
_UNREIFIED = {RDFS + "label", DCTERMS + "description", DCTERMS + "source"}


def to_rdf(loaded: Iterable[Loaded]) -> list[Quad]:
    """All quads of the given records.

    >>> from pathlib import Path
    >>> from kg.models import Place
    >>> place = Place(type="place", id="seoul", kind="city", label=Text(en="Seoul", ko="서울"))
    >>> len(to_rdf([Loaded(place, Path("places.yaml"), "places")]))
    4
    """
    quads: list[Quad] = []
    for item in loaded:
        quads.extend(_record_quads(item))
    return quads


def _record_quads(item: Loaded) -> Iterator[Quad]:
    record, graph = item.record, data_graph(item.graph)
    subject = resource(record.id)
    classes = [record.rdf_class, *(record.kind_classes[k] for k in record.kinds() if k in record.kind_classes)]
    if isinstance(record, Case) and record.is_group:
        classes.append(UAI + "CaseGroup")
    for cls in classes:
        yield Quad(subject, TYPE, NamedNode(cls), graph)
    if isinstance(record, Source):
        yield Quad(subject, NamedNode(DCTERMS + "title"), Literal(record.title, language=record.lang), graph)
    for name, marker, value in _declared(record):
        sources = record.field_sources.get(name, record.sources)
        nested: list[Quad] = []
        for obj, obj_sources in _field_objects(record.id, name, marker, value, sources, graph, nested):
            yield Quad(subject, NamedNode(marker.predicate), obj, graph)
            if marker.predicate not in _UNREIFIED:
                yield from _reify(record.id, subject, marker.predicate, obj, graph,
                                  [(SOURCE, resource(s)) for s in obj_sources])
        yield from nested
    if isinstance(record, Case) and record.editorial is not None:
        yield from _editorial(record.id, subject, record.editorial)


def _declared(model: BaseModel) -> Iterator[tuple[str, Rdf, object]]:
    """(field name, marker, value) of every field that has a marker and a value."""
    for name, info in type(model).model_fields.items():
        marker = next((m for m in info.metadata if isinstance(m, Rdf)), None)
        value = getattr(model, name)
        if marker is not None and value not in (None, [], ""):
            yield name, marker, value


def _field_objects(record_id: str, name: str, marker: Rdf, value: object, sources: list[str],
                   graph: NamedNode, extra: list[Quad]) -> list[tuple[NamedNode | Literal, list[str]]]:
    """The objects of one field, each with its sources; nested nodes put their own quads into ``extra``.

    A nested part (a pillar, an outcome) that names sources of its own is sourced by them alone,
    also where the record links to it: the field's sources may not speak of that part.
    """
    values = value if isinstance(value, list) else [value]
    if marker.kind != "nested":
        return [(obj, sources) for v in values for obj in _objects(marker, v)]
    nodes: list[tuple[NamedNode | Literal, list[str]]] = []
    for index, child in enumerate(values, start=1):
        node = resource(f"{record_id}/{name.replace('_', '-')}/{index}")
        child_sources = getattr(child, "sources", []) or sources
        nodes.append((node, child_sources))
        extra.append(Quad(node, TYPE, NamedNode(marker.node_class or UAI + "Statement"), graph))
        if marker.ordered:
            extra.append(Quad(node, NamedNode(UAI + "position"), _typed(index, "integer"), graph))
        for child_name, child_marker, child_value in _declared(child):
            if child_name == "sources":
                continue
            for obj in _objects(child_marker, child_value):
                extra.append(Quad(node, NamedNode(child_marker.predicate), obj, graph))
        extra.extend(Quad(node, SOURCE, resource(s), graph) for s in child_sources)
    return nodes


def _objects(marker: Rdf, value: object) -> list[NamedNode | Literal]:
    values = value if isinstance(value, list) else [value]
    out: list[NamedNode | Literal] = []
    for v in values:
        if marker.kind == "text":
            assert isinstance(v, Text)
            out.extend(Literal(text, language=lang) for lang, text in (("en", v.en), ("ko", v.ko)) if text)
        elif marker.kind == "ref":
            out.append(resource(str(v)))
        elif marker.kind == "concept":
            out.append(concept(marker.scheme or "", str(v)))
        elif marker.kind == "year":
            out.append(Literal(f"{int(str(v)):04d}", datatype=NamedNode(XSD + "gYear")))
        elif marker.kind == "date":
            assert isinstance(v, date)
            out.append(_typed(v.isoformat(), "date"))
        elif marker.kind == "int":
            out.append(_typed(v, "integer"))
        elif marker.kind == "decimal":
            out.append(_typed(format(Decimal(str(v)), "f"), "decimal"))
        elif marker.kind == "url":
            out.append(_typed(v, "anyURI"))
        elif marker.kind == "bool":
            out.append(_typed(str(bool(v)).lower(), "boolean"))
        else:
            out.append(Literal(str(v)))
    return out


def _typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype))


def _reify(record_id: str, subject: NamedNode, predicate: str, obj: NamedNode | Literal,
           graph: NamedNode, annotations: list[tuple[NamedNode, NamedNode | Literal]]) -> Iterator[Quad]:
    digest = hashlib.sha1(f"{predicate} {obj}".encode()).hexdigest()[:12]
    node = resource(f"{record_id}/fact/{digest}")
    yield Quad(node, TYPE, NamedNode(RDF + "Statement"), graph)
    yield Quad(node, NamedNode(RDF + "subject"), subject, graph)
    yield Quad(node, NamedNode(RDF + "predicate"), NamedNode(predicate), graph)
    yield Quad(node, NamedNode(RDF + "object"), obj, graph)
    for p, o in annotations:
        yield Quad(node, p, o, graph)


def _editorial(record_id: str, subject: NamedNode, editorial: Editorial) -> Iterator[Quad]:
    attribution = [(NamedNode(PROV + "wasAttributedTo"), CURATORS),
                   (NamedNode(UAI + "editorial"), _typed("true", "boolean"))]
    for _name, marker, value in _declared(editorial):
        for obj in _objects(marker, value):
            yield Quad(subject, NamedNode(marker.predicate), obj, GRAPH_EDITORIAL)
            if marker.kind == "concept":
                yield from _reify(record_id, subject, marker.predicate, obj, GRAPH_EDITORIAL, attribution)
