"""Small sealed, expiring values the tool side hands to a browser or an LMS and must get back
unchanged: the OIDC ``state`` of a login (LTI 1.3 §5.1.1.2) and the one-time Dynamic
Registration ticket. Sealed with the hub's :class:`hub.sealing.SecretBox` (encrypted and
authenticated), so their content is neither readable nor forgeable by the client; each names
its purpose, so one kind never opens as another.

A sealed value is not single-use by itself: its ``sid`` is consumed once through
``store.once`` by the step that uses it.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from hub.sealing import SealedUnreadable, app_box
from lti.errors import LtiLaunchError
from storage.timestamps import format_timestamp

#: Longest sealed value accepted (a state is ~300 characters; anything far longer is junk).
MAX_SEALED_CHARS = 4096


def seal(purpose: bytes, payload: dict[str, Any], ttl: int) -> tuple[str, int]:
    """The sealed token of ``payload`` and its expiry (epoch seconds), ``ttl`` from now."""
    exp = int(time.time()) + ttl
    return app_box(purpose).seal(orjson.dumps({**payload, "exp": exp})), exp


def unseal(purpose: bytes, token: str | None, field: str) -> dict[str, Any]:
    """The payload of a sealed token of ``purpose`` that has not expired; otherwise
    :class:`~lti.errors.LtiLaunchError` naming ``field`` (the request parameter)."""
    if not token:
        raise LtiLaunchError(f"{field}: missing", errors={field: ["missing"]})
    if len(token) > MAX_SEALED_CHARS:
        raise LtiLaunchError(f"{field}: not one the hub issued", errors={
            field: ["not one the hub issued"]})
    try:
        payload = orjson.loads(app_box(purpose).open(token))
    except (SealedUnreadable, orjson.JSONDecodeError):
        raise LtiLaunchError(f"{field}: not one the hub issued", errors={
            field: ["not one the hub issued"]}) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
        raise LtiLaunchError(f"{field}: malformed", errors={field: ["malformed"]})
    if payload["exp"] <= time.time():
        raise LtiLaunchError(f"{field}: expired", errors={field: ["expired"]})
    return payload


def expiry_timestamp(exp: int) -> str:
    """``exp`` (epoch seconds) as the store's timestamp (for ``store.once``)."""
    from datetime import UTC, datetime

    return format_timestamp(datetime.fromtimestamp(exp, UTC))
