"""AU session tokens: the one-time ``fetch`` URL (cmi5 §8.2) and the scoped token it hands out.

- :func:`mint_session` (called by the launch) stores a content session and returns its fetch
  URL, ``{public_url}/xapi/cmi5/fetch/<fetch id>``. The fetch id is 256 random bits, stored
  only as its SHA-256.
- :func:`fetch_token` answers the AU's POST to that URL: the first time
  ``{"auth-token": base64(key:secret)}`` — the AU sends it as ``Authorization: Basic <auth-token>``
  (cmi5 §8.2.1, RFC 1945 §11.1) — then the cmi5 error ``{"error-code": "1", ...}`` (§8.2.3.1;
  "2" for an id the hub never issued, §8.2.3.2). The secret is made at that moment and stored
  only hashed, so the hub never holds a usable token. Both answer HTTP 200 (§8.2.1).
- :func:`authenticate_token` turns ``key:secret`` into a :class:`~hub.principal.Principal` with a
  :class:`~hub.principal.ContentScope` and no roles, until the session expires
  (``HUB_CMI5_TOKEN_TTL``; cmi5 §8.2.1 "limited to the duration of the session"); afterwards
  401.
- The ``check_*`` functions say what such a principal reaches: its learner's statements in its
  registration about its AU (writing), its registration's statements (reading: an AU must know
  whether it already completed or passed, cmi5 §9.3.3/§9.3.4), the State documents of its
  learner, AU and registration (``LMS.LaunchData`` read-only, §10.2.1 "The AU MUST NOT modify or
  delete"), and its learner's ``cmi5LearnerPreferences`` read-only (§11 lets the LMS answer 403
  to a change). Anything else is 403.

A session of an xAPI package (``tincan.xml``, no fetch URL: the launch hands the token out
itself) has no single AU: its ``activity_id`` is ``""``, and its token reaches any activity of
its learner in its registration (a package reports on the many activities its tincan.xml
names).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.auth import hash_secret
from hub.errors import PermissionDenied
from hub.principal import ContentScope, Principal
from storage.ports import Store
from storage.timestamps import format_timestamp, utcnow
from xapi.cmi5_rules import is_cmi5_defined
from xapi.cmi5_vocabulary import LAUNCH_DATA, LEARNER_PREFERENCES
from xapi.index_keys import agent_key

#: Token keys start so (credential keys start ``k_``): :func:`hub.auth.register_key_scheme`.
KEY_PREFIX = "au_"
#: The organisation kind of a token's principal: no role check knows it, so it never reads
#: across organisations and no organisation-wide service admits it.
SESSION_KIND = "content-session"
#: cmi5 §8.2.3.2 error codes.
ALREADY_USED = "1"
SECURITY_ERROR = "2"


def _fetch_hash(fetch_id: str) -> str:
    return "sha256$" + hashlib.sha256(fetch_id.encode()).hexdigest()


def fetch_path(fetch_id: str) -> str:
    """The path of a fetch URL (the route is :mod:`xapi.cmi5_routes`)."""
    return f"/xapi/cmi5/fetch/{fetch_id}"


def mint_session(store: Store, public_url: str, ttl_seconds: int, *, org_id: str,
                 agent: dict[str, Any], registration: str, activity_id: str, au_id: str,
                 course_id: str, session_id: str, launch_mode: str = "Normal") -> str:
    """Store a content session for one launch; returns its one-time fetch URL."""
    fetch_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    store.cmi5.add_session({
        "key": KEY_PREFIX + secrets.token_hex(12),
        "fetch_hash": _fetch_hash(fetch_id),
        "secret_hash": None,
        "org_id": org_id,
        "agent": agent,
        "agent_key": agent_key(agent),
        "registration": registration.lower(),
        "activity_id": activity_id,
        "au_id": au_id,
        "course_id": course_id,
        "session_id": session_id,
        "launch_mode": launch_mode,
        "created_at": format_timestamp(now),
        "expires_at": format_timestamp(now + timedelta(seconds=ttl_seconds)),
        "fetched_at": None,
    })
    return public_url.rstrip("/") + fetch_path(fetch_id)


def fetch_token(store: Store, fetch_id: str) -> dict[str, str]:
    """The body of the fetch URL's answer (always HTTP 200, cmi5 §8.2.1)."""
    secret = secrets.token_urlsafe(32)
    fetch_hash = _fetch_hash(fetch_id)
    session = store.cmi5.claim_fetch(fetch_hash, hash_secret(secret), utcnow())
    if session is not None:
        pair = f"{session['key']}:{secret}".encode()
        return {"auth-token": base64.b64encode(pair).decode("ascii")}
    if store.cmi5.get_by_fetch(fetch_hash) is not None:
        return {"error-code": ALREADY_USED,
                "error-text": "The authorization token has already been returned, or the "
                              "session has expired."}
    return {"error-code": SECURITY_ERROR, "error-text": "This fetch URL is not valid."}


def fetch_url_id(fetch_url: str) -> str:
    """The fetch id at the end of a fetch URL (what the route receives)."""
    return fetch_url.rsplit("/", 1)[-1]


def authenticate_token(store: Store, key: str, secret: str) -> Principal | None:
    """The principal of a content session's token; None when unknown, wrong, not fetched yet,
    expired or its session closed (abandoned, or terminated a grace period ago: cmi5 §9.3.7,
    §9.3.8; the caller answers 401)."""
    session = store.cmi5.get_session(key)
    if session is None or not session.get("secret_hash"):
        return None
    if not hmac.compare_digest(session["secret_hash"], hash_secret(secret)):
        return None
    now = utcnow()
    if session["expires_at"] <= now or (session.get("closed_at") or "9") <= now:
        return None
    org = store.organisations.get(session["org_id"]) or {}
    scope = ContentScope(agent=session["agent_key"], registration=session["registration"],
                         activity_id=session["activity_id"], session_id=session["session_id"])
    return Principal(key=key, org_id=session["org_id"], org_kind=SESSION_KIND,
                     org_name=org.get("name", ""), roles=frozenset(), scope=scope)


def _deny(what: str) -> PermissionDenied:
    return PermissionDenied(f"an AU session token (cmi5 §8.2) {what}")


def check_statements(scope: ContentScope, statements: list[Any]) -> None:
    """403 unless every statement's actor is the token's learner, its registration the token's
    and its object the token's AU (a cmi5 defined statement without a registration is left to
    :mod:`xapi.cmi5_rules`, which refuses it with 400)."""
    for stmt in statements:
        if not isinstance(stmt, dict):
            continue  # validation refused it already
        if agent_key(stmt.get("actor")) != scope.agent:
            raise _deny("writes statements of its own learner only (actor)")
        if scope.activity_id and ("id" not in stmt or "timestamp" not in stmt):
            # cmi5 §9.1 and §9.7: the AU assigns every statement's id (a retry is then
            # recognised) and its timestamp (when the learner did it, not when it arrived).
            raise _deny("gives each statement its id (cmi5 §9.1) and timestamp (§9.7)")
        if scope.activity_id and not str(stmt["timestamp"]).upper().endswith(_UTC_ENDINGS):
            raise _deny("gives timestamps in UTC (cmi5 §9.7: 'Z' or +00:00)")
        context = stmt.get("context")
        registration = context.get("registration") if isinstance(context, dict) else None
        if registration is None:
            if is_cmi5_defined(stmt):
                continue
            raise _deny("writes statements of its own registration only")
        if not isinstance(registration, str) or registration.lower() != scope.registration:
            raise _deny("writes statements of its own registration only")
        obj = stmt.get("object")
        if scope.activity_id and (not isinstance(obj, dict)
                                  or obj.get("id") != scope.activity_id):
            raise _deny("writes statements about its own AU only (object.id)")


#: How an ISO 8601 timestamp in UTC ends (cmi5 §9.7 asks AUs for UTC).
_UTC_ENDINGS = ("Z", "+00:00", "+0000", "+00")


def query_keys(scope: ContentScope) -> tuple[str, ...]:
    """Index keys every statement query of a token adds: its registration and its learner."""
    return ("reg|" + scope.registration, "agent|" + scope.agent)


def may_read_statement(scope: ContentScope, stmt: dict[str, Any]) -> bool:
    """Whether a single statement (``statementId``) is the token's learner's in its
    registration."""
    context = stmt.get("context")
    registration = context.get("registration") if isinstance(context, dict) else None
    return (agent_key(stmt.get("actor")) == scope.agent and isinstance(registration, str)
            and registration.lower() == scope.registration)


def check_state(scope: ContentScope, method: str, activity_id: str, agent: str,
                registration: str | None, state_id: str | None) -> None:
    """State Resource (xAPI Communication 2.3): its learner, AU and registration only;
    ``LMS.LaunchData`` read-only (cmi5 §10.2.1); no DELETE of every document (it would take
    the LaunchData with it)."""
    if (agent != scope.agent or registration != scope.registration
            or (scope.activity_id and activity_id != scope.activity_id)):
        raise _deny("reaches the State documents of its learner, AU and registration only")
    if method not in ("GET", "HEAD") and (state_id is None or state_id == LAUNCH_DATA):
        raise _deny(f"may not change {LAUNCH_DATA} (cmi5 §10.2.1)")


def check_agent_profile(scope: ContentScope, method: str, agent: str,
                        profile_id: str | None) -> None:
    """Agent Profile Resource: reads its learner's ``cmi5LearnerPreferences`` (cmi5 §11);
    a change is refused with 403, which cmi5 §11 allows and the AU must not treat as an
    error."""
    if method not in ("GET", "HEAD"):
        raise _deny(f"may not change {LEARNER_PREFERENCES} (cmi5 §11: the LMS may refuse)")
    if agent != scope.agent or profile_id != LEARNER_PREFERENCES:
        raise _deny(f"reads its learner's {LEARNER_PREFERENCES} only")
