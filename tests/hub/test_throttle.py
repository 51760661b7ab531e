"""Failed authentication is throttled per key and per client address (429 + Retry-After), through
real requests on the marketplace, admin and xAPI endpoints, on every store adapter."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Tenants, basic
from tests.marketplace.conftest import course_body

XAPI = {"X-Experience-API-Version": "1.0.3"}
PER_KEY = 10  # the defaults of HUB_AUTH_FAILURES_PER_KEY / _PER_ADDRESS
PER_ADDRESS = 50


def _from(address: str) -> dict[str, Any]:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _assert_throttled(resp: Any) -> int:
    assert resp.status_code == 429, (resp.status_code, resp.get_data(as_text=True))
    assert resp.mimetype == "application/problem+json"
    assert resp.json["status"] == 429 and resp.json["type"].endswith("/too-many-requests")
    retry_after = int(resp.headers["Retry-After"])
    assert 1 <= retry_after <= 60 and resp.json["retry_after"] == retry_after
    return retry_after


def test_wrong_secrets_lock_the_key_even_for_the_right_secret(client: Any,
                                                              tenants: Tenants) -> None:
    publisher = tenants.make("Provider A")
    other = tenants.make("Provider B")
    wrong = basic(publisher["key"], "not-the-secret")
    for _ in range(PER_KEY):
        assert client.get("/courses", headers=wrong).status_code == 401
    _assert_throttled(client.get("/courses", headers=wrong))
    # Locked out: the right secret is refused too, or a guesser would recognise it.
    _assert_throttled(client.get("/courses", headers=publisher["headers"]))
    _assert_throttled(client.post("/courses", json=course_body(), headers=publisher["headers"]))
    # ... from any address: the key's window is the key's.
    _assert_throttled(client.get("/me", headers=publisher["headers"], **_from("192.0.2.7")))
    # Another key from the same address still works (the address has failures to spare).
    assert client.get("/courses", headers=other["headers"]).status_code == 200


def test_one_address_spraying_keys_is_locked_out(client: Any, tenants: Tenants) -> None:
    admin = tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))
    attacker = _from("203.0.113.9")
    for _ in range(PER_ADDRESS):
        guess = basic("k_" + uuid.uuid4().hex[:24], "guess")
        assert client.get("/admin/organisations", headers=guess, **attacker).status_code == 401
    _assert_throttled(client.get("/admin/organisations",
                                 headers=basic("k_" + uuid.uuid4().hex[:24], "guess"), **attacker))
    _assert_throttled(client.get("/admin/organisations", headers=admin["headers"], **attacker))
    # The admin from its own address is not locked out by someone else's guessing.
    assert client.get("/admin/organisations", headers=admin["headers"],
                      **_from("198.51.100.4")).status_code == 200


def test_xapi_answers_429_with_its_version_header(client: Any, tenants: Tenants) -> None:
    lms = tenants.make("State LMS", kind="lms", roles=("lrs-writer", "lrs-reader"))
    wrong = {**XAPI, **basic(lms["key"], "wrong")}
    for _ in range(PER_KEY):
        assert client.get("/xapi/statements", headers=wrong).status_code == 401
    for headers in (wrong, {**XAPI, **lms["headers"]}):
        resp = client.get("/xapi/statements", headers=headers)
        _assert_throttled(resp)
        # xAPI 1.0.3 Communication §3.2 (3.2.s3.b13) names 429; §3.3: the version on every answer.
        assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    posted = client.post("/xapi/statements", json={}, headers={**XAPI, **lms["headers"]})
    _assert_throttled(posted)


def test_good_credentials_are_never_counted(client: Any, tenants: Tenants) -> None:
    lms = tenants.make("State LMS", kind="lms", roles=("lrs-reader",))
    for _ in range(3 * PER_KEY):
        assert client.get("/xapi/statements", headers={**XAPI, **lms["headers"]}
                          ).status_code == 200
    wrong = basic(lms["key"], "wrong")
    # The whole budget of failures is still there after many successes.
    for _ in range(PER_KEY):
        assert client.get("/me", headers=wrong).status_code == 401
    _assert_throttled(client.get("/me", headers=wrong))


@pytest.fixture
def quick_app(sqlite_url: str, tmp_path: Path) -> Any:
    """The hub with a one-second window, so that a test can wait for it to pass."""
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": sqlite_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_AUTH_FAILURES_PER_KEY": "3/second",
                      "HUB_AUTH_FAILURES_PER_ADDRESS": "off"})
    yield app
    app.extensions["hub.store"].close()


def test_the_key_works_again_once_the_window_has_passed(quick_app: Any) -> None:
    client = quick_app.test_client()
    cred = Tenants(quick_app).make("Provider A")
    wrong = basic(cred["key"], "wrong")
    for _ in range(3):
        assert client.get("/me", headers=wrong).status_code == 401
    assert _assert_throttled(client.get("/me", headers=cred["headers"])) == 1
    time.sleep(1.1)
    assert client.get("/me", headers=cred["headers"]).status_code == 200
    # The address limit is off: many keys failing from one address lock nothing else.
    for _ in range(PER_ADDRESS + 5):
        assert client.get("/me", headers=basic("k_" + uuid.uuid4().hex, "x")).status_code == 401


def test_a_bad_limit_setting_stops_the_hub_at_start_up(sqlite_url: str, tmp_path: Path) -> None:
    from hub import create_app

    with pytest.raises(ValueError, match="HUB_AUTH_FAILURES_PER_KEY"):
        create_app({"HUB_STORE_URL": sqlite_url, "HUB_BLOB_URL": f"file://{tmp_path / 'b'}",
                    "HUB_AUTH_FAILURES_PER_KEY": "ten a minute"})


def test_a_locked_key_stops_counting_against_its_address(client: Any, tenants: Tenants) -> None:
    """A client stuck on a stale secret (one LMS behind a shared address) spends its key's
    budget, then its 429s do not go on filling the address's window."""
    stale = tenants.make("State LMS", kind="lms", roles=("lrs-writer",))
    good = tenants.make("State LMS", kind="lms", roles=("lrs-writer",))
    wrong = {**XAPI, **basic(stale["key"], "rotated-away")}
    statuses = [client.get("/xapi/statements", headers=wrong).status_code
                for _ in range(2 * PER_ADDRESS)]
    assert statuses == [401] * PER_KEY + [429] * (2 * PER_ADDRESS - PER_KEY)
    assert client.get("/me", headers=good["headers"]).status_code == 200
