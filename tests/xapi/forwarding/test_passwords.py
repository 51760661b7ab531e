"""Forwarding passwords are sealed at rest under the hub's secret: a copy of the store (a
backup, a replica) does not hand out the credentials of every downstream LRS."""

from __future__ import annotations

import json
import uuid
from typing import Any

from storage.timestamps import utcnow
from tests.conftest import Tenants, basic
from tests.xapi.forwarding.support import (
    Downstream,
    create_app_like,
    deliver,
    ingest,
    register,
    statement,
    status,
)
from xapi.forwarding_worker import stop_worker


def _stored(app: Any, fid: str) -> dict[str, Any]:
    """The registration as the store holds it (every field, secrets included)."""
    doc = app.extensions["hub.store"].forwarding.get(fid)
    assert doc is not None
    return doc  # type: ignore[no-any-return]


def _sent_authorization(downstream: Downstream) -> str:
    return str(downstream.headers[-1]["Authorization"])


def test_password_is_sealed_at_rest_and_sent_in_clear(hub: Any, tenants: Tenants,
                                                      downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url, username="down",
                   password="correct horse")["id"]
    stored = _stored(hub, fid)
    assert "correct horse" not in json.dumps(stored)
    assert stored["password"] is None and stored["password_sealed"]
    shown = status(client, writer["headers"], fid)
    assert "password" not in shown and "password_sealed" not in shown

    ingest(hub, writer["org"]["id"], [statement()])
    assert deliver(hub)["sent"] == 1
    assert _sent_authorization(downstream) == basic("down", "correct horse")["Authorization"]

    changed = client.patch(f"/xapi/forwarding/{fid}", json={"password": "battery staple"},
                           headers=writer["headers"])
    assert changed.status_code == 200 and "password_sealed" not in changed.get_json()
    assert "battery staple" not in json.dumps(_stored(hub, fid))
    ingest(hub, writer["org"]["id"], [statement()])
    assert deliver(hub)["sent"] == 1
    assert _sent_authorization(downstream) == basic("down", "battery staple")["Authorization"]


def test_plaintext_passwords_from_before_sealing_keep_working_and_are_sealed(
        hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    """A registration as the hub stored it before this change: ``password`` in plain text."""
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = "fwd_" + uuid.uuid4().hex[:16]
    hub.extensions["hub.store"].forwarding.add({
        "id": fid, "org_id": writer["org"]["id"], "url": downstream.url, "username": "old",
        "password": "legacy pw", "verbs": [], "activity_prefixes": [], "active": True,
        "label": None, "created_at": utcnow(), "created_by": writer["key"], "sent": 0,
        "failed": 0, "attempts": 0, "last_error": None, "last_error_at": None,
        "last_sent_at": None, "next_attempt_at": None, "lease_owner": None,
        "lease_until": None})
    ingest(hub, writer["org"]["id"], [statement()])
    assert deliver(hub)["sent"] == 1  # not upgraded yet: read as it is
    assert _sent_authorization(downstream) == basic("old", "legacy pw")["Authorization"]

    restarted = create_app_like(hub)  # the next start seals it in place
    try:
        stored = _stored(restarted, fid)
        assert stored["password"] is None and "legacy pw" not in json.dumps(stored)
        ingest(restarted, writer["org"]["id"], [statement()])
        assert deliver(restarted)["sent"] == 1
        assert _sent_authorization(downstream) == basic("old", "legacy pw")["Authorization"]
        sealed = stored["password_sealed"]
        create_app_like(hub).extensions["hub.store"].close()  # a third start: nothing to do
        assert _stored(hub, fid)["password_sealed"] == sealed
    finally:
        stop_worker(restarted)
        restarted.extensions["hub.store"].close()


def test_a_password_sealed_under_another_key_is_an_error_of_that_forwarder(
        hub: Any, downstream: Downstream) -> None:
    """``HUB_SECRET_KEY`` changed: the forwarder shows why it cannot send (it backs off), the
    others go on, and setting the password again repairs it."""
    first = create_app_like(hub, HUB_SECRET_KEY="first secret")
    second = create_app_like(hub, HUB_SECRET_KEY="second secret")
    try:
        writer = Tenants(first).make("Ministry LMS", "lms", ("lrs-writer",))
        other = Tenants(first).make("Other dept", "department", ("lrs-writer",))
        stuck = register(first.test_client(), writer["headers"], url=downstream.url,
                         username="u", password="pw")["id"]
        fine = register(first.test_client(), other["headers"], url=downstream.url)["id"]
        ingest(first, writer["org"]["id"], [statement()])
        ingest(first, other["org"]["id"], [statement()])

        assert deliver(second) == {"forwarders": 2, "sent": 1, "dead": 0, "errors": 1}
        assert len(downstream.received) == 1  # only the forwarder without a password
        shown = status(second.test_client(), writer["headers"], stuck)
        assert shown["last_error"].startswith("refused: the stored password cannot be "
                                              "decrypted")
        assert shown["pending"] == 1 and shown["next_attempt_at"] is not None
        assert status(second.test_client(), other["headers"], fine)["sent"] == 1

        second.test_client().patch(f"/xapi/forwarding/{stuck}", json={"password": "pw2"},
                                   headers=writer["headers"])
        assert deliver(second)["sent"] == 1
        assert _sent_authorization(downstream) == basic("u", "pw2")["Authorization"]
    finally:
        for app in (first, second):
            stop_worker(app)
            app.extensions["hub.store"].close()


def test_without_a_secret_key_processes_share_the_blob_store_key(
        hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url, username="u",
             password="pw")
    ingest(hub, writer["org"]["id"], [statement()])
    other_process = create_app_like(hub)
    try:
        assert deliver(other_process)["sent"] == 1
        assert _sent_authorization(downstream) == basic("u", "pw")["Authorization"]
    finally:
        stop_worker(other_process)
        other_process.extensions["hub.store"].close()
