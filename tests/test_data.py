"""The curated data holds every sourced field of the extraction (shared/seed/extraction.md §1.3, §3).

Each expectation is a fact the extraction gives with a source; the test asserts that the graph
states it and that the statement carries a source.
"""

from __future__ import annotations

import pytest
import yaml

from kg.backends.embedded import EmbeddedBackend
from kg.config import resource_dir

R = "https://w3id.org/urbanai-kg/resource/"
UAI = "https://w3id.org/urbanai-kg/ontology#"
YEAR = "http://www.w3.org/2001/XMLSchema#gYear"

# (case, property, object): the object is a resource id, or a year for *Year properties.
FACTS = [
    ("code-the-curb", "locatedIn", "los-angeles"), ("code-the-curb", "leadOrganisation", "ladot"),
    ("code-the-curb", "startYear", 2016), ("code-the-curb", "domain", "domains/mobility"),
    ("la-al-fresco", "locatedIn", "los-angeles"), ("la-al-fresco", "startYear", 2020),
    ("la-al-fresco", "domain", "domains/mobility"),
    ("wecount", "leadOrganisation", "transport-mobility-leuven"), ("wecount", "funder", "european-commission"),
    ("wecount", "locatedIn", "leuven"), ("wecount", "startYear", 2019), ("wecount", "endYear", 2021),
    ("via", "leadOrganisation", "via-transportation"), ("via", "locatedIn", "new-york"),
    ("via", "partnerOrganisation", "may-mobility"),
    ("singapore-smart-nation", "locatedIn", "singapore"),
    ("cityscope", "leadOrganisation", "mit-city-science-group"),
    ("deepscope", "leadOrganisation", "mit-city-science-group"), ("deepscope", "startYear", 2019),
    ("deepscope", "buildsOn", "cityscope"), ("deepscope", "usesTechnique", "dcgan"),
    ("sonyc", "leadOrganisation", "nyu"), ("sonyc", "partnerOrganisation", "ohio-state-university"),
    ("sonyc", "funder", "nsf"), ("sonyc", "locatedIn", "new-york"),
    ("delve", "leadOrganisation", "sidewalk-labs"), ("delve", "startYear", 2020),
    ("myutility", "locatedIn", "winnipeg"), ("myutility", "leadOrganisation", "city-of-winnipeg-water-waste"),
    ("quantified-canopy", "leadOrganisation", "mit"), ("quantified-canopy", "locatedIn", "usa"),
    ("breeze-technologies", "locatedIn", "lithuania"),
    ("breeze-technologies", "leadOrganisation", "breeze-technologies-gmbh"),
    ("city-brain", "locatedIn", "hangzhou"), ("city-brain", "leadOrganisation", "alibaba-cloud"),
    ("city-brain", "startYear", 2016), ("city-brain", "partnerOrganisation", "foxconn"),
    ("nvidia-metropolis", "leadOrganisation", "nvidia"), ("nvidia-metropolis", "startYear", 2017),
    ("quayside", "locatedIn", "toronto"), ("quayside", "leadOrganisation", "sidewalk-labs"),
    ("quayside", "leadOrganisation", "waterfront-toronto"), ("quayside", "startYear", 2017),
    ("mila-ecosystem", "locatedIn", "montreal"), ("mila-ecosystem", "leadOrganisation", "mila"),
]

# (case, data kind) of the data a source says the case uses.
DATA = [("wecount", "crowdsourced"), ("sonyc", "civil-complaints"), ("sonyc", "sensor"), ("city-brain", "video"),
        ("city-brain", "location"), ("myutility", "meter-readings"), ("code-the-curb", "open-data")]

# (case, a number its sourced outcomes state).
OUTCOMES = [("wecount", "368"), ("sonyc", "47"), ("la-al-fresco", "1,486"), ("city-brain", "57th"),
            ("quayside", "withdr")]


def ask(backend: EmbeddedBackend, query: str) -> bool:
    return bool(backend.results(query))


def _object(prop: str, value: str | int) -> str:
    return f'"{value}"^^<{YEAR}>' if prop.endswith("Year") else f"<{R}{value}>"


@pytest.mark.parametrize(("case", "prop", "value"), FACTS)
def test_sourced_fact_is_in_the_graph_with_its_source(backend: EmbeddedBackend, case: str, prop: str,
                                                      value: str | int) -> None:
    triple = f"<{R}{case}> <{UAI}{prop}> {_object(prop, value)}"
    assert ask(backend, f"ASK {{ {triple} }}"), f"missing: {triple}"
    assert ask(backend, f"""ASK {{
        ?fact <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{R}{case}> ;
              <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <{UAI}{prop}> ;
              <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> {_object(prop, value)} ;
              <http://purl.org/dc/terms/source> ?source . ?source a <{UAI}Source> }}"""), f"unsourced: {triple}"


@pytest.mark.parametrize(("case", "kind"), DATA)
def test_data_used_is_recorded_with_its_kind(backend: EmbeddedBackend, case: str, kind: str) -> None:
    assert ask(backend, f"""ASK {{ <{R}{case}> <{UAI}usesData> ?d . ?d <{UAI}dataKind> <{R}data-kinds/{kind}> ;
                                   <http://purl.org/dc/terms/source> ?s }}""")


@pytest.mark.parametrize(("case", "fragment"), OUTCOMES)
def test_outcomes_and_lifecycle_are_sourced_statements(backend: EmbeddedBackend, case: str, fragment: str) -> None:
    assert ask(backend, f"""ASK {{ <{R}{case}> <{UAI}hasStatement> ?s .
        ?s <http://purl.org/dc/terms/source> ?src .
        {{ ?s <{UAI}text> ?t }} UNION {{ ?s <{UAI}status> ?status . BIND(STR(?status) AS ?t) }}
        FILTER(CONTAINS(LCASE(STR(?t)), LCASE("{fragment}"))) }}""")


def test_quayside_withdrawal_is_dated_and_current(backend: EmbeddedBackend) -> None:
    assert ask(backend, f"""ASK {{ <{R}quayside> <{UAI}lifecycleEvent> ?e ; <{UAI}currentStatus> ?status .
        ?e <{UAI}status> ?status ; <{UAI}date> "2020-05-07"^^<http://www.w3.org/2001/XMLSchema#date> .
        FILTER(?status = <{R}lifecycle-statuses/withdrawn>) }}""")


@pytest.mark.parametrize(("case", "brief_says"), [("wecount", "Wecount"), ("nvidia-metropolis", "Al City")])
def test_brief_errors_are_corrected_and_flagged(backend: EmbeddedBackend, case: str, brief_says: str) -> None:
    assert ask(backend, f"""ASK {{ <{R}{case}> <{UAI}correction> ?c . ?c <{UAI}briefSays> ?said ;
        <http://purl.org/dc/terms/source> ?s . FILTER(CONTAINS(?said, "{brief_says}")) }}""")


def test_every_editorial_link_is_attributed_to_the_curators(backend: EmbeddedBackend) -> None:
    assert not ask(backend, f"""ASK {{
        GRAPH <https://w3id.org/urbanai-kg/graph/editorial> {{ ?case ?p ?concept }}
        FILTER(?p IN (<{UAI}stage>, <{UAI}element>, <{UAI}aiRole>))
        FILTER NOT EXISTS {{ GRAPH <https://w3id.org/urbanai-kg/graph/editorial> {{
            ?f <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?case ;
               <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?concept ;
               <http://www.w3.org/ns/prov#wasAttributedTo> <{R}urbanai-kg-curators> }} }} }}""")


def test_every_case_has_stages_elements_and_roles(backend: EmbeddedBackend) -> None:
    assert not ask(backend, f"""ASK {{ ?case a <{UAI}UrbanAICase> .
        FILTER NOT EXISTS {{ ?case <{UAI}stage> ?s ; <{UAI}element> ?e ; <{UAI}aiRole> ?r }} }}""")


def test_a_link_to_a_part_is_sourced_by_the_part_s_own_sources(backend: EmbeddedBackend) -> None:
    """Quayside's controversy names one source: the statement linking the case to it names that one,
    not every source of the record."""
    record = yaml.safe_load((resource_dir("data") / "cases" / "quayside.yaml").read_text(encoding="utf-8"))
    own = set(record["controversies"][0]["sources"])
    assert own < set(record["sources"])
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    rows = backend.results(f"""SELECT ?source WHERE {{
        ?fact <{rdf}subject> <{R}quayside> ; <{rdf}predicate> <{UAI}controversy> ;
              <{rdf}object> <{R}quayside/controversies/1> ; <http://purl.org/dc/terms/source> ?source }}""")
    assert {row["source"].value.removeprefix(R) for row in rows} == own
