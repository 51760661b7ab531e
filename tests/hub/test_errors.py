"""Every error is RFC 9457 ``application/problem+json`` of one shape, on every store adapter."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest

from hub.errors import PROBLEM_BASE
from tests.conftest import Tenants

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(resp: Any, status: int, slug: str) -> dict[str, Any]:
    """The response is a problem document of ``status`` whose type ends in ``slug``."""
    assert resp.status_code == status, resp.data[:500]
    assert resp.mimetype == "application/problem+json"
    body: dict[str, Any] = resp.get_json(force=True)
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["type"] == PROBLEM_BASE + slug
    assert body["title"] and body["detail"]
    assert body["instance"] == resp.request.path
    return body


@pytest.fixture
def admin(tenants: Tenants) -> dict[str, Any]:
    return tenants.make("Platform", kind="platform-admin", roles=("admin",))


def test_400_names_every_bad_field(client: Any, admin: dict[str, Any]) -> None:
    resp = client.post("/admin/organisations", json={"kind": "school"},
                       headers=admin["headers"])
    body = assert_problem(resp, 400, "validation")
    assert set(body["errors"]) == {"name", "kind"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())


def test_400_for_malformed_json(client: Any, admin: dict[str, Any]) -> None:
    resp = client.post("/admin/organisations", data=b'{"name": ',
                       headers={**admin["headers"], "Content-Type": "application/json"})
    assert_problem(resp, 400, "validation")


def test_400_for_bad_query_argument_is_not_422(client: Any, admin: dict[str, Any]) -> None:
    resp = client.get("/admin/organisations?kind=nope", headers=admin["headers"])
    body = assert_problem(resp, 400, "validation")
    assert list(body["errors"]) == ["kind"]  # webargs' location ("query") is dropped


def test_401_has_a_challenge(client: Any) -> None:
    resp = client.get("/me")
    assert_problem(resp, 401, "unauthenticated")
    assert resp.headers["WWW-Authenticate"].startswith("Basic")


def test_a_script_in_a_browser_gets_a_challenge_it_does_not_prompt_for(client: Any) -> None:
    # A Basic challenge makes the browser open a password dialog over an AU's page.
    bad = {"Authorization": "Basic " + base64.b64encode(b"catapult:fire").decode()}
    for headers in ({}, bad):
        resp = client.get("/xapi/statements", headers={
            **headers, "X-Experience-API-Version": "1.0.3", "Sec-Fetch-Mode": "cors"})
        assert resp.status_code == 401
        assert resp.headers["WWW-Authenticate"].startswith("xBasic ")
    page = client.get("/me", headers={**bad, "Sec-Fetch-Mode": "navigate"})
    assert page.status_code == 401 and page.headers["WWW-Authenticate"].startswith("Basic ")


def test_403(client: Any, tenants: Tenants) -> None:
    reader = tenants.make("LMS", kind="lms", roles=("lrs-reader",))
    assert_problem(client.get("/admin/organisations", headers=reader["headers"]), 403,
                   "forbidden")


def test_404_for_unknown_route_and_object(client: Any, admin: dict[str, Any]) -> None:
    assert_problem(client.get("/no/such/route"), 404, "not-found")
    assert_problem(client.get("/admin/organisations/org_missing", headers=admin["headers"]),
                   404, "not-found")


def test_405_lists_allowed_methods(client: Any) -> None:
    resp = client.put("/health")
    assert_problem(resp, 405, "method-not-allowed")
    assert "GET" in resp.headers["Allow"]
    resp = client.delete("/admin/organisations")
    assert_problem(resp, 405, "method-not-allowed")
    assert set(resp.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_409_on_conflict(client: Any, admin: dict[str, Any]) -> None:
    body = {"name": "Twice", "kind": "provider"}
    assert client.post("/admin/organisations", json=body,
                       headers=admin["headers"]).status_code == 201
    resp = client.post("/admin/organisations", json=body, headers=admin["headers"])
    assert "Twice" in assert_problem(resp, 409, "conflict")["detail"]


# --- 413: the body cap (HUB_MAX_BODY_BYTES) --------------------------------------------------


@pytest.fixture
def small_app(store_url: str, tmp_path: Path) -> Any:
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_MAX_BODY_BYTES": "1000"})
    yield app
    app.extensions["hub.store"].close()


def _org_body(total: int) -> bytes:
    """A valid organisation body of exactly ``total`` bytes (JSON whitespace as padding)."""
    head = b'{"kind": "provider", "name": "Padded"'
    return head + b" " * (total - len(head) - 1) + b"}"


def test_413_when_content_length_is_over_the_cap(small_app: Any) -> None:
    admin = Tenants(small_app).make("Platform", kind="platform-admin", roles=("admin",))
    client = small_app.test_client()
    resp = client.post("/admin/organisations", data=_org_body(2000),
                       headers={**admin["headers"], "Content-Type": "application/json"})
    assert_problem(resp, 413, "payload-too-large")


def _chunked(client: Any, headers: dict[str, str], body: bytes) -> Any:
    """POST a streamed body without Content-Length, as gunicorn hands a chunked request over
    (it de-chunks and sets ``wsgi.input_terminated``)."""
    return client.post("/admin/organisations", input_stream=io.BytesIO(body),
                       headers={**headers, "Content-Type": "application/json",
                                "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


def test_413_for_a_chunked_body_over_the_cap(small_app: Any) -> None:
    # werkzeug alone would cut the body at the cap and hand on the first 1000 bytes.
    admin = Tenants(small_app).make("Platform", kind="platform-admin", roles=("admin",))
    resp = _chunked(small_app.test_client(), admin["headers"], _org_body(2000))
    assert_problem(resp, 413, "payload-too-large")


@pytest.mark.parametrize("total", [200, 1000])
def test_chunked_body_up_to_the_cap_is_read_whole(small_app: Any, total: int) -> None:
    admin = Tenants(small_app).make("Platform", kind="platform-admin", roles=("admin",))
    body = _org_body(total)
    assert len(body) == total
    resp = _chunked(small_app.test_client(), admin["headers"], body)
    assert resp.status_code == 201, resp.json
    assert resp.json["name"] == "Padded"


# --- translation of storage errors ---------------------------------------------------------


def test_storage_errors_map_to_problems(app: Any) -> None:
    from hub.errors_http import to_hub_error
    from storage import errors as se

    with app.test_request_context("/x"):
        assert to_hub_error(se.DuplicateKey("dup")).status == 409
        assert to_hub_error(se.ConcurrentUpdate("cas")).status == 409
        assert to_hub_error(se.StoreUnavailable("down")).status == 503
        assert to_hub_error(se.BlobNotFound("gone")).status == 404
        bad_key = to_hub_error(se.InvalidBlobKey("blob key '../x' must not contain '..'"))
        assert bad_key.status == 400 and list(bad_key.errors or {}) == ["key"]
        assert to_hub_error(RuntimeError("boom")).status == 500
