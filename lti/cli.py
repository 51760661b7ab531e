"""``hub lti ...``: the operator commands of the LTI hub. The group is shared: each part of
the package adds its commands to :data:`lti_cli` (imported inside :func:`lti.init_app`)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lti.keys import PUBLISH_AHEAD, hub_keys

# AppGroup: the commands run inside the app context (hub.cli explains why).
lti_cli = AppGroup("lti", help="LTI 1.3: the hub's keys, registrations and launches.")


@lti_cli.command("rotate-keys")
@click.option("--immediately", is_flag=True,
              help="Sign with the new key at once (a compromised or unreadable key) instead of "
                   f"publishing it {PUBLISH_AHEAD} s ahead of use.")
def rotate_keys(immediately: bool) -> None:
    """Create a new LTI signing key; the old one stays in the JWKS until what it signed has
    expired. Prints the new key's kid."""
    click.echo(hub_keys().rotate(immediately=immediately))
