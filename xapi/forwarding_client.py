"""The hub's HTTP client towards downstream LRSs (statement forwarding).

One :class:`DownstreamClient` per app (so per process), on a :class:`hub.outbound.OutboundClient`
(the guarded, pooled client every outbound fetch uses) whose allow list is
``HUB_OUTBOUND_ALLOW_HOSTS`` plus ``HUB_FORWARDING_ALLOW_HOSTS``, and the
:class:`~xapi.forwarding_secrets.PasswordBox`.

- Every new connection resolves the host through the guard and connects to an address it
  checked (:mod:`hub.outbound`), so a name that resolves inwards at send time is refused
  there, whatever it resolved to at registration.
- Redirects are never followed: urllib.request used to repeat a redirected POST as a GET (the
  batch counted as delivered and dropped) and send the Basic credentials to the new host. A 3xx
  is a failure like a 5xx; it is retried with back-off and shown in ``last_error``.
- ``last_error`` names the status and a standard reason phrase, never the downstream's body or
  its own reason text (the registering organisation sees it; the downstream may be anything).
- No proxy from the environment: the guard checks the address the hub really connects to.
"""

from __future__ import annotations

import base64
import http
import threading
from typing import Any
from urllib.parse import urlsplit

import orjson
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from hub.destinations import AllowList, DestinationGuard, DestinationRefused
from hub.outbound import OutboundClient, OutboundError, make_outbound_client
from xapi.forwarding_secrets import PasswordBox, PasswordUnreadable

#: The xAPI version header sent downstream (Communication 3.3: required on every request).
XAPI_VERSION = "1.0.3"


def status_text(status: int) -> str:
    """``HTTP 500 Internal Server Error``: the code and its standard phrase (RFC 9110 §15),
    not the downstream's own reason text."""
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def redirect_text(status: int, location: str | None) -> str:
    """The error for a redirect: where it pointed (scheme, host, port, path; no user info or
    query, which may carry tokens), and that it was not followed."""
    target = "elsewhere"
    if location:
        parts = urlsplit(location.strip())
        shown = f"{parts.scheme}://{parts.hostname}" if parts.hostname else ""
        if parts.hostname and parts.port:
            shown += f":{parts.port}"
        shown = (shown + parts.path)[:200]
        target = "".join(c for c in shown if c.isprintable()) or target
    return f"{status_text(status)}: refused to follow a redirect to {target}"


def failure_text(exc: Exception) -> str:
    """A short reason for a failure to talk to the downstream (status 0)."""
    if isinstance(exc, OutboundError) and exc.__cause__ is not None:
        exc = exc.__cause__  # type: ignore[assignment]
    if isinstance(exc, DestinationRefused):
        return f"refused: {exc}"
    if isinstance(exc, PasswordUnreadable):
        return ("refused: the stored password cannot be decrypted with this hub's key "
                "(HUB_SECRET_KEY changed?); set the password again")
    if isinstance(exc, NameResolutionError):
        return "unreachable: the host name does not resolve"
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first.
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, NewConnectionError) and isinstance(cause, ConnectionRefusedError):
        return "unreachable: connection refused"
    if isinstance(exc, NewConnectionError):
        return "unreachable: could not connect"
    if isinstance(exc, (ConnectTimeoutError, ReadTimeoutError, TimeoutError)):
        return "unreachable: timed out"
    if isinstance(exc, SSLError):
        return "unreachable: TLS handshake failed"
    if isinstance(exc, ProtocolError):
        return "unreachable: the connection was dropped"
    return f"unreachable: {type(exc).__name__}"


def request_body(statements: list[dict[str, Any]], blobs: Any,
                 org_id: str | None = None) -> tuple[bytes, str]:
    """The body of a forwarded batch and its content type.

    Statements with attachments go as ``multipart/mixed`` with every attachment body the hub
    holds (Communication 1.5.2), built by the LRS's own response writer; a downstream would
    refuse an attachment without ``fileUrl`` whose body is missing. Else plain JSON."""
    if blobs is not None and any(s.get("attachments") for s in statements):
        from xapi.attachments import multipart_response

        return multipart_response(statements, statements, blobs, [org_id] * len(statements))
    return orjson.dumps(statements), "application/json"


class DownstreamClient:
    """Sends forwarded batches: destination rules, pooled connections, no redirects, sealed
    passwords (see the module docstring). Thread-safe (urllib3 pools are)."""

    def __init__(self, outbound: OutboundClient, passwords: PasswordBox,
                 blobs: Any = None) -> None:
        self.outbound = outbound
        self.passwords = passwords
        self.blobs = blobs

    @property
    def guard(self) -> DestinationGuard:
        """The destination rules (registration checks them too)."""
        return self.outbound.guard

    def post(self, forwarder: dict[str, Any], statements: list[dict[str, Any]],
             timeout: float) -> tuple[int, str]:
        """POST a batch to the downstream's Statements resource (Communication 2.1.2).

        Returns (HTTP status, error text); status 0 when nothing was answered (unreachable,
        refused destination, unreadable password)."""
        try:
            headers = {"X-Experience-API-Version": XAPI_VERSION}
            if forwarder.get("username") is not None:
                password = self.passwords.password_of(forwarder) or ""
                pair = f"{forwarder['username']}:{password}".encode()
                headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
            body, headers["Content-Type"] = request_body(statements, self.blobs,
                                                           forwarder.get("org_id"))
            # The body is only drained (so the connection is reused): the status is the answer.
            response = self.outbound.request(
                "POST", f"{forwarder['url']}/statements", body=body, headers=headers,
                timeout=timeout, keep_body=False)
        except (OutboundError, PasswordUnreadable, ValueError) as exc:
            return 0, failure_text(exc)
        status = response.status
        if 200 <= status < 300:
            return status, ""
        if 300 <= status < 400:
            return status, redirect_text(status, response.headers.get("Location"))
        return status, status_text(status)

    def close(self) -> None:
        """Close every pooled connection."""
        self.outbound.close()


_clients_lock = threading.Lock()


def client_for(app: Any) -> DownstreamClient:
    """The app's client: made at start-up by ``forwarding_routes.init_app`` (the blob-store key
    is read only when a password is first sealed or opened), or here for an app without it."""
    client = app.extensions.get("xapi.forwarding_client")
    if client is None:
        with _clients_lock:
            client = app.extensions.get("xapi.forwarding_client")
            if client is None:
                client = make_client(app)
                app.extensions["xapi.forwarding_client"] = client
    return client  # type: ignore[no-any-return]


def make_client(app: Any) -> DownstreamClient:
    """A client from the app's settings: ``HUB_OUTBOUND_ALLOW_HOSTS`` plus
    ``HUB_FORWARDING_ALLOW_HOSTS`` and the hub's key (``hub.tokens.key_source``: from
    ``HUB_SECRET_KEY``, else the random key kept in the blob store), from which the password
    key is derived."""
    config = app.extensions["hub.config"]
    forwarding = AllowList.parse(config.forwarding_allow_hosts, "HUB_FORWARDING_ALLOW_HOSTS")
    return DownstreamClient(make_outbound_client(config, forwarding),
                            PasswordBox(app.extensions["hub.token_key"]),
                            app.extensions.get("hub.blobs"))
