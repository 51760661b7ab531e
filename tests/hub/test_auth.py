"""Authentication (HTTP Basic and Bearer ``key:secret``) and roles, on every store adapter."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.conftest import Tenants, basic


@pytest.fixture
def cred(tenants: Tenants) -> dict[str, Any]:
    return tenants.make("Indian Institute of Public Administration", kind="institution",
                        roles=("lrs-reader",))


def test_basic_auth(client: Any, cred: dict[str, Any]) -> None:
    resp = client.get("/me", headers=basic(cred["key"], cred["secret"]))
    assert resp.status_code == 200 and resp.json["key"] == cred["key"]


def test_bearer_auth(client: Any, cred: dict[str, Any]) -> None:
    resp = client.get("/me", headers={"Authorization": f"Bearer {cred['key']}:{cred['secret']}"})
    assert resp.status_code == 200 and resp.json["key"] == cred["key"]


def test_scheme_is_case_insensitive(client: Any, cred: dict[str, Any]) -> None:
    token = base64.b64encode(f"{cred['key']}:{cred['secret']}".encode()).decode()
    assert client.get("/me", headers={"Authorization": f"basic {token}"}).status_code == 200


@pytest.mark.parametrize("header", [
    "Basic !!!not-base64!!!",
    "Basic " + base64.b64encode(b"no-colon").decode(),
    "Bearer just-a-key",
    "Digest username=x",
    "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
])
def test_malformed_credentials_are_401(client: Any, header: str) -> None:
    assert client.get("/me", headers={"Authorization": header}).status_code == 401


def test_wrong_secret_is_401(client: Any, cred: dict[str, Any]) -> None:
    resp = client.get("/me", headers=basic(cred["key"], cred["secret"] + "x"))
    assert resp.status_code == 401
    assert resp.json["detail"] == "unknown key or wrong secret"


def test_unknown_key_is_401_like_a_wrong_secret(client: Any, cred: dict[str, Any]) -> None:
    resp = client.get("/me", headers=basic("k_doesnotexist", cred["secret"]))
    assert resp.status_code == 401
    assert resp.json["detail"] == "unknown key or wrong secret"  # no hint which part was wrong


def test_another_credentials_secret_is_401(client: Any, tenants: Tenants,
                                            cred: dict[str, Any]) -> None:
    other = tenants.make("Other Org", roles=("publisher",))
    assert client.get("/me", headers=basic(cred["key"], other["secret"])).status_code == 401


def test_revoked_credential_is_401(app: Any, client: Any, cred: dict[str, Any]) -> None:
    headers = basic(cred["key"], cred["secret"])
    assert client.get("/me", headers=headers).status_code == 200
    assert app.extensions["hub.store"].credentials.revoke(cred["key"]) is True
    assert client.get("/me", headers=headers).status_code == 401


def test_missing_role_is_403(client: Any, tenants: Tenants) -> None:
    publisher = tenants.make("A Provider", roles=("publisher",))
    resp = client.get("/admin/organisations", headers=publisher["headers"])
    assert resp.status_code == 403
    assert "admin" in resp.json["detail"]


def test_admin_role_implies_the_others(app: Any) -> None:
    from hub.auth import Principal

    admin = Principal("k", "o", "platform-admin", "P", frozenset({"admin"}))
    assert admin.has("publisher") and admin.has("reviewer", "curator")
    reader = Principal("k", "o", "lms", "L", frozenset({"lrs-reader"}))
    assert reader.has("lrs-reader") and not reader.has("publisher")


def test_secret_is_stored_only_as_a_hash(app: Any, cred: dict[str, Any]) -> None:
    stored = app.extensions["hub.store"].credentials.get(cred["key"])
    assert cred["secret"] not in str(stored)
    assert stored["secret_hash"].startswith("sha256$")
