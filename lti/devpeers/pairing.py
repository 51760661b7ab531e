"""Register a dev tool with a dev platform and the platform with the tool in one call (what an
administrator does by hand on both sides, LTI 1.3 §5.1.1 "registration")."""

from __future__ import annotations

from lti.devpeers.platform import DevPlatform
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
