"""The platform side's launch: the hub sends a learner to a provider's LTI 1.3 tool.

A launch starts with OIDC third-party initiated login (LTI 1.3 §5.1.1, OpenID Connect Core
§4): :func:`begin` answers the URL of the tool's ``initiate_login_url`` with ``iss``,
``login_hint``, ``target_link_uri``, ``lti_message_hint``, ``client_id`` and
``lti_deployment_id``. The tool redirects the browser to the hub's authorization endpoint
(:mod:`lti.platform_authorize`), which issues the ``id_token``.

The hub keeps no session for the launch in between: everything the authorization endpoint
needs (the whole :class:`lti.model.PlatformLaunch`) travels in ``lti_message_hint``, sealed
(encrypted and signed, :class:`hub.tokens.TokenCodec`) so the tool can neither read nor edit
it, expiring after :data:`HINT_LIFETIME` seconds, with a ``jti`` the authorization endpoint
consumes once (``store.once``), so a hint cannot be replayed.

:func:`course_launch` builds the launch of a published ``lti`` course: the launch API here and
the tool side's onward launch (an LMS launches a catalogue course whose delivery is a
provider's tool) both use it.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from hub.errors import Conflict, NotFound
from hub.tokens import TokenCodec
from lti.model import PlatformLaunch
from lti.xapi_bridge import learner_agent
from storage.ports import Document, Store

#: Seconds between the login initiation and the authorization request (a browser's hops).
HINT_LIFETIME = 300
#: ``store.once`` scope of consumed message hints.
HINT_SCOPE = "lti.platform.message_hint"
#: The hint's token purpose: a token of any other kind is refused as a hint.
HINT_PURPOSE = "lti.platform.message_hint"

#: LIS role vocabulary (LTI 1.3 §A.2.3, context roles).
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LEARNER = MEMBERSHIP + "Learner"
INSTRUCTOR = MEMBERSHIP + "Instructor"
CONTENT_DEVELOPER = MEMBERSHIP + "ContentDeveloper"
#: Names the launch API accepts, as role URIs.
CONTEXT_ROLES: dict[str, str] = {name: MEMBERSHIP + name for name in (
    "Learner", "Instructor", "ContentDeveloper", "Mentor", "TeachingAssistant")}

_IDS = uuid.UUID("6f1c1d2e-9d0b-4c55-8f0e-3b1f0c7a9e51")  # namespace of the derived ids


def message_hints(key: Any) -> TokenCodec:
    """The codec of ``lti_message_hint`` tokens under the hub's token key."""
    return TokenCodec(key, HINT_PURPOSE, "lti_message_hint")


def current_hints() -> TokenCodec:
    """The codec for the current app (``hub.token_key``)."""
    from flask import current_app

    return message_hints(current_app.extensions["hub.token_key"])


def derived_id(prefix: str, *parts: str) -> str:
    """A stable id derived from ``parts`` (UUIDv5): the same inputs always give the same id,
    and the id does not show them."""
    return prefix + uuid.uuid5(_IDS, "\x1f".join(parts)).hex


def learner_id_for(org_id: str, learner: str) -> str:
    """The hub's learner id for an organisation's own id of a learner (the launch API)."""
    return derived_id("lrn_", org_id, learner)


def context_id_for(org_id: str, course_id: str, tool_id: str) -> str:
    """The hub's LTI context of (organisation, course, tool): AGS line items and the NRPS
    roster are scoped to it (LTI 1.3 §5.4.1, context claim)."""
    return derived_id("ctx_", org_id, course_id, tool_id)


def lti_delivery(store: Store, course_id: str, *, live: bool = True) -> tuple[Document, Document]:
    """(course, tool registration) of a course delivered by a provider's tool: its live
    version (the published course learners launch) or, ``live=False``, its working revision.
    404 when the course or its tool is gone; 409 when the course is not an ``lti`` course."""
    course = store.courses.get(course_id)
    content = (course or {}).get("live" if live else "revision")
    if course is None or content is None:
        raise NotFound(f"no published course {course_id!r}")
    delivery = content.get("delivery") or {}
    if delivery.get("type") != "lti" or "tool" not in delivery:
        raise Conflict(f"course {course_id!r} is not delivered by an LTI tool")
    tool = store.lti_tools.get(delivery["tool"])
    if tool is None or tool["org_id"] != course["provider_id"]:
        raise NotFound(f"the LTI tool of course {course_id!r} is no longer registered")
    return course, tool


def course_launch(store: Store, public_url: str, course_id: str, org_id: str, learner_id: str,
                  roles: tuple[str, ...] = (LEARNER,), *, name: str | None = None,
                  email: str | None = None, return_url: str | None = None,
                  registration: str | None = None) -> PlatformLaunch:
    """The launch of a published ``lti`` course for a learner, on behalf of ``org_id`` (the
    launching LMS, or the caller of the launch API): its statements and membership belong to
    that organisation. ``registration`` is the xAPI attempt (a new one when None)."""
    course, tool = lti_delivery(store, course_id)
    delivery = course["live"]["delivery"]
    return PlatformLaunch(
        org_id=org_id, tool_id=tool["id"], course_id=course_id,
        target_link_uri=delivery["target_link_uri"], learner_id=learner_id,
        agent=learner_agent(public_url, learner_id),
        roles=tuple(roles), context_id=context_id_for(org_id, course_id, tool["id"]),
        resource_link_id=course_id, registration=registration or str(uuid.uuid4()),
        name=name, email=email, return_url=return_url,
        custom=dict(delivery.get("custom") or {}))


def begin(store: Store, config: Any, launch: PlatformLaunch, hints: TokenCodec | None = None,
          now: float | None = None) -> str:
    """The URL of the tool's OIDC login initiation for ``launch`` (LTI 1.3 §5.1.1.1): the
    browser is sent there (302 or a link); 404 when the tool registration is gone."""
    tool = store.lti_tools.get(launch.tool_id)
    if tool is None:
        raise NotFound(f"no tool registration {launch.tool_id!r}")
    issued = time.time() if now is None else now
    hint = (hints or current_hints()).seal({
        "jti": uuid.uuid4().hex, "exp": int(issued) + HINT_LIFETIME,
        "launch": dataclasses.asdict(launch)})
    params = {"iss": config.public_url, "login_hint": launch.learner_id,
              "target_link_uri": launch.target_link_uri, "lti_message_hint": hint,
              "client_id": tool["client_id"], "lti_deployment_id": tool["deployment_id"]}
    return with_query(tool["initiate_login_url"], params)


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` added to its query (a registered URL may carry one)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def launch_from_hint(payload: Any) -> tuple[PlatformLaunch, str, int] | None:
    """(launch, jti, exp) of an unsealed hint payload, or None when it has not that shape."""
    try:
        fields = dict(payload["launch"])
        fields["roles"] = tuple(fields["roles"])
        launch = PlatformLaunch(**fields)
        jti, exp = payload["jti"], payload["exp"]
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(jti, str) or not isinstance(exp, int):
        return None
    return launch, jti, exp
