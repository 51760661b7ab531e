"""The platform side's OIDC authorization endpoint: the tool, having received the login
initiation of :mod:`lti.platform_launch`, sends the browser here and the hub answers the signed
``id_token`` (LTI 1.3 §5.1.1.2-§5.1.1.5; OpenID Connect Core §3.1.2.1, Implicit Flow).

Every parameter is checked before anything is signed or stored, and a refusal is a 400 naming
the parameter (:class:`lti.errors.LtiLaunchError`, ``application/problem+json``), never a
redirect: an unregistered ``redirect_uri`` must not receive anything (§5.1.1.2, Security
Framework §5.1.1.1):

- ``scope=openid``, ``response_type=id_token``, ``response_mode=form_post``, ``prompt=none``;
- ``client_id`` names a registered tool, and ``redirect_uri`` is one of its redirect URIs,
  compared exactly (RFC 6749 §3.1.2.3; no prefix matching);
- ``lti_message_hint`` is a hint this hub sealed, not expired, for this tool;
- ``login_hint`` is the hint's learner; ``nonce`` is present (Core §3.2.2.1).

Last, the hint's ``jti`` is consumed once (``store.once``): a replayed hint is refused, and a
refused request has consumed nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hub.tokens import TokenCodec
from lti.errors import LtiLaunchError
from lti.model import PlatformLaunch
from lti.platform_launch import HINT_SCOPE, launch_from_hint
from lti.xapi_bridge import launched_statement, record
from storage.ports import Document, Store
from storage.timestamps import format_timestamp

#: The id_token's lifetime (seconds): the tool validates it at once, on the browser's post.
ID_TOKEN_LIFETIME = 300
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
#: OIDC parameters and the one value each must have (LTI 1.3 §5.1.1.2).
FIXED_PARAMETERS = {"scope": "openid", "response_type": "id_token",
                    "response_mode": "form_post", "prompt": "none"}
MAX_NONCE = 1024


@dataclass(frozen=True)
class Authorized:
    """What the endpoint posts back to the tool: ``id_token`` and ``state`` to
    ``redirect_uri``; and the launch it was for."""

    redirect_uri: str
    id_token: str
    state: str | None
    launch: PlatformLaunch
    tool: Document


def _param(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise LtiLaunchError.for_field(name, "is required")
    return value


def check_request(store: Store, params: Mapping[str, Any], hints: TokenCodec,
                  now: float) -> tuple[Document, PlatformLaunch, str, int]:
    """(tool, launch, hint jti, hint exp) of a valid authorization request; 400 naming the
    parameter otherwise. Stores nothing."""
    for name, expected in FIXED_PARAMETERS.items():
        if _param(params, name) != expected:
            raise LtiLaunchError.for_field(name, f"must be {expected!r}")
    tool = store.lti_tools.get_by_client_id(_param(params, "client_id"))
    if tool is None:
        raise LtiLaunchError.for_field("client_id", "is not a registered tool")
    if _param(params, "redirect_uri") not in tool["redirect_uris"]:
        raise LtiLaunchError.for_field("redirect_uri", "is not registered for this tool")
    decoded = launch_from_hint(hints.unseal(_param(params, "lti_message_hint")))
    if decoded is None:
        raise LtiLaunchError.for_field("lti_message_hint", "is not a token this hub issued")
    launch, jti, exp = decoded
    if exp <= now:
        raise LtiLaunchError.for_field("lti_message_hint", "has expired: launch again")
    if launch.tool_id != tool["id"]:
        raise LtiLaunchError.for_field("lti_message_hint", "was issued for another tool")
    if _param(params, "login_hint") != launch.learner_id:
        raise LtiLaunchError.for_field("login_hint", "is not the learner of this launch")
    if len(_param(params, "nonce")) > MAX_NONCE:
        raise LtiLaunchError.for_field("nonce", f"is longer than {MAX_NONCE} characters")
    return tool, launch, jti, exp


def id_token_claims(public_url: str, tool: Document, launch: PlatformLaunch, nonce: str,
                    now: int, course: Document | None = None,
                    services: Document | None = None) -> Document:
    """The claims of the ``id_token`` (LTI 1.3 §5.3 required, §5.4 optional; Deep Linking 2.0
    §4.4 for a Deep Linking request); ``services`` adds the AGS/NRPS claims."""
    title = ((course or {}).get("live") or (course or {}).get("revision") or {}).get(
        "title", {}).get("en")
    claims: Document = {
        "iss": public_url, "aud": tool["client_id"], "azp": tool["client_id"],
        "sub": launch.learner_id, "iat": now, "exp": now + ID_TOKEN_LIFETIME, "nonce": nonce,
        LTI + "message_type": launch.message_type,
        LTI + "version": "1.3.0",
        LTI + "deployment_id": tool["deployment_id"],
        LTI + "target_link_uri": launch.target_link_uri,
        LTI + "roles": list(launch.roles),
        LTI + "context": {"id": launch.context_id, "title": title, "type": [
            "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
        LTI + "tool_platform": {"guid": public_url, "name": "Karmayogi Hub",
                                "product_family_code": "karmayogi-hub"},
        LTI + "launch_presentation": {"document_target": "window",
                                      **({"return_url": launch.return_url}
                                         if launch.return_url else {})},
        LTI + "custom": dict(launch.custom),
    }
    if launch.message_type == "LtiResourceLinkRequest":
        claims[LTI + "resource_link"] = {"id": launch.resource_link_id, "title": title}
    if launch.name:
        claims["name"] = launch.name
    if launch.email:
        claims["email"] = launch.email
    claims.update(services or {})
    return claims


def advantage_claims(store: Store, launch: PlatformLaunch, public_url: str) -> Document:
    """The AGS endpoint and NRPS claims of a resource-link launch (AGS 2.0 §3.1, NRPS 2.0
    §3.6.1): :func:`lti.platform_services.enrol` records the membership and returns the claims
    the tool's scopes allow."""
    from lti.platform_services import enrol

    return enrol(store, launch, public_url)


def authorize(store: Store, public_url: str, params: Mapping[str, Any], hints: TokenCodec,
              sign: Callable[[Document], str],
              consume: Callable[[str, str, str], bool],
              extra_claims: Callable[[PlatformLaunch, Document], Document] | None = None,
              now: float | None = None) -> Authorized:
    """Check the request, consume its hint once, sign the ``id_token``. ``consume`` is
    ``store.once.consume``; ``extra_claims(launch, tool)`` adds message-specific claims (Deep
    Linking settings)."""
    at = time.time() if now is None else now
    tool, launch, jti, exp = check_request(store, params, hints, at)
    nonce = _param(params, "nonce")
    course = store.courses.get(launch.course_id)
    extra = extra_claims(launch, tool) if extra_claims is not None else {}

    def enrol_and_consume() -> Document:
        services: Document = {}
        if launch.message_type == "LtiResourceLinkRequest":
            services = advantage_claims(store, launch, public_url)
        # Consumed last: a request refused above has used nothing up (LTI 1.3 §5.1.1.5: a
        # hint is good for one launch); a replayed hint also rolls the enrolment back.
        if not consume(HINT_SCOPE, jti, format_timestamp(datetime.fromtimestamp(exp, UTC))):
            raise LtiLaunchError.for_field("lti_message_hint", "was already used: launch again")
        return services

    # The enrolment and the hint's consumption in one write (one commit on SQLite).
    services = {**store.write(enrol_and_consume), **extra}
    claims = id_token_claims(public_url, tool, launch, nonce, int(at), course, services)
    return Authorized(params["redirect_uri"], sign(claims), params.get("state") or None,
                      launch, tool)



def record_launch(store: Store, blobs: Any, public_url: str, done: Authorized) -> None:
    """The platform side's ``launched`` statement of a resource-link launch, in the launching
    organisation's LRS (DESIGN.md "Tenancy"), naming the tool registration, deployment, context
    and resource link (the xAPI bridge's context extensions)."""
    launch = done.launch
    course = store.courses.get(launch.course_id) or {}
    record(store, blobs, public_url, launch.org_id, [launched_statement(
        public_url, learner_id=launch.learner_id, course_id=launch.course_id,
        registration=launch.registration,
        course_name=((course.get("live") or {}).get("title") or {}).get("en"),
        tool_registration=done.tool["id"], deployment_id=done.tool["deployment_id"],
        context_id=launch.context_id, resource_link_id=launch.resource_link_id,
        message_type=launch.message_type)])
