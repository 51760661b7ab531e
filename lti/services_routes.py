"""HTTP and CLI surface of the tool side's LTI services (:mod:`lti.tool_services`).

- ``GET /lti/platforms/<registration_id>/contexts/<context_id>/members``: the roster of an LMS
  context (NRPS 2.0), read from the LMS with the hub's client credentials, for the LMS
  organisation's ``lti-manager`` (or an ``admin``); the context must have been launched with the
  NRPS claim (its memberships URL is remembered from that launch).
- ``hub lti send-scores [--once]``: send the completions waiting in the score outbox (cron,
  with ``HUB_LTI_SCORE_WORKER=off``).
"""

from __future__ import annotations

import time
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from catalogue_schemas.lti_services import RosterSchema
from hub.auth import current_principal, require_roles
from hub.context import get_store
from hub.docs import HubBlueprint
from hub.principal import Role
from lti.cli import lti_cli
from lti.score_sender import access_tokens, send_scores
from lti.tool_services import context_roster

blueprint = HubBlueprint("lti_services", __name__, url_prefix="/lti",
                         description="An LMS's services used by the hub as its tool (NRPS).")


@blueprint.route("/platforms/<registration_id>/contexts/<context_id>/members", methods=["GET"])
@blueprint.response(200, RosterSchema)
@blueprint.doc(security=[{"basic": []}])
@require_roles(Role.LTI_MANAGER)
def context_members(registration_id: str, context_id: str) -> Any:
    """The roster of an LMS context (NRPS 2.0), every page followed; 404 for another
    organisation's registration or a context no launch offered the roster of, 502 when the
    LMS fails."""
    principal = current_principal()
    assert principal is not None
    tokens = access_tokens(current_app)
    return context_roster(get_store(), principal, registration_id, context_id, tokens.http,
                          tokens)


@click.command("send-scores")
@click.option("--once", is_flag=True, help="one pass, then exit (default: keep sending)")
@click.option("--poll", default=5.0, show_default=True, help="seconds between passes")
@with_appcontext
def send_scores_command(once: bool, poll: float) -> None:
    """Send LTI completions waiting in the outbox to the LMSes as AGS scores."""
    tokens = access_tokens(current_app)
    while True:
        tally = send_scores(get_store(), tokens.http, tokens)
        click.echo(f"sent {tally['sent']}, retrying {tally['retry']}, dead {tally['dead']}")
        if once:
            return
        time.sleep(poll)


def init_app(app: Flask) -> None:
    """Register the blueprint, the command and the completion listener of the score outbox."""
    from lti.tool_services import enqueue_scores
    from xapi.statements import add_statement_listener

    app.extensions["hub.api"].register_blueprint(blueprint)
    lti_cli.add_command(send_scores_command)
    add_statement_listener(enqueue_scores)
