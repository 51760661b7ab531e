"""Keys and JWT checks of the development peers (joserfc, RS256), strict like a real party:
a peer refuses what LTI 1.3 §5.1.3 (id_token), Deep Linking §4.5 (response) and RFC 7523 §3
(client assertion) say a receiver must refuse, so a test passing against a peer means something.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

# LTI 1.3 §5.1.3 / Security Framework §5.1.3: asymmetric algorithms only; never "none" or HS*.
ALLOWED_ALGS = ("RS256", "RS384", "RS512")
LEEWAY = 60  # seconds of clock skew tolerated on iat/exp

# A test's hook on an outgoing JWT: edits claims/headers in place (kind says which JWT:
# "id_token", "deep_link_response", "client_assertion"), or returns a whole token to send instead.
JwtHook = Callable[[str, dict[str, Any], dict[str, Any]], "str | None"]


class Refused(Exception):
    """A peer refuses a request; ``reason`` names what was wrong (answered as JSON, recorded)."""

    def __init__(self, reason: str, status: int = 400, error: str = "invalid_request") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.error = error


class PeerKey:
    """An RSA key pair of a peer, with its ``kid``."""

    def __init__(self, key: RSAKey | None = None) -> None:
        self.key = key or RSAKey.generate_key(
            2048, parameters={"kid": uuid.uuid4().hex, "alg": "RS256", "use": "sig"},
            private=True)

    @classmethod
    def from_file(cls, path: str | Path) -> PeerKey:
        """The key kept in ``path`` (a private JWK), made and written on first use, so a peer
        restarted at the same address keeps its ``kid`` and a hub's cached JWKS stays valid."""
        file = Path(path)
        if file.exists():
            return cls(RSAKey.import_key(json.loads(file.read_text())))
        key = cls()
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(key.key.as_dict(private=True)))
        file.chmod(0o600)
        return key

    @property
    def kid(self) -> str:
        """The key id put in every JWT header and the JWKS."""
        return str(self.key.kid)

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK."""
        return dict(self.key.as_dict(private=False))

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        """A compact JWT signed with this key: ``headers`` as given (a test may drop or change
        the ``kid``), by default RS256 with this key's ``kid``."""
        header = dict(headers) if headers is not None else {
            "alg": "RS256", "typ": "JWT", "kid": self.kid}
        return jwt.encode(header, claims, self.key, algorithms=[header["alg"]])


def unsigned_token(claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
    """A JWT with ``alg: none`` and no signature, for tests that check it is refused."""
    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{part({'alg': 'none', 'typ': 'JWT', **(headers or {})})}.{part(claims)}."


def sign_outgoing(key: PeerKey, hook: JwtHook | None, kind: str, claims: dict[str, Any]) -> str:
    """Sign a JWT a peer sends with ``key``, letting a test's hook edit it or replace it."""
    headers: dict[str, Any] = {"alg": "RS256", "typ": "JWT", "kid": key.kid}
    if hook is not None:
        replaced = hook(kind, claims, headers)
        if replaced is not None:
            return replaced
    return key.sign(claims, headers)


def token_header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS, or Refused when it is not one."""
    try:
        return dict(jws.extract_compact(token.encode()).protected)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise Refused(f"not a compact JWT: {exc}") from None


def verify_token(token: str, keys: dict[str, Any], *, issuer: str, audience: str,
                 once: Callable[[str], bool] | None = None,
                 once_claim: str = "nonce") -> dict[str, Any]:
    """The claims of ``token`` after the checks a receiver must make: allowed algorithm, known
    ``kid``, signature, ``iss``, ``aud`` (and ``azp`` with several audiences), ``exp``, ``iat``,
    and ``once_claim`` consumed once through ``once``. ``keys`` is a JWKS (``{"keys": [...]}``)."""
    header = token_header(token)
    if header.get("alg") not in ALLOWED_ALGS:
        raise Refused(f"alg {header.get('alg')!r} is not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not any(k.get("kid") == kid for k in keys.get("keys", [])):
        raise Refused(f"unknown kid {kid!r}")
    try:
        key_set = KeySet.import_key_set({"keys": [k for k in keys["keys"] if k.get("kid") == kid]})
        claims = dict(jwt.decode(token, key_set, algorithms=list(ALLOWED_ALGS)).claims)
    except (JoseError, ValueError) as exc:
        raise Refused(f"bad signature: {exc}") from None
    now = time.time()
    if claims.get("iss") != issuer:
        raise Refused(f"iss {claims.get('iss')!r} is not {issuer!r}")
    aud = claims.get("aud")
    auds = aud if isinstance(aud, list) else [aud]
    if audience not in auds:
        raise Refused(f"aud {aud!r} does not contain {audience!r}")
    if len(auds) > 1 and claims.get("azp") != audience:  # LTI 1.3 §5.1.3 step 4
        raise Refused(f"azp {claims.get('azp')!r} is not {audience!r}")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - LEEWAY:
        raise Refused("exp missing or past")
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > now + LEEWAY:
        raise Refused("iat missing or in the future")
    if once is not None:
        value = claims.get(once_claim)
        if not isinstance(value, str) or not value:
            raise Refused(f"{once_claim} missing")
        if not once(value):
            raise Refused(f"{once_claim} already used")
    return claims
