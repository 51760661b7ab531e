"""The platform side's commands in the ``hub lti`` group:

- ``hub lti migrate-deliveries [--dry-run]``: move courses stored with the old bare
  ``tool_url`` to their provider's tool registration (:mod:`lti.delivery_migration`);
- ``hub lti launch-tool COURSE_ID``: a complete launch of a course's tool from the command line,
  without a browser or an LMS: it starts the launch for a learner of an organisation, then
  follows every hop (the tool's login initiation, the running hub's authorization endpoint,
  the tool's launch) as a browser would, printing each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
import orjson
from flask import current_app
from flask.cli import with_appcontext

from lti.delivery_migration import migrate_tool_urls

if TYPE_CHECKING:
    from flask import Flask


@click.command("migrate-deliveries")
@click.option("--dry-run", is_flag=True, help="Report what would move; change nothing.")
@with_appcontext
def migrate_deliveries(dry_run: bool) -> None:
    """Move lti courses with a tool_url to the provider's tool on the same host; courses with
    no such tool are reported and left as they are (exit status 1 when any remain)."""
    report = migrate_tool_urls(current_app.extensions["hub.store"], dry_run=dry_run)
    click.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    if report["unmatched"] or report["changed"]:
        raise SystemExit(1)


@click.command("launch-tool")
@click.argument("course_id")
@click.option("--org", "org", required=True,
              help="Id or name of the organisation launching (its LRS gets the statement).")
@click.option("--learner", default="cli-learner", show_default=True,
              help="The organisation's own id of the learner.")
@click.option("--name", default=None, help="The learner's name, sent to the tool.")
@with_appcontext
def launch_tool(course_id: str, org: str, learner: str, name: str | None) -> None:
    """Launch a published lti course's tool through the running hub (HUB_PUBLIC_URL), printing
    each hop; exit status 1 when the last page is not a 200."""
    from lti.devpeers.browser import Browser, Hop
    from lti.platform_launch import begin, course_launch, learner_id_for

    store, config = current_app.extensions["hub.store"], current_app.extensions["hub.config"]
    found = store.organisations.get(org) or store.organisations.get_by_name(org)
    if found is None:
        raise click.UsageError(f"no organisation {org!r}")
    launch = course_launch(store, config.public_url, course_id, found["id"],
                           learner_id_for(found["id"], learner), name=name)
    url = begin(store, config, launch)

    def show(hop: Hop) -> None:
        sent = f" {sorted(hop.fields)}" if hop.fields else ""
        click.echo(f"{hop.method} {hop.url.split('?')[0]}{sent} -> {hop.status}")

    with Browser(on_hop=show) as browser:
        last = browser.run(url)
    click.echo(last.body[:2000])
    if last.status != 200:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Add the commands to the ``lti`` group (made here when no other part made it)."""
    from flask.cli import AppGroup

    group = app.cli.commands.get("lti")
    if group is None:
        group = AppGroup("lti", help="LTI 1.3: the hub as a tool and as a platform.")
        app.cli.add_command(group)
    if isinstance(group, click.Group):
        for command in (migrate_deliveries, launch_tool):
            if command.name not in group.commands:
                group.add_command(command)
