"""Point the peers at each other or at a hub: register a dev tool with a dev platform and the
platform with the tool in one call (what an administrator does by hand on both sides, LTI 1.3
§5.1.1), or build a peer that talks to the hub's LTI URLs (:mod:`lti.links`)."""

from __future__ import annotations

from lti import links
from lti.devpeers.platform import DevPlatform
from lti.devpeers.settings import PlatformSettings, ToolSettings
from lti.devpeers.signing import PeerKey
from lti.devpeers.tool import DevTool


def connect(platform: DevPlatform, tool: DevTool) -> None:
    """Make ``platform`` launch ``tool`` and ``tool`` trust ``platform`` (both started)."""
    settings = platform.settings
    settings.tool_login_url = tool.login_url
    settings.tool_redirect_uris = [tool.launch_url]
    settings.tool_jwks_url = tool.jwks_url
    settings.target_link_uri = tool.target_link_uri
    tool.trust(platform.issuer, settings.client_id, authorize_url=platform.authorize_url,
               jwks_url=platform.jwks_url, token_url=platform.token_url,
               deployment_id=settings.deployment_id)


def platform_for_hub(hub: str, *, client_id: str = "dev-tool-client",
                     deployment_id: str = "dev-deployment-1", tool_login_url: str | None = None,
                     tool_redirect_uris: list[str] | None = None,
                     tool_jwks_url: str | None = None,
                     target_link_uri: str | None = None,
                     key: PeerKey | None = None) -> DevPlatform:
    """A dev platform that launches the hub at ``hub`` (its tool-side URLs by default)."""
    return DevPlatform(PlatformSettings(
        client_id=client_id, deployment_id=deployment_id,
        tool_login_url=tool_login_url or links.tool_login_url(hub),
        tool_redirect_uris=tool_redirect_uris or [links.tool_launch_url(hub)],
        tool_jwks_url=tool_jwks_url or links.jwks_url(hub), target_link_uri=target_link_uri),
        key=key)


def tool_for_hub(hub: str, *, issuer: str | None = None, client_id: str | None = None,
                 deployment_id: str | None = None, authorize_url: str | None = None,
                 jwks_url: str | None = None, token_url: str | None = None) -> DevTool:
    """A dev tool that trusts the hub at ``hub`` as its platform (its platform-side URLs)."""
    return DevTool(ToolSettings(
        issuer=issuer or hub, client_id=client_id, deployment_id=deployment_id,
        authorize_url=authorize_url or links.platform_authorize_url(hub),
        jwks_url=jwks_url or links.jwks_url(hub),
        token_url=token_url or links.platform_token_url(hub)))
