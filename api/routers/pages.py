"""The SPARQL query page: YASGUI, served from this server's ``/static`` (no CDN), over ``/sparql``.

``GET /sparql`` with ``Accept: text/html`` and no query answers this page (see
:func:`api.routers.service.describe_service`). The named queries are its examples: each opens in
a YASGUI tab; the prefixes of :data:`kg.namespaces.PREFIXES` are added to every tab. The page
works without a network connection: every file it loads comes from this server.
"""

from __future__ import annotations

import json
from html import escape

from fastapi import Request
from fastapi.responses import HTMLResponse

from kg.namespaces import PREFIXES
from kg.queries import NamedQuery, QueryCatalog

STARTER = "cases"  # the named query the first tab opens with

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL query · SPARQL 질의 — Urban AI Knowledge Graph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static}/yasgui/yasgui.min.css">
<link rel="stylesheet" href="{static}/query.css">
</head>
<body>
<header>
<h1>SPARQL query <span lang="ko">SPARQL 질의</span></h1>
<p>Endpoint <span lang="ko">엔드포인트</span>: <code id="endpoint">{endpoint}</code> —
SPARQL 1.1 Protocol; results as JSON, XML, CSV or TSV.
<span lang="ko">결과는 표로 보고 내려받을 수 있습니다.</span></p>
<p id="notice" role="status" aria-live="polite"></p>
</header>
<main>
<nav aria-labelledby="examples-heading">
<h2 id="examples-heading">Examples <span lang="ko">예제 질의</span></h2>
<p>Each opens in a new tab; press ▶ to run it.
<span lang="ko">누르면 새 탭에 열립니다. ▶ 단추로 실행하세요.</span></p>
<ul id="examples">
{examples}
</ul>
</nav>
<section aria-label="Query editor and results · 질의 편집기와 결과">
<noscript><p>The editor needs JavaScript; without it, send queries to <code>{endpoint}</code> with any
SPARQL client. <span lang="ko">편집기는 JavaScript가 필요합니다.</span></p></noscript>
<div id="yasgui"></div>
</section>
</main>
<script type="application/json" id="query-config">{config}</script>
<script src="{static}/yasgui/yasgui.min.js"></script>
<script src="{static}/query.js"></script>
</body>
</html>
"""

_EXAMPLE = ('<li><button type="button" data-query="{name}" aria-describedby="ex-{name}">{title}</button>'
            '<p id="ex-{name}">{description}{params}</p></li>')
_PARAMS = (' <span class="params">Parameters <span lang="ko">매개변수</span>: {names}; unbound, they match '
           'every value. <span lang="ko">값을 주지 않으면 모든 값과 맞습니다.</span></span>')


def _params(query: NamedQuery) -> str:
    """The parameters of a named query, with their examples, for its entry in the list."""
    if not query.params:
        return ""
    names = ", ".join(f"<code>?{escape(p.name)}</code>" + (f" (e.g. <code>{escape(p.example)}</code>)"
                                                            if p.example else "") for p in query.params)
    return _PARAMS.format(names=names)


def query_page(request: Request) -> HTMLResponse:
    """The HTML page for browsers that open ``/sparql`` without a query."""
    catalog: QueryCatalog = request.app.state.queries
    endpoint = request.url_for("sparql_get")
    # Root-relative paths: they stay right behind a proxy that rewrites the scheme or host.
    static = request.url_for("static", path="").path.rstrip("/")
    config = {
        "endpoint": endpoint.path,
        "prefixes": PREFIXES,
        "starter": STARTER if STARTER in catalog else next(iter(catalog), None),
        "queries": {q.name: {"title": q.title, "sparql": q.sparql} for q in catalog.values()},
    }
    examples = "\n".join(_EXAMPLE.format(name=escape(q.name), title=escape(q.title), description=escape(q.description),
                                         params=_params(q)) for q in catalog.values())
    # JSON inside <script>: "<" escaped so no "</script>" in a query can end the element.
    config_json = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    html = _PAGE.format(static=escape(static), endpoint=escape(str(endpoint)), examples=examples, config=config_json)
    return HTMLResponse(html, headers={"Vary": "Accept"})
