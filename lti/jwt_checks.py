"""Strict verification of every JWT the hub receives: an LMS's ``id_token`` (LTI 1.3 §5.1.3),
a provider tool's Deep Linking response (Deep Linking 2.0 §4.2), a tool's client assertion at
the token endpoint (RFC 7523 §3; Security Framework §4.1.1).

:func:`verify_jwt` returns the claims or raises :class:`~lti.errors.LtiTokenError` naming the
header field or claim at fault. It checks, in this order, so that nothing is decoded with a key
before the header is known to be acceptable:

1. shape: a compact JWS of three parts, at most :data:`MAX_TOKEN_BYTES`;
2. header: ``alg`` one of :data:`ALLOWED_ALGORITHMS` (Security Framework §5.1.3 item 1:
   RS256 at least; never ``none``, never an HMAC whose "key" would be the public key), ``kid``
   present when the key comes from a key set, no ``crit`` extension the hub does not know;
3. key: from the sender's JWKS URL (:class:`lti.remote_keys.RemoteKeySets`, one rate-limited
   re-fetch for an unknown kid) or a registered public JWK; its type must fit ``alg`` and an
   RSA key must have at least 2048 bits;
4. signature, with that one key and that one algorithm (joserfc);
5. claims: ``iss`` equals the expected issuer; ``aud`` is or contains the expected audience,
   and with several audiences ``azp`` is present, and whenever ``azp`` is present it equals
   the audience (LTI 1.3 §5.1.3 items 3-5); ``exp`` present and not past, ``iat`` present and
   not in the future, both within :data:`LEEWAY` seconds (items 7-8); ``nbf`` respected;
   optionally ``sub``, a maximal age, and the ``nonce``/``jti`` consumed ONCE through
   ``store.once`` (item 9; RFC 7523 §3 item 7), after every other check passed, so that a bad
   token cannot burn a good token's nonce.
"""

from __future__ import annotations

import base64
import functools
import math
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import ECKey, RSAKey, import_key

from lti.errors import LtiReplay, LtiTokenError
from lti.remote_keys import RemoteKeySets, remote_key_sets
from storage.ports.lti_keys import OnceRepository
from storage.timestamps import format_timestamp

#: The signature algorithms accepted (LTI Security Framework §5.1.3 item 1; §6.1: RSA keys).
ALLOWED_ALGORITHMS: dict[str, str] = {"RS256": "RSA", "RS384": "RSA", "RS512": "RSA",
                                      "ES256": "EC"}
#: Seconds of clock difference tolerated on ``exp``, ``iat`` and ``nbf``.
LEEWAY = 60
#: The furthest ``exp`` accepted, in seconds from now (LTI messages live minutes).
MAX_LIFETIME = 24 * 3600
#: The longest token read; an id_token with every LTI claim is a few kilobytes.
MAX_TOKEN_BYTES = 64 * 1024
#: Smallest RSA modulus accepted (NIST SP 800-131A; LTI Security Framework §6.1).
MIN_RSA_BITS = 2048


def _header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS, read without trusting it yet."""
    if not isinstance(token, str) or not token:
        raise LtiTokenError("token", "missing")
    if len(token) > MAX_TOKEN_BYTES:
        raise LtiTokenError("token", f"longer than {MAX_TOKEN_BYTES} bytes")
    if token.count(".") != 2:
        raise LtiTokenError("token", "not a signed JWT (compact JWS of three parts)")
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError, TypeError, UnicodeError):
        raise LtiTokenError("token", "not a readable JWT") from None
    if not isinstance(header, dict):
        raise LtiTokenError("header", "not a JSON object")
    return header


def _check_header(header: dict[str, Any], from_key_set: bool) -> str:
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        raise LtiTokenError("header.alg", f"{alg!r} is not one of "
                            f"{', '.join(ALLOWED_ALGORITHMS)}")
    if from_key_set and not (isinstance(header.get("kid"), str) and header["kid"]):
        raise LtiTokenError("header.kid", "required to pick the key from the key set")
    if "crit" in header:  # RFC 7515 §4.1.11: unknown critical extensions must be refused
        raise LtiTokenError("header.crit", "no critical header extension is understood")
    return str(alg)


def _modulus_bits(n: Any) -> int:
    """Bits of an RSA modulus in a JWK (RFC 7518 §6.3.1.1: base64url, big-endian); 0 when it
    is not one. Checked before the key is imported (joserfc would only warn)."""
    if not isinstance(n, str):
        return 0
    try:
        raw = base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
    except (ValueError, UnicodeError):
        return 0
    return int.from_bytes(raw, "big").bit_length()


def _key(jwk: dict[str, Any], alg: str) -> RSAKey | ECKey:
    """The public key of ``jwk`` for ``alg``, refused when it cannot serve it.

    Importing an RSA key (building it from its modulus and exponent) cost a third of a
    millisecond on every launch with the same cached JWKS: the imported key is kept per
    ``(alg, the JWK's exact content)`` (:func:`_imported`), so a changed or rotated key is a new
    entry; a refused key raises every time, as nothing is kept for it."""
    try:
        text = orjson.dumps(jwk, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # not a JSON document: checked (and refused) without the cache
        return _checked_key(jwk, alg)
    return _imported(text, alg)


@functools.lru_cache(maxsize=256)
def _imported(text: str, alg: str) -> RSAKey | ECKey:
    """:func:`_checked_key` of a JWK given as its canonical JSON (the cache of :func:`_key`;
    an exception is not cached)."""
    return _checked_key(orjson.loads(text), alg)


def _checked_key(jwk: dict[str, Any], alg: str) -> RSAKey | ECKey:
    """Every check of a sender's JWK for ``alg``, then the imported key."""
    if jwk.get("alg") not in (None, alg):
        raise LtiTokenError("header.alg", f"the key is for {jwk.get('alg')}, not {alg}")
    if jwk.get("kty") != ALLOWED_ALGORITHMS[alg]:  # before import: an HMAC key is refused here
        raise LtiTokenError("header.alg", f"{alg} does not fit a {jwk.get('kty')!r} key")
    if jwk.get("kty") == "RSA" and _modulus_bits(jwk.get("n")) < MIN_RSA_BITS:
        raise LtiTokenError("header.kid", f"the sender's RSA key is under {MIN_RSA_BITS} bits")
    try:
        key = import_key(jwk)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError):
        raise LtiTokenError("header.kid", "the sender's key cannot be read") from None
    if not isinstance(key, RSAKey | ECKey) or key.key_type != ALLOWED_ALGORITHMS[alg]:
        raise LtiTokenError("header.alg", f"{alg} does not fit a {key.key_type} key")
    if isinstance(key, ECKey) and key.curve_name != "P-256":
        raise LtiTokenError("header.alg", "ES256 needs a P-256 key")
    return key


def _number(claims: dict[str, Any], name: str, required: bool) -> float | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise LtiTokenError(name, "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        # Python's JSON parser reads NaN and Infinity, which would pass every comparison.
        raise LtiTokenError(name, "must be a number of seconds since the epoch")
    return float(value)


def _check_audience(claims: dict[str, Any], audience: str) -> None:
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else aud
    if not isinstance(auds, list) or not auds or not all(isinstance(a, str) for a in auds):
        raise LtiTokenError("aud", "required (a string or an array of strings)")
    if audience not in auds:
        raise LtiTokenError("aud", f"does not name {audience!r}")
    azp = claims.get("azp")
    if len(auds) > 1 and azp is None:
        raise LtiTokenError("azp", "required when the token has several audiences")
    if azp is not None and azp != audience:
        raise LtiTokenError("azp", f"must be {audience!r}")


def _check_times(claims: dict[str, Any], now: float, leeway: int,
                 max_age: int | None) -> float:
    exp = _number(claims, "exp", True)
    iat = _number(claims, "iat", True)
    nbf = _number(claims, "nbf", False)
    assert exp is not None and iat is not None
    if exp <= now - leeway:
        raise LtiTokenError("exp", "the token has expired")
    if exp > now + MAX_LIFETIME:  # its nonce/jti would have to be remembered for ever
        raise LtiTokenError("exp", f"more than {MAX_LIFETIME} seconds ahead")
    if iat > now + leeway:
        raise LtiTokenError("iat", "issued in the future")
    if nbf is not None and nbf > now + leeway:
        raise LtiTokenError("nbf", "not valid yet")
    if max_age is not None and exp - iat > max_age:
        raise LtiTokenError("exp", f"the token lives longer than {max_age} seconds")
    return exp


def _consume(once: OnceRepository | None, scope: str, claims: dict[str, Any], name: str,
             exp: float, leeway: int) -> None:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise LtiTokenError(name, "required")
    if once is None:
        raise RuntimeError(f"verify_jwt: {name}_scope given without once")
    # Remembered until the token itself would be refused for its age.
    until = format_timestamp(datetime.fromtimestamp(exp + leeway, UTC))
    if not once.consume(scope, value, until):
        raise LtiReplay(name, "already used: the token is a replay")


def verify_jwt(token: str, *, key_source: str | dict[str, Any], issuer: str, audience: str,
               once: OnceRepository | None = None, nonce_scope: str | None = None,
               jti_scope: str | None = None, nonce: str | None = None,
               subject: str | None = None, max_age: int | None = None,
               required: Iterable[str] = (), leeway: int = LEEWAY,
               key_sets: RemoteKeySets | None = None,
               now: float | None = None) -> dict[str, Any]:
    """The claims of ``token`` once every check of the module docstring passed.

    ``key_source``: the sender's JWKS URL (then ``kid`` is required and the key comes from
    ``key_sets``, the app's cache by default) or its registered public JWK. ``once`` is
    ``store.once``; ``nonce_scope``/``jti_scope`` make that claim required and consumed once
    in that scope (e.g. ``"lti.tool.nonce"``). ``nonce`` is a value the nonce must equal (the
    one the hub sent, when it keeps it). ``subject`` is the ``sub`` required (RFC 7523:
    the client id); ``max_age`` the longest ``exp - iat`` accepted; ``required`` more claims
    that must be present. Raises :class:`~lti.errors.LtiTokenError` (400, naming the claim),
    :class:`~lti.errors.LtiReplay`, or :class:`~lti.errors.LtiKeySetUnavailable` (502)."""
    header = _header(token)
    from_key_set = isinstance(key_source, str)
    alg = _check_header(header, from_key_set)
    if isinstance(key_source, str):
        jwk = (key_sets or remote_key_sets()).key(key_source, header["kid"])
    else:
        jwk = key_source
        if isinstance(header.get("kid"), str) and jwk.get("kid") not in (None, header["kid"]):
            raise LtiTokenError("header.kid", "does not name the registered key")
    key = _key(jwk, alg)
    try:
        claims = jwt.decode(token, key, algorithms=[alg]).claims
    except BadSignatureError:
        raise LtiTokenError("signature", "does not verify with the sender's key") from None
    except (JoseError, ValueError, TypeError, UnicodeError):
        raise LtiTokenError("token", "the payload is not a JSON object") from None
    if not isinstance(claims, dict):
        raise LtiTokenError("token", "the payload is not a JSON object")
    if claims.get("iss") != issuer:
        raise LtiTokenError("iss", f"must be {issuer!r}")
    _check_audience(claims, audience)
    exp = _check_times(claims, time.time() if now is None else now, leeway, max_age)
    if subject is not None and claims.get("sub") != subject:
        raise LtiTokenError("sub", f"must be {subject!r}")
    for name in required:
        if claims.get(name) in (None, "", [], {}):
            raise LtiTokenError(name, "required")
    if nonce is not None and claims.get("nonce") != nonce:
        raise LtiTokenError("nonce", "does not match the one sent")
    if nonce_scope is not None:
        _consume(once, nonce_scope, claims, "nonce", exp, leeway)
    if jti_scope is not None:
        _consume(once, jti_scope, claims, "jti", exp, leeway)
    return dict(claims)
