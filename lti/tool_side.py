"""What the hub does with an LMS's validated launch (the tool side, DESIGN.md "LTI 1.3"):
resolve the learner, build the :class:`~lti.model.ToolLaunch`, record the ``launched``
statement in the LMS organisation's LRS, hand the launch to the pass-back services, and send
the browser on by the course's delivery:

- ``external``: a redirect to the course's URL;
- ``xapi``/``cmi5``: a redirect to the hub's player page with a sealed ticket naming the
  learner (:func:`player_page`);
- ``lti``: the platform side launches the provider's tool (an onward launch,
  :func:`onward_launch`);
- an ``LtiDeepLinkingRequest``: the content picker (:func:`deep_linking`).

The parts built by other modules of the package are reached through one named call site each
(:func:`after_launch`, :func:`onward_launch`, :func:`deep_linking`).
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import unquote

from flask import redirect
from werkzeug.wrappers import Response

from hub.errors import NotFound, Unavailable
from lti import links, xapi_bridge
from lti.model import ToolLaunch
from lti.tool_launch import (
    DEEP_LINKING_REQUEST,
    DEPLOYMENT_ID,
    MESSAGE_TYPE,
    RESOURCE_LINK,
    ROLES,
    TARGET_LINK_URI,
    HubMessageLaunch,
)
from lti.tool_login import launch_error
from marketplace import learner_launches
from storage.ports import Document, Store

CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
LAUNCH_PRESENTATION = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"


def course_of(public_url: str, claims: dict[str, Any]) -> str | None:
    """The catalogue course a launch names: its ``target_link_uri`` when it is a course link
    of the hub (:func:`lti.links.course_target_link`), else the ``course_id`` custom parameter
    (LTI 1.3 §5.4.1) that the hub's Deep Linking items carry."""
    prefix = links.course_target_link(public_url, "")
    target = claims.get(TARGET_LINK_URI)
    if isinstance(target, str) and target.startswith(prefix):
        course_id = unquote(target[len(prefix):])
        if not course_id or "/" in course_id or "?" in course_id:
            raise launch_error("target_link_uri", "not a course link of this hub")
        return course_id
    custom = claims.get(CUSTOM)
    value = custom.get("course_id") if isinstance(custom, dict) else None
    return value if isinstance(value, str) and value else None


def attempt_registration(public_url: str, registration_id: str, deployment_id: str,
                         context_id: str | None, resource_link_id: str | None,
                         learner_id: str) -> str:
    """The xAPI ``context.registration`` of a learner's attempt at a resource link: the same
    UUID on every launch of that link by that learner (UUID v5), so that launches, results and
    the completion sent back by AGS are one attempt."""
    name = "/".join((public_url, "lti", registration_id, deployment_id, context_id or "",
                     resource_link_id or "", learner_id))
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _display_name(claims: dict[str, Any]) -> str | None:
    name = claims.get("name")
    if isinstance(name, str) and name:
        return name
    parts = [claims.get(k) for k in ("given_name", "family_name")]
    joined = " ".join(p for p in parts if isinstance(p, str) and p)
    return joined or None


def tool_launch(store: Store, public_url: str, validated: HubMessageLaunch) -> ToolLaunch:
    """The :class:`ToolLaunch` of a validated launch; the learner is resolved (created on
    first sight, name and e-mail stored only when the LMS sent them, LTI 1.3 §5.3.6)."""
    claims, registration = validated.claims, validated.stored
    assert registration is not None
    email = claims.get("email")
    learner = store.learners.resolve(
        registration["issuer"], claims["sub"], registration["org_id"],
        name=_display_name(claims), email=email if isinstance(email, str) and email else None)
    # Issue 13: the launch keeps the learner's record (in the LMS's organisation) current;
    # a bad custom value is ignored there, never a failed launch.
    learner_launches.record_launched_learner(
        store, registration["org_id"], learner["id"], public_url, _display_name(claims),
        claims.get(CUSTOM), claims.get(LAUNCH_PRESENTATION))
    link = claims.get(RESOURCE_LINK) or {}
    context = claims.get(CONTEXT)
    context_id = context.get("id") if isinstance(context, dict) else None
    context_id = context_id if isinstance(context_id, str) and context_id else None
    deployment_id = claims[DEPLOYMENT_ID]
    return ToolLaunch(
        org_id=registration["org_id"], registration_id=registration["id"],
        issuer=registration["issuer"], client_id=registration["client_id"],
        deployment_id=deployment_id, message_type=claims[MESSAGE_TYPE],
        learner_id=learner["id"], agent=xapi_bridge.learner_agent(public_url, learner["id"]),
        roles=tuple(claims[ROLES]), course_id=course_of(public_url, claims),
        resource_link_id=link.get("id"), context_id=context_id,
        registration=attempt_registration(public_url, registration["id"], deployment_id,
                                          context_id, link.get("id"), learner["id"]),
        claims=claims)


def published(store: Store, course_id: str) -> Document:
    """The published course a launch names (404 otherwise: a retired or unknown course)."""
    course = store.courses.get(course_id)
    if course is None or course.get("live") is None:
        raise NotFound(f"no published course {course_id!r}")
    return course


def _title(live: Document) -> str | None:
    title = live.get("title")
    if isinstance(title, dict) and title:
        return str(title.get("en") or next(iter(title.values())))
    return None


def record_launch(store: Store, blobs: Any, public_url: str, launch: ToolLaunch,
                  course: Document) -> list[str]:
    """The ``launched`` statement of the launch, in the LMS organisation's LRS."""
    statement = xapi_bridge.launched_statement(
        public_url, learner_id=launch.learner_id, course_id=str(course["id"]),
        registration=launch.registration, course_name=_title(course["live"]),
        platform_registration=launch.registration_id, deployment_id=launch.deployment_id,
        context_id=launch.context_id, resource_link_id=launch.resource_link_id,
        message_type=launch.message_type)
    return xapi_bridge.record(store, blobs, public_url, launch.org_id, [statement])


def after_launch(store: Store, launch: ToolLaunch) -> None:
    """Remember what the launch offers for AGS/NRPS, so a completion recorded in the LRS can be
    sent back to the LMS (:func:`lti.tool_services.remember_launch`)."""
    from lti import tool_services

    tool_services.remember_launch(store, launch)


def deep_linking(launch: ToolLaunch) -> Response:
    """Open the content picker of a Deep Linking request (:func:`lti.deep_linking.start`)."""
    from lti import deep_linking as picker

    response: Response = picker.start(launch)
    return response


def onward_launch(store: Store, config: Any, launch: ToolLaunch, course: Document) -> str:
    """The URL of the provider tool's login for the onward launch of an ``lti`` course
    (:func:`lti.platform_launch.course_launch` then ``begin``): the same learner, roles and
    attempt as the LMS's launch, on behalf of the LMS's organisation."""
    from lti import platform_launch as platform

    claims = launch.claims
    email = claims.get("email")
    presentation = claims.get(LAUNCH_PRESENTATION)
    return_url = presentation.get("return_url") if isinstance(presentation, dict) else None
    onward = platform.course_launch(
        store, config.public_url, str(course["id"]), launch.org_id, launch.learner_id,
        launch.roles, name=_display_name(claims),
        email=email if isinstance(email, str) else None,
        return_url=return_url if isinstance(return_url, str) else None,
        registration=launch.registration)
    url: str = platform.begin(store, config, onward)
    return url


def player_page(public_url: str, launch: ToolLaunch, course: Document) -> str:
    """The player page of a packaged course with a sealed, short-lived ticket naming the
    learner, the organisation, the course and the attempt's registration
    (:func:`lti.player_routes.ticket_url`): the page launches the AU for that learner, and the
    course's ``satisfied`` goes back to the LMS through AGS."""
    from lti.player_routes import ticket_url

    return ticket_url(public_url, launch.org_id, launch.learner_id, str(course["id"]),
                      launch.registration)


def course_to_launch(store: Store, public_url: str, validated: HubMessageLaunch) -> Document | None:
    """The published course a resource link launch names (None for Deep Linking); checked
    before anything of the launch is stored."""
    if validated.claims[MESSAGE_TYPE] == DEEP_LINKING_REQUEST:
        return None
    course_id = course_of(public_url, validated.claims)
    if course_id is None:
        raise launch_error("target_link_uri", "names no catalogue course")
    return published(store, course_id)


def complete_launch(store: Store, blobs: Any, config: Any, key_sets: Any = None) -> Response:
    """The whole launch of the current request: validate (nothing stored when any check
    fails), consume the state and nonce, resolve the learner, record, send on."""
    validated = HubMessageLaunch(store, key_sets)
    validated.validate()
    course = course_to_launch(store, config.public_url, validated)
    validated.consume()

    def launch_writes() -> ToolLaunch:
        launch = tool_launch(store, config.public_url, validated)
        if course is not None:
            record_launch(store, blobs, config.public_url, launch, course)
        after_launch(store, launch)
        return launch

    # The learner, the launched statement and the pass-back records in one write: on SQLite
    # one commit instead of four (each rewrote its index pages in the WAL), and a launch that
    # fails half-way leaves none of them (the state and nonce stay consumed, as above).
    launch = store.write(launch_writes)
    if course is None:
        return deep_linking(launch)
    delivery = course["live"].get("delivery") or {}
    kind = delivery.get("type")
    if kind == "external":
        return redirect(str(delivery["url"]))
    if kind in ("xapi", "cmi5"):
        return redirect(player_page(config.public_url, launch, course))
    if kind == "lti":
        return redirect(onward_launch(store, config, launch, course))
    raise Unavailable(f"course {course['id']!r} has no delivery the hub can launch")
