"""What the two LTI sides hand between their modules: a validated launch from an LMS
(:class:`ToolLaunch`) and a launch the hub makes towards a provider's tool
(:class:`PlatformLaunch`). Plain data, no Flask: services take and return these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ToolLaunch:
    """An LMS's launch of the hub, after every check of its ``id_token`` passed.

    ``org_id`` is the LMS organisation that owns the platform registration; statements the hub
    writes for this launch belong to it (DESIGN.md, "Tenancy")."""

    org_id: str
    registration_id: str  # the hub's platform registration (issuer, client id)
    issuer: str
    client_id: str
    deployment_id: str
    message_type: str  # LtiResourceLinkRequest | LtiDeepLinkingRequest
    learner_id: str  # the hub's stable id for (issuer, sub)
    agent: dict[str, Any]  # {"account": {"homePage": <hub>, "name": learner_id}}
    roles: tuple[str, ...]
    course_id: str | None  # the catalogue course the resource link names
    resource_link_id: str | None
    context_id: str | None
    registration: str  # xAPI context.registration (UUID) of this learner's attempt
    claims: dict[str, Any] = field(default_factory=dict)  # the whole validated id_token

    @property
    def ags(self) -> dict[str, Any] | None:
        """The AGS endpoint claim (AGS 2.0 §3.1), when the LMS offers grade pass-back."""
        value = self.claims.get("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")
        return value if isinstance(value, dict) else None

    @property
    def nrps(self) -> dict[str, Any] | None:
        """The NRPS claim (NRPS 2.0 §3.6.1), when the LMS offers its roster."""
        value = self.claims.get(
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice")
        return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class PlatformLaunch:
    """A launch the hub makes as a platform towards a provider's tool registration, for a
    learner the hub knows (from a tool-side launch or the launch API).

    ``org_id`` is the organisation on whose behalf the hub acts (the launching LMS's, or the
    caller's for the launch API); the statements and the context's membership belong to it."""

    org_id: str
    tool_id: str  # the tool registration
    course_id: str
    target_link_uri: str
    learner_id: str
    agent: dict[str, Any]
    roles: tuple[str, ...]  # LTI role URIs (LTI 1.3 §5.3.7, A.2)
    context_id: str  # the hub's context for (org, course): AGS and NRPS are scoped to it
    resource_link_id: str
    registration: str  # xAPI context.registration (UUID)
    message_type: str = "LtiResourceLinkRequest"
    name: str | None = None
    email: str | None = None
    return_url: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
