"""Deep Linking towards a provider's tool: a publisher of the provider opens the tool's
content picker for a course draft, and the tool's answer becomes the draft's delivery
(Deep Linking 2.0 §4.4 request, §4.5 response; LTI 1.3 §5.1 for the launch itself).

- :func:`start` builds an ``LtiDeepLinkingRequest`` launch (:class:`lti.model.PlatformLaunch`)
  of the draft's tool; :func:`settings_claim` is the ``deep_linking_settings`` claim the
  authorization endpoint adds to its ``id_token``, whose ``data`` is sealed by the hub (course,
  tool, organisation, expiry), so the response is tied to the draft it was asked for.
- :func:`accept_response` takes the tool's ``LtiDeepLinkingResponse`` JWT posted to
  ``/lti/platform/deep-linking/return``: verified with :func:`lti.jwt_checks.verify_jwt`
  against the tool's JWKS URL or public key (``iss`` = the tool's client id, ``aud`` = the hub,
  ``nonce`` consumed once), then its deployment id, message type, version and ``data`` are
  checked, and the first ``ltiResourceLink`` item is stored on the draft's delivery with an
  audit event (the others are listed back). Any refusal stores nothing.
"""

from __future__ import annotations

import base64
import copy
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from hub.errors import Conflict, PermissionDenied, ValidationError
from hub.principal import Principal, Role
from hub.tokens import TokenCodec
from lti.errors import LtiReplay, LtiTokenError
from lti.model import PlatformLaunch
from lti.platform_launch import (
    CONTENT_DEVELOPER,
    INSTRUCTOR,
    context_id_for,
    learner_id_for,
)
from lti.xapi_bridge import learner_agent
from marketplace.service import audit_event, load_visible
from storage.errors import ConcurrentUpdate
from storage.ports import Document, Store
from storage.timestamps import format_timestamp

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
#: Seconds a curator has to pick in the tool (the ``data`` token's lifetime).
PICK_LIFETIME = 3600
#: ``store.once`` scope of the nonces of Deep Linking responses.
NONCE_SCOPE = "lti.platform.deep_linking.nonce"
EDITABLE = ("draft", "changes_requested")


def data_codec(key: Any) -> TokenCodec:
    """The codec of the ``data`` the hub sends and gets back (Deep Linking 2.0 §4.4.1)."""
    return TokenCodec(key, "lti.platform.deep_linking.data", "data")


def start(store: Store, principal: Principal, public_url: str, course_id: str,
          tool_id: str | None) -> PlatformLaunch:
    """The Deep Linking request launch for a course draft of the caller's provider."""
    course = load_visible(store, principal, course_id)
    if not principal.holds_in(course["provider_id"], Role.PUBLISHER):
        raise PermissionDenied("only the provider's publishers pick a course's content")
    if course["state"] not in EDITABLE:
        raise Conflict(f"course {course_id!r} is {course['state']}: content is picked for a "
                       "draft (edit the course to start a new revision)")
    delivery = course["revision"].get("delivery") or {}
    tool = store.lti_tools.get(tool_id or delivery.get("tool") or "")
    if tool is None or tool["org_id"] != course["provider_id"]:
        raise ValidationError.for_field("tool", "no LTI tool of this provider: name one")
    target = (tool.get("deep_linking_url") or tool.get("target_link_uri")
              or tool["redirect_uris"][0])
    learner_id = learner_id_for(principal.org_id, principal.key)
    return PlatformLaunch(
        org_id=principal.org_id, tool_id=tool["id"], course_id=course_id,
        target_link_uri=target, learner_id=learner_id,
        agent=learner_agent(public_url, learner_id),
        roles=(INSTRUCTOR, CONTENT_DEVELOPER),
        context_id=context_id_for(principal.org_id, course_id, tool["id"]),
        resource_link_id=course_id, registration=str(uuid.uuid4()),
        message_type="LtiDeepLinkingRequest")


def settings_claim(codec: TokenCodec, public_url: str, return_url: str,
                   launch: PlatformLaunch, tool: Document, now: float) -> Document:
    """The ``deep_linking_settings`` claim (Deep Linking 2.0 §4.4.1)."""
    data = codec.seal({"course": launch.course_id, "tool": tool["id"], "org": launch.org_id,
                       "actor": launch.learner_id, "exp": int(now) + PICK_LIFETIME})
    return {DL + "deep_linking_settings": {
        "deep_link_return_url": return_url, "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": True, "auto_create": False, "data": data}}


def unverified_issuer(token: Any) -> str:
    """The ``iss`` of a JWT before verification, only to find whose keys verify it."""
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 100_000:
        raise LtiTokenError("JWT", "is not a JWT")
    try:
        payload = token.split(".")[1]
        claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        raise LtiTokenError("JWT", "is not a JWT") from None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    if not isinstance(issuer, str) or not issuer:
        raise LtiTokenError("iss", "is required")
    return issuer


def _claim(claims: Document, name: str, expected: Any = None) -> Any:
    value = claims.get(name)
    if value is None or (expected is not None and value != expected):
        short = name.rsplit("/", 1)[-1]
        raise LtiTokenError(short, "is missing" if value is None else f"must be {expected!r}")
    return value


def resource_links(claims: Document) -> list[Document]:
    """The ``ltiResourceLink`` items of a response (Deep Linking 2.0 §3.2, §4.5.2)."""
    items = claims.get(DL + "content_items") or []
    if not isinstance(items, list):
        raise LtiTokenError("content_items", "must be a list")
    links = [i for i in items if isinstance(i, dict) and i.get("type") == "ltiResourceLink"]
    for index, item in enumerate(links):
        url, custom = item.get("url"), item.get("custom")
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://",
                                                                                "https://"))):
            raise LtiTokenError(f"content_items.{index}.url", "must be a URL")
        if custom is not None and not (isinstance(custom, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in custom.items())):
            raise LtiTokenError(f"content_items.{index}.custom", "must map names to strings")
    return links


def accept_response(store: Store, claims: Document, tool: Document, codec: TokenCodec,
                    consume: Callable[[str, str, str], bool], now: float | None = None
                    ) -> Document:
    """Store the first picked link on the draft; returns ``{"course_id", "items", "stored"}``.

    ``claims`` passed :func:`lti.jwt_checks.verify_jwt` (signature, ``iss``, ``aud``, times)
    without consuming anything; the message checks follow, and the ``nonce`` is consumed
    (``consume`` is ``store.once.consume``) only when all passed, so a refused response has
    used nothing up (LTI 1.3 §5.1.3 item 9)."""
    at = time.time() if now is None else now
    _claim(claims, LTI + "message_type", "LtiDeepLinkingResponse")
    _claim(claims, LTI + "version", "1.3.0")
    _claim(claims, LTI + "deployment_id", tool["deployment_id"])
    data = codec.unseal(_claim(claims, DL + "data"))
    if not isinstance(data, dict) or data.get("tool") != tool["id"]:
        raise LtiTokenError("data", "was issued for another tool")
    if not isinstance(data.get("exp"), int) or data["exp"] <= at:
        raise LtiTokenError("data", "has expired: open the picker again")
    items = resource_links(claims)
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce or len(nonce) > 1024:
        raise LtiTokenError("nonce", "is required")
    if not consume(NONCE_SCOPE, nonce, format_timestamp(
            datetime.fromtimestamp(int(claims.get("exp") or at) + 60, UTC))):
        raise LtiReplay("nonce", "was already used: this response is a replay")
    answer: Document = {"course_id": data["course"], "items": items, "stored": None}
    if items:
        answer["stored"] = store_pick(store, data, tool, items[0])
    return answer


def store_pick(store: Store, data: Document, tool: Document, item: Document) -> Document:
    """The draft's delivery becomes the picked link (compare-and-set with an audit event)."""
    course = store.courses.get(data["course"])
    if course is None or course["provider_id"] != tool["org_id"]:
        raise LtiTokenError("data", "names no course of this tool's provider")
    if course["state"] not in EDITABLE:
        raise Conflict(f"course {course['id']!r} is no longer a draft")
    delivery: Document = {"type": "lti", "tool": tool["id"],
                          "target_link_uri": item.get("url") or tool.get("target_link_uri")
                          or tool["redirect_uris"][0]}
    if item.get("custom"):
        delivery["custom"] = dict(item["custom"])
    updated = copy.deepcopy(course)
    updated["revision"]["delivery"] = delivery
    event = audit_event(course["id"], str(data.get("actor")), str(data.get("org")),
                        course["state"], course["state"], "deep_link",
                        f"picked in tool {tool['id']}: "
                        f"{item.get('title') or delivery['target_link_uri']}",
                        course["revision_number"])
    try:
        store.courses.replace(updated, course["row_version"], event)
    except ConcurrentUpdate:
        raise Conflict("the course changed meanwhile: pick again") from None
    return delivery
