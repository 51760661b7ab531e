"""Builders for the tool-side services' tests: a platform registration of an LMS organisation
and the :class:`lti.model.ToolLaunch` its launches produce (what B1's launch handler builds
after every check passed)."""

from __future__ import annotations

import uuid
from typing import Any

from lti.model import ToolLaunch

PUBLIC_URL = "http://hub.test"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score"]


def add_registration(store: Any, org_id: str, issuer: str = "https://lms.example.org",
                     client_id: str = "hub-client", token_url: str | None = None) -> dict[str, Any]:
    """A platform registration owned by ``org_id`` (the store's own shape)."""
    registration = {"id": "plt_" + uuid.uuid4().hex[:12], "org_id": org_id, "issuer": issuer,
                    "client_id": client_id, "deployment_ids": ["dep-1"],
                    "auth_login_url": f"{issuer}/authorize",
                    "auth_token_url": token_url or f"{issuer}/token",
                    "key_set_url": f"{issuer}/jwks", "name": "Test LMS",
                    "created_at": "2026-11-30T00:00:00.000000Z", "created_by": "test"}
    store.lti_platforms.add(registration)
    return registration


def agent(learner_id: str) -> dict[str, Any]:
    """The xAPI agent of a hub learner (DESIGN.md: learner identity)."""
    return {"objectType": "Agent", "account": {"homePage": PUBLIC_URL, "name": learner_id}}


def tool_launch(registration: dict[str, Any], *, course_id: str | None = "course-1",
                learner_id: str = "lrn_1", sub: str = "lms-user-1",
                context_id: str | None = "ctx-1", resource_link_id: str | None = "rl-1",
                ags: dict[str, Any] | None = None, nrps: dict[str, Any] | None = None,
                message_type: str = "LtiResourceLinkRequest", deployment_id: str = "dep-1",
                dl_settings: dict[str, Any] | None = None) -> ToolLaunch:
    """A validated launch of ``registration``; ``ags``/``nrps``/``dl_settings`` are the claims
    the LMS sent (absent when None)."""
    claims: dict[str, Any] = {"iss": registration["issuer"], "aud": registration["client_id"],
                              "sub": sub}
    if context_id:
        claims[CONTEXT_CLAIM] = {"id": context_id, "title": "Induction 2026"}
    for name, value in ((AGS_CLAIM, ags), (NRPS_CLAIM, nrps), (DL_SETTINGS, dl_settings)):
        if value is not None:
            claims[name] = value
    return ToolLaunch(
        org_id=registration["org_id"], registration_id=registration["id"],
        issuer=registration["issuer"], client_id=registration["client_id"],
        deployment_id=deployment_id, message_type=message_type, learner_id=learner_id,
        agent=agent(learner_id), roles=("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",),
        course_id=course_id, resource_link_id=resource_link_id, context_id=context_id,
        registration=str(uuid.uuid4()), claims=claims)


def completion(learner_id: str, course_id: str = "course-1", verb: str = "completed",
               score: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A statement of a learner about a catalogue course (the player's, or the bridge's)."""
    stmt: dict[str, Any] = {
        "id": str(uuid.uuid4()), "actor": agent(learner_id),
        "verb": {"id": verb if ":" in verb else f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"objectType": "Activity",
                   "id": f"{PUBLIC_URL}/catalogue/courses/{course_id}"},
        "timestamp": "2026-11-30T10:00:00.000Z"}
    if score is not None:
        stmt["result"] = {"score": score}
    stmt.update(extra)
    return stmt
