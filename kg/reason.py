"""OWL consistency check with HermiT (owlready2), on an offline N-Triples copy of the graph."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from kg.errors import ReasoningError
from kg.namespaces import OWL, RDF, RDFS, SKOS, XSD

logger = logging.getLogger(__name__)

# OWL 2's datatype map has no xsd:gYear or xsd:date; HermiT rejects them. These literals matter to
# SHACL (which checks them) and to SPARQL, not to class consistency, so the reasoner's copy drops them.
_OWL2_DATATYPES = {XSD + t for t in ("string", "integer", "decimal", "boolean", "anyURI", "double", "float",
                                     "int", "long", "nonNegativeInteger", "dateTime")} | {
    RDF + "langString", RDF + "PlainLiteral", RDF + "XMLLiteral"}
# Reification and SKOS list structure are not OWL axioms; owlready2 would misread them.
_SKIPPED_PREDICATES = {RDF + "subject", RDF + "predicate", RDF + "object", SKOS + "memberList", OWL + "imports"}


def check_consistency(triples: Iterable[Triple]) -> int:
    """Run HermiT over the triples.

    :returns: how many triples the reasoner was given.
    :raises ReasoningError: if the ontology and data are inconsistent, or the reasoner cannot run.
    """
    from owlready2 import OwlReadyInconsistentOntologyError, OwlReadyJavaError, World, sync_reasoner

    kept = [t for t in triples if _for_reasoner(t)]
    with tempfile.TemporaryDirectory(prefix="urbanai-kg-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(serialize(kept, format=RdfFormat.N_TRIPLES) or b"")
        world = World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            with ontology:
                sync_reasoner(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError as exc:
            classes = world.inconsistent_classes() if hasattr(world, "inconsistent_classes") else []
            raise ReasoningError(f"HermiT: ontology and data are inconsistent {list(classes) or ''}".strip()) from exc
        except (OwlReadyJavaError, OSError, ValueError) as exc:  # Java missing, or HermiT rejects the copy
            raise ReasoningError(f"HermiT could not run: {exc}") from exc
    logger.info("HermiT: consistent (%d triples)", len(kept))
    return len(kept)


def _for_reasoner(triple: Triple) -> bool:
    if triple.predicate.value in _SKIPPED_PREDICATES:
        return False
    if triple.predicate.value == RDF + "type" and triple.object == NamedNode(RDF + "Statement"):
        return False
    if triple.predicate.value == RDFS + "range" and isinstance(triple.object, NamedNode) \
            and triple.object.value.startswith(XSD) and triple.object.value not in _OWL2_DATATYPES:
        return False
    obj = triple.object
    return not (isinstance(obj, Literal) and obj.datatype.value not in _OWL2_DATATYPES)
