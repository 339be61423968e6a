"""The hand-written ontology: every term bilingual and defined; the JSON-LD context names real terms."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.config import resource_dir

UAI = "https://w3id.org/urbanai-kg/ontology#"
ONTOLOGY = Graph().parse(resource_dir("ontology") / "urbanai.ttl")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def uai_terms() -> set[URIRef]:
    return {s for kind in KINDS for s in ONTOLOGY.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(UAI)}


def test_every_term_has_labels_and_definitions_in_both_languages() -> None:
    terms = uai_terms()
    assert len(terms) > 60
    for term in terms:
        for predicate in (RDFS.label, SKOS.definition):
            langs = sorted(o.language for o in ONTOLOGY.objects(term, predicate))  # type: ignore[attr-defined]
            assert langs == ["en", "ko"], f"{term} {predicate}: {langs}"


def test_every_declared_term_has_a_label_in_both_languages() -> None:
    """Reused terms too (dcterms:source, skos:broader …): the pages name each property in both languages."""
    declared = {s for s in ONTOLOGY.subjects(RDF.type, None) if isinstance(s, URIRef)}
    assert len(declared) > 100
    for term in declared:
        langs = sorted(o.language for o in ONTOLOGY.objects(term, RDFS.label))  # type: ignore[attr-defined]
        assert langs == ["en", "ko"], f"{term}: {langs}"


def test_top_classes_are_declared_disjoint() -> None:
    members = set()
    for axiom in ONTOLOGY.subjects(RDF.type, OWL.AllDisjointClasses):
        members |= set(ONTOLOGY.items(ONTOLOGY.value(axiom, OWL.members)))
    for cls in ("UrbanAICase", "Organisation", "Place", "AIStrategy", "Source"):
        assert URIRef(UAI + cls) in members


def test_ontology_carries_version_and_licence() -> None:
    ontology = URIRef("https://w3id.org/urbanai-kg/ontology")
    assert ONTOLOGY.value(ontology, OWL.versionInfo) is not None
    assert str(ONTOLOGY.value(ontology, URIRef("http://purl.org/dc/terms/license"))).endswith("/by/4.0/")


def test_json_ld_context_names_declared_terms() -> None:
    context = json.loads((resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    declared = uai_terms()
    for name, value in context.items():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("uai:"):
            assert URIRef(UAI + iri[4:]) in declared, f"{name} → {iri} is not in the ontology"
