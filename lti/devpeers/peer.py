"""What the development platform and tool share: a Flask app, an RSA key (and a rogue key that
is in no JWKS, for tests of refusals), the ledger of what arrived, the once-only values, and a
server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request

from lti.devpeers.ledger import Ledger, OnceSet
from lti.devpeers.signing import JwtHook, PeerKey, Refused, sign_outgoing
from lti.devpeers.wire import ThreadedServer


class DevPeer:
    """Base of :class:`~lti.devpeers.platform.DevPlatform` and :class:`~lti.devpeers.tool.DevTool`.

    ``jwt_hook`` (``hook(kind, claims, headers) -> str | None``) lets a test edit every JWT the
    peer sends, or return a token to send instead; ``sign_with_rogue_key`` signs with
    :attr:`rogue_key`, a valid RSA key that is not in the peer's JWKS."""

    name = "dev peer"

    def __init__(self, key: PeerKey | None = None) -> None:
        self.key = key or PeerKey()
        self._rogue_key: PeerKey | None = None
        self.received = Ledger()
        self.once = OnceSet()
        self.jwt_hook: JwtHook | None = None
        self.sign_with_rogue_key = False
        self._base_url: str | None = None
        self._server: ThreadedServer | None = None
        self.app = Flask(f"devpeer-{self.name}")
        self.app.register_error_handler(Refused, self._refused)
        self.app.add_url_rule("/jwks", "jwks", lambda: jsonify(self.jwks()))
        self.app.add_url_rule("/_received", "received", self._received)
        self.app.add_url_rule("/_received", "clear", self._clear, methods=["DELETE"])

    @property
    def rogue_key(self) -> PeerKey:
        """A valid RSA key that is in no JWKS (made on first use: key generation is slow)."""
        if self._rogue_key is None:
            self._rogue_key = PeerKey()
        return self._rogue_key

    # -- where it runs -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The peer's base URL (set by :meth:`start`/:meth:`bind`)."""
        if self._base_url is None:
            raise RuntimeError(f"the {self.name} is not started")
        return self._base_url

    def bind(self, host: str = "127.0.0.1", port: int = 0, quiet: bool = True,
             base_url: str | None = None) -> ThreadedServer:
        """Make the server (port 0: a free one) and learn the base URL (``base_url`` when it is
        reached at another address), without serving yet."""
        self._server = ThreadedServer(self.app, host, port, quiet)
        self._base_url = (base_url or self._server.base_url).rstrip("/")
        return self._server

    def start(self, host: str = "127.0.0.1", port: int = 0,
              base_url: str | None = None) -> DevPeer:
        """Serve in a daemon thread; ``base_url`` when it is reached at another address."""
        self.bind(host, port, base_url=base_url).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Any:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- keys and JWTs -------------------------------------------------------------------------
    def jwks(self) -> dict[str, Any]:
        """The peer's JWKS (its own key only; never the rogue key)."""
        return {"keys": [self.key.public_jwk()]}

    def sign(self, kind: str, claims: dict[str, Any]) -> str:
        """Sign an outgoing JWT of ``kind``, through the test hook and key choice."""
        key = self.rogue_key if self.sign_with_rogue_key else self.key
        return sign_outgoing(key, self.jwt_hook, kind, claims)

    # -- what arrived --------------------------------------------------------------------------
    def _refused(self, exc: Refused) -> Response:
        self.received.record("refused", path=request.path, reason=exc.reason,
                             status=exc.status)
        resp = jsonify({"error": exc.error, "error_description": exc.reason})
        resp.status_code = exc.status
        return resp

    def _received(self) -> Response:
        return jsonify(self.received.all())

    def _clear(self) -> tuple[str, int]:
        self.received.clear()
        return "", 204
