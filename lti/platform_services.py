"""What a provider's tool is offered when the hub launches it: the context, the learner's
membership, the course's default line item, and the AGS and NRPS claims of the id_token.

The platform side's authorize endpoint calls :func:`enrol` while it builds the id_token; the
AGS and NRPS endpoints (:mod:`lti.platform_ags`, :mod:`lti.platform_nrps`) later serve what it
recorded, to the same tool only.
"""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

from hub.errors import NotFound
from lti import links
from lti.model import PlatformLaunch
from storage.errors import DuplicateKey
from storage.ports import Document, Store
from storage.timestamps import utcnow

# AGS 2.0 §3.1 and NRPS 2.0 §3.6.1: the scopes a tool registration may hold.
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_SCOPES = (SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE)
#: Every scope the hub's token endpoint can grant.
SERVICE_SCOPES = (*AGS_SCOPES, SCOPE_MEMBERSHIPS)

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

#: The default line item's maximum: a percentage, which every score is scaled to anyway.
DEFAULT_SCORE_MAXIMUM = 100


def granted_scopes(tool: Document) -> list[str]:
    """The service scopes a tool registration holds, in the hub's order."""
    held = set(tool.get("scopes") or ())
    return [scope for scope in SERVICE_SCOPES if scope in held]


def default_line_item_id(tool_id: str, context_id: str, resource_link_id: str) -> str:
    """The id of a resource link's default line item: derived, so that concurrent first
    launches of one link make one line item (the second insert is a duplicate)."""
    digest = hashlib.sha256(f"{tool_id}\n{context_id}\n{resource_link_id}".encode())
    return "li_" + digest.hexdigest()[:24]


def _course_title(store: Store, course_id: str) -> str:
    course = store.courses.get(course_id) or {}
    content = course.get("live") or course.get("revision") or {}
    title = content.get("title") or {}
    if isinstance(title, dict) and title:
        return str(title.get("en") or next(iter(title.values())))
    return course_id


def _ensure_default_line_item(store: Store, launch: PlatformLaunch, label: str) -> str:
    """AGS §3.1 "lineitem": the one line item of the launched resource link, made on its
    first launch (resourceId = the course, so a tool finds it by either id)."""
    item_id = default_line_item_id(launch.tool_id, launch.context_id, launch.resource_link_id)
    if store.lti_contexts.get_line_item(launch.tool_id, launch.context_id, item_id):
        return item_id  # every launch after the first: one indexed read
    now = utcnow()
    # DuplicateKey: made by a racing launch of the same link.
    with contextlib.suppress(DuplicateKey):
        store.lti_contexts.add_line_item({
            "id": item_id, "tool_id": launch.tool_id, "context_id": launch.context_id,
            "org_id": launch.org_id, "course_id": launch.course_id, "label": label,
            "score_maximum": DEFAULT_SCORE_MAXIMUM, "resource_link_id": launch.resource_link_id,
            "resource_id": launch.course_id, "tag": None, "created_at": now, "updated_at": now})
    return item_id


def enrol(store: Store, launch: PlatformLaunch, public_url: str) -> dict[str, Any]:
    """Record the launch's context and the learner's membership (NRPS §2.1: the roster is
    who was launched, with the roles of their latest launch), and return the id_token claims
    of the services the tool registration holds scopes for: the AGS endpoint claim
    (AGS §3.1: ``scope``, ``lineitems``, and ``lineitem`` = the resource link's default line
    item) and the NRPS claim (NRPS §3.6.1). A tool without service scopes gets ``{}``.

    ``NotFound`` when the tool registration is gone."""
    tool = store.lti_tools.get(launch.tool_id)
    if tool is None:
        raise NotFound(f"no tool registration {launch.tool_id!r}")
    # One write: on SQLite one commit per launch (the id_token is issued on this path).
    return store.write(lambda: _enrol(store, tool, launch, public_url))


def _enrol(store: Store, tool: Document, launch: PlatformLaunch,
           public_url: str) -> dict[str, Any]:
    title = _course_title(store, launch.course_id)
    now = utcnow()
    store.lti_contexts.ensure_context({
        "tool_id": launch.tool_id, "context_id": launch.context_id, "org_id": launch.org_id,
        "course_id": launch.course_id, "title": title, "created_at": now})
    member: Document = {
        "tool_id": launch.tool_id, "context_id": launch.context_id,
        "user_id": launch.learner_id, "roles": list(launch.roles), "agent": launch.agent,
        "registration": launch.registration, "status": "Active", "updated_at": now}
    # Name and email only when the launch carried them (the learner's own platform sent them).
    member.update({k: v for k, v in (("name", launch.name), ("email", launch.email)) if v})
    store.lti_contexts.put_member(member)

    scopes = granted_scopes(tool)
    claims: dict[str, Any] = {}
    ags = [scope for scope in scopes if scope in AGS_SCOPES]
    if ags:
        item_id = _ensure_default_line_item(store, launch, title)
        claims[AGS_CLAIM] = {
            "scope": ags,
            "lineitems": links.platform_lineitems_url(public_url, launch.context_id),
            "lineitem": links.platform_lineitem_url(public_url, launch.context_id, item_id),
        }
    if SCOPE_MEMBERSHIPS in scopes:
        claims[NRPS_CLAIM] = {
            "context_memberships_url": links.platform_memberships_url(public_url,
                                                                      launch.context_id),
            "service_versions": ["2.0"],
        }
    return claims
