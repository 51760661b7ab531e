"""``hub learners import FILE --org ORG [--dry-run]``: an HR export (CSV) into an
organisation's learner records (:mod:`marketplace.learner_import`), with a progress bar on
stderr. Prints the report as JSON (each bad row with its row number, field and message); exit
status 1 when any row was rejected (the good ones are imported), 2 when the file or the
organisation is refused whole."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from hub.context import get_config
from hub.errors import HubError
from marketplace.learner_import import import_learners, rows_of
from marketplace.learners import LEARNER_ORG_KINDS

learners = click.Group("learners", help="Learner records (bulk import from an HR export).")


@learners.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_ref", required=True,
              help="The department (or LMS) organisation, by id or name.")
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
@with_appcontext
def learners_import(file: Path, org_ref: str, dry_run: bool) -> None:
    """Import learners from a CSV FILE (learner_id,name,designation,position,languages,
    home_page) into an organisation."""
    store = current_app.extensions["hub.store"]
    org = store.organisations.get(org_ref) or store.organisations.get_by_name(org_ref)
    if org is None or org["kind"] not in LEARNER_ORG_KINDS:
        click.echo(f"error: no department or LMS organisation {org_ref!r}", err=True)
        sys.exit(2)
    try:
        rows = rows_of(file.read_bytes())
    except HubError as exc:
        click.echo(f"error: {file.name}: {exc.detail}", err=True)
        sys.exit(2)
    with tqdm(total=len(rows), unit="row", desc="import", file=sys.stderr) as bar:
        report = import_learners(store, org["id"], rows,
                                 get_config().public_url, bar.update,
                                 dry_run=dry_run)
    click.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    for error in report["errors"]:
        click.echo(f"row {error['row']} (line {error['line']}) {error['field']}: "
                   f"{error['message']}", err=True)
    if report["rejected"]:
        sys.exit(1)
