"""Real keys and real signed JWTs for the LTI tests (joserfc, never a mock of it), and a JWKS
served over HTTP from 127.0.0.1 (:mod:`tests.serving`)."""

from __future__ import annotations

import base64
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from hub.destinations import AllowList, DestinationGuard
from hub.outbound import OutboundClient
from tests.serving import StubServer, serving


class SigningKey:
    """A sender's private key with its ``kid``; :meth:`sign` makes a compact JWT."""

    def __init__(self, kid: str | None = None, kind: str = "RSA", bits: int = 2048) -> None:
        self.kid = kid or uuid.uuid4().hex[:8]
        with warnings.catch_warnings():  # a deliberately weak test key warns
            warnings.simplefilter("ignore")
            self.key: RSAKey | ECKey = (RSAKey.generate_key(bits) if kind == "RSA"
                                        else ECKey.generate_key("P-256"))
        self.alg = "RS256" if kind == "RSA" else "ES256"

    def public_jwk(self, **extra: Any) -> dict[str, Any]:
        """The public JWK as a key set serves it."""
        return {**self.key.as_dict(private=False), "kid": self.kid, "use": "sig", **extra}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        """``claims`` signed with this key; ``header`` adds to or replaces alg/kid (``kid=None``
        leaves it out)."""
        head: dict[str, Any] = {"alg": self.alg, "kid": self.kid, "typ": "JWT", **header}
        head = {k: v for k, v in head.items() if v is not None}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jwt.encode(head, claims, self.key, algorithms=[head["alg"]])


def b64(data: Any) -> str:
    """base64url without padding of JSON (or bytes)."""
    raw = data if isinstance(data, bytes) else orjson.dumps(data)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(issuer: str = "https://lms.example", audience: Any = "client-1",
           **more: Any) -> dict[str, Any]:
    """Claims that pass every check (a fresh nonce and jti each time)."""
    now = int(time.time())
    base = {"iss": issuer, "aud": audience, "sub": "learner-1", "iat": now, "exp": now + 300,
            "nonce": uuid.uuid4().hex, "jti": uuid.uuid4().hex}
    base.update(more)
    return {k: v for k, v in base.items() if v is not None}


def loopback_client() -> OutboundClient:
    """An outbound client allowed to reach 127.0.0.1 (where the test servers listen)."""
    return OutboundClient(DestinationGuard(AllowList.parse("127.0.0.1")))


@contextmanager
def jwks_server(*keys: SigningKey, cache_control: str = "max-age=300") -> Iterator[StubServer]:
    """A key set of ``keys`` at ``<base>/jwks`` on 127.0.0.1; ``server.routes['/jwks']`` can be
    replaced to rotate keys."""
    with serving() as server:
        server.routes["/jwks"] = (200, {"Cache-Control": cache_control},
                                  {"keys": [k.public_jwk() for k in keys]})
        yield server
