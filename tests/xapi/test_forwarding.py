"""Statement forwarding (issue 3): registration API, durable outbox, worker with back-off.

The downstream is a real HTTP server on 127.0.0.1 (:class:`Downstream`) that records what it
receives and fails on demand; every test runs on each store adapter.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storage.errors import StoreUnavailable
from tests.conftest import Tenants, basic
from xapi import forwarding_routes
from xapi.forwarding import atomic, enqueue_forwarding, matches
from xapi.forwarding_worker import ForwardingPolicy, forward_once, stop_worker

FAST = ForwardingPolicy(batch_size=3, timeout=2.0, backoff_base=0.05, backoff_max=0.2)
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
REJECTED = "http://example.com/verbs/rejected-downstream"


class Downstream:
    """A stub LRS: records POSTed statement batches; ``status`` makes it fail, statements with
    verb :data:`REJECTED` make it answer 400 (as a real LRS would for a statement it refuses),
    ``gate`` makes it hang until the test opens it."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.headers: list[Any] = []
        self.status = 200
        self.requests = 0
        self.gate: threading.Event | None = None  # when set: hold each answer until it opens
        self.refuse = True  # answer 400 to statements with verb REJECTED
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests += 1
                if outer.gate is not None:
                    outer.gate.wait(30)
                batch = json.loads(body)
                status = outer.status
                if outer.refuse and status == 200 and any(
                        s["verb"]["id"] == REJECTED for s in batch):
                    status = 400
                if status == 200:
                    outer.batches.append(batch)
                    outer.headers.append(self.headers)  # case-insensitive lookups
                payload = json.dumps([s["id"] for s in batch] if status == 200
                                     else {"error": "refused"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi"

    @property
    def received(self) -> list[dict[str, Any]]:
        """Every statement delivered, in arrival order."""
        return [s for batch in self.batches for s in batch]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def downstream() -> Iterator[Downstream]:
    server = Downstream()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _no_background_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests drive the worker with ``forward_once`` unless they start it themselves."""
    monkeypatch.setenv("HUB_FORWARDING_WORKER", "off")


@pytest.fixture
def hub(app: Any) -> Iterator[Any]:
    """The app with the forwarding routes (registered by ``xapi.init_app`` once the LRS calls
    ``forwarding_routes.init_app``; registered here otherwise) and its worker stopped after."""
    forwarding_routes.init_app(app)
    yield app
    stop_worker(app)


def statement(verb: str = COMPLETED, activity: str = "https://courses.example/c1",
              object_type: str | None = None) -> dict[str, Any]:
    """A stored-form statement."""
    obj: dict[str, Any] = {"id": activity}
    if object_type:
        obj = {"objectType": object_type, "mbox": "mailto:someone@example.com"}
    return {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:learner@example.com"},
            "verb": {"id": verb}, "object": obj, "stored": "2026-11-25T08:00:00.000000Z",
            "version": "1.0.3"}


def register(client: Any, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/xapi/forwarding", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def ingest(app: Any, org_id: str, statements: list[dict[str, Any]]) -> int:
    """What the statements service does after storing a batch (same transaction)."""
    store = app.extensions["hub.store"]
    with app.app_context(), atomic(store):
        return enqueue_forwarding(store, org_id, statements)


def status(client: Any, headers: dict[str, str], fid: str) -> dict[str, Any]:
    response = client.get(f"/xapi/forwarding/{fid}", headers=headers)
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


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
    assert forward_once(store, FAST) == {"forwarders": 1, "sent": 1, "dead": 1, "errors": 0}
    assert status(client, writer["headers"], fid)["dead_letters"] == 1

    downstream.refuse = False  # the downstream was fixed
    retried = client.post(f"{path}/retry", headers=writer["headers"]).get_json()
    assert (retried["pending"], retried["dead_letters"], retried["failed"]) == (1, 0, 0)
    assert forward_once(store, FAST)["sent"] == 1
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

    tally = forward_once(hub.extensions["hub.store"], FAST)

    assert tally == {"forwarders": 1, "sent": 7, "dead": 0, "errors": 0}
    assert [s["id"] for s in downstream.received] == [s["id"] for s in wanted]
    assert [len(b) for b in downstream.batches] == [3, 3, 1]  # FAST.batch_size
    sent_headers = downstream.headers[0]
    assert sent_headers["X-Experience-API-Version"] == "1.0.3"
    assert sent_headers["Authorization"] == basic("down", "pw")["Authorization"]
    progress = status(client, writer["headers"], fid)
    assert (progress["pending"], progress["sent"], progress["failed"]) == (0, 7, 0)
    assert progress["last_sent_at"] is not None
    assert forward_once(hub.extensions["hub.store"], FAST)["sent"] == 0  # nothing twice


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
    with pytest.raises(RuntimeError), sqlite_hub.app_context(), atomic(store):
        assert enqueue_forwarding(store, writer["org"]["id"], [statement()]) == 1
        raise RuntimeError("the statement insert failed after the outbox write")
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


# --- failures, back-off, dead letters ----------------------------------------------------------


def test_failing_downstream_backs_off_then_recovers(hub: Any, tenants: Tenants,
                                                    downstream: Downstream) -> None:
    client = hub.test_client()
    store = hub.extensions["hub.store"]
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    ingest(hub, writer["org"]["id"], [statement(), statement()])
    downstream.status = 503

    assert forward_once(store, FAST)["errors"] == 1
    first = status(client, writer["headers"], fid)
    assert first["attempts"] == 1 and first["pending"] == 2 and first["sent"] == 0
    assert "503" in first["last_error"] and first["next_attempt_at"] > first["last_error_at"]
    assert forward_once(store, FAST)["forwarders"] == 0  # backing off: not due yet

    time.sleep(FAST.backoff_max + 0.05)
    assert forward_once(store, FAST)["errors"] == 1
    assert status(client, writer["headers"], fid)["attempts"] == 2

    downstream.status = 200
    time.sleep(FAST.backoff_max + 0.05)
    assert forward_once(store, FAST)["sent"] == 2
    recovered = status(client, writer["headers"], fid)
    assert (recovered["attempts"], recovered["pending"], recovered["sent"]) == (0, 0, 2)
    assert recovered["next_attempt_at"] is None
    assert "503" in recovered["last_error"]  # the last error stays visible for operators


def test_unreachable_downstream_is_an_error_not_a_crash(hub: Any, tenants: Tenants,
                                                        downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    url = downstream.url
    downstream.close()  # nothing listens on that port any more
    fid = register(client, writer["headers"], url=url)["id"]
    ingest(hub, writer["org"]["id"], [statement()])
    assert forward_once(hub.extensions["hub.store"], FAST)["errors"] == 1
    assert status(client, writer["headers"], fid)["last_error"].startswith("unreachable")


def test_a_refused_statement_becomes_a_dead_letter_and_blocks_nothing(
        hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    batch = [statement(), statement(verb=REJECTED), statement(), statement(), statement()]
    ingest(hub, writer["org"]["id"], batch)

    tally = forward_once(hub.extensions["hub.store"], FAST)

    assert tally["sent"] == 4 and tally["dead"] == 1
    assert {s["id"] for s in downstream.received} == {s["id"] for i, s in enumerate(batch)
                                                      if i != 1}
    progress = status(client, writer["headers"], fid)
    assert (progress["pending"], progress["sent"], progress["failed"]) == (0, 4, 1)
    assert progress["dead_letters"] == 1 and "400" in progress["last_error"]


def test_a_single_refused_statement_is_sent_once(hub: Any, tenants: Tenants,
                                                 downstream: Downstream) -> None:
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url)
    ingest(hub, writer["org"]["id"], [statement(verb=REJECTED)])
    assert forward_once(hub.extensions["hub.store"], FAST)["dead"] == 1
    assert downstream.requests == 1  # not re-sent alone: it was alone already


def test_a_downstream_is_leased_to_one_process(hub: Any, tenants: Tenants,
                                               downstream: Downstream) -> None:
    store = hub.extensions["hub.store"]
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(hub.test_client(), writer["headers"], url=downstream.url)["id"]
    repo = store.forwarding
    assert repo.lease(fid, "a", "2026-01-01T00:00:00.000000Z", "2026-01-01T00:01:00.000000Z")
    assert not repo.lease(fid, "b", "2026-01-01T00:00:30.000000Z", "2026-01-01T00:01:30.0Z")
    assert repo.lease(fid, "a", "2026-01-01T00:00:30.000000Z", "2026-01-01T00:01:30.0Z")
    # an expired lease (its holder died) can be taken over
    assert repo.lease(fid, "b", "2026-01-01T00:02:00.000000Z", "2026-01-01T00:03:00.000000Z")
    repo.release(fid, "a")  # not a's any more: no effect
    assert not repo.lease(fid, "c", "2026-01-01T00:02:30.000000Z", "2026-01-01T00:04:00.0Z")
    repo.release(fid, "b")
    assert repo.lease(fid, "c", "2026-01-01T00:02:30.000000Z", "2026-01-01T00:04:00.0Z")

    ingest(hub, writer["org"]["id"], [statement()])
    assert forward_once(store, FAST)["sent"] == 1  # c's lease ended long ago: taken over
    ingest(hub, writer["org"]["id"], [statement()])
    assert repo.lease(fid, "elsewhere", "2026-01-01T00:00:00.000000Z", "9999-12-31T00:00:00Z")
    assert forward_once(store, FAST) == {"forwarders": 0, "sent": 0, "dead": 0, "errors": 0}
    assert repo.counts(fid) == (1, 0)


# --- the worker thread and the CLI -------------------------------------------------------------


def test_background_worker_starts_lazily_and_delivers(hub: Any, tenants: Tenants,
                                                      downstream: Downstream,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_FORWARDING_WORKER", "on")
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    assert "xapi.forwarding_worker" not in hub.extensions  # nothing enqueued yet
    wanted = [statement() for _ in range(5)]
    ingest(hub, writer["org"]["id"], wanted)
    assert hub.extensions["xapi.forwarding_worker"].running
    deadline = time.monotonic() + 10
    while len(downstream.received) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [s["id"] for s in downstream.received] == [s["id"] for s in wanted]
    stop_worker(hub)
    assert status(client, writer["headers"], fid)["sent"] == 5


def xapi_post(client: Any, headers: dict[str, str], statements: list[dict[str, Any]]) -> Any:
    """POST a batch to the hub's own Statements resource, as content would."""
    return client.post("/xapi/statements", json=statements,
                       headers={**headers, "X-Experience-API-Version": "1.0.3"})


def learning_event(verb: str = COMPLETED) -> dict[str, Any]:
    """A statement as a learning package sends it (no id, stored or authority)."""
    return {"actor": {"mbox": "mailto:learner@example.com", "objectType": "Agent"},
            "verb": {"id": verb, "display": {"en-US": "did"}},
            "object": {"id": "https://courses.example/c1", "objectType": "Activity"}}


def test_a_hanging_downstream_does_not_slow_ingestion(hub: Any, tenants: Tenants,
                                                      downstream: Downstream,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_FORWARDING_WORKER", "on")
    downstream.gate = threading.Event()  # the downstream answers nothing until we say so
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    try:
        first = xapi_post(client, writer["headers"], [learning_event() for _ in range(10)])
        assert first.status_code == 200
        deadline = time.monotonic() + 10
        while downstream.requests == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert downstream.requests == 1  # the worker's POST is now hanging downstream
        for _ in range(20):
            response = xapi_post(client, writer["headers"], [learning_event() for _ in range(10)])
            assert response.status_code == 200, response.get_json()
        # every batch was stored and answered while that POST still hangs
        assert downstream.batches == [] and not downstream.gate.is_set()
        assert status(client, writer["headers"], fid)["pending"] == 210
    finally:
        downstream.gate.set()
    deadline = time.monotonic() + 20
    while len(downstream.received) < 210 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(downstream.received) == 210


def test_hub_to_hub_forwarding_over_http(hub: Any, tenants: Tenants, tmp_path: Any) -> None:
    """The downstream is a second hub (a real LRS) served on 127.0.0.1: statements POSTed to
    the first arrive there intact, ids kept, and a second pass sends nothing twice."""
    from werkzeug.serving import make_server

    from hub import create_app

    downstream_app = create_app({"TESTING": True,
                                 "HUB_STORE_URL": f"sqlite:///{tmp_path / 'downstream.db'}",
                                 "HUB_BLOB_URL": f"file://{tmp_path / 'downstream-blobs'}"})
    reader = Tenants(downstream_app).make("State LRS", "platform-admin",
                                          ("lrs-writer", "lrs-reader"))
    server = make_server("127.0.0.1", 0, downstream_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = hub.test_client()
        writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
        register(client, writer["headers"], url=f"http://127.0.0.1:{server.server_port}/xapi",
                 username=reader["key"], password=reader["secret"], verbs=[COMPLETED])
        ids = xapi_post(client, writer["headers"],
                        [learning_event(), learning_event(ATTEMPTED), learning_event()]).get_json()

        assert forward_once(hub.extensions["hub.store"], FAST)["sent"] == 2
        assert forward_once(hub.extensions["hub.store"], FAST)["sent"] == 0

        got = downstream_app.test_client().get(
            "/xapi/statements", headers={**reader["headers"], "X-Experience-API-Version": "1.0.3"})
        assert got.status_code == 200
        forwarded = got.get_json()["statements"]
        assert sorted(s["id"] for s in forwarded) == sorted([ids[0], ids[2]])
        assert {s["verb"]["id"] for s in forwarded} == {COMPLETED}
    finally:
        server.shutdown()
        server.server_close()
        downstream_app.extensions["hub.store"].close()


def test_first_request_resumes_what_was_waiting(hub: Any, tenants: Tenants,
                                                downstream: Downstream,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements wait in the outbox (no worker ran); the process restarts with the worker on:
    its first request, of any kind, starts the worker without waiting for new statements."""
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url)
    ingest(hub, writer["org"]["id"], [statement(), statement()])
    restarted = create_app_like(hub)
    try:
        monkeypatch.setenv("HUB_FORWARDING_WORKER", "on")
        assert "xapi.forwarding_worker" not in restarted.extensions
        restarted.test_client().get("/health")
        deadline = time.monotonic() + 10
        while len(downstream.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(downstream.received) == 2
    finally:
        stop_worker(restarted)
        restarted.extensions["hub.store"].close()


def test_apps_with_nothing_waiting_run_no_worker(hub: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_FORWARDING_WORKER", "on")
    hub.test_client().get("/health")
    assert "xapi.forwarding_worker" not in hub.extensions


def create_app_like(app: Any) -> Any:
    """A new app (a restarted process) on the same store and blobs as ``app``."""
    from hub import create_app

    config = app.extensions["hub.config"]
    return create_app({"TESTING": True, "HUB_STORE_URL": config.store_url,
                       "HUB_BLOB_URL": config.blob_url})


def test_cli_forward_once(hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url)
    ingest(hub, writer["org"]["id"], [statement(), statement()])
    result = hub.test_cli_runner().invoke(args=["xapi", "forward", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent=2" in result.output
    assert len(downstream.received) == 2
