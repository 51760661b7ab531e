"""HTTP surface of the player (:mod:`lti.player`).

The JSON API (documented in /openapi.json), for an ``lms`` or ``department`` organisation about
its own learners (``lrs-writer``):

- ``POST /player/launches``: launch an AU of a published cmi5 (or the package of an xAPI)
  course; 201 with the AU's URL;
- ``GET /player/registrations/<registration>``: per AU and block whether satisfied;
- ``POST /player/registrations/<registration>/waive`` (``lrs-writer`` or ``curator``): cmi5
  §9.3.8;
- ``POST /player/sessions/<session_id>/abandon``: cmi5 §9.3.7.

The browser page ``GET /play/<course_id>?ticket=...`` (not in OpenAPI) is where an LTI launch
of a cmi5/xAPI course lands (:func:`lti.tool_side.complete_launch`): the ticket is sealed by the
hub (:mod:`lti.sealed`, purpose :data:`TICKET_PURPOSE`) with the organisation, learner, course
and the LTI attempt's registration, and expires after :data:`TICKET_TTL` seconds. The page
lists the AUs with their state; ``POST /play/<course_id>/launch`` opens one (``OwnWindow``
AUs in a new window, cmi5 §13.1.4), its returnURL back to the page.
"""

from __future__ import annotations

import uuid
from typing import Any

import click
from flask import Blueprint, Response, current_app, redirect, render_template, request
from flask.cli import with_appcontext

from catalogue_schemas.player import (
    AbandonedSchema,
    LaunchInSchema,
    LaunchSchema,
    RegistrationStateSchema,
    WaiveInSchema,
)
from hub.auth import current_principal, require_roles
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.errors import PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from lti import cmi5_satisfaction as sat
from lti import player
from lti.links import player_url
from lti.sealed import seal, unseal

SECURED: dict[str, Any] = {"security": [{"basic": []}]}
TICKET_PURPOSE = b"lti-player-ticket"
#: Seconds a /play ticket lives: the learner's visit to the page and its AUs' returns.
TICKET_TTL = 4 * 3600
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

api = HubBlueprint("player", __name__, url_prefix="/player",
                   description="Launching published cmi5 and xAPI courses for an LMS's or a "
                               "department's own learners; registrations, waivers, abandoned "
                               "sessions (cmi5 §8, §9.3).")
browser = Blueprint("player_pages", __name__, template_folder="templates")


def _caller(*kinds: str) -> Principal:
    principal = current_principal(required=True)
    assert principal is not None
    if kinds and not principal.is_kind(*kinds):
        raise PermissionDenied("only an lms or department organisation launches its learners")
    return principal


@api.route("/launches", methods=["POST"])
@require_roles(Role.LRS_WRITER)
@api.arguments(LaunchInSchema)
@api.response(201, LaunchSchema)
@api.doc(**SECURED)
def post_launch(body: dict[str, Any]) -> Any:
    """Launch an AU for one of the caller's learners (registration created on first launch,
    ``launched`` and LaunchData written, a previous unterminated session abandoned)."""
    principal = _caller(OrgKind.LMS, OrgKind.DEPARTMENT)
    player.start_sweeper(current_app._get_current_object())  # type: ignore[attr-defined]
    return player.launch(get_store(), get_config(), principal.org_id, body), 201


@api.route("/registrations/<registration>", methods=["GET"])
@require_roles(Role.LRS_WRITER, Role.LRS_READER)
@api.response(200, RegistrationStateSchema)
@api.doc(**SECURED)
def get_registration(registration: str) -> Any:
    """A registration of the caller's organisation: AUs, blocks, the course satisfied."""
    return player.registration_state(get_store(), _caller().org_id, registration)


@api.route("/registrations/<registration>/waive", methods=["POST"])
@require_roles(Role.LRS_WRITER, Role.CURATOR)
@api.arguments(WaiveInSchema)
@api.response(200, RegistrationStateSchema)
@api.doc(**SECURED)
def post_waive(body: dict[str, Any], registration: str) -> Any:
    """Waive an AU (``lrs-writer`` or ``curator`` of the registration's organisation); 409
    when the AU is satisfied already."""
    return player.waive(get_store(), _caller().org_id, registration, body["au_id"],
                        body["reason"])


@api.route("/sessions/<session_id>/abandon", methods=["POST"])
@require_roles(Role.LRS_WRITER)
@api.response(200, AbandonedSchema)
@api.doc(**SECURED)
def post_abandon(session_id: str) -> Any:
    """Record ``abandoned`` for a session that did not terminate; 409 when it ended."""
    return player.abandon(get_store(), get_config().public_url, _caller().org_id, session_id)


def make_ticket(org_id: str, learner_id: str, course_id: str, registration: str | None) -> str:
    """The sealed /play ticket of a learner arriving through LTI."""
    token, _ = seal(TICKET_PURPOSE, {"org": org_id, "learner": learner_id,
                                     "course": course_id, "registration": registration},
                    TICKET_TTL)
    return token


def ticket_url(public_url: str, org_id: str, learner_id: str, course_id: str,
               registration: str | None) -> str:
    """The player page URL with a fresh ticket."""
    ticket = make_ticket(org_id, learner_id, course_id, registration)
    return f"{player_url(public_url, course_id)}?ticket={ticket}"


def _ticket(course_id: str) -> dict[str, Any]:
    ticket = unseal(TICKET_PURPOSE, request.values.get("ticket"), "ticket")
    if ticket.get("course") != course_id:
        raise ValidationError.for_field("ticket", "is for another course")
    return ticket


def _text(value: Any) -> str:
    """A language map's English text, else any (cmi5 langstrings)."""
    if isinstance(value, dict) and value:
        return str(value.get("en") or value.get("en-US") or next(iter(value.values())))
    return str(value or "")


@browser.route("/play/<course_id>", methods=["GET"])
def play(course_id: str) -> Response:
    """The player page: the course's AUs with their state, each a launch button."""
    ticket = _ticket(course_id)
    store = get_store()
    _, structure = player.published_package(store, course_id)
    states: dict[str, dict[str, Any]] = {}
    satisfied = False
    # The LTI attempt's registration becomes the learner's cmi5 registration (cmi5 §9.6.1),
    # unless an earlier launch made one.
    registration = store.cmi5.registration(ticket["org"], ticket["learner"], course_id,
                                           ticket.get("registration") or str(uuid.uuid4()))
    reg = sat.registration_of(store, ticket["org"], registration)
    if reg is not None:
        state = sat.evaluate(store, reg)
        states = {au["au_id"]: au for au in state.aus}
        satisfied = state.satisfied
    aus = [{"id": au["id"], "title": _text(au.get("title")) or au["id"],
            "own_window": au.get("launch_method") == "OwnWindow",
            "state": ("satisfied" if states.get(au["id"], {}).get("satisfied") else
                      "started" if au["id"] in states else "not started")}
           for au in structure.get("aus", ())]
    html = render_template("lti/play.html", title=_text(structure.get("title")) or course_id,
                           aus=aus, satisfied=satisfied, ticket=request.values["ticket"],
                           action=f"{player_url(get_config().public_url, course_id)}/launch")
    return Response(html, mimetype="text/html", headers=PAGE_HEADERS)


@browser.route("/play/<course_id>/launch", methods=["POST"])
def play_launch(course_id: str) -> Response:
    """Launch the AU the learner picked; the AU returns to the page (cmi5 §10.2.6)."""
    ticket = _ticket(course_id)
    au_id = request.form.get("au_id")
    if not au_id:
        raise ValidationError.for_field("au_id", "missing")
    config = get_config()
    back = f"{player_url(config.public_url, course_id)}?ticket={request.values['ticket']}"
    done = player.launch(get_store(), config, ticket["org"],
                         {"course_id": course_id, "learner_id": ticket["learner"],
                          "au_id": au_id, "return_url": back},
                         registration=ticket.get("registration"))
    return redirect(done["url"], 303)  # type: ignore[return-value]



@click.command("sweep-sessions")
@with_appcontext
def sweep_sessions_command() -> None:
    """Abandon cmi5 sessions older than HUB_CMI5_ABANDON_AFTER that never terminated."""
    config = get_config()
    done = player.sweep(get_store(), config.public_url, config.cmi5_abandon_after)
    click.echo(f"abandoned {done} session(s)")


def init_app(app: Any) -> None:
    """Register the API, the page, the satisfaction listener and ``hub lti sweep-sessions``."""
    from lti.cli import lti_cli
    from xapi.statements import add_statement_listener

    app.extensions["hub.api"].register_blueprint(api)
    app.register_blueprint(browser)  # a browser page: not in /openapi.json
    add_statement_listener(sat.on_statements)
    lti_cli.add_command(sweep_sessions_command)
