"""The hub's one HTTP client towards other servers: statement forwarding, and every URL the LTI
sides fetch (an LMS's JWKS, OpenID configuration, registration and token endpoints, AGS and NRPS
services; a provider tool's key set).

Each of those URLs is registered by an organisation but fetched from inside the hub's network,
so every connection goes through :class:`hub.destinations.DestinationGuard`:

- each NEW connection resolves the host through the guard and connects to an address it checked
  (:class:`GuardedConnection`): a name that resolves inwards at fetch time is refused then,
  whatever it resolved to at registration (DNS rebinding gains nothing);
- redirects are followed only when the caller asks (``follow_redirects``, GET only), at most
  :data:`MAX_REDIRECTS`, each hop through the same guarded pools, and credentials
  (``Authorization``) are dropped when the host changes;
- no proxy from the environment: the guard checks the address the hub really connects to;
- connect and read timeouts on every request, and a cap on the bytes of a response read
  (:data:`MAX_RESPONSE_BYTES`): a hostile server cannot hold a worker or fill its memory.

``outbound_client()`` is the current app's client, whose allow list is
``HUB_OUTBOUND_ALLOW_HOSTS``; statement forwarding builds its own with that list plus
``HUB_FORWARDING_ALLOW_HOSTS``.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import orjson
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

from hub.destinations import AllowList, DestinationGuard, DestinationRefused
from hub.errors import HubError

#: Bytes of a response body read; a longer body fails the fetch (JWKS, configurations, AGS and
#: NRPS pages are a few kilobytes; a megabyte leaves room for a large roster page).
MAX_RESPONSE_BYTES = 1 << 20
#: Redirects followed when a caller allows them.
MAX_REDIRECTS = 3
#: Seconds to connect and to wait for each read, unless the caller says otherwise.
DEFAULT_TIMEOUT = 10.0
#: Connections kept per remote host.
POOL_MAXSIZE = 4


class OutboundError(HubError):
    """A fetch from another server failed (502): unreachable, refused destination, timed out,
    too large, not JSON. ``__cause__`` is the underlying exception; ``url`` the URL."""

    status = 502
    type = "bad-gateway"
    title = "A remote server could not be used"

    def __init__(self, detail: str, *, url: str = "", **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.url = url


class OutboundRefused(OutboundError):
    """The guard refused the destination (an internal address not allow-listed)."""


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


@dataclass(frozen=True)
class OutboundResponse:
    """What a remote server answered: status, headers (case-insensitive), body bytes (empty
    when the caller did not keep it), and the final URL after any redirects."""

    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes
    url: str

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return 200 <= self.status < 300

    @property
    def json(self) -> Any:
        """The body parsed as JSON; :class:`OutboundError` when it is not JSON."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise OutboundError(f"the answer of {_shown(self.url)} is not JSON",
                                url=self.url) from None


def _shown(url: str) -> str:
    """Scheme, host, port and path of a URL, for messages (no user info or query, which may
    carry tokens)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"[:200]


class OutboundClient:
    """Guarded, pooled, bounded HTTP (see the module docstring). Thread-safe (urllib3 pools
    are)."""

    def __init__(self, guard: DestinationGuard, *, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> None:
        self.guard = guard
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.pools = urllib3.PoolManager(num_pools=32, maxsize=POOL_MAXSIZE, block=False)
        self.pools.pool_classes_by_scheme = _pool_classes(guard)  # type: ignore[assignment]

    def check_url(self, url: str) -> None:
        """The registration-time check of a URL the hub will fetch (raises
        :class:`~hub.destinations.DestinationRefused`, or ``OSError`` when the name does not
        resolve): routes turn it into a 400 naming their field."""
        self.guard.check_url(url)

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float | None = None,
                follow_redirects: bool = False, keep_body: bool = True) -> OutboundResponse:
        """Send one request; the response of the last hop. Raises :class:`OutboundError`
        (:class:`OutboundRefused` for a refused destination) when nothing usable came back.

        ``keep_body=False`` reads and drops up to :attr:`max_bytes` (so the connection is
        reused) and closes the connection beyond, without failing: for callers that need only
        the status. A kept body over :attr:`max_bytes` fails the request."""
        headers = dict(headers or {})
        wait = urllib3.Timeout(connect=timeout or self.timeout, read=timeout or self.timeout)
        hops = MAX_REDIRECTS if follow_redirects and method == "GET" else 0
        while True:
            if urlsplit(url).scheme not in ("http", "https"):
                raise OutboundRefused(f"{_shown(url)}: only http and https URLs are fetched",
                                      url=url)
            response = self._send(method, url, body, headers, wait)
            location = response.headers.get("Location")
            if hops and response.status in (301, 302, 303, 307, 308) and location:
                response.drain_conn()
                response.release_conn()
                target = urljoin(url, location.strip())
                if urlsplit(target).netloc != urlsplit(url).netloc:
                    headers.pop("Authorization", None)
                url, hops = target, hops - 1
                continue
            return self._read(response, url, keep_body)

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
              wait: urllib3.Timeout) -> Any:
        try:
            return self.pools.request(method, url, body=body, headers=headers, timeout=wait,
                                      retries=False, redirect=False, preload_content=False)
        except DestinationRefused as exc:
            raise OutboundRefused(f"{_shown(url)}: refused: {exc}", url=url) from exc
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise OutboundError(f"{_shown(url)} could not be reached", url=url) from exc

    def _read(self, response: Any, url: str, keep_body: bool) -> OutboundResponse:
        chunks: list[bytes] = []
        read = 0
        try:
            for chunk in response.stream(64 * 1024):
                read += len(chunk)
                if read > self.max_bytes:
                    response.close()
                    if keep_body:
                        raise OutboundError(f"the answer of {_shown(url)} is over "
                                            f"{self.max_bytes} bytes", url=url)
                    break
                if keep_body:
                    chunks.append(chunk)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            response.close()
            if keep_body:
                raise OutboundError(f"{_shown(url)} dropped the connection", url=url) from exc
        finally:
            response.release_conn()
        return OutboundResponse(int(response.status), response.headers, b"".join(chunks), url)

    def get_json(self, url: str, headers: dict[str, str] | None = None, *,
                 follow_redirects: bool = True) -> OutboundResponse:
        """GET a JSON document (JWKS, OpenID configuration, AGS/NRPS resources); redirects
        followed through the guard. The caller checks ``status`` and reads ``.json``."""
        headers = {"Accept": "application/json", **(headers or {})}
        return self.request("GET", url, headers=headers, follow_redirects=follow_redirects)

    def post_json(self, url: str, data: Any, headers: dict[str, str] | None = None,
                  *, content_type: str = "application/json") -> OutboundResponse:
        """POST a JSON body (Dynamic Registration, AGS line items and scores with their own
        media types through ``content_type``). Redirects are not followed."""
        headers = {"Content-Type": content_type, "Accept": "application/json",
                   **(headers or {})}
        return self.request("POST", url, body=orjson.dumps(data), headers=headers)

    def post_form(self, url: str, fields: dict[str, str],
                  headers: dict[str, str] | None = None) -> OutboundResponse:
        """POST an ``application/x-www-form-urlencoded`` body (the OAuth 2.0 token request,
        RFC 6749 §4.4.2). Redirects are not followed."""
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/json", **(headers or {})}
        return self.request("POST", url, body=urlencode(fields).encode(), headers=headers)

    def close(self) -> None:
        """Close every pooled connection."""
        self.pools.clear()


_clients_lock = threading.Lock()


def make_outbound_client(config: Any, *extra_allow: AllowList) -> OutboundClient:
    """A client whose allow list is ``HUB_OUTBOUND_ALLOW_HOSTS`` plus ``extra_allow``;
    ``ValueError`` naming the setting when it does not parse."""
    allow = AllowList.parse(config.outbound_allow_hosts, "HUB_OUTBOUND_ALLOW_HOSTS")
    for more in extra_allow:
        allow = allow.union(more)
    return OutboundClient(DestinationGuard(allow))


def outbound_client(app: Any = None) -> OutboundClient:
    """The app's client (the current app's by default), made on first use."""
    if app is None:
        from flask import current_app

        app = current_app
    client = app.extensions.get("hub.outbound")
    if client is None:
        with _clients_lock:
            client = app.extensions.get("hub.outbound")
            if client is None:
                client = make_outbound_client(app.extensions["hub.config"])
                app.extensions["hub.outbound"] = client
    return client  # type: ignore[no-any-return]
