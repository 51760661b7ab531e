"""``hub passbook rebuild [--org ORG]``: clear the competency passbook and derive it again from
the LRS (:func:`marketplace.passbook_rebuild.rebuild`), with a progress bar on stderr."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from marketplace.passbook_rebuild import rebuild

passbook = click.Group("passbook", help="The competency passbook derived from the LRS.")


@passbook.command("rebuild")
@click.option("--org", "org_id", default=None,
              help="Only this organisation's passbook (default: every organisation's).")
@with_appcontext
def rebuild_command(org_id: str | None) -> None:
    """Drop the passbook (of ORG) and re-derive it from the statements in the LRS."""
    store = current_app.extensions["hub.store"]
    config = current_app.extensions["hub.config"]
    if org_id is not None and store.organisations.get(org_id) is None:
        click.echo(f"error: no organisation {org_id!r}", err=True)
        sys.exit(1)
    with tqdm(unit="statement", desc="rebuild", file=sys.stderr) as bar:
        count = rebuild(store, config.public_url, config.integrity_min_ratio, org_id,
                        bar.update)
    click.echo(f"rebuilt the passbook from {count} statement(s)")
