"""``/lti/platforms``: an LMS organisation's lti-manager registers its LMS, admin any LMS
organisation's; other organisations see 404; provider organisations cannot register LMSes."""

from __future__ import annotations

from typing import Any

import pytest

PROBLEM = "application/problem+json"


def body(**overrides: Any) -> dict[str, Any]:
    """A registration as an LMS administrator would enter it."""
    return {"issuer": "https://lms.example.org", "client_id": "hub-client",
            "deployment_ids": ["dep-1"], "auth_login_url": "https://lms.example.org/auth",
            "auth_token_url": "https://lms.example.org/token",
            "key_set_url": "https://lms.example.org/jwks", "name": "Example LMS", **overrides}


@pytest.fixture
def lms(tenants: Any) -> dict[str, Any]:
    return tenants.make("Example LMS org", "lms", ("lti-manager",))


def test_lti_manager_registers_lists_changes_and_deletes(client: Any, lms: dict[str, Any]
                                                         ) -> None:
    created = client.post("/lti/platforms", json=body(), headers=lms["headers"])
    assert created.status_code == 201, created.json
    doc = created.json
    assert doc["org_id"] == lms["org"]["id"] and doc["deployment_ids"] == ["dep-1"]
    assert created.headers["Location"] == f"/lti/platforms/{doc['id']}"
    assert doc["tool"] == {"login_url": "http://hub.test/lti/login",
                           "launch_url": "http://hub.test/lti/launch",
                           "jwks_url": "http://hub.test/lti/jwks",
                           "registration_url": "http://hub.test/lti/register"}
    listed = client.get("/lti/platforms", headers=lms["headers"]).json
    assert [d["id"] for d in listed["items"]] == [doc["id"]]
    patched = client.patch(f"/lti/platforms/{doc['id']}", headers=lms["headers"],
                           json={"deployment_ids": ["dep-1", "dep-2", "dep-1"]})
    assert patched.status_code == 200 and patched.json["deployment_ids"] == ["dep-1", "dep-2"]
    assert client.get(f"/lti/platforms/{doc['id']}",
                      headers=lms["headers"]).json["deployment_ids"] == ["dep-1", "dep-2"]
    assert client.delete(f"/lti/platforms/{doc['id']}", headers=lms["headers"]).status_code == 204
    gone = client.get(f"/lti/platforms/{doc['id']}", headers=lms["headers"])
    assert gone.status_code == 404 and gone.content_type == PROBLEM


def test_issuer_and_client_id_are_registered_once(client: Any, lms: dict[str, Any],
                                                  tenants: Any) -> None:
    assert client.post("/lti/platforms", json=body(), headers=lms["headers"]).status_code == 201
    other = tenants.make("Other LMS org", "lms", ("lti-manager",))
    clash = client.post("/lti/platforms", json=body(name="again"), headers=other["headers"])
    assert clash.status_code == 409 and clash.content_type == PROBLEM
    assert "client_id" in clash.json["errors"]
    assert client.get("/lti/platforms", headers=other["headers"]).json["items"] == []


def test_another_organisations_registration_is_404(client: Any, lms: dict[str, Any],
                                                   tenants: Any) -> None:
    doc = client.post("/lti/platforms", json=body(), headers=lms["headers"]).json
    other = tenants.make("Other LMS org", "lms", ("lti-manager",))
    for method in ("get", "patch", "delete"):
        answer = getattr(client, method)(f"/lti/platforms/{doc['id']}", json={"name": "x"},
                                         headers=other["headers"])
        assert answer.status_code == 404, method
    assert client.get(f"/lti/platforms/{doc['id']}", headers=lms["headers"]).json["name"] == (
        "Example LMS")


def test_admin_registers_for_an_lms_organisation_only(client: Any, lms: dict[str, Any],
                                                      tenants: Any) -> None:
    admin = tenants.make("Hub operators", "platform-admin", ("admin",))
    made = client.post("/lti/platforms", json=body(org_id=lms["org"]["id"]),
                       headers=admin["headers"])
    assert made.status_code == 201 and made.json["org_id"] == lms["org"]["id"]
    provider = tenants.make("A provider", "provider", ("publisher",))
    refused = client.post("/lti/platforms", json=body(client_id="c2",
                                                      org_id=provider["org"]["id"]),
                          headers=admin["headers"])
    assert refused.status_code == 403 and "org_id" in refused.json["errors"]
    missing = client.post("/lti/platforms", json=body(client_id="c3", org_id="org_nope"),
                          headers=admin["headers"])
    assert missing.status_code == 404
    assert [d["org_id"] for d in client.get("/lti/platforms",
                                            headers=admin["headers"]).json["items"]] == [
        lms["org"]["id"]]


def test_lti_manager_cannot_act_for_another_org_or_from_a_provider(
        client: Any, lms: dict[str, Any], tenants: Any) -> None:
    other = tenants.make("Other LMS org", "lms", ("lti-manager",))
    answer = client.post("/lti/platforms", json=body(org_id=other["org"]["id"]),
                         headers=lms["headers"])
    assert answer.status_code == 404
    provider = tenants.make("A provider", "provider", ("lti-manager",))
    answer = client.post("/lti/platforms", json=body(), headers=provider["headers"])
    assert answer.status_code == 403 and answer.content_type == PROBLEM
    reader = tenants.make("Example LMS org", "lms", ("lrs-reader",))
    assert client.get("/lti/platforms", headers=reader["headers"]).status_code == 403
    assert client.get("/lti/platforms").status_code == 401


@pytest.mark.parametrize("field, value", [
    ("issuer", "not a url"), ("key_set_url", "ftp://lms.example.org/jwks"),
    ("client_id", ""), ("deployment_ids", "dep-1"), ("auth_login_url", None)])
def test_bad_fields_are_400_naming_the_field(client: Any, lms: dict[str, Any], field: str,
                                             value: Any) -> None:
    answer = client.post("/lti/platforms", json=body(**{field: value}), headers=lms["headers"])
    assert answer.status_code == 400 and answer.content_type == PROBLEM
    assert field in str(answer.json)
    assert client.get("/lti/platforms", headers=lms["headers"]).json["items"] == []


def test_registration_link_is_minted_for_an_lms_organisation(client: Any, lms: dict[str, Any],
                                                             tenants: Any) -> None:
    made = client.post("/lti/platforms/registration-links", json={"name": "Moodle"},
                       headers=lms["headers"])
    assert made.status_code == 201 and made.json["org_id"] == lms["org"]["id"]
    assert made.json["url"].startswith("http://hub.test/lti/register?ticket=")
    provider = tenants.make("A provider", "provider", ("lti-manager",))
    assert client.post("/lti/platforms/registration-links", json={},
                       headers=provider["headers"]).status_code == 403
