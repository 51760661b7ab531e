"""The peers as the hub's commands, and the hub itself served by the peers' threaded server (so a
round-trip test can put the hub on real HTTP next to them)."""

from __future__ import annotations

from pathlib import Path

from hub import create_app
from lti import links
from lti.devpeers.pairing import platform_for_hub, tool_for_hub
from lti.devpeers.wire import ThreadedServer, get_json


def _app(tmp_path: Path, public_url: str = "http://127.0.0.1:8000"):  # type: ignore[no-untyped-def]
    return create_app({"HUB_STORE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
                       "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                       "HUB_PUBLIC_URL": public_url, "HUB_FORWARDING_WORKER": "off",
                       "TESTING": True})


def test_commands_are_in_the_lti_group(tmp_path: Path) -> None:
    runner = _app(tmp_path, "https://hub.example").test_cli_runner()
    platform = runner.invoke(args=["lti", "dev-platform", "--help"])
    assert platform.exit_code == 0, platform.output
    assert "--tool-login-url" in platform.output and "--client-id" in platform.output
    tool = runner.invoke(args=["lti", "dev-tool", "--help"])
    assert tool.exit_code == 0, tool.output
    for option in ("--issuer", "--authorize-url", "--jwks-url", "--token-url"):
        assert option in tool.output


def test_the_hub_served_on_real_http(tmp_path: Path) -> None:
    server = ThreadedServer()
    server.app = _app(tmp_path, server.base_url)
    server.start()
    try:
        assert get_json(f"{server.base_url}/health")["status"] == "ok"
    finally:
        server.stop()


def test_peers_for_a_hub_use_its_lti_urls() -> None:
    hub = "https://hub.example"
    platform = platform_for_hub(hub, client_id="c-9")
    assert platform.settings.tool_login_url == links.tool_login_url(hub)
    assert platform.settings.tool_redirect_uris == [links.tool_launch_url(hub)]
    assert platform.settings.tool_jwks_url == links.jwks_url(hub)
    assert platform.settings.client_id == "c-9"
    tool = tool_for_hub(hub, client_id="t-1")
    assert (tool.settings.issuer, tool.settings.client_id) == (hub, "t-1")
    assert tool.settings.authorize_url == links.platform_authorize_url(hub)
    assert tool.settings.token_url == links.platform_token_url(hub)
    assert tool.settings.jwks_url == links.jwks_url(hub)
