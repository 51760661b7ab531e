"""``hub lti dev-platform`` and ``hub lti dev-tool``: the development peers as real HTTP servers,
pointed at this hub by default (its public URL, :mod:`lti.links`), so a developer can launch the
hub's tool side from an LMS stand-in, or launch a provider tool stand-in from the hub."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from hub.context import get_config
from lti.devpeers.pairing import platform_for_hub, tool_for_hub
from lti.devpeers.signing import PeerKey
from lti.devpeers.try_launch import try_launch

if TYPE_CHECKING:
    from flask import Flask

    from lti.devpeers.peer import DevPeer


def _serve(peer: DevPeer, host: str, port: int, base_url: str | None) -> None:
    server = peer.bind(host, port, quiet=False, base_url=base_url)
    click.echo(f"{peer.name} on {peer.base_url} (JWKS {peer.base_url}/jwks, "
               f"received {peer.base_url}/_received); Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


@click.command("dev-platform")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8100, show_default=True, type=int)
@click.option("--base-url", default=None, help="Its URL when reached at another address "
              "(also its issuer).")
@click.option("--client-id", default="dev-tool-client", show_default=True,
              help="The client id the hub registered for this platform.")
@click.option("--deployment-id", default="dev-deployment-1", show_default=True)
@click.option("--tool-login-url", default=None, help="Default: the hub's /lti/login.")
@click.option("--tool-launch-url", "tool_launch_urls", multiple=True,
              help="Registered redirect URIs. Default: the hub's /lti/launch.")
@click.option("--tool-jwks-url", default=None, help="Default: the hub's /lti/jwks.")
@click.option("--target-link-uri", default=None,
              help="Default resource link target (GET /start?target_link_uri= overrides).")
@click.option("--key-file", default="var/lti-dev-platform-key.json", show_default=True,
              help="Its private key, kept so that a restart keeps its kid (made on first use).")
def dev_platform(host: str, port: int, base_url: str | None, client_id: str,
                 deployment_id: str, tool_login_url: str | None,
                 tool_launch_urls: tuple[str, ...], tool_jwks_url: str | None,
                 target_link_uri: str | None, key_file: str) -> None:
    """Run the development LTI platform (an LMS stand-in) that launches the hub's tool side.

    Open http://HOST:PORT/start?target_link_uri=<the hub's /lti/courses/ID> in a browser."""
    _serve(platform_for_hub(get_config().public_url, client_id=client_id,
                            deployment_id=deployment_id, tool_login_url=tool_login_url,
                            tool_redirect_uris=list(tool_launch_urls),
                            tool_jwks_url=tool_jwks_url, target_link_uri=target_link_uri,
                            key=PeerKey.from_file(key_file)),
           host, port, base_url)


@click.command("dev-tool")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8200, show_default=True, type=int)
@click.option("--base-url", default=None, help="Its URL when reached at another address.")
@click.option("--issuer", default=None, help="The platform's iss. Default: the hub's public URL.")
@click.option("--client-id", default=None, help="The client id the hub gave this tool.")
@click.option("--deployment-id", default=None, help="Accept only this deployment.")
@click.option("--authorize-url", default=None, help="Default: the hub's /lti/platform/authorize.")
@click.option("--jwks-url", default=None, help="Default: the hub's /lti/jwks.")
@click.option("--token-url", default=None, help="Default: the hub's /lti/platform/token.")
def dev_tool(host: str, port: int, base_url: str | None, issuer: str | None,
             client_id: str | None, deployment_id: str | None, authorize_url: str | None,
             jwks_url: str | None, token_url: str | None) -> None:
    """Run the development LTI tool (a provider's tool stand-in) that the hub's platform side
    launches; register it with the hub using its /login, /launch and /jwks URLs."""
    _serve(tool_for_hub(get_config().public_url, issuer=issuer, client_id=client_id,
                        deployment_id=deployment_id, authorize_url=authorize_url,
                        jwks_url=jwks_url, token_url=token_url), host, port, base_url)


def init_app(app: Flask) -> None:
    """Add the commands to the ``lti`` group (made here when no other part made it)."""
    from flask.cli import AppGroup

    group = app.cli.commands.get("lti")
    if group is None:
        group = AppGroup("lti", help="LTI 1.3: the hub as a tool and as a platform.")
        app.cli.add_command(group)
    if isinstance(group, click.Group):
        for command in (dev_platform, dev_tool, try_launch):
            if command.name not in group.commands:
                group.add_command(command)
