"""The hub's HTTP client towards downstream LRSs (statement forwarding).

One :class:`DownstreamClient` per app (so per process): it holds one urllib3 pool manager, whose
connections are kept alive between batches, the :class:`~xapi.forwarding_destinations.
DestinationGuard` and the :class:`~xapi.forwarding_secrets.PasswordBox`.

- Every new connection resolves the host through the guard and connects to an address it
  checked (:class:`GuardedConnection`), so a name that resolves inwards at send time is refused
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
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

import orjson
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import connection

from xapi.forwarding_destinations import AllowList, DestinationGuard, DestinationRefused
from xapi.forwarding_secrets import PasswordBox, PasswordUnreadable

#: The xAPI version header sent downstream (Communication 3.3: required on every request).
XAPI_VERSION = "1.0.3"
#: Bytes of a response body read (and dropped) to keep its connection; more closes it.
DRAIN_LIMIT = 1 << 20
#: Connections kept per downstream host.
POOL_MAXSIZE = 4


class GuardedConnection(HTTPConnection):
    """An HTTP connection that connects only to addresses its :attr:`guard` has checked.

    urllib3 resolves the host inside ``create_connection``; here the guard resolves it, checks
    every address, and each checked address is connected to by number (no second lookup).
    TLS still verifies the certificate for the host name (``self.host`` is untouched)."""

    guard: DestinationGuard  # set on the per-client subclass made by _pool_classes

    def _new_conn(self) -> socket.socket:
        try:
            addresses = self.guard.resolve(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        last: OSError | None = None
        for _family, sockaddr in addresses:
            try:
                return connection.create_connection(
                    sockaddr, self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options)
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc
            except OSError as exc:
                last = exc
        raise NewConnectionError(self, f"could not connect: {last}") from last


class GuardedHTTPSConnection(GuardedConnection, HTTPSConnection):
    """:class:`GuardedConnection` over TLS."""


def _pool_classes(guard: DestinationGuard) -> dict[str, type[HTTPConnectionPool]]:
    """Pool classes whose connections use ``guard`` (urllib3 builds connections from the pool
    class's ``ConnectionCls``; a subclass per client keeps clients with different allow lists
    apart)."""
    http_conn = type("GuardedHTTPConnection", (GuardedConnection,), {"guard": guard})
    https_conn = type("GuardedHTTPSConnection", (GuardedHTTPSConnection,), {"guard": guard})
    return {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,),
                      {"ConnectionCls": https_conn}),
    }


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

    def __init__(self, guard: DestinationGuard, passwords: PasswordBox,
                 blobs: Any = None) -> None:
        self.guard = guard
        self.passwords = passwords
        self.blobs = blobs
        self.pools = urllib3.PoolManager(num_pools=32, maxsize=POOL_MAXSIZE, block=False)
        self.pools.pool_classes_by_scheme = _pool_classes(guard)  # type: ignore[assignment]

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
            response = self.pools.request(
                "POST", f"{forwarder['url']}/statements", body=body, headers=headers,
                timeout=urllib3.Timeout(connect=timeout, read=timeout),
                retries=False, redirect=False, preload_content=False)
        except (DestinationRefused, PasswordUnreadable, urllib3.exceptions.HTTPError,
                OSError, ValueError) as exc:
            return 0, failure_text(exc)
        try:
            status = int(response.status)
            location = response.headers.get("Location")
            _drain(response)
        except (urllib3.exceptions.HTTPError, OSError):
            response.close()
        finally:
            response.release_conn()
        if 200 <= status < 300:
            return status, ""
        if 300 <= status < 400:
            return status, redirect_text(status, location)
        return status, status_text(status)

    def close(self) -> None:
        """Close every pooled connection."""
        self.pools.clear()


def _drain(response: Any) -> None:
    """Read and drop the body so the connection can be reused; a huge one closes it."""
    read = 0
    for chunk in response.stream(64 * 1024):
        read += len(chunk)
        if read > DRAIN_LIMIT:
            response.close()
            return


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
    """A client from the app's settings: ``HUB_FORWARDING_ALLOW_HOSTS`` and the hub's key
    (``hub.tokens.key_source``: from ``HUB_SECRET_KEY``, else the random key kept in the blob
    store), from which the password key is derived."""
    config = app.extensions["hub.config"]
    guard = DestinationGuard(AllowList.parse(config.forwarding_allow_hosts))
    return DownstreamClient(guard, PasswordBox(app.extensions["hub.token_key"]),
                            app.extensions.get("hub.blobs"))
