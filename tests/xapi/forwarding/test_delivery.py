"""Statement forwarding: delivery with back-off, dead letters, leases, the worker
thread, the CLI, and a second hub as a real downstream over HTTP."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from tests.conftest import Tenants
from tests.xapi.forwarding.support import (
    ATTEMPTED,
    BOUNDARY,
    COMPLETED,
    ERROR_BODY,
    FAST,
    REJECTED,
    Downstream,
    attachment_meta,
    create_app_like,
    deliver,
    ingest,
    learning_event,
    multipart,
    register,
    run_worker,
    statement,
    status,
    xapi_post,
)
from xapi.forwarding_worker import stop_worker

# --- failures, back-off, dead letters ----------------------------------------------------------


def test_failing_downstream_backs_off_then_recovers(hub: Any, tenants: Tenants,
                                                    downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    ingest(hub, writer["org"]["id"], [statement(), statement()])
    downstream.status = 503

    assert deliver(hub)["errors"] == 1
    first = status(client, writer["headers"], fid)
    assert first["attempts"] == 1 and first["pending"] == 2 and first["sent"] == 0
    assert "503" in first["last_error"] and first["next_attempt_at"] > first["last_error_at"]
    assert deliver(hub)["forwarders"] == 0  # backing off: not due yet

    time.sleep(FAST.backoff_max + 0.05)
    assert deliver(hub)["errors"] == 1
    assert status(client, writer["headers"], fid)["attempts"] == 2

    downstream.status = 200
    time.sleep(FAST.backoff_max + 0.05)
    assert deliver(hub)["sent"] == 2
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
    assert deliver(hub)["errors"] == 1
    assert status(client, writer["headers"], fid)["last_error"] == (
        "unreachable: connection refused")


def test_a_refused_statement_becomes_a_dead_letter_and_blocks_nothing(
        hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    batch = [statement(), statement(verb=REJECTED), statement(), statement(), statement()]
    ingest(hub, writer["org"]["id"], batch)

    tally = deliver(hub)

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
    assert deliver(hub)["dead"] == 1
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
    assert deliver(hub)["sent"] == 1  # c's lease ended long ago: taken over
    ingest(hub, writer["org"]["id"], [statement()])
    assert repo.lease(fid, "elsewhere", "2026-01-01T00:00:00.000000Z", "9999-12-31T00:00:00Z")
    assert deliver(hub) == {"forwarders": 0, "sent": 0, "dead": 0, "errors": 0}
    assert repo.counts(fid) == (1, 0)


# --- the worker thread and the CLI -------------------------------------------------------------


def test_background_worker_starts_lazily_and_delivers(hub: Any, tenants: Tenants,
                                                      downstream: Downstream,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    run_worker(hub, monkeypatch)
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


def test_a_hanging_downstream_does_not_slow_ingestion(hub: Any, tenants: Tenants,
                                                      downstream: Downstream,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    run_worker(hub, monkeypatch)
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
    the first arrive there intact, ids kept, attachment bodies included, and a second pass
    sends nothing twice."""
    from werkzeug.serving import make_server

    from hub import create_app
    from xapi.attachments import blob_key

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
        report = "उपस्थिति रिपोर्ट: 12/12 sessions".encode()
        with_file = {**learning_event(), "attachments": [attachment_meta(report)]}
        sent = client.post("/xapi/statements", data=multipart([with_file], [report]),
                           content_type=f"multipart/mixed; boundary={BOUNDARY}",
                           headers={**writer["headers"], "X-Experience-API-Version": "1.0.3"})
        assert sent.status_code == 200, sent.get_json()
        ids += sent.get_json()

        assert deliver(hub)["sent"] == 3
        assert deliver(hub)["sent"] == 0

        got = downstream_app.test_client().get(
            "/xapi/statements", headers={**reader["headers"], "X-Experience-API-Version": "1.0.3"})
        assert got.status_code == 200
        forwarded = got.get_json()["statements"]
        assert sorted(s["id"] for s in forwarded) == sorted([ids[0], ids[2], ids[3]])
        assert {s["verb"]["id"] for s in forwarded} == {COMPLETED}
        sha2 = with_file["attachments"][0]["sha2"]
        assert downstream_app.extensions["hub.blobs"].get(
            blob_key(reader["org"]["id"], sha2)) == report
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
        run_worker(restarted, monkeypatch)
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
    run_worker(hub, monkeypatch)
    hub.test_client().get("/health")
    assert "xapi.forwarding_worker" not in hub.extensions


def test_cli_forward_once(hub: Any, tenants: Tenants, downstream: Downstream) -> None:
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url)
    ingest(hub, writer["org"]["id"], [statement(), statement()])
    result = hub.test_cli_runner().invoke(args=["xapi", "forward", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent=2" in result.output
    assert len(downstream.received) == 2


# --- what the downstream answers: its status, never its body (it may hold secrets) ----------


def test_last_error_shows_the_status_never_the_body(hub: Any, tenants: Tenants,
                                                    downstream: Downstream) -> None:
    """The registering organisation reads ``last_error``; the downstream's body (here a
    connection string) is not the hub's to show."""
    client = hub.test_client()
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    fid = register(client, writer["headers"], url=downstream.url)["id"]
    ingest(hub, writer["org"]["id"], [statement(verb=REJECTED)])
    assert deliver(hub)["dead"] == 1
    assert status(client, writer["headers"], fid)["last_error"] == "HTTP 400 Bad Request"

    ingest(hub, writer["org"]["id"], [statement()])
    downstream.status = 500
    assert deliver(hub)["errors"] == 1
    shown = status(client, writer["headers"], fid)
    assert shown["last_error"] == "HTTP 500 Internal Server Error"
    assert "hunter2" not in json.dumps(shown) and b"hunter2" in ERROR_BODY


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failure_and_is_never_followed(hub: Any, tenants: Tenants,
                                                       downstream: Downstream,
                                                       code: int) -> None:
    """A redirected POST was repeated as a GET, counted as delivered and dropped, with the
    Basic credentials sent to the new host: now it is retried with back-off instead."""
    elsewhere = Downstream()
    try:
        client = hub.test_client()
        writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
        fid = register(client, writer["headers"], url=downstream.url, username="u",
                       password="pw")["id"]
        ingest(hub, writer["org"]["id"], [statement(), statement()])
        downstream.redirect = code
        downstream.redirect_to = f"{elsewhere.url}/statements?token=abc"

        assert deliver(hub) == {"forwarders": 1, "sent": 0, "dead": 0, "errors": 1}
        assert elsewhere.methods == [] and downstream.methods == ["POST"]
        shown = status(client, writer["headers"], fid)
        assert (shown["pending"], shown["sent"], shown["attempts"]) == (2, 0, 1)
        assert shown["next_attempt_at"] is not None
        assert shown["last_error"].startswith(f"HTTP {code} ")
        assert f"refused to follow a redirect to {elsewhere.url}/statements" in (
            shown["last_error"])
        assert "token" not in shown["last_error"]

        downstream.redirect = None  # the downstream was fixed: the same entries go
        time.sleep(FAST.backoff_max + 0.05)
        assert deliver(hub)["sent"] == 2
    finally:
        elsewhere.close()


def test_connections_are_pooled_across_batches_and_passes(hub: Any, tenants: Tenants,
                                                          downstream: Downstream) -> None:
    writer = tenants.make("Ministry LMS", "lms", ("lrs-writer",))
    register(hub.test_client(), writer["headers"], url=downstream.url)
    ingest(hub, writer["org"]["id"], [statement() for _ in range(7)])
    assert deliver(hub)["sent"] == 7  # three batches (FAST.batch_size = 3)
    ingest(hub, writer["org"]["id"], [statement()])
    assert deliver(hub)["sent"] == 1
    assert len(downstream.peers) == 4
    assert len(set(downstream.peers)) == 1  # one kept-alive connection for all four POSTs
