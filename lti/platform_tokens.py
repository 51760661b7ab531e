"""The platform side's OAuth 2.0 token endpoint and the bearer tokens it grants.

A provider's tool asks for an access token with the client-credentials grant (RFC 6749 §4.4),
authenticating with a JWT signed by its own key (``private_key_jwt``: RFC 7523 §2.2, LTI
Security Framework §4.1). The hub grants a random token for the requested scopes, stores only
its SHA-256, and every AGS or NRPS request presents it (RFC 6750 §2.1).

Checks, in order, so that a refused request stores nothing: the form's shape; the client
(looked up by the assertion's ``iss``); the assertion (A2's :func:`lti.jwt_checks.verify_jwt`:
signature with the tool's registered key or JWKS, ``iss`` = ``sub`` = client id, ``aud`` = the
token URL, ``exp``, ``iat``, a ``jti``); the scopes (each one the tool's registration holds);
only then is the ``jti`` consumed once (RFC 7523 §3 item 7) and the token stored.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from lti import links
from lti.errors import LtiTokenError
from lti.jwt_checks import LEEWAY, verify_jwt
from lti.oauth_errors import (
    InsufficientScope,
    InvalidClient,
    InvalidRequest,
    InvalidScope,
    InvalidToken,
    UnsupportedGrantType,
)
from lti.platform_services import granted_scopes
from storage.ports import Document, Store
from storage.timestamps import format_timestamp, utcnow

GRANT_TYPE = "client_credentials"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: Seconds a granted access token lives (LTI Security Framework §4.1 recommends an hour).
TOKEN_LIFETIME = 3600
#: The longest ``exp - iat`` of a client assertion: its ``jti`` is remembered that long.
ASSERTION_MAX_AGE = 600
#: ``store.once`` scope of the client assertions' ``jti`` (one per tool: a tool cannot burn
#: another tool's identifiers).
JTI_SCOPE = "lti.platform.token.jti"


@dataclass(frozen=True)
class Grant:
    """A valid bearer token of a service request: the tool and the scopes it was granted."""

    tool: Document
    scopes: frozenset[str]

    def require(self, *scopes: str) -> None:
        """403 ``insufficient_scope`` unless the token holds one of ``scopes``."""
        if not self.scopes.intersection(scopes):
            raise InsufficientScope("scope", f"this request needs one of: {' '.join(scopes)}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _single(form: Any, name: str, required: bool = True) -> str | None:
    """One form field (RFC 6749 §3.2: parameters must not repeat)."""
    values = form.getlist(name) if hasattr(form, "getlist") else [form.get(name)]
    values = [v for v in values if v is not None]
    if len(values) > 1:
        raise InvalidRequest(name, "must not be repeated")
    if not values or not values[0]:
        if required:
            raise InvalidRequest(name, "required")
        return None
    return str(values[0])


def _claimed_client(assertion: str) -> str:
    """The assertion's ``iss``, read unverified only to find whose key verifies it."""
    parts = assertion.split(".")
    try:
        if len(parts) != 3:
            raise ValueError
        payload = orjson.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError):
        raise InvalidClient("client_assertion", "not a signed JWT") from None
    issuer = payload.get("iss") if isinstance(payload, dict) else None
    if not isinstance(issuer, str) or not issuer:
        raise InvalidClient("client_assertion", "iss (the client id) is required")
    return issuer


def _requested_scopes(raw: str | None, tool: Document) -> list[str]:
    if raw is None:
        raise InvalidScope("scope", "required: the service scopes the tool asks for")
    requested = list(dict.fromkeys(raw.split()))
    held = set(granted_scopes(tool))
    refused = [scope for scope in requested if scope not in held]
    if refused or not requested:
        raise InvalidScope("scope", f"not granted to this tool: {' '.join(refused) or raw!r}")
    return requested


def issue_token(store: Store, public_url: str, form: Any) -> dict[str, Any]:
    """Grant an access token for the form of a token request (RFC 6749 §4.4.2, RFC 7523
    §2.2); the response body of §5.1. Raises an :class:`~lti.oauth_errors.OAuthError`."""
    grant_type = _single(form, "grant_type")
    if grant_type != GRANT_TYPE:
        raise UnsupportedGrantType("grant_type", f"only {GRANT_TYPE} is granted")
    if _single(form, "client_assertion_type") != ASSERTION_TYPE:
        raise InvalidRequest("client_assertion_type", f"must be {ASSERTION_TYPE}")
    assertion = _single(form, "client_assertion")
    assert assertion is not None
    client_id = _claimed_client(assertion)
    named = _single(form, "client_id", required=False)
    if named is not None and named != client_id:
        raise InvalidClient("client_id", "does not match the assertion's iss")
    tool = store.lti_tools.get_by_client_id(client_id)
    if tool is None:
        raise InvalidClient("client_assertion", "iss: no tool is registered with this "
                            "client id")
    key_source = tool.get("key_set_url") or tool.get("public_jwk")
    if not key_source:
        raise InvalidClient("client_assertion", "the tool registration has no key")
    try:
        claims = verify_jwt(assertion, key_source=key_source, issuer=client_id,
                            audience=links.platform_token_url(public_url), subject=client_id,
                            max_age=ASSERTION_MAX_AGE, required=("jti",))
    except LtiTokenError as exc:  # RFC 7523 §3.2: every assertion failure is invalid_client
        raise InvalidClient(f"client_assertion.{exc.claim}", str(exc.detail).split(": ", 1)[-1]
                            ) from None
    scopes = _requested_scopes(_single(form, "scope", required=False), tool)
    _consume_jti(store, tool, claims)
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    store.lti_contexts.add_token({
        "token_hash": _hash(token), "tool_id": tool["id"], "client_id": client_id,
        "scopes": scopes, "created_at": format_timestamp(now),
        "expires_at": format_timestamp(now + timedelta(seconds=TOKEN_LIFETIME))})
    store.lti_contexts.purge_tokens(format_timestamp(now))  # one range delete of stale rows
    return {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME,
            "scope": " ".join(scopes)}


def _consume_jti(store: Store, tool: Document, claims: dict[str, Any]) -> None:
    """RFC 7523 §3 item 7: an assertion is accepted once. Remembered until it would be
    refused as expired anyway."""
    until = format_timestamp(datetime.fromtimestamp(float(claims["exp"]) + LEEWAY, UTC))
    if not store.once.consume(f"{JTI_SCOPE}:{tool['id']}", str(claims["jti"]), until):
        raise InvalidClient("client_assertion.jti", "already used: the assertion is a replay")


def authenticate_bearer(store: Store, header: str | None) -> Grant:
    """The grant of a service request's ``Authorization: Bearer <token>`` (RFC 6750 §2.1);
    401 ``invalid_token`` when absent, unknown, expired, or its tool registration is gone."""
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise InvalidToken("Authorization", "a Bearer access token from the hub's token "
                           "endpoint is required")
    stored = store.lti_contexts.get_token(_hash(token))
    if stored is None or stored["expires_at"] <= utcnow():
        raise InvalidToken("Authorization", "unknown or expired access token")
    tool = store.lti_tools.get(stored["tool_id"])
    if tool is None:
        raise InvalidToken("Authorization", "the tool registration was removed")
    # Scopes the registration no longer holds are no longer granted.
    return Grant(tool, frozenset(stored["scopes"]).intersection(granted_scopes(tool)))
