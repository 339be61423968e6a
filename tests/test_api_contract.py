"""The API's contract: the OpenAPI document is snapshot-tested, and schemathesis checks every /api
operation against it on a real server (no 5xx, responses that fit their declared schemas)."""

from __future__ import annotations

import json

import httpx
import schemathesis
from schemathesis.config import SchemathesisConfig

from api.main import create_app
from kg.config import Settings
from tests.conftest import SNAPSHOTS, LiveServer

OPENAPI = SNAPSHOTS / "openapi.json"
ROUTES = {"/api/cases", "/api/cases/{case_id}", "/api/cases/{case_id}/similar", "/api/strategies",
          "/api/strategies/{strategy_id}", "/api/concepts", "/api/concepts/{scheme}", "/api/queries",
          "/api/queries/{name}", "/api/stats"}


def test_openapi_document_matches_its_snapshot(settings: Settings, update_snapshots: bool) -> None:
    """The OpenAPI document equals the golden file (`pytest --update-snapshots` rewrites it)."""
    document = create_app(settings).openapi()
    if update_snapshots:
        OPENAPI.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                           encoding="utf-8")
    assert document == json.loads(OPENAPI.read_text(encoding="utf-8"))


def test_every_api_route_declares_its_errors_as_problem_details(settings: Settings) -> None:
    paths = create_app(settings).openapi()["paths"]
    assert ROUTES <= set(paths)
    for path in ROUTES:
        operation = paths[path]["get"]
        errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
        if path != "/api/queries":  # takes no parameters
            assert "422" in errors, path
        if "{" in path:
            assert "404" in errors, path
        for response in errors.values():
            assert response["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]


def test_served_openapi_is_the_snapshot(live_server: LiveServer) -> None:
    served = httpx.get(f"{live_server.url}/openapi.json", timeout=30).json()
    assert served == json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert httpx.get(f"{live_server.url}/docs", timeout=30).status_code == 200


# The snapshot, which the tests above pin to the served document. (schemathesis.pytest.from_fixture
# reads `request.node._nodeid`, which pytest 9 no longer has.)
schema = schemathesis.openapi.from_path(
    OPENAPI, config=SchemathesisConfig.from_str("[generation]\nmax-examples = 15\n")).include(path_regex="^/api/")


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, live_server: LiveServer) -> None:
    """Every check but `negative_data_rejection`: in a form-style query string an "object" mutation of
    a list or text parameter serialises as repeated values, which are valid input (test_api_hostile.py
    checks the rejections that do exist: 422 for a bad `lang`, `limit` or `offset`)."""
    case.call_and_validate(base_url=live_server.url, excluded_checks=[schemathesis.checks.negative_data_rejection])
