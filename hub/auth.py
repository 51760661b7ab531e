"""Organisations, credentials and roles.

Every credential belongs to one organisation and carries roles. Clients authenticate with HTTP
Basic (``key:secret``) or ``Authorization: Bearer key:secret``. Secrets are 256-bit random tokens,
so a single SHA-256 is a sufficient hash (nothing to brute-force, unlike a password) and keeps
authentication cheap on the xAPI ingest path; secrets are compared in constant time.

What an authenticated :class:`~hub.principal.Principal` may do, and for which organisation, is
decided in :mod:`hub.principal`, with the vocabulary of roles and organisation kinds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, g, request

from hub import throttle
from hub.context import get_store
from hub.errors import AuthenticationError, Conflict, PermissionDenied, ValidationError
from hub.principal import ORG_KINDS, ROLES, Principal
from storage.ports import Store
from storage.timestamps import utcnow

F = TypeVar("F", bound=Callable[..., Any])


def hash_secret(secret: str) -> str:
    """The stored form of a credential secret."""
    return "sha256$" + hashlib.sha256(secret.encode()).hexdigest()


# --- service functions (used by the CLI and the admin API) -------------------------------------


def create_organisation(store: Store, name: str, kind: str, country: str | None = None,
                        contact: str | None = None, org_id: str | None = None) -> dict[str, Any]:
    """Create an organisation; names are unique."""
    if kind not in ORG_KINDS:
        raise ValidationError.for_field("kind", f"must be one of {', '.join(ORG_KINDS)}")
    if not name or not name.strip():
        raise ValidationError.for_field("name", "must not be empty")
    if store.organisations.get_by_name(name.strip()):
        raise Conflict(f"an organisation named {name.strip()!r} exists")
    org = {
        "id": org_id or "org_" + uuid.uuid4().hex[:16],
        "name": name.strip(),
        "kind": str(kind),  # an OrgKind is stored as its plain value
        "country": country,
        "contact": contact,
        "created_at": utcnow(),
    }
    store.organisations.add(org)
    return org


def create_credential(store: Store, org_id: str, roles: Iterable[str],
                      label: str | None = None) -> dict[str, Any]:
    """Create a credential; returns ``{"key", "secret", ...}``.

    This is the only time the secret is shown: only its hash is stored."""
    roles = sorted({str(role) for role in roles})  # a Role is stored as its plain value
    bad = [r for r in roles if r not in ROLES]
    if bad or not roles:
        raise ValidationError.for_field(
            "roles", f"unknown or no roles {bad}; use {', '.join(ROLES)}"
        )
    if store.organisations.get(org_id) is None:
        raise ValidationError.for_field("org", f"no organisation {org_id!r}")
    key = "k_" + secrets.token_hex(12)
    secret = secrets.token_urlsafe(32)
    store.credentials.add({
        "key": key,
        "secret_hash": hash_secret(secret),
        "org_id": org_id,
        "roles": roles,
        "label": label,
        "revoked": False,
        "created_at": utcnow(),
    })
    return {"key": key, "secret": secret, "org_id": org_id, "roles": roles}


#: ``authenticator(store, key, secret)`` of keys that are not credentials (content session
#: tokens, registered by :func:`xapi.init_app`): the principal, or None when unknown, wrong
#: or expired.
KeyAuthenticator = Callable[[Store, str, str], Principal | None]
#: key prefix -> (authenticator, path prefixes where its principals are admitted).
_key_schemes: dict[str, tuple[KeyAuthenticator, tuple[str, ...]]] = {}


def register_key_scheme(prefix: str, authenticator: KeyAuthenticator,
                        paths: tuple[str, ...]) -> None:
    """Keys starting with ``prefix`` are authenticated by ``authenticator``, and admitted only
    on request paths under ``paths`` (elsewhere 403): a content token must not reach an API
    whose services trust any principal of the organisation. Credential keys start ``k_``."""
    _key_schemes[prefix] = (authenticator, paths)


def _scheme_of(key: str) -> tuple[KeyAuthenticator, tuple[str, ...]] | None:
    for prefix, scheme in _key_schemes.items():
        if key.startswith(prefix):
            return scheme
    return None


def authenticate(store: Store, key: str, secret: str) -> Principal | None:
    """The principal for a key and secret, or None."""
    scheme = _scheme_of(key)
    if scheme is not None:
        return scheme[0](store, key, secret)
    cred = store.credentials.get(key)
    if cred is None or cred.get("revoked"):
        return None
    if not hmac.compare_digest(cred["secret_hash"], hash_secret(secret)):
        return None
    org = store.organisations.get(cred["org_id"]) or {}
    return Principal(key, cred["org_id"], org.get("kind", ""), org.get("name", ""),
                     frozenset(cred.get("roles", ())))


# --- request side ---------------------------------------------------------------------------


def _malformed(reason: str) -> AuthenticationError:
    return AuthenticationError(f"Authorization: {reason}",
                               errors={"Authorization": [reason]})


def _credentials_from_header(header: str | None) -> tuple[str, str] | None:
    """(key, secret) of an ``Authorization`` header, None when there is none.

    A header that is there but malformed is a 401 naming it (RFC 9110 §11.6.2), whatever its
    bytes: WSGI hands headers over as latin-1 text, so non-ASCII, bad base64 and non-UTF-8
    credentials all arrive here and must not escape as anything but an authentication error."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic":
        try:
            # ValueError covers binascii.Error and the "only ASCII characters" refusal.
            decoded = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
        except (ValueError, UnicodeError):
            raise _malformed("Basic credentials must be base64 of UTF-8 key:secret") from None
    elif scheme == "bearer":
        decoded = value
    else:
        raise _malformed("use the Basic or Bearer scheme with key:secret")
    key, sep, secret = decoded.partition(":")
    if not sep or not key:
        raise _malformed("credentials must be key:secret")
    return key, secret


def authenticate_throttled(store: Store, key: str, secret: str) -> Principal | None:
    """:func:`authenticate` behind the failed-authentication throttle (:mod:`hub.throttle`):
    429 while the key or the client address is locked out, even for the right secret; a
    failure is counted against both. ``request.remote_addr`` is the address: behind a reverse
    proxy, the operator wraps the app in werkzeug's ``ProxyFix`` (X-Forwarded-For is not
    trusted by default, since any client can send it)."""
    throttle = current_app.extensions["hub.throttle"]
    address = request.remote_addr or "unknown"
    throttle.check(key, address)
    principal = authenticate(store, key, secret)
    if principal is None:
        throttle.failed(key, address)
    return principal


#: The 401 challenge (RFC 9110 §11.6.1) for a script in a browser: ``Basic`` would make the
#: browser open a password dialog over the page (an AU running in the learner's browser would
#: stall behind it, and the learner has no password to give), so a scheme browsers do not
#: prompt for is named instead. Other clients get ``Basic``.
_SCRIPT_CHALLENGE = {"WWW-Authenticate": 'xBasic realm="karmayogi-hub"'}
_BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="karmayogi-hub"'}


def _challenge() -> dict[str, str]:
    """The challenge for this request: a browser marks a script's request with
    ``Sec-Fetch-Mode`` other than ``navigate`` (Fetch §3.1, a header pages cannot set)."""
    mode = request.headers.get("Sec-Fetch-Mode")
    return dict(_SCRIPT_CHALLENGE if mode and mode != "navigate" else _BASIC_CHALLENGE)


def current_principal(required: bool = True) -> Principal | None:
    """The caller of this request (cached on ``g``); 401 when required and absent or wrong."""
    if "principal" in g:
        principal: Principal | None = g.principal
    else:
        pair = _credentials_from_header(request.headers.get("Authorization"))
        principal = authenticate_throttled(get_store(), *pair) if pair else None
        if pair and principal is None:
            raise AuthenticationError("unknown key or wrong secret", headers=_challenge())
        scheme = _scheme_of(pair[0]) if pair else None
        if scheme is not None and not request.path.startswith(scheme[1]):
            raise PermissionDenied("this credential is not valid on this path")
        g.principal = principal
    if principal is None and required:
        raise AuthenticationError("this endpoint needs a credential (HTTP Basic key:secret)",
                                  headers=_challenge())
    return principal


def caller() -> Principal:
    """The authenticated caller of this request: :func:`current_principal`, required (401
    without a credential), typed for routes that always need one."""
    principal = current_principal(required=True)
    assert principal is not None
    return principal


def require_roles(*roles: str) -> Callable[[F], F]:
    """View decorator: the caller must hold one of ``roles`` (or ``admin``)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            assert principal is not None
            if roles and not principal.has(*roles):
                raise PermissionDenied(f"this needs one of the roles: {', '.join(roles)}")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    """The vocabulary, and the failed-authentication throttle of this process."""
    app.extensions["hub.auth"] = {"roles": ROLES, "org_kinds": ORG_KINDS}
    throttle.init_app(app, app.extensions["hub.config"])
