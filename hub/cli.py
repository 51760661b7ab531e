"""The ``hub`` command: operator and script tasks, honouring ``HUB_STORE_URL``.

``hub org create --name NAME --kind KIND`` and ``hub credential create --org NAME --roles r1,r2``
print JSON (the latter ``{"key": ..., "secret": ...}``; the secret is shown once). Flask's own
``run``/``routes``/``shell`` are there too, and the marketplace adds ``catalogue`` and ``demo``.
"""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson
from flask import Flask, current_app
from flask.cli import AppGroup

from hub.auth import create_credential, create_organisation
from hub.errors import HubError
from hub.principal import ORG_KINDS, ROLES


def _echo_json(value: Any) -> None:
    click.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


def _fail(exc: HubError) -> None:
    """Report a hub error on stderr and exit 1 (2 for bad input)."""
    click.echo(f"error: {exc.detail}", err=True)
    sys.exit(2 if exc.status == 400 else 1)


# AppGroup: every command runs inside the app context, also under Flask's test CLI runner and the
# `flask` command (only `hub`, a FlaskGroup, pushes one by itself).
org = AppGroup("org", help="Organisations (providers, institutions, departments, LMSes).")
credential = AppGroup("credential", help="API credentials of an organisation.")


@org.command("create")
@click.option("--name", required=True, help="Unique organisation name.")
@click.option("--kind", required=True, type=click.Choice(ORG_KINDS))
@click.option("--country", default=None, help="ISO 3166-1 alpha-2 country code.")
@click.option("--contact", default=None, help="Contact e-mail.")
def org_create(name: str, kind: str, country: str | None, contact: str | None) -> None:
    """Create an organisation and print it as JSON."""
    try:
        _echo_json(create_organisation(current_app.extensions["hub.store"], name, kind,
                                       country=country, contact=contact))
    except HubError as exc:
        _fail(exc)


@org.command("list")
@click.option("--kind", default=None, type=click.Choice(ORG_KINDS))
def org_list(kind: str | None) -> None:
    """Print every organisation as JSON."""
    _echo_json(current_app.extensions["hub.store"].organisations.list(kind))


@credential.command("create")
@click.option("--org", "org_name", required=True, help="Organisation name (or id).")
@click.option("--roles", required=True, help=f"Comma-separated, of: {', '.join(ROLES)}.")
@click.option("--label", default=None, help="What the credential is for.")
def credential_create(org_name: str, roles: str, label: str | None) -> None:
    """Create a credential and print {"key", "secret"}; the secret is not shown again."""
    store = current_app.extensions["hub.store"]
    found = store.organisations.get_by_name(org_name) or store.organisations.get(org_name)
    if found is None:
        click.echo(f"error: no organisation named {org_name!r}", err=True)
        sys.exit(2)
    try:
        cred = create_credential(store, found["id"], [r.strip() for r in roles.split(",")
                                                      if r.strip()], label=label)
    except HubError as exc:
        _fail(exc)
    _echo_json(cred)


@credential.command("revoke")
@click.argument("key")
def credential_revoke(key: str) -> None:
    """Revoke a credential by key."""
    if not current_app.extensions["hub.store"].credentials.revoke(key):
        click.echo(f"error: no credential {key!r}", err=True)
        sys.exit(2)
    click.echo("revoked")


def init_app(app: Flask) -> None:
    """Attach the shell's command groups to ``app.cli`` (so ``flask`` and ``hub`` both have
    them); each domain package attaches its own in its ``init_app``."""
    app.cli.add_command(org)
    app.cli.add_command(credential)
