"""LTI Dynamic Registration (1EdTech LTI Dynamic Registration 1.0) of the hub as a tool.

Which organisation owns a dynamically registered LMS: the LMS's own ``lms`` organisation,
named by a ONE-TIME REGISTRATION LINK. An ``lti-manager`` of that organisation (or an
``admin`` for it) mints the link with ``POST /lti/platforms/registration-links``; the LMS
administrator pastes it into the LMS ("register a tool by URL"). The link's ``ticket`` is a
sealed, expiring value (:mod:`lti.sealed`) naming the organisation; it is consumed once, so a
leaked, used link registers nothing, and nobody can attach an LMS to an organisation without
that organisation's say.

The flow (Dynamic Registration §3): the LMS opens ``GET /lti/register?ticket=...`` with
``openid_configuration`` and ``registration_token``; the hub fetches the configuration
through the guarded outbound client (§3.4), checks that its ``issuer`` is the origin the
configuration came from (§3.5.1) and that it has the endpoints the hub needs, consumes the
ticket, posts its tool configuration to ``registration_endpoint`` with the token (§3.5.2;
pylti1p3next's :class:`~pylti1p3.dynamic_registration.DynamicRegistration` builds the body),
stores the returned client id and deployment, and answers the page that posts
``org.imsglobal.lti.close`` to the LMS (§3.6).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from pylti1p3.dynamic_registration import DynamicRegistration

from hub.outbound import OutboundClient
from lti import links
from lti.errors import LtiLaunchError
from lti.platform_registrations import add_registration, owning_org
from lti.sealed import expiry_timestamp, seal, unseal
from lti.tool_login import launch_error
from storage.ports import Store

TICKET_PURPOSE = b"lti.tool.registration-ticket"
TICKET_SCOPE = "lti.tool.registration-ticket"
#: A registration link lasts a day: long enough for an LMS administrator to use it.
TICKET_TTL = 24 * 3600
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
#: The LTI Advantage scopes the hub asks for (AGS 2.0 §3.1, NRPS 2.0 §3.6).
SCOPES = ("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score",
          "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly")
CLOSE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Karmayogi Hub registered</title></head>
<body><script>(window.opener || window.parent).postMessage(
{subject: "org.imsglobal.lti.close"}, "*");</script>
<p>Karmayogi Hub is registered. You can close this window.</p></body></html>
"""


def mint_link(store: Store, principal: Any, public_url: str, org_id: str | None,
              name: str | None) -> dict[str, Any]:
    """A one-time registration link for the caller's (or, for an admin, the named) ``lms``
    organisation."""
    owner = owning_org(store, principal, org_id)
    ticket, exp = seal(TICKET_PURPOSE, {"sid": secrets.token_urlsafe(18), "org": owner,
                                        "name": name, "by": principal.key}, TICKET_TTL)
    url = links.tool_registration_url(public_url) + "?" + urlencode({"ticket": ticket})
    return {"url": url, "org_id": owner, "expires_at": expiry_timestamp(exp)}


class HubRegistration(DynamicRegistration):
    """The hub's tool configuration (Dynamic Registration §3.5.2, LTI 1.3 §6)."""

    client_name = "Karmayogi Hub"
    description = "The Karmayogi course catalogue: launch and pick published courses."

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url

    def get_initiate_login_uri(self) -> str:
        """OIDC login initiation (LTI 1.3 §5.1.1)."""
        return links.tool_login_url(self.public_url)

    def get_jwks_uri(self) -> str:
        """The hub's keys (client assertions, Deep Linking responses)."""
        return links.jwks_url(self.public_url)

    def get_redirect_uris(self) -> list[str]:
        """The one launch URL of every message type."""
        return [links.tool_launch_url(self.public_url)]

    def get_scopes(self) -> list[str]:
        """AGS and NRPS."""
        return list(SCOPES)

    def get_domain(self) -> str:
        """The hub's host (and port)."""
        return urlsplit(self.public_url).netloc

    def get_target_link_uri(self) -> str:
        """The default target: the launch URL."""
        return links.tool_launch_url(self.public_url)

    def get_claims(self) -> list[str]:
        """The identity claims the hub uses (name and e-mail are stored only when sent)."""
        return ["iss", "sub", "name", "given_name", "family_name", "email"]

    def get_messages(self) -> list[dict[str, Any]]:
        """Deep Linking (Deep Linking 2.0 §4.4) besides resource link launches."""
        return [{"type": "LtiDeepLinkingRequest",
                 "target_link_uri": links.tool_launch_url(self.public_url),
                 "label": "Karmayogi course", "placements": ["link_selection",
                                                             "assignment_selection"]}]

    def get_logo_uri(self) -> str:
        """No logo is served: the field is optional."""
        return ""

    def lti_registration_data(self) -> dict[str, Any]:
        """The library's body without an empty ``logo_uri`` (it must be a URL when given)."""
        data = super().lti_registration_data()
        data.pop("logo_uri", None)
        return data


def _same_origin(issuer: str, url: str) -> bool:
    """Dynamic Registration §3.5.1: the configuration must come from the issuer's own URL
    space (same scheme, host and port; path below the issuer's)."""
    iss, got = urlsplit(issuer), urlsplit(url)
    return ((iss.scheme, iss.netloc.lower()) == (got.scheme, got.netloc.lower())
            and got.path.startswith(iss.path.rstrip("/")))


def _configuration(client: OutboundClient, url: str, token: str | None) -> dict[str, Any]:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    answer = client.get_json(url, headers)
    config = answer.json if answer.ok else None
    if not isinstance(config, dict):
        raise launch_error("openid_configuration", f"the LMS answered {answer.status} "
                           "without an OpenID configuration")
    issuer = config.get("issuer")
    if not isinstance(issuer, str) or not _same_origin(issuer, url):
        raise launch_error("openid_configuration", "its issuer is not the origin it came from")
    for name in ("registration_endpoint", "authorization_endpoint", "token_endpoint",
                 "jwks_uri"):
        value = config.get(name)
        if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
            raise launch_error("openid_configuration", f"{name} missing or not a URL")
    if not isinstance(config.get(PLATFORM_CONFIGURATION), dict):
        raise launch_error("openid_configuration", "not an LTI platform configuration")
    return config


def register(store: Store, client: OutboundClient, public_url: str, ticket: str | None,
             configuration_url: str | None, registration_token: str | None) -> dict[str, Any]:
    """Run the flow of the module docstring; the stored registration."""
    payload = unseal(TICKET_PURPOSE, ticket, "ticket")
    if not configuration_url or urlsplit(configuration_url).scheme not in ("http", "https"):
        raise launch_error("openid_configuration", "missing or not an http(s) URL")
    config = _configuration(client, configuration_url, registration_token)
    if not store.once.consume(TICKET_SCOPE, str(payload["sid"]),
                              expiry_timestamp(int(payload["exp"]))):
        raise LtiLaunchError("ticket: already used", errors={"ticket": ["already used"]})
    headers = {"Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    answer = client.post_json(config["registration_endpoint"],
                              HubRegistration(public_url).lti_registration_data(), headers)
    tool = answer.json if answer.ok else None
    client_id = tool.get("client_id") if isinstance(tool, dict) else None
    if not isinstance(client_id, str) or not client_id:
        raise launch_error("registration_endpoint", f"the LMS answered {answer.status} "
                           "without a client_id")
    tool_conf = tool.get(TOOL_CONFIGURATION) if isinstance(tool, dict) else None
    deployment = tool_conf.get("deployment_id") if isinstance(tool_conf, dict) else None
    product = config[PLATFORM_CONFIGURATION].get("product_family_code")
    return add_registration(store, str(payload["org"]), {
        "issuer": config["issuer"], "client_id": client_id,
        "deployment_ids": [deployment] if isinstance(deployment, str) and deployment else [],
        "auth_login_url": config["authorization_endpoint"],
        "auth_token_url": config["token_endpoint"], "key_set_url": config["jwks_uri"],
        "name": payload.get("name") or product or config["issuer"]},
        created_by="dynamic-registration")
