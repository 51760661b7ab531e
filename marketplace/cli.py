"""Marketplace commands of the ``hub`` CLI (registered by :func:`marketplace.init_app`):

- ``hub catalogue import FILE --provider NAME [--submit]``: bulk import with a progress bar;
  prints the report as JSON; exit status 1 when any row was rejected (the valid ones are stored).
- ``hub demo load [--if-empty]``: load the demo catalogue and print the demo credentials (only
  when it actually loaded).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from hub.errors import HubError
from hub.principal import OrgKind
from marketplace import demo as demo_data
from marketplace.importer import import_catalogue, rows_from_upload

catalogue = click.Group("catalogue", help="The course catalogue (bulk import).")
demo = click.Group("demo", help="Demo data for trying the hub.")


def _echo_json(value: object) -> None:
    click.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


@catalogue.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--provider", required=True, help="Provider organisation name (or id).")
@click.option("--submit", is_flag=True, help="Submit every imported course for review.")
@with_appcontext
def catalogue_import(file: Path, provider: str, submit: bool) -> None:
    """Import courses from a .jsonl or .csv FILE for a provider."""
    store = current_app.extensions["hub.store"]
    org = store.organisations.get_by_name(provider) or store.organisations.get(provider)
    if org is None or org["kind"] != OrgKind.PROVIDER:
        click.echo(f"error: no provider organisation {provider!r}", err=True)
        sys.exit(2)
    try:
        with file.open("rb") as stream:
            rows = list(rows_from_upload(file.name, stream))
    except HubError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        sys.exit(2)
    with tqdm(total=len(rows), unit="row", desc="import", file=sys.stderr) as bar:
        report = import_catalogue(store, org["id"], rows, bar.update, submit=submit,
                                  actor=f"cli:{org['name']}")
    _echo_json(report)
    if report["rejected"]:
        sys.exit(1)


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the store already has data.")
@with_appcontext
def demo_load(if_empty: bool) -> None:
    """Load the demo catalogue and print the demo credentials (shown only this once)."""
    store = current_app.extensions["hub.store"]
    if not demo_data.is_empty(store):
        if if_empty:
            click.echo("demo: the store already has data; nothing loaded", err=True)
            return
        click.echo("error: the store already has data (use --if-empty to skip)", err=True)
        sys.exit(1)
    credentials = demo_data.load_demo(store)
    # Upper layers (the LTI hub) add their own demo data through loaders they register.
    for loader in current_app.extensions.get(demo_data.DEMO_LOADERS, ()):
        added = loader(store)
        # Two loaders naming one credential alike would hide the first one's secret for good.
        clash = set(added) & set(credentials)
        assert not clash, f"demo loaders clash on {sorted(clash)}"
        credentials.update(added)
    click.echo("Demo data loaded. These credentials are shown once (HTTP Basic key:secret):",
               err=True)
    _echo_json(credentials)
