"""``/lti/tools``: providers register their LTI tools; tenancy, roles and validation."""

from __future__ import annotations

from typing import Any

import pytest

JWKS_TOOL = {"name": "Quiz tool", "initiate_login_url": "https://quiz.example.org/login",
             "redirect_uris": ["https://quiz.example.org/launch"],
             "key_set_url": "https://quiz.example.org/jwks",
             "scopes": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]}
PUBLIC_JWK = {"kty": "RSA", "n": "sXch", "e": "AQAB", "kid": "k1"}


@pytest.fixture
def cast(tenants: Any) -> dict[str, Any]:
    return {"manager": tenants.make("Provider A", roles=("lti-manager",)),
            "publisher": tenants.make("Provider A", roles=("publisher",)),
            "other": tenants.make("Provider B", roles=("lti-manager",)),
            "lms": tenants.make("State LMS", "lms", ("lti-manager",)),
            "admin": tenants.make("Hub Admin", "platform-admin", ("admin",))}


def register(client: Any, who: dict[str, Any], **overrides: Any) -> Any:
    return client.post("/lti/tools", json={**JWKS_TOOL, **overrides}, headers=who["headers"])


def test_register_generates_client_id_and_shows_platform_values(client: Any,
                                                                 cast: dict[str, Any]) -> None:
    res = register(client, cast["manager"])
    assert res.status_code == 201, res.json
    tool = res.json
    assert res.headers["Location"] == f"/lti/tools/{tool['id']}"
    assert tool["org_id"] == cast["manager"]["org"]["id"]
    assert tool["client_id"].startswith("hub-") and tool["deployment_id"].startswith("dep-")
    assert tool["platform"] == {
        "issuer": "http://hub.test", "client_id": tool["client_id"],
        "deployment_id": tool["deployment_id"],
        "authorization_url": "http://hub.test/lti/platform/authorize",
        "token_url": "http://hub.test/lti/platform/token",
        "jwks_url": "http://hub.test/lti/jwks",
        "deep_link_return_url": "http://hub.test/lti/platform/deep-linking/return"}
    second = register(client, cast["manager"]).json
    assert second["client_id"] != tool["client_id"]
    got = client.get(f"/lti/tools/{tool['id']}", headers=cast["manager"]["headers"])
    assert got.status_code == 200 and got.json == tool


def test_tenancy_another_provider_sees_nothing(client: Any, cast: dict[str, Any]) -> None:
    tool = register(client, cast["manager"]).json
    other = cast["other"]["headers"]
    for method in ("get", "delete"):
        res = getattr(client, method)(f"/lti/tools/{tool['id']}", headers=other)
        assert res.status_code == 404
        assert res.content_type == "application/problem+json"
    res = client.patch(f"/lti/tools/{tool['id']}", json={"name": "x"}, headers=other)
    assert res.status_code == 404
    assert client.get("/lti/tools", headers=other).json == {"items": []}
    listed = client.get(f"/lti/tools?org_id={cast['manager']['org']['id']}", headers=other)
    assert listed.json == {"items": []}
    mine = client.get("/lti/tools", headers=cast["manager"]["headers"]).json["items"]
    assert [t["id"] for t in mine] == [tool["id"]]
    assert client.get(f"/lti/tools/{tool['id']}",
                      headers=cast["manager"]["headers"]).json["name"] == "Quiz tool"


def test_roles_and_organisation_kinds(client: Any, cast: dict[str, Any]) -> None:
    assert register(client, cast["publisher"]).status_code == 403
    assert register(client, cast["lms"]).status_code == 403  # an LMS has no tools to register
    assert client.get("/lti/tools", headers=cast["lms"]["headers"]).status_code == 403
    assert client.post("/lti/tools", json=JWKS_TOOL).status_code == 401
    res = register(client, cast["manager"], org_id=cast["other"]["org"]["id"])
    assert res.status_code == 403
    assert client.get("/lti/tools", headers=cast["admin"]["headers"]).json == {"items": []}


def test_admin_registers_for_a_provider_only(client: Any, cast: dict[str, Any]) -> None:
    admin = cast["admin"]
    res = register(client, admin, org_id=cast["other"]["org"]["id"])
    assert res.status_code == 201 and res.json["org_id"] == cast["other"]["org"]["id"]
    for org_id in (cast["lms"]["org"]["id"], "org_missing", None):
        refused = register(client, admin, org_id=org_id)
        assert refused.status_code == 400
        assert "org_id" in refused.json["errors"]
    everyone = client.get("/lti/tools", headers=admin["headers"]).json["items"]
    assert [t["id"] for t in everyone] == [res.json["id"]]
    assert client.get(f"/lti/tools/{res.json['id']}", headers=admin["headers"]).status_code == 200


@pytest.mark.parametrize(("overrides", "field"), [
    ({"key_set_url": None}, "key_set_url"),
    ({"public_jwk": PUBLIC_JWK}, "key_set_url"),
    ({"key_set_url": None, "public_jwk": {**PUBLIC_JWK, "d": "secret"}}, "public_jwk"),
    ({"key_set_url": None, "public_jwk": {"kty": "oct", "k": "c2VjcmV0"}}, "public_jwk"),
    ({"key_set_url": None, "public_jwk": {"kty": "RSA", "e": "AQAB"}}, "public_jwk"),
    ({"redirect_uris": []}, "redirect_uris"),
    ({"redirect_uris": ["https://quiz.example.org/launch#frag"]}, "redirect_uris.0"),
    ({"initiate_login_url": "javascript:alert(1)"}, "initiate_login_url"),
    ({"initiate_login_url": "/relative"}, "initiate_login_url"),
    ({"scopes": ["https://example.org/scope/everything"]}, "scopes.0"),
    ({"deployment_id": "has space"}, "deployment_id"),
    ({"client_id": "chosen"}, "client_id"),
])
def test_invalid_registrations_name_the_field_and_store_nothing(
        client: Any, cast: dict[str, Any], overrides: dict[str, Any], field: str) -> None:
    res = register(client, cast["manager"], **overrides)
    assert res.status_code == 400, res.json
    assert res.content_type == "application/problem+json"
    assert field in res.json["errors"], res.json
    assert client.get("/lti/tools", headers=cast["manager"]["headers"]).json == {"items": []}


def test_public_jwk_instead_of_a_jwks_url(client: Any, cast: dict[str, Any]) -> None:
    res = register(client, cast["manager"], key_set_url=None, public_jwk=PUBLIC_JWK,
                   deployment_id="dep-1")
    assert res.status_code == 201, res.json
    assert (res.json["public_jwk"], res.json["key_set_url"]) == (PUBLIC_JWK, None)
    assert res.json["deployment_id"] == "dep-1"


def test_patch_changes_fields_but_keeps_one_key_source(client: Any,
                                                       cast: dict[str, Any]) -> None:
    headers = cast["manager"]["headers"]
    tool = register(client, cast["manager"]).json
    url = f"/lti/tools/{tool['id']}"
    res = client.patch(url, json={"name": " Renamed ", "redirect_uris": [
        "https://quiz.example.org/a", "https://quiz.example.org/a"]}, headers=headers)
    assert res.status_code == 200, res.json
    assert (res.json["name"], res.json["redirect_uris"]) == (
        "Renamed", ["https://quiz.example.org/a"])
    assert res.json["client_id"] == tool["client_id"] and res.json["updated_at"]
    both = client.patch(url, json={"public_jwk": PUBLIC_JWK}, headers=headers)
    assert both.status_code == 400 and "key_set_url" in both.json["errors"]
    switched = client.patch(url, json={"public_jwk": PUBLIC_JWK, "key_set_url": None},
                            headers=headers)
    assert switched.status_code == 200
    assert (switched.json["public_jwk"], switched.json["key_set_url"]) == (PUBLIC_JWK, None)
    moved = client.patch(url, json={"org_id": cast["other"]["org"]["id"]}, headers=headers)
    assert moved.status_code == 400
    assert client.get(url, headers=headers).json["org_id"] == cast["manager"]["org"]["id"]


def test_delete(client: Any, cast: dict[str, Any]) -> None:
    headers = cast["manager"]["headers"]
    tool = register(client, cast["manager"]).json
    assert client.delete(f"/lti/tools/{tool['id']}", headers=headers).status_code == 204
    assert client.get(f"/lti/tools/{tool['id']}", headers=headers).status_code == 404
    assert client.delete(f"/lti/tools/{tool['id']}", headers=headers).status_code == 404


def test_documented_in_openapi(client: Any) -> None:
    paths = client.get("/openapi.json").json["paths"]
    assert set(paths["/lti/tools"]) >= {"get", "post"}
    assert set(paths["/lti/tools/{tool_id}"]) >= {"get", "patch", "delete"}
