"""The platform admins' API and ``GET /me``, on every store adapter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Tenants, basic


@pytest.fixture
def admin(tenants: Tenants) -> dict[str, Any]:
    return tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))


def _create_org(client: Any, admin: dict[str, Any], **body: Any) -> Any:
    payload = {"name": "IIM Indore Online", "kind": "provider", "country": "in",
               "contact": "courses@iimi.example", **body}
    return client.post("/admin/organisations", json=payload, headers=admin["headers"])


def test_create_and_read_organisation(client: Any, admin: dict[str, Any]) -> None:
    resp = _create_org(client, admin)
    assert resp.status_code == 201, resp.json
    org = resp.json
    assert org["name"] == "IIM Indore Online" and org["kind"] == "provider"
    assert org["country"] == "IN"  # normalised
    assert org["id"] and org["created_at"].endswith("Z")
    assert resp.headers["Location"].endswith(f"/admin/organisations/{org['id']}")

    got = client.get(f"/admin/organisations/{org['id']}", headers=admin["headers"])
    assert got.status_code == 200 and got.json == org


def test_list_organisations_by_name_and_kind(client: Any, admin: dict[str, Any]) -> None:
    _create_org(client, admin, name="Zeta Institute", kind="institution")
    _create_org(client, admin, name="Alpha Academy", kind="provider")
    names = [o["name"] for o in client.get("/admin/organisations",
                                           headers=admin["headers"]).json["items"]]
    assert names == ["Alpha Academy", "Karmayogi Platform", "Zeta Institute"]
    only = client.get("/admin/organisations?kind=institution", headers=admin["headers"]).json
    assert [o["name"] for o in only["items"]] == ["Zeta Institute"]
    bad = client.get("/admin/organisations?kind=school", headers=admin["headers"])
    assert bad.status_code == 400 and "kind" in bad.json["errors"]


def test_duplicate_name_is_409(client: Any, admin: dict[str, Any]) -> None:
    assert _create_org(client, admin).status_code == 201
    again = _create_org(client, admin, name="  IIM Indore Online ")
    assert again.status_code == 409
    assert again.content_type == "application/problem+json"


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "university"}, "kind"),
    ({"name": ""}, "name"),
    ({"country": "IND"}, "country"),
    ({"contact": "not-an-email"}, "contact"),
    ({"colour": "blue"}, "colour"),
])
def test_invalid_organisation_names_the_field(client: Any, admin: dict[str, Any],
                                              body: dict[str, Any], field: str) -> None:
    resp = _create_org(client, admin, **body)
    assert resp.status_code == 400
    assert field in resp.json["errors"]


def test_missing_organisation_is_404(client: Any, admin: dict[str, Any]) -> None:
    for method, path in [("get", "/admin/organisations/org_nope"),
                         ("get", "/admin/organisations/org_nope/credentials"),
                         ("post", "/admin/organisations/org_nope/credentials"),
                         ("delete", "/admin/credentials/k_nope")]:
        kwargs = {"json": {"roles": ["publisher"]}} if method == "post" else {}
        resp = getattr(client, method)(path, headers=admin["headers"], **kwargs)
        assert resp.status_code == 404, (method, path, resp.json)
        assert resp.json["status"] == 404


def test_credential_lifecycle(client: Any, admin: dict[str, Any]) -> None:
    org = _create_org(client, admin).json
    made = client.post(f"/admin/organisations/{org['id']}/credentials",
                       json={"roles": ["publisher", "lrs-writer"], "label": "CI uploads"},
                       headers=admin["headers"])
    assert made.status_code == 201, made.json
    cred = made.json
    assert cred["key"] and cred["secret"] and cred["org_id"] == org["id"]
    assert cred["roles"] == ["lrs-writer", "publisher"] and cred["label"] == "CI uploads"
    assert "secret_hash" not in cred

    # the new credential works, and says who it is
    me = client.get("/me", headers=basic(cred["key"], cred["secret"]))
    assert me.status_code == 200
    assert me.json["organisation"]["id"] == org["id"]
    assert me.json["roles"] == ["lrs-writer", "publisher"]

    listed = client.get(f"/admin/organisations/{org['id']}/credentials",
                        headers=admin["headers"]).json["items"]
    assert [c["key"] for c in listed] == [cred["key"]]
    assert listed[0]["revoked"] is False
    assert cred["secret"] not in str(listed) and "secret_hash" not in str(listed)
    assert "sha256$" not in str(listed)

    gone = client.delete(f"/admin/credentials/{cred['key']}", headers=admin["headers"])
    assert gone.status_code == 204 and gone.data == b""
    assert client.get("/me", headers=basic(cred["key"], cred["secret"])).status_code == 401
    listed = client.get(f"/admin/organisations/{org['id']}/credentials",
                        headers=admin["headers"]).json["items"]
    assert listed[0]["revoked"] is True


@pytest.mark.parametrize(("body", "field"), [
    ({"roles": []}, "roles"),
    ({"roles": ["superuser"]}, "roles.0"),
    ({}, "roles"),
    ({"roles": ["publisher"], "label": "x" * 201}, "label"),
])
def test_invalid_credential_names_the_field(client: Any, admin: dict[str, Any],
                                            body: dict[str, Any], field: str) -> None:
    resp = client.post(f"/admin/organisations/{admin['org']['id']}/credentials", json=body,
                       headers=admin["headers"])
    assert resp.status_code == 400
    assert field in resp.json["errors"], resp.json


def test_admin_api_needs_the_admin_role(client: Any, admin: dict[str, Any],
                                        tenants: Tenants) -> None:
    org_id = admin["org"]["id"]
    publisher = tenants.make("Some Provider", roles=("publisher", "reviewer", "curator"))
    calls = [("post", "/admin/organisations", {"name": "X", "kind": "provider"}),
             ("get", "/admin/organisations", None),
             ("get", f"/admin/organisations/{org_id}", None),
             ("post", f"/admin/organisations/{org_id}/credentials", {"roles": ["admin"]}),
             ("get", f"/admin/organisations/{org_id}/credentials", None),
             ("delete", f"/admin/credentials/{admin['key']}", None)]
    for method, path, body in calls:
        kwargs = {"json": body} if body is not None else {}
        anonymous = getattr(client, method)(path, **kwargs)
        assert anonymous.status_code == 401, (method, path)
        forbidden = getattr(client, method)(path, headers=publisher["headers"], **kwargs)
        assert forbidden.status_code == 403, (method, path)
    # and nothing was changed by those attempts
    assert client.get("/me", headers=admin["headers"]).status_code == 200
    names = [o["name"] for o in client.get("/admin/organisations",
                                           headers=admin["headers"]).json["items"]]
    assert "X" not in names


def test_unauthenticated_invalid_body_is_401_not_400(client: Any) -> None:
    resp = client.post("/admin/organisations", json={"bogus": 1})
    assert resp.status_code == 401


def test_me_for_any_credential(client: Any, tenants: Tenants) -> None:
    lms = tenants.make("Moodle of LBSNAA", kind="lms", roles=("lrs-reader",))
    resp = client.get("/me", headers=lms["headers"])
    assert resp.status_code == 200
    assert resp.json == {"key": lms["key"], "roles": ["lrs-reader"],
                         "organisation": resp.json["organisation"]}
    assert resp.json["organisation"]["name"] == "Moodle of LBSNAA"
    assert resp.json["organisation"]["kind"] == "lms"
    assert client.get("/me").status_code == 401
