"""FRAC commands of the ``hub`` CLI: the ``frac`` group (registered by
:func:`marketplace.init_app`; other FRAC parts add their commands to :data:`frac`).

- ``hub frac import FILE --org NAME``: import a CASE 1.1 CFPackage (JSON) for an organisation,
  with a progress bar; prints the report as JSON; exit 2 and the problems listed when the
  package is refused (nothing is stored).
- ``hub frac export FRAMEWORK_ID [--version N] > file``: a published version as a CFPackage.
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
from marketplace.frac_case_export import package_bytes
from marketplace.frac_case_import import count_items, import_package
from marketplace.frac_case_service import version_writer
from storage.json_text import JSONTextError, loads

frac = click.Group("frac", help="The FRAC competency framework (CASE 1.1 import and export).")


def _echo_json(value: object) -> None:
    click.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


@frac.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_name", required=True,
              help="Organisation (name or id) that will own the framework.")
@with_appcontext
def frac_import(file: Path, org_name: str) -> None:
    """Import a CASE 1.1 CFPackage FILE (JSON) and publish it as a framework version."""
    store = current_app.extensions["hub.store"]
    org = store.organisations.get_by_name(org_name) or store.organisations.get(org_name)
    if org is None:
        click.echo(f"error: no organisation {org_name!r}", err=True)
        sys.exit(2)
    try:
        package = loads(file.read_bytes())
    except JSONTextError as exc:
        click.echo(f"error: {file.name} is not JSON: {exc}", err=True)
        sys.exit(2)
    try:
        with tqdm(total=count_items(package), unit="item", desc="import",
                  file=sys.stderr) as bar:
            report = import_package(store, package, org_id=org["id"],
                                    actor=f"cli:{org['name']}", progress=bar.update)
    except HubError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        for problem in exc.extra.get("item_errors", []):
            click.echo(f"  {problem['item'] or '-'} {problem['field']}: {problem['message']}",
                       err=True)
        sys.exit(2 if exc.status == 400 else 1)
    _echo_json(report)


@frac.command("export")
@click.argument("framework_id")
@click.option("--version", "number", type=click.IntRange(min=1), default=None,
              help="Version number (default: the latest).")
@with_appcontext
def frac_export(framework_id: str, number: int | None) -> None:
    """Print a published framework version as a CASE 1.1 CFPackage (JSON)."""
    config = current_app.extensions["hub.config"]
    writer = version_writer(current_app.extensions["hub.store"], framework_id, number,
                            config.public_url)
    if writer is None:
        click.echo(f"error: no published version of framework {framework_id!r}", err=True)
        sys.exit(2)
    click.echo(package_bytes(writer.package()))
