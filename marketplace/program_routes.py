"""HTTP routes of curated programs: the curators' API (``/programs``) and the public page
(``/catalogue/programs/<id>``). The workflow, audit trail and search are the catalogue's own:
these views call :mod:`marketplace.service` for them, :mod:`marketplace.programs` for what a
program adds. No try/except: errors surface as problem+json through :mod:`hub.errors_http`.
"""

from __future__ import annotations

from typing import Any, cast

from flask import request

from catalogue_schemas.program import (
    ItemReportPageSchema,
    ProgramContentSchema,
    ProgramListArgs,
    ProgramPageSchema,
    ProgramSchema,
    PublicProgramSchema,
)
from catalogue_schemas.search import LanguageArgs
from catalogue_schemas.workflow import AuditTrailSchema, TransitionSchema
from hub.auth import current_principal
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.principal import Principal
from marketplace import programs, service
from marketplace.request_language import preferred_language
from marketplace.routes import IF_MATCH, SECURED, _json, _search_state

program_api = HubBlueprint("programs", __name__, url_prefix="",
                           description="Curated programs and their vetting (curators, reviewers).")
public_programs = HubBlueprint("catalogue_programs", __name__, url_prefix="/catalogue",
                               description="Published programs with their items (no auth).")


def _caller() -> Principal:
    """The authenticated caller (``required=True`` answers 401 without credentials)."""
    return cast(Principal, current_principal(required=True))


def _shown(program: dict[str, Any], status: int = 200) -> tuple[Any, int, dict[str, str]]:
    principal = _caller()
    return (service.with_actions(principal, program, get_store()), status,
            {"ETag": service.etag(program)})


@program_api.route("/programs", methods=["POST"])
@program_api.arguments(ProgramContentSchema)
@program_api.response(201, ProgramSchema)
@program_api.doc(**SECURED)
def create_program(content: dict[str, Any]) -> Any:
    """Create a draft program (curator of an institution or a department)."""
    program = programs.create_program(get_store(), _caller(), content)
    body, status, headers = _shown(program, 201)
    headers["Location"] = f"/programs/{program['id']}"
    return body, status, headers


@program_api.route("/programs", methods=["GET"])
@program_api.arguments(ProgramListArgs, location="query")
@program_api.response(200, ProgramPageSchema)
@program_api.doc(**SECURED)
def list_programs(args: dict[str, Any]) -> Any:
    """The organisation's programs (every one for reviewers), filtered by state."""
    return programs.list_programs(get_store(), _caller(),
                                  args["state"], args["limit"], args.get("after"))


@program_api.route("/programs/item-report", methods=["GET"])
@program_api.response(200, ItemReportPageSchema)
@program_api.doc(**SECURED)
def item_report() -> Any:
    """The organisation's programs whose items were retired (or withdrawn) since."""
    return programs.items_needing_care(get_store(), _caller())


@program_api.route("/programs/<program_id>", methods=["GET"])
@program_api.response(200, ProgramSchema)
@program_api.doc(**SECURED)
def get_program(program_id: str) -> Any:
    """One program: working revision, live version, allowed actions, tag and item reports."""
    return _shown(programs.load_program(get_store(), _caller(),
                                        program_id))


@program_api.route("/programs/<program_id>", methods=["PUT"])
@program_api.arguments(ProgramContentSchema)
@program_api.response(200, ProgramSchema)
@program_api.doc(**SECURED, **IF_MATCH)
def edit_program(content: dict[str, Any], program_id: str) -> Any:
    """Replace the working revision (a published program gets a new draft revision)."""
    program = programs.edit_program(get_store(), _caller(), program_id,
                                    content, request.headers.get("If-Match"))
    return _shown(program)


@program_api.route("/programs/<program_id>/transitions", methods=["POST"])
@program_api.arguments(TransitionSchema)
@program_api.response(200, ProgramSchema)
@program_api.doc(**SECURED, **IF_MATCH)
def transition_program(body: dict[str, Any], program_id: str) -> Any:
    """Take a workflow action (the courses' workflow; submit and publish need every catalogue
    item published)."""
    store, principal = get_store(), _caller()
    programs.load_program(store, principal, program_id)
    program = service.transition_course(store, principal, program_id, body["action"],
                                        body.get("comment"), request.headers.get("If-Match"))
    return _shown(program)


@program_api.route("/programs/<program_id>/audit", methods=["GET"])
@program_api.response(200, AuditTrailSchema)
@program_api.doc(**SECURED)
def program_audit(program_id: str) -> Any:
    """Every audit event of the program, oldest first."""
    store, principal = get_store(), _caller()
    programs.load_program(store, principal, program_id)
    return {"items": service.audit_trail(store, principal, program_id)}


@public_programs.route("/programs/<program_id>", methods=["GET"])
@public_programs.arguments(LanguageArgs, location="query")
@public_programs.response(200, PublicProgramSchema)
def public_program(args: dict[str, Any], program_id: str) -> Any:
    """A published program's live version with its items and their live versions now
    (competency names in ``lang``)."""
    return _json(programs.public_program(get_store(), program_id, _search_state()["names"],
                                         get_config().public_url, preferred_language(args)))


def blueprints() -> list[HubBlueprint]:
    """The program blueprints, for :func:`marketplace.init_app`."""
    return [program_api, public_programs]
