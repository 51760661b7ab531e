"""Statement forwarding: registration API, filter, durable outbox and its atomicity.

The downstream is a real HTTP server on 127.0.0.1 (``support.Downstream``); every test runs on
each store adapter unless it is about the embedded store's transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from storage.errors import StoreUnavailable
from tests.conftest import Tenants, basic
from tests.xapi.forwarding.support import (
    ATTEMPTED,
    COMPLETED,
    REJECTED,
    Downstream,
    deliver,
    ingest,
    learning_event,
    register,
    statement,
    status,
    xapi_post,
)
from xapi import forwarding_routes
from xapi.forwarding import enqueue_forwarding, matches
from xapi.forwarding_worker import stop_worker

# --- registration ------------------------------------------------------------------------------


def test_register_shows_progress_and_never_the_password(hub: Any, tenants: Tenants,
                                                        downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    body = register(client, writer["headers"], url=downstream.url + "/", username="u",
                    password="s3cret", verbs=[COMPLETED], label="state LRS")
    assert body["org_id"] == writer["org"]["id"]
    assert body["url"] == downstream.url  # trailing slash dropped: we append /statements
    assert "password" not in body and "s3cret" not in json.dumps(body)
    assert "lease_owner" not in body and "lease_until" not in body  # worker bookkeeping
    assert (body["pending"], body["sent"], body["failed"], body["attempts"]) == (0, 0, 0, 0)
    assert body["last_error"] is None and body["next_attempt_at"] is None

    listed = client.get("/xapi/forwarding", headers=writer["headers"]).get_json()
    assert [f["id"] for f in listed["forwarders"]] == [body["id"]]
    assert "password" not in listed["forwarders"][0]
    assert status(client, writer["headers"], body["id"])["label"] == "state LRS"


def test_registration_is_per_organisation(hub: Any, tenants: Tenants,
                                          downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    other = tenants.make("Other dept", "department", ("lrs-writer", "lrs-reader"))
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]

    assert client.get(f"/xapi/forwarding/{fid}", headers=other["headers"]).status_code == 404
    assert client.get("/xapi/forwarding", headers=other["headers"]).get_json() == {
        "forwarders": []}
    assert client.get(f"/xapi/forwarding/{fid}", headers=admin["headers"]).status_code == 200
    # an lrs-writer forwards only its own organisation's statements ...
    response = client.post("/xapi/forwarding", headers=other["headers"],
                           json={"url": downstream.url, "org_id": writer["org"]["id"]})
    assert response.status_code == 403
    # ... an admin may register for any organisation
    made = register(client, admin["headers"], url=downstream.url, org_id=other["org"]["id"])
    assert made["org_id"] == other["org"]["id"]


def test_registration_needs_a_writer(hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    client = hub.test_client()
    reader = tenants.make("Ministry LMS", "lms", ("lrs-reader",))
    assert client.post("/xapi/forwarding", json={"url": downstream.url},
                       headers=reader["headers"]).status_code == 403
    assert client.post("/xapi/forwarding", json={"url": downstream.url}).status_code == 401
    assert client.post("/xapi/forwarding", json={"url": downstream.url},
                       headers=basic("k_nobody", "wrong")).status_code == 401


@pytest.mark.parametrize(("body", "field"), [
    ({}, "url"),
    ({"url": "ftp://lrs.example/xapi"}, "url"),
    ({"url": "https://lrs.example/xapi?x=1"}, "url"),
    ({"url": "https://lrs.example/xapi", "verbs": ["completed"]}, "verbs.0"),
    ({"url": "https://lrs.example/xapi", "activity_prefixes": [""]}, "activity_prefixes.0"),
    ({"url": "https://lrs.example/xapi", "org_id": "org_missing"}, "org_id"),
    ({"url": "https://lrs.example/xapi", "colour": "red"}, "colour"),
])
def test_bad_registration_is_400_naming_the_field(hub: Any, tenants: Tenants,
                                                  body: dict[str, Any], field: str) -> None:
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    response = hub.test_client().post("/xapi/forwarding", json=body, headers=admin["headers"])
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_pause_edit_retry_and_delete_a_registration(hub: Any, tenants: Tenants,
                                                    downstream: Downstream) -> None:
    client = hub.test_client()
    store = hub.extensions["hub.store"]
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer", "lrs-reader"))
    reader = tenants.make("Ministry LMS", "lms", ("lrs-reader",))
    fid = register(client, writer["headers"], url=downstream.url, verbs=[COMPLETED])["id"]
    path = f"/xapi/forwarding/{fid}"

    paused = client.patch(path, json={"active": False}, headers=writer["headers"])
    assert paused.status_code == 200 and paused.get_json()["active"] is False
    assert ingest(hub, writer["org"]["id"], [statement()]) == 0
    assert client.patch(path, json={"active": True}, headers=reader["headers"]).status_code == 403
    assert client.patch(path, json={"verbs": ["nope"]},
                        headers=writer["headers"]).status_code == 400
    assert client.patch(path, json={"org_id": "org_x"},
                        headers=writer["headers"]).status_code == 400  # not movable

    widened = client.patch(path, json={"active": True, "verbs": [COMPLETED, REJECTED]},
                           headers=writer["headers"]).get_json()
    assert widened["active"] is True and widened["verbs"] == sorted([COMPLETED, REJECTED])
    ingest(hub, writer["org"]["id"], [statement(verb=REJECTED), statement()])
    assert deliver(hub) == {"forwarders": 1, "sent": 1, "dead": 1, "errors": 0}
    assert status(client, writer["headers"], fid)["dead_letters"] == 1

    downstream.refuse = False  # the downstream was fixed
    retried = client.post(f"{path}/retry", headers=writer["headers"]).get_json()
    assert (retried["pending"], retried["dead_letters"], retried["failed"]) == (1, 0, 0)
    assert deliver(hub)["sent"] == 1
    assert status(client, writer["headers"], fid)["sent"] == 2

    ingest(hub, writer["org"]["id"], [statement()])
    assert client.delete(path, headers=reader["headers"]).status_code == 403
    assert client.delete(path, headers=writer["headers"]).status_code == 204
    assert client.get(path, headers=writer["headers"]).status_code == 404
    assert store.forwarding.counts(fid) == (0, 0)  # its outbox went with it
    assert client.delete(path, headers=writer["headers"]).status_code == 404


# --- filter and outbox -------------------------------------------------------------------------


def test_filter_by_verb_and_activity_prefix() -> None:
    both = {"verbs": [COMPLETED], "activity_prefixes": ["https://courses.example/"]}
    assert matches(both, statement())
    assert not matches(both, statement(verb=ATTEMPTED))
    assert not matches(both, statement(activity="https://other.example/c1"))
    assert not matches(both, statement(object_type="Agent"))  # not an Activity
    assert matches({"verbs": [], "activity_prefixes": []}, statement(object_type="Agent"))
    assert matches({"activity_prefixes": ["https://a/", "https://courses.example/c"]},
                   statement(verb=ATTEMPTED))
    voiding = statement(verb="http://adlnet.gov/expapi/verbs/voided")
    voiding["object"] = {"objectType": "StatementRef", "id": str(uuid.uuid4())}
    assert matches(both, voiding)  # or the downstream keeps serving what the hub voided


def test_only_matching_statements_of_the_org_are_forwarded_in_order(
        hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    other = tenants.make("Other dept", "department", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url, username="down",
                   password="pw", verbs=[COMPLETED])["id"]
    wanted = [statement() for _ in range(7)]
    assert ingest(hub, writer["org"]["id"], [*wanted[:4], statement(verb=ATTEMPTED)]) == 4
    assert ingest(hub, writer["org"]["id"], wanted[4:]) == 3
    assert ingest(hub, other["org"]["id"], [statement()]) == 0  # another org's statement
    assert status(client, writer["headers"], fid)["pending"] == 7

    tally = deliver(hub)

    assert tally == {"forwarders": 1, "sent": 7, "dead": 0, "errors": 0}
    assert [s["id"] for s in downstream.received] == [s["id"] for s in wanted]
    assert [len(b) for b in downstream.batches] == [3, 3, 1]  # FAST.batch_size
    sent_headers = downstream.headers[0]
    assert sent_headers["X-Experience-API-Version"] == "1.0.3"
    assert sent_headers["Authorization"] == basic("down", "pw")["Authorization"]
    progress = status(client, writer["headers"], fid)
    assert (progress["pending"], progress["sent"], progress["failed"]) == (0, 7, 0)
    assert progress["last_sent_at"] is not None
    assert deliver(hub)["sent"] == 0  # nothing twice


def test_inactive_registration_forwards_nothing(hub: Any, tenants: Tenants,
                                                downstream: Downstream) -> None:
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url, active=False)
    assert ingest(hub, writer["org"]["id"], [statement()]) == 0


@pytest.fixture
def sqlite_hub(sqlite_url: str, tmp_path: Any) -> Iterator[Any]:
    """The hub on the embedded store only: atomicity of statements + outbox is a property of
    its transaction (MongoDB writes the two one after the other, as documented)."""
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": sqlite_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}"})
    forwarding_routes.init_app(app)
    yield app
    stop_worker(app)
    app.extensions["hub.store"].close()


def test_outbox_rolls_back_with_the_statements(sqlite_hub: Any, downstream: Downstream) -> None:
    client = sqlite_hub.test_client()
    writer = Tenants(sqlite_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    store = sqlite_hub.extensions["hub.store"]

    def failing_write() -> None:
        assert enqueue_forwarding(store, writer["org"]["id"], [statement()]) == 1
        raise RuntimeError("the statement insert failed after the outbox write")

    with pytest.raises(RuntimeError), sqlite_hub.app_context():
        store.write(failing_write)
    assert status(client, writer["headers"], fid)["pending"] == 0


def test_no_statement_is_stored_without_its_outbox_entry(
        sqlite_hub: Any, downstream: Downstream, monkeypatch: pytest.MonkeyPatch) -> None:
    client = sqlite_hub.test_client()
    writer = Tenants(sqlite_hub).make("Ministry LMS", "lms", ("lrs-writer", "lrs-reader"))
    register(client, writer["headers"], url=downstream.url)
    repo = sqlite_hub.extensions["hub.store"].forwarding

    def disk_full(entries: list[dict[str, Any]]) -> None:
        raise StoreUnavailable("database or disk is full")

    monkeypatch.setattr(repo, "enqueue", disk_full)
    event = {**learning_event(), "id": str(uuid.uuid4())}
    assert xapi_post(client, writer["headers"], [event]).status_code == 503
    got = client.get(f"/xapi/statements?statementId={event['id']}",
                     headers={**writer["headers"], "X-Experience-API-Version": "1.0.3"})
    assert got.status_code == 404  # rolled back with the outbox write
