"""The settings of the development peers: plain, mutable dataclasses, so a test can change them
on a running peer (``platform.settings.client_id = ...``). ``None`` URLs are derived from the
peer's own base URL or from what Dynamic Registration taught it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# LTI 1.3 §A.2 role URIs and the scopes of LTI Advantage (AGS 2.0 §3.1, NRPS 2.0 §3.6.1).
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
AGS_SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
)
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def _learner() -> dict[str, Any]:
    return {"sub": "dev-learner-1", "name": "Asha Learner", "given_name": "Asha",
            "family_name": "Learner", "email": "asha@lms.example", "roles": [LEARNER]}


def _members() -> list[dict[str, Any]]:
    return [
        {"user_id": "dev-learner-1", "name": "Asha Learner", "email": "asha@lms.example",
         "roles": [LEARNER], "status": "Active"},
        {"user_id": "dev-teacher-1", "name": "Ravi Teacher", "email": "ravi@lms.example",
         "roles": [INSTRUCTOR], "status": "Active"},
    ]


@dataclass
class PlatformSettings:
    """The development platform (an LMS stand-in) and the one tool registered with it.

    The tool's side: ``client_id``, ``deployment_id``, ``tool_login_url`` (OIDC initiation),
    ``tool_redirect_uris`` (where id_tokens may be posted; the first is the launch URL),
    ``tool_jwks_url`` (or ``tool_public_jwk``) for its client assertions and Deep Linking
    responses, ``target_link_uri`` (the default resource link target). The platform's own
    URLs default to its base URL: ``issuer``, ``authorize_url``, ``token_url``, ``jwks_url``;
    set them when the platform is reached at another address."""

    client_id: str = "dev-tool-client"
    deployment_id: str = "dev-deployment-1"
    tool_login_url: str | None = None
    tool_redirect_uris: list[str] = field(default_factory=list)
    tool_jwks_url: str | None = None
    tool_public_jwk: dict[str, Any] | None = None
    target_link_uri: str | None = None
    issuer: str | None = None
    authorize_url: str | None = None
    token_url: str | None = None
    jwks_url: str | None = None
    user: dict[str, Any] = field(default_factory=_learner)
    context: dict[str, Any] = field(default_factory=lambda: {
        "id": "dev-course-101", "label": "DEV101", "title": "Development course",
        "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]})
    members: list[dict[str, Any]] = field(default_factory=_members)
    members_page_size: int = 50  # NRPS pages (a ``limit`` query asks for smaller ones)
    scopes: list[str] = field(default_factory=lambda: [*AGS_SCOPES, NRPS_SCOPE])
    id_token_lifetime: int = 300
    access_token_lifetime: int = 3600


@dataclass
class ToolSettings:
    """The development tool and the one platform it trusts (the hub, or the dev platform).

    Hub-facing: ``issuer`` (the platform's ``iss``), ``client_id`` and ``deployment_id`` (None
    accepts any deployment), ``authorize_url`` (OIDC authorization endpoint), ``jwks_url``
    (the platform's keys), ``token_url`` (its OAuth 2.0 token endpoint; also the ``aud`` of the
    client assertion unless ``token_audience`` is set). ``deep_link_items``: the content items
    a Deep Linking request is answered with (None: one resource link to the tool)."""

    issuer: str | None = None
    client_id: str | None = None
    deployment_id: str | None = None
    authorize_url: str | None = None
    jwks_url: str | None = None
    token_url: str | None = None
    token_audience: str | None = None
    deep_link_items: list[dict[str, Any]] | None = None
    client_name: str = "Dev LTI tool"
