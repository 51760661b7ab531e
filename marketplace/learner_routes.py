"""HTTP routes of learner records (``/learners``, issue 13).

Schema loads, :mod:`marketplace.learners` and :mod:`marketplace.learner_import` act, schema
dumps. Reads: the organisation's curators, reviewers, department-approvers and LRS readers,
and platform administrators (``?org=`` names another organisation); writes: the
organisation's curator. Another organisation's learner is a 404 (DESIGN.md "Tenancy").
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request

from catalogue_schemas.learners import (
    LearnerImportArgs,
    LearnerImportReportSchema,
    LearnerListArgs,
    LearnerOrgArgs,
    LearnerPageSchema,
    LearnerRecordInSchema,
    LearnerRecordPatchSchema,
    LearnerRecordSchema,
)
from hub.auth import caller
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.errors import UnsupportedMediaType
from hub.tokens import TokenCodec
from marketplace import learner_import, learners

SECURED: dict[str, Any] = {"security": [{"basic": []}]}
CODEC = "marketplace.learners.cursor"
CSV_BODY: dict[str, Any] = {
    "required": True,
    "description": "an HR export: RFC 4180 CSV, UTF-8, header learner_id,name[,designation]"
                   "[,position][,languages][,home_page]; languages separated by ';'",
    "content": {"text/csv": {"schema": {"type": "string"}}}}

blp = HubBlueprint(
    "learners", __name__, url_prefix="/learners",
    description="Learner records: a department's (or an LMS's launched) learners with their "
                "designation, FRAC position and languages; bulk import from an HR export.")


def init_app(app: Flask) -> None:
    """The cursor codec (signed with the hub's token key, so every worker accepts the
    others' cursors) and the blueprint."""
    app.extensions[CODEC] = TokenCodec(app.extensions["hub.token_key"], "learners.cursor",
                                       "cursor")
    app.extensions["hub.api"].register_blueprint(blp)


@blp.route("", methods=["GET"])
@blp.arguments(LearnerListArgs, location="query")
@blp.response(200, LearnerPageSchema)
@blp.doc(**SECURED)
def list_learners(args: dict[str, Any]) -> Any:
    """A page of the organisation's learners by learner id, of one designation and/or
    position when given."""
    return learners.list_learners(
        get_store(), caller(), current_app.extensions[CODEC], limit=args["limit"],
        cursor=args["cursor"], org_id=args["org"], designation=args["designation"],
        position=args["position"])


@blp.route("/import", methods=["POST"])
@blp.arguments(LearnerImportArgs, location="query")
@blp.response(200, LearnerImportReportSchema)
@blp.doc(requestBody=CSV_BODY, **SECURED)
def import_learners(args: dict[str, Any]) -> Any:
    """Import an HR export (CSV): good rows create or replace their records, bad rows are
    reported by row, field and message (``?dry_run=true`` checks only)."""
    store, principal = get_store(), caller()
    learners.check_manages_learners(principal)
    if request.mimetype != "text/csv":
        raise UnsupportedMediaType("an HR export is sent as Content-Type: text/csv")
    rows = learner_import.rows_of(request.get_data())
    return learner_import.import_learners(store, principal.org_id, rows,
                                          get_config().public_url, dry_run=args["dry_run"])


@blp.route("/<learner_id>", methods=["GET"])
@blp.arguments(LearnerOrgArgs, location="query")
@blp.response(200, LearnerRecordSchema)
@blp.doc(**SECURED)
def get_learner(args: dict[str, Any], learner_id: str) -> Any:
    """One learner record."""
    return learners.visible_learner(get_store(), caller(), learner_id, args["org"])


@blp.route("/<learner_id>", methods=["PUT"])
@blp.arguments(LearnerRecordInSchema)
@blp.response(200, LearnerRecordSchema)
@blp.alt_response(201, schema=LearnerRecordSchema, description="the learner created")
@blp.doc(**SECURED)
def put_learner(body: dict[str, Any], learner_id: str) -> Any:
    """Create or replace a learner of the organisation (absent optional fields are
    cleared)."""
    record, created = learners.put_learner(get_store(), caller(), learner_id, body,
                                           get_config().public_url)
    return record, 201 if created else 200


@blp.route("/<learner_id>", methods=["PATCH"])
@blp.arguments(LearnerRecordPatchSchema)
@blp.response(200, LearnerRecordSchema)
@blp.doc(**SECURED)
def patch_learner(changes: dict[str, Any], learner_id: str) -> Any:
    """Change some fields of a learner of the organisation."""
    return learners.patch_learner(get_store(), caller(), learner_id, changes,
                                  get_config().public_url)


@blp.route("/<learner_id>", methods=["DELETE"])
@blp.response(204)
@blp.doc(**SECURED)
def delete_learner(learner_id: str) -> Any:
    """Remove a learner record."""
    learners.delete_learner(get_store(), caller(), learner_id)
    return None
