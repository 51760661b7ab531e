"""``hub lti try-launch COURSE_ID``: launch a catalogue course through the hub's tool side
without an LMS. A development platform (:class:`~lti.devpeers.platform.DevPlatform`) plays the
LMS and a small browser follows the standard LTI 1.3 flow against a running hub, printing each
hop: the platform's third-party initiated login (§5.1.1.1) -> the hub's ``/lti/login`` -> the
platform's authorization endpoint -> the ``id_token`` form_post to the hub's ``/lti/launch``
(§5.1.1.3) -> where the hub sends the learner.

The hub must know the platform: by default the registration ``hub demo load`` makes (issuer
``http://127.0.0.1:8100``, client ``dev-tool-client``, deployment ``dev-deployment-1``), and it
fetches the platform's JWKS from 127.0.0.1, which its outbound guard must allow
(``HUB_OUTBOUND_ALLOW_HOSTS=127.0.0.1``). The platform's key is kept in ``--key-file`` so the
hub's cached JWKS stays valid from one try to the next.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import click
from flask.cli import with_appcontext

from hub.context import get_config
from lti import links
from lti.devpeers.browser import Browser, Hop
from lti.devpeers.pairing import platform_for_hub
from lti.devpeers.platform import DEEP_LINKING, RESOURCE_LINK
from lti.devpeers.signing import PeerKey, Refused

SHOWN_CLAIMS = ("iss", "aud", "sub", "nonce", "exp",
                "https://purl.imsglobal.org/spec/lti/claim/message_type",
                "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
                "https://purl.imsglobal.org/spec/lti/claim/target_link_uri")


def _payload(token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified: shown to the developer, never trusted."""
    try:
        part = token.split(".")[1]
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _short(url: str, width: int = 110) -> str:
    return url if len(url) <= width else f"{url[:width - 3]}..."


def print_hop(number: int, hop: Hop) -> None:
    """One line per hop, with the posted id_token's main claims and where a redirect goes."""
    click.echo(f"{number}. {hop.method:4} {_short(hop.url)}  -> {hop.status}")
    if "id_token" in hop.fields:
        claims = _payload(hop.fields["id_token"])
        for name in SHOWN_CLAIMS:
            if name in claims:
                click.echo(f"     id_token {name.rsplit('/', 1)[-1]}: {claims[name]}")
    if hop.location:
        click.echo(f"     Location: {_short(hop.location)}")


@click.command("try-launch")
@with_appcontext
@click.argument("course_id", required=False)
@click.option("--hub", "hub_url", default=None, help="The running hub. Default: HUB_PUBLIC_URL.")
@click.option("--target-link-uri", default=None,
              help="Default: the course's resource link on the hub (/lti/courses/COURSE_ID).")
@click.option("--deep-link", is_flag=True, help="Send an LtiDeepLinkingRequest instead.")
@click.option("--role", type=click.Choice(["learner", "instructor"]), default="learner",
              show_default=True)
@click.option("--user", "user_id", default="dev-learner-1", show_default=True,
              help="The platform's user id (sub).")
@click.option("--port", default=8100, show_default=True, type=int,
              help="Where the dev platform listens (its issuer is http://127.0.0.1:PORT).")
@click.option("--issuer", default=None, help="The platform's issuer, if not its URL.")
@click.option("--client-id", default="dev-tool-client", show_default=True)
@click.option("--deployment-id", default="dev-deployment-1", show_default=True)
@click.option("--login-url", default=None, help="Default: the hub's /lti/login.")
@click.option("--launch-url", default=None, help="Default: the hub's /lti/launch.")
@click.option("--key-file", default="var/lti-dev-platform-key.json", show_default=True,
              help="The dev platform's private key (made on first use).")
def try_launch(course_id: str | None, hub_url: str | None, target_link_uri: str | None,
               deep_link: bool, role: str, user_id: str, port: int, issuer: str | None,
               client_id: str, deployment_id: str, login_url: str | None,
               launch_url: str | None, key_file: str) -> None:
    """Launch COURSE_ID on a running hub as an LMS would, printing every hop; exit 1 when the
    hub refuses the launch (its problem+json is printed)."""
    hub = (hub_url or get_config().public_url).rstrip("/")
    if target_link_uri is None:
        if course_id is None and not deep_link:
            raise click.UsageError("give COURSE_ID or --target-link-uri")
        target_link_uri = (links.tool_launch_url(hub) if course_id is None
                           else links.course_target_link(hub, course_id))
    redirect_uri = launch_url or links.tool_launch_url(hub)
    platform = platform_for_hub(hub, client_id=client_id, deployment_id=deployment_id,
                                tool_login_url=login_url, tool_redirect_uris=[redirect_uri],
                                key=PeerKey.from_file(key_file))
    platform.settings.issuer = issuer
    platform.settings.user = {**platform.settings.user, "sub": user_id, "roles": [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#"
        + ("Instructor" if role == "instructor" else "Learner")]}
    try:
        platform.start(port=port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); is `hub lti dev-platform` "
            "running? stop it or pass --port (and register that issuer with the hub)") from None
    try:
        last = _run(platform.launch_url(DEEP_LINKING if deep_link else RESOURCE_LINK,
                                        target_link_uri), redirect_uri)
    finally:
        platform.stop()
    if last.status >= 400 or not _reached(last, redirect_uri):
        click.echo(f"\nnot launched: {last.status} at {_short(last.url)}", err=True)
        if last.body:
            click.echo(last.body[:2000], err=True)
        raise SystemExit(1)
    click.echo(f"\nlaunched: the hub answered {last.status}"
               + (f", sending the learner to {last.location}" if last.location else ""))


def _run(start_url: str, redirect_uri: str) -> Hop:
    """Follow the flow, stopping once the hub has answered the id_token post (its answer is
    where the learner goes: printed, not followed, as it may be any site)."""
    count = 0

    def show(hop: Hop) -> None:
        nonlocal count
        count += 1
        print_hop(count, hop)

    with Browser(on_hop=show) as browser:
        try:
            return browser.run(start_url, stop=lambda hop: hop.url == redirect_uri)
        except Refused as exc:
            raise click.ClickException(exc.reason) from None
        except OSError as exc:  # the hub is not running, a name does not resolve
            raise click.ClickException(f"cannot reach the hub: {exc}") from None


def _reached(last: Hop, redirect_uri: str) -> bool:
    """True when the flow got as far as posting the id_token to the hub."""
    return last.method == "POST" and last.url == redirect_uri

