"""The hub's LTI URLs, in one place: the tool side's endpoints that an LMS registers, the
platform side's endpoints that a provider's tool is given, and the IRIs that name a course.

Every function takes the hub's public base URL (``HUB_PUBLIC_URL``, no trailing slash), which
is also the hub's issuer towards tools and the ``homePage`` of its learners' xAPI accounts.
"""

from __future__ import annotations

from urllib.parse import quote

from catalogue_schemas.links import catalogue_item_url


def course_activity_id(public_url: str, course_id: str) -> str:
    """The xAPI activity IRI of a catalogue course: its public catalogue page (the same URL that
    catalogue search gives as the course's ``url``)."""
    return catalogue_item_url(public_url, course_id)


def course_target_link(public_url: str, course_id: str) -> str:
    """The ``target_link_uri`` of a resource link that launches a catalogue course through the
    hub as a tool (LTI 1.3 §5.1.2.2): Deep Linking returns it and a launch is checked against it."""
    return f"{public_url}/lti/courses/{quote(course_id, safe='')}"


# Tool side: what an LMS registers for the hub (LTI 1.3 §5.1.1, Dynamic Registration §3.2).
def tool_login_url(public_url: str) -> str:
    """OIDC third-party initiated login (LTI 1.3 §5.1.1; OpenID Connect Core §4)."""
    return f"{public_url}/lti/login"


def tool_launch_url(public_url: str) -> str:
    """The redirect URI where the LMS posts the ``id_token`` (every message type)."""
    return f"{public_url}/lti/launch"


def tool_registration_url(public_url: str) -> str:
    """LTI Dynamic Registration initiation URL (Dynamic Registration §3.3)."""
    return f"{public_url}/lti/register"


def jwks_url(public_url: str) -> str:
    """The hub's public keys, for both sides (id_tokens, client assertions, deep-link responses)."""
    return f"{public_url}/lti/jwks"


# Platform side: what a provider's tool is given (LTI 1.3 §5.1.1, §4.1; LTI Advantage).
def platform_authorize_url(public_url: str) -> str:
    """The hub's OIDC authorization endpoint as a platform."""
    return f"{public_url}/lti/platform/authorize"


def platform_token_url(public_url: str) -> str:
    """The hub's OAuth 2.0 token endpoint (client credentials with ``private_key_jwt``)."""
    return f"{public_url}/lti/platform/token"


def platform_deep_link_return_url(public_url: str) -> str:
    """Where a provider's tool posts its Deep Linking response."""
    return f"{public_url}/lti/platform/deep-linking/return"


def player_url(public_url: str, course_id: str) -> str:
    """The hub's player for a packaged (``xapi``/``cmi5``) course."""
    return f"{public_url}/play/{quote(course_id, safe='')}"


# Platform side's LTI Advantage services, per context of a tool (AGS 2.0 §3.1, NRPS 2.0 §3.6.1).
def platform_lineitems_url(public_url: str, context_id: str) -> str:
    """The AGS line items container of a context (AGS §3.2)."""
    return f"{public_url}/lti/platform/contexts/{quote(context_id, safe='')}/lineitems"


def platform_lineitem_url(public_url: str, context_id: str, line_item_id: str) -> str:
    """One AGS line item (AGS §3.3); ``/scores`` and ``/results`` hang below it."""
    return (f"{platform_lineitems_url(public_url, context_id)}/"
            f"{quote(line_item_id, safe='')}")


def platform_memberships_url(public_url: str, context_id: str) -> str:
    """The NRPS context membership service of a context (NRPS §2.2)."""
    return f"{public_url}/lti/platform/contexts/{quote(context_id, safe='')}/memberships"
