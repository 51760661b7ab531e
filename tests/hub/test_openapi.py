"""``/openapi.json`` (OpenAPI 3.1 from the marshmallow schemas) and ``/docs`` (works offline)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.openapi_support import conforms, response_schema

ADMIN_PATHS = {"/admin/organisations", "/admin/organisations/{org_id}",
               "/admin/organisations/{org_id}/credentials", "/admin/credentials/{key}", "/me"}
MARKETPLACE_PATHS = {"/courses", "/catalogue/search"}


@pytest.fixture
def spec(client: Any) -> dict[str, Any]:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    return resp.get_json()  # type: ignore[no-any-return]


def test_is_a_valid_openapi_31_document(spec: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    assert re.fullmatch(r"3\.1\.\d+", spec["openapi"])
    validate(spec)  # raises on any schema violation of the OpenAPI 3.1 meta-schema


def test_lists_admin_and_marketplace_paths(spec: dict[str, Any]) -> None:
    paths = set(spec["paths"])
    assert paths >= ADMIN_PATHS
    assert paths >= MARKETPLACE_PATHS
    assert set(spec["paths"]["/admin/organisations"]) >= {"get", "post"}
    assert "delete" in spec["paths"]["/admin/credentials/{key}"]


def test_admin_operations_are_documented_from_their_schemas(spec: dict[str, Any]) -> None:
    post = spec["paths"]["/admin/organisations"]["post"]
    assert "201" in post["responses"]
    assert post["security"] == [{"basic": []}]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(schema["required"]) == {"name", "kind"}
    assert "platform-admin" in schema["properties"]["kind"]["enum"]
    created = spec["paths"]["/admin/organisations/{org_id}/credentials"]["post"]["responses"]
    new_ref = created["201"]["content"]["application/json"]["schema"]["$ref"]
    assert "secret" in spec["components"]["schemas"][new_ref.rsplit("/", 1)[-1]]["properties"]
    listed = spec["paths"]["/admin/organisations/{org_id}/credentials"]["get"]["responses"]
    list_ref = listed["200"]["content"]["application/json"]["schema"]["$ref"]
    item_ref = spec["components"]["schemas"][list_ref.rsplit("/", 1)[-1]]["properties"][
        "items"]["items"]["$ref"]
    item = spec["components"]["schemas"][item_ref.rsplit("/", 1)[-1]]
    assert "secret" not in item["properties"] and "secret_hash" not in item["properties"]


# Anything the browser would fetch by itself: scripts, images, frames, stylesheets, fonts.
_REMOTE_LOAD = re.compile(
    r"""(?:\ssrc\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def test_docs_is_html_that_loads_nothing_from_the_network(client: Any,
                                                           spec: dict[str, Any]) -> None:
    resp = client.get("/docs")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert _REMOTE_LOAD.search(html) is None, _REMOTE_LOAD.search(html)
    for path in ADMIN_PATHS | MARKETPLACE_PATHS:
        assert f"<code>{path}</code>" in html
    assert spec["info"]["title"] in html


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.example/redoc.js"></script>',
    "<link rel=stylesheet href='//fonts.example/css'>",
    "<img src=http://x/y.png>",
    "<style>@import url(https://x/y.css);</style>",
])
def test_remote_load_detector_catches_cdn_assets(snippet: str) -> None:
    # the offline check above is only as good as this pattern
    assert _REMOTE_LOAD.search(snippet)
    assert not _REMOTE_LOAD.search('<a href="https://spec.example/">spec</a> <a href=openapi.json>')


# --- the document tells the truth about errors (RFC 9457) ----------------------------------------


def test_every_error_response_is_documented_as_problem_json(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert {"instance", "errors", "allowed_actions"} <= set(problem["properties"])
    assert problem.get("additionalProperties") is not False  # RFC 9457 §3.2 extensions
    assert "Error" not in spec["components"]["schemas"]
    for name, response in spec["components"].get("responses", {}).items():
        assert set(response.get("content", {})) <= {"application/problem+json"}, name
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for status, response in op["responses"].items():
                if (path, status) == ("/health", "503"):
                    continue  # the health report itself, naming the failing checks
                if status == "default" or status.startswith(("4", "5")):
                    assert set(response_schema(spec, response, "application/problem+json")) \
                        == {"$ref"}, (method, path, status)


def test_invalid_arguments_are_documented_as_the_400_they_answer(spec: dict[str, Any]) -> None:
    # The admin blueprint was decorated before the parser was patched, so it documented 422.
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                assert "422" not in op["responses"], (method, path)
    assert "400" in spec["paths"]["/admin/organisations"]["post"]["responses"]


def test_real_error_bodies_match_the_documented_problem_schema(
        client: Any, tenants: Any, spec: dict[str, Any]) -> None:
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    provider = tenants.make("Provider", "provider", ("publisher",))
    responses = [
        client.post("/admin/organisations", json={"kind": "nope"}, headers=admin["headers"]),
        client.get("/courses/nope", headers=provider["headers"]),
        client.get("/courses"),
        client.get("/catalogue/search?limit=0"),
    ]
    created = client.post("/courses", headers=provider["headers"], json={
        "title": {"en": "T"}, "category": "course", "mode": "self-paced", "level": "beginner",
        "duration": "PT1H", "delivery": {"type": "external", "url": "https://x.example/c"}})
    responses.append(client.post(f"/courses/{created.get_json()['id']}/transitions",
                                 json={"action": "publish"},
                                 headers={**provider["headers"],
                                          "If-Match": created.headers["ETag"]}))
    schema = {"$ref": "#/components/schemas/Problem"}
    for resp in responses:
        assert resp.status_code >= 400 and resp.mimetype == "application/problem+json"
        assert conforms(spec, schema, resp.get_json()) == [], resp.get_json()
    assert "allowed_actions" in responses[-1].get_json()


# --- every route is in the document -------------------------------------------------------------

UNDOCUMENTED = {"/openapi.json", "/docs", "/static/<path:filename>",
                # Browser steps of the LTI flows (form posts, redirects, HTML pages).
                "/lti/login", "/lti/launch", "/lti/register",
                "/lti/deep-linking/picker", "/lti/deep-linking/pick",
                "/lti/platform/authorize", "/lti/platform/deep-linking/return",
                "/play/<course_id>", "/play/<course_id>/launch"}  # the player's page


def test_every_route_and_method_is_in_the_document(app: Any, spec: dict[str, Any]) -> None:
    # /health, the forwarding API and the xAPI resources were missing, so no fuzzer reached them.
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule in UNDOCUMENTED:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        methods = set(rule.methods or ()) - {"OPTIONS"}
        if not path.startswith("/xapi/") or path.startswith("/xapi/forwarding"):
            methods -= {"HEAD"}  # HEAD is spelled out where a spec requires it (xAPI)
        documented = {m.upper() for m in spec["paths"].get(path, {}) if m != "parameters"}
        missing += [f"{m} {path}" for m in sorted(methods - documented)]
    assert missing == []


def test_xapi_operations_point_to_the_specification(spec: dict[str, Any]) -> None:
    base = "https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#"
    expected = {("/xapi/statements", "put"): "2.1.1", ("/xapi/statements", "post"): "2.1.2",
                ("/xapi/statements", "get"): "2.1.3", ("/xapi/activities/state", "get"): "2.3",
                ("/xapi/agents", "get"): "2.4", ("/xapi/activities", "get"): "2.5",
                ("/xapi/agents/profile", "put"): "2.6",
                ("/xapi/activities/profile", "delete"): "2.7", ("/xapi/about", "get"): "2.8"}
    for (path, method), section in expected.items():
        op = spec["paths"][path][method]
        assert op["summary"] and f"{base}{section}" in op["description"], (path, method)
    names = {p["name"] for p in spec["paths"]["/xapi/statements"]["get"]["parameters"]}
    assert names >= {"X-Experience-API-Version", "statementId", "voidedStatementId", "agent",
                     "verb", "activity", "registration", "related_activities",
                     "related_agents", "since", "until", "limit", "format", "attachments",
                     "ascending"}
    assert spec["paths"]["/xapi/about"]["get"]["security"] == []
    state = {p["name"]: p["required"]
             for p in spec["paths"]["/xapi/activities/state"]["put"]["parameters"]}
    assert state["activityId"] and state["agent"] and state["stateId"]
    assert not state["registration"]


def test_the_document_is_written_when_first_read_and_whole(app: Any) -> None:
    # Creating an app (each gunicorn worker, CLI command, test) does not pay for the document;
    # the first reader gets every blueprint's operations, the LRS's and the LTI Bearer scheme.
    api = app.extensions["hub.api"]
    assert api.__dict__["_pending_docs"], "the document was written at start-up"
    resp = app.test_client().get("/openapi.json")
    assert not api.__dict__["_pending_docs"]
    document = resp.get_json()
    assert {"/learners", "/xapi/statements", "/courses", "/lti/platform/token"} <= set(
        document["paths"])
    assert "ltiBearer" in document["components"]["securitySchemes"]
    assert len({tag["name"] for tag in document["tags"]}) == len(document["tags"])
