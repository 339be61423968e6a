"""Dereferenceable IRIs: ``/resource/{id}``, ``/ontology`` (the document the ``ontology#`` terms live in)
and ``/graph/{name}``, each content-negotiated between an HTML page and RDF.

RDF answers keep the canonical IRIs (``https://w3id.org/urbanai-kg/…``); links in the pages point
to where this server answers them, ``KG_PUBLIC_URL``. ``?format=`` (``html``, ``ttl``, ``jsonld``,
``nt``, ``rdfxml``) overrides the ``Accept`` header, so a browser can follow a link to the Turtle.
"""

from __future__ import annotations

from html import escape as e
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from api import negotiation
from api.dependencies import get_backend
from api.errors import PROBLEM, problem
from kg import describe as kgd
from kg.backends import Backend
from kg.namespaces import DCTERMS, GRAPH, ONTOLOGY_IRI, OWL, PREFIXES, UAI

router = APIRouter(tags=["resources"])

HTML = "text/html"
RDF_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD, "application/json": RdfFormat.JSON_LD,
    "application/n-triples": RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
# Turtle first: a client that accepts anything (`*/*`, no header) is a program; browsers ask for HTML.
OFFERED = ["text/turtle", HTML, "application/xhtml+xml", *list(RDF_TYPES)[1:]]
_LINKS = (("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"), ("RDF/XML", "rdfxml"))
_KINDS = (("class", "Classes · 클래스"), ("object property", "Object properties · 객체 속성"),
          ("datatype property", "Datatype properties · 데이터 속성"), ("individual", "Individuals · 개체"))
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "An HTML page, or the RDF in the negotiated format",
          "content": {m: {} for m in (HTML, *RDF_TYPES)}},
    404: {"description": "Nothing is known under this IRI (problem details for JSON clients, else text or HTML)"},
    406: {"description": "None of the offered media types is acceptable"},
}
FormatParam = Annotated[str | None, Query(description="`html`, `ttl`, `jsonld`, `nt` or `rdfxml`; overrides Accept.")]


@router.get("/resource/{id:path}", summary="Dereference a resource IRI (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
            responses=_RESPONSES)
def resource(id: str, request: Request, backend: Annotated[Backend, Depends(get_backend)],
             format: FormatParam = None) -> Response:
    iri = kgd.local_iri(id)
    media = _negotiate(request, format)
    catalog = request.app.state.queries
    missing = f"no resource {id[:100]!r} in the graph"
    if iri is None:
        return _not_found(request, missing)
    if media == HTML:
        description = kgd.describe(iri, backend=backend, catalog=catalog)
        if description is None:
            return _not_found(request, missing)
        return _html(_resource_page(description, _public(request)), iri, request)
    triples = kgd.resource_triples(iri, backend=backend, catalog=catalog)
    return _rdf(triples, media) if triples else _not_found(request, missing)


@router.get("/ontology", summary="The Urban AI ontology: vocabulary documentation (HTML) or RDF", responses=_RESPONSES)
def ontology(request: Request, backend: Annotated[Backend, Depends(get_backend)],
             format: FormatParam = None) -> Response:
    media = _negotiate(request, format)
    catalog = request.app.state.queries
    triples = kgd.ontology_triples(backend=backend, catalog=catalog)
    if media == HTML:
        terms = kgd.vocabulary(backend=backend, catalog=catalog)
        return _html(_ontology_page(triples, terms, _public(request)), ONTOLOGY_IRI, request)
    return _rdf(triples, media)


@router.get("/graph/{name:path}", summary="Dereference a named graph IRI: its content as RDF, or a summary page",
            responses=_RESPONSES)
def graph(name: str, request: Request, backend: Annotated[Backend, Depends(get_backend)],
          format: FormatParam = None) -> Response:
    iri = kgd.local_iri(name, namespace=GRAPH)
    media = _negotiate(request, format)
    triples = [] if iri is None else kgd.graph_triples(iri, backend=backend, catalog=request.app.state.queries)
    if iri is None or not triples:
        return _not_found(request, f"no named graph {name[:100]!r}")
    if media == HTML:
        return _html(_graph_page(iri, triples, _public(request)), iri, request)
    return _rdf(triples, media)


# --- negotiation and answers -------------------------------------------------------------------

def _negotiate(request: Request, format: str | None) -> str | None:
    """The media type to answer with: ``?format=`` if given, else the best of ``Accept``; None if none fits."""
    accept = request.headers.get("accept")
    if format:
        accept = HTML if format.lower() == "html" else negotiation.ALIASES.get(format.lower(), format)
    media = negotiation.choose(accept, OFFERED)
    return HTML if media == "application/xhtml+xml" else media


def _public(request: Request) -> str:
    url: str = request.app.state.settings.public_url
    return url.rstrip("/") + "/"


def _rdf(triples: list[Triple], media: str | None) -> Response:
    if media is None:
        return PlainTextResponse("not acceptable; this IRI is available as " + ", ".join(OFFERED), status_code=406,
                                 headers={"Vary": "Accept"})
    rdf_format = RDF_TYPES[media]
    if rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
        body = serialize(triples, format=rdf_format, prefixes=PREFIXES)
    else:
        body = serialize(triples, format=rdf_format)
    return Response(body or b"", media_type=rdf_format.media_type, headers={"Vary": "Accept"})


def _html(page: str, iri: str, request: Request) -> HTMLResponse:
    here = kgd.public_link(iri, public_url=_public(request))
    alternates = ", ".join(f'<{here}?format={fmt}>; rel="alternate"; type="{negotiation.ALIASES[fmt]}"'
                           for _, fmt in _LINKS)
    return HTMLResponse(page, headers={"Vary": "Accept", "Link": alternates})


def _not_found(request: Request, detail: str) -> Response:
    media = negotiation.choose(request.headers.get("accept"),
                               ["text/plain", HTML, "application/xhtml+xml", PROBLEM, "application/json",
                                "application/ld+json"])
    headers = {"Vary": "Accept"}
    if media in (HTML, "application/xhtml+xml"):
        body = f"<h1>Not found · 찾을 수 없음</h1><p>{e(detail)}</p>"
        return HTMLResponse(_page("Not found", body), status_code=404, headers=headers)
    if media in (PROBLEM, "application/json", "application/ld+json"):
        response = problem(404, "Not Found", detail)
        response.headers.update(headers)
        return response
    return PlainTextResponse(detail, status_code=404, headers=headers)


# --- pages (plain HTML; every string goes through html.escape) -----------------------------------

_STYLE = """body{font-family:system-ui,"Noto Sans CJK KR",sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;
padding:.25rem .5rem;border-top:1px solid #ddd}th{width:14rem;font-weight:600}code{font-size:.9em}
.tag{font-size:.8em;padding:0 .3rem;border-radius:.2rem;margin-left:.3rem}.editorial{background:#fde9c8}
.inferred{background:#e4ecf7}.sources{font-size:.85em;color:#555}section{margin:1.5rem 0}small{color:#666}"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>'
            f"<style>{_STYLE}</style></head><body>{body}</body></html>")


def _bilingual(en: str | None, ko: str | None, fallback: str) -> str:
    parts = [f'<span lang="en">{e(en)}</span>' if en else "", f'<span lang="ko">{e(ko)}</span>' if ko else ""]
    return " · ".join(p for p in parts if p) or e(fallback)


def _formats(iri: str, public_url: str) -> str:
    here = kgd.public_link(iri, public_url=public_url)
    links = " · ".join(f'<a href="{e(here)}?format={fmt}">{name}</a>' for name, fmt in _LINKS)
    return f"<p>IRI <code>{e(iri)}</code><br><small>Also as · 다른 형식:</small> {links}</p>"


def _value(value: kgd.Value, public_url: str) -> str:
    term = value.term
    if isinstance(term, Literal):
        lang = f' lang="{e(term.language)}"' if term.language else ""
        return f"<span{lang}>{e(term.value)}</span>" + (f"<small> @{e(term.language)}</small>" if term.language else "")
    if not isinstance(term, NamedNode):
        return "<small>(a blank node, such as an RDF list: see the Turtle)</small>"
    href = kgd.public_link(term.value, public_url=public_url)
    ko = f' · <span lang="ko">{e(value.label_ko)}</span>' if value.label_en and value.label_ko else ""
    return f'<a href="{e(href)}">{e(value.text)}</a>{ko}'


def _facts_table(facts: list[kgd.Fact], titles: dict[str, str], public_url: str) -> str:
    rows = []
    previous = None
    for fact in facts:
        head = "" if fact.property == previous else _bilingual(fact.property_en, fact.property_ko, kgd.curie(fact.property))
        previous = fact.property
        tags = []
        if fact.editorial:
            tags.append('<span class="tag editorial" title="editorial classification by the curators (graph/editorial)">'
                        "editorial · 편집 분류</span>")
        if fact.inferred:
            tags.append('<span class="tag inferred" title="materialised by the build (graph/inferred)">'
                        "inferred · 추론</span>")
        if fact.sources:
            cited = ", ".join(f'<a href="{e(kgd.public_link(s, public_url=public_url))}">'
                              f"{e(titles.get(s, kgd.curie(s)))}</a>" for s in fact.sources)
            tags.append(f'<div class="sources">sources · 출처: {cited}</div>')
        rows.append(f"<tr><th>{head}</th><td>{_value(fact.value, public_url)}{''.join(tags)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def _title(labels: dict[str, list[str]], fallback: str) -> tuple[str, str]:
    """The page title (text) and heading (HTML) from labels by language."""
    en = (labels.get("en") or labels.get("") or [None])[0]
    ko = (labels.get("ko") or [None])[0]
    return " · ".join(t for t in (en, ko) if t) or fallback, _bilingual(en, ko, fallback)


def _resource_page(description: kgd.Description, public_url: str) -> str:
    titles = description.source_titles
    title, heading = _title(description.labels(), kgd.curie(description.iri))
    types = ", ".join(_value(v, public_url) for v in description.types)
    body = [f"<h1>{heading}</h1>", f"<p>Type · 유형: {types}</p>" if types else "",
            _formats(description.iri, public_url),
            '<p><small><span class="tag editorial">editorial · 편집 분류</span> marks the curators\' classification, '
            'not a sourced fact; <span class="tag inferred">inferred · 추론</span> marks what the build derived.'
            "</small></p>",
            _facts_table(description.about(), titles, public_url)]
    for part in description.parts:
        _, part_heading = _title(description.labels(part), kgd.curie(part))
        href = kgd.public_link(part, public_url=public_url)
        body.append(f'<section><h2>{part_heading} <small><a href="{e(href)}">{e(kgd.curie(part))}</a></small></h2>'
                    f"{_facts_table(description.about(part), titles, public_url)}</section>")
    if titles:
        items = "".join(f'<li><a href="{e(kgd.public_link(s, public_url=public_url))}">{e(t)}</a></li>'
                        for s, t in titles.items())
        body.append(f"<section><h2>Sources · 출처</h2><ul>{items}</ul></section>")
    return _page(title, "".join(body))


def _term_link(iri: str, labels: dict[str, str], public_url: str) -> str:
    if iri.startswith(UAI):
        return f'<a href="#{e(iri[len(UAI):])}">{e(labels.get(iri, kgd.curie(iri)))}</a>'
    return f'<a href="{e(kgd.public_link(iri, public_url=public_url))}">{e(kgd.curie(iri))}</a>'


def _ontology_page(triples: list[Triple], terms: list[kgd.Term], public_url: str) -> str:
    header: dict[tuple[str, str], str] = {}
    for t in triples:
        if t.subject == NamedNode(ONTOLOGY_IRI):
            language = (t.object.language or "") if isinstance(t.object, Literal) else ""
            header.setdefault((t.predicate.value, language), str(t.object.value))
    title_en, title_ko = header.get((DCTERMS + "title", "en")), header.get((DCTERMS + "title", "ko"))
    labels = {t.iri: t.label_en or t.anchor for t in terms}
    body = [f"<h1>{_bilingual(title_en, title_ko, 'Urban AI ontology')}</h1>",
            f'<p lang="en">{e(header.get((DCTERMS + "description", "en"), ""))}</p>',
            f'<p lang="ko">{e(header.get((DCTERMS + "description", "ko"), ""))}</p>',
            f"<p>Version · 버전 {e(header.get((OWL + 'versionInfo', ''), '?'))} · licence · 이용허락 "
            f'<a href="{e(header.get((DCTERMS + "license", ""), ""))}">{e(header.get((DCTERMS + "license", ""), ""))}</a>'
            f"</p>", _formats(ONTOLOGY_IRI, public_url), "<nav>"]
    for kind, heading in _KINDS:
        links = ", ".join(_term_link(t.iri, labels, public_url) for t in terms if t.kind == kind)
        body.append(f"<p><b>{heading}</b>: {links}</p>" if links else "")
    body.append("</nav>")
    for kind, heading in _KINDS:
        sections = [_term_section(t, labels, public_url) for t in terms if t.kind == kind]
        if sections:
            body.append(f"<h2>{heading}</h2>{''.join(sections)}")
    return _page(title_en or "Urban AI ontology", "".join(body))


def _term_section(term: kgd.Term, labels: dict[str, str], public_url: str) -> str:
    rows = [("Definition · 정의", "".join(f'<p lang="{lang}">{e(text)}</p>'
                                        for lang, text in (("en", term.definition_en), ("ko", term.definition_ko))
                                        if text)),
            ("Subclass of · 상위" if term.kind == "class" else "Subproperty of · 상위",
             ", ".join(_term_link(s, labels, public_url) for s in term.supers)),
            ("Domain · 정의역", ", ".join(_term_link(d, labels, public_url) for d in term.domains)),
            ("Range · 치역", ", ".join(_term_link(r, labels, public_url) for r in term.ranges))]
    table = "".join(f"<tr><th>{name}</th><td>{cell}</td></tr>" for name, cell in rows if cell)
    return (f'<section id="{e(term.anchor)}"><h3>{_bilingual(term.label_en, term.label_ko, term.anchor)}</h3>'
            f"<p><code>{e(term.iri)}</code> <small>{e(term.kind)}</small></p><table>{table}</table></section>")


def _graph_page(iri: str, triples: list[Triple], public_url: str) -> str:
    subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, NamedNode)})
    shown = [s for s in subjects if "/fact/" not in s]  # reified statements: counted, not listed
    items = "".join(f'<li><a href="{e(kgd.public_link(s, public_url=public_url))}">{e(kgd.curie(s))}</a></li>'
                    for s in shown)
    body = (f"<h1>Named graph · 이름 있는 그래프 <code>{e(iri)}</code></h1>{_formats(iri, public_url)}"
            f"<p>{len(triples)} triples · 트리플; {len(shown)} resources · 자원 and "
            f"{len(subjects) - len(shown)} reified statements · 진술</p><ul>{items}</ul>")
    return _page(iri, body)
