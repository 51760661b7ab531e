"""Shared by the statement-forwarding tests: a stub downstream LRS on 127.0.0.1 and helpers
(the fixtures are in this package's ``conftest.py``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from xapi.forwarding import enqueue_forwarding
from xapi.forwarding_client import client_for
from xapi.forwarding_worker import ForwardingPolicy, forward_once

FAST = ForwardingPolicy(batch_size=3, timeout=2.0, backoff_base=0.05, backoff_max=0.2)
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
REJECTED = "http://example.com/verbs/rejected-downstream"


#: What a stub downstream answers with an error: text that must never reach ``last_error``.
ERROR_BODY = b'{"error": "refused", "trace": "db=postgres://lrs:hunter2@10.0.0.9/lrs"}'


class Downstream:
    """A stub LRS (HTTP/1.1, keep-alive): records POSTed statement batches; ``status`` makes it
    fail with :data:`ERROR_BODY`, statements with verb :data:`REJECTED` make it answer 400 (as a
    real LRS would for a statement it refuses), ``gate`` makes it hang until the test opens it,
    ``redirect`` answers that status with ``Location: redirect_to``. ``peers`` holds the client
    (address, port) of every request, so tests see connection reuse; ``methods`` every
    request's method, GETs included."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.headers: list[Any] = []
        self.status = 200
        self.requests = 0
        self.peers: list[tuple[str, int]] = []
        self.methods: list[str] = []
        self.gate: threading.Event | None = None  # when set: hold each answer until it opens
        self.refuse = True  # answer 400 to statements with verb REJECTED
        self.redirect: int | None = None
        self.redirect_to = ""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self, status: int, payload: bytes, **headers: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                outer.methods.append("GET")
                outer.peers.append(self.client_address)
                self.answer(200, b"[]")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests += 1
                outer.methods.append("POST")
                outer.peers.append(self.client_address)
                if outer.gate is not None:
                    outer.gate.wait(30)
                if outer.redirect is not None:
                    self.answer(outer.redirect, b"moved", Location=outer.redirect_to)
                    return
                batch = json.loads(body)
                status = outer.status
                if outer.refuse and status == 200 and any(
                        s["verb"]["id"] == REJECTED for s in batch):
                    status = 400
                if status == 200:
                    outer.batches.append(batch)
                    outer.headers.append(self.headers)  # case-insensitive lookups
                self.answer(status, json.dumps([s["id"] for s in batch]).encode()
                            if status == 200 else ERROR_BODY)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi"

    @property
    def port(self) -> int:
        """The port it listens on (127.0.0.1)."""
        return int(self.server.server_address[1])

    @property
    def received(self) -> list[dict[str, Any]]:
        """Every statement delivered, in arrival order."""
        return [s for batch in self.batches for s in batch]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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
    with app.app_context():
        return store.write(  # type: ignore[no-any-return]
            lambda: enqueue_forwarding(store, org_id, statements))


def status(client: Any, headers: dict[str, str], fid: str) -> dict[str, Any]:
    response = client.get(f"/xapi/forwarding/{fid}", headers=headers)
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def xapi_post(client: Any, headers: dict[str, str], statements: list[dict[str, Any]]) -> Any:
    """POST a batch to the hub's own Statements resource, as content would."""
    return client.post("/xapi/statements", json=statements,
                       headers={**headers, "X-Experience-API-Version": "1.0.3"})


def learning_event(verb: str = COMPLETED) -> dict[str, Any]:
    """A statement as a learning package sends it (no id, stored or authority)."""
    return {"actor": {"mbox": "mailto:learner@example.com", "objectType": "Agent"},
            "verb": {"id": verb, "display": {"en-US": "did"}},
            "object": {"id": "https://courses.example/c1", "objectType": "Activity"}}


def create_app_like(app: Any, **settings: str) -> Any:
    """A new app (a restarted process) on the same store and blobs as ``app``; ``settings``
    override others (``HUB_SECRET_KEY="..."``)."""
    from hub import create_app

    config = app.extensions["hub.config"]
    return create_app({"TESTING": True, "HUB_STORE_URL": config.store_url,
                       "HUB_BLOB_URL": config.blob_url, **settings})


def run_worker(app: Any, monkeypatch: Any) -> None:
    """Configure ``app`` as if started with ``HUB_FORWARDING_WORKER=on`` (the fixtures start
    every app with it off, so that tests drive delivery with ``forward_once``)."""
    config = app.extensions["hub.config"]
    monkeypatch.setitem(app.extensions, "hub.config",
                        dataclasses.replace(config, forwarding_worker=True))


def deliver(app: Any, policy: ForwardingPolicy = FAST) -> dict[str, int]:
    """One worker pass of ``app`` (its store, its downstream client)."""
    return forward_once(app.extensions["hub.store"], client_for(app), policy)


#: A globally routable address for names that must look public (never connected to).
PUBLIC = "93.184.215.14"


class FakeDNS:
    """``socket.getaddrinfo`` without the network: names in :attr:`names` answer their
    addresses; anything else resolves as the system resolver does numerically (``127.1``,
    ``0x7f000001``, ``[::1]``), and a name that is not in the table does not resolve."""

    def __init__(self) -> None:
        self.real = socket.getaddrinfo
        self.names: dict[str, list[str]] = {
            "lrs.example.org": [PUBLIC],
            "rebind.example.org": [PUBLIC],
            "intranet.example.org": ["10.20.30.40"],
            "mixed.example.org": [PUBLIC, "10.0.0.7"],
            "v6.example.org": ["2606:2800:220:1:248:1893:25c8:1946"],
            "localhost": ["127.0.0.1"],
        }

    def __call__(self, host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0,
                 flags: int = 0) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        addresses = self.names.get(name.lower().rstrip("."))
        if addresses is None:
            return self.real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        out = []
        for address in addresses:
            v6 = ":" in address
            out.append((socket.AF_INET6 if v6 else socket.AF_INET, type or socket.SOCK_STREAM,
                        6, "", (address, int(port), 0, 0) if v6 else (address, int(port))))
        return out


#: Boundary of the multipart/mixed requests built by :func:`multipart`.
BOUNDARY = "forwarding-test-boundary"


def attachment_meta(content: bytes) -> dict[str, Any]:
    """Attachment metadata for a body sent in the same request (Data 2.4.11)."""
    return {"usageType": "http://example.org/usage/attendance",
            "display": {"en-US": "Attendance"}, "contentType": "text/plain",
            "length": len(content), "sha2": hashlib.sha256(content).hexdigest()}


def multipart(statements: list[dict[str, Any]], bodies: list[bytes]) -> bytes:
    """A ``multipart/mixed`` statements request (Communication 1.5.2): JSON, then each body."""
    out = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
           json.dumps(statements).encode(), b"\r\n"]
    for body in bodies:
        out += [f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n"
                f"Content-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {hashlib.sha256(body).hexdigest()}\r\n\r\n".encode(),
                body, b"\r\n"]
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)
