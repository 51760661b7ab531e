"""HTTP routes of the competency passbook and of completion integrity's review list.

- ``GET /learners/{learner_id}/passbook``: whoever reads the learner record
  (:func:`marketplace.learners.visible_learner`);
- ``POST /learners/{learner_id}/passbook/evidence``: the organisation's curator (a
  self-declared level: also the learner's LMS);
- ``GET /completions/flagged`` (JSON, or CSV on ``Accept: text/csv``) and
  ``POST /completions/{statement_id}/accept``: reviewers of the learner's organisation.

Schema loads, :mod:`marketplace.passbook_service` acts, schema dumps.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request

from catalogue_schemas.passbook import (
    EvidenceCreatedSchema,
    EvidenceInSchema,
    FlaggedArgs,
    FlaggedCompletionSchema,
    FlaggedSchema,
    PassbookArgs,
    PassbookSchema,
)
from hub.auth import caller
from hub.context import get_store
from hub.docs import HubBlueprint
from marketplace import passbook_service as service
from marketplace.learners import visible_learner
from marketplace.request_language import preferred_language

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

blp = HubBlueprint(
    "passbook", __name__,
    description="Competency passbooks derived from the LRS, evidence the LRS cannot see, "
                "and the completions completion integrity flagged as too fast.")


@blp.route("/learners/<learner_id>/passbook", methods=["GET"])
@blp.arguments(PassbookArgs, location="query")
@blp.response(200, PassbookSchema)
@blp.doc(**SECURED)
def get_passbook(args: dict[str, Any], learner_id: str) -> Any:
    """Per competency the best level proven by evidence that counts, the self-declared level
    apart, and every piece of evidence (kind, source, item, statement, withheld)."""
    store = get_store()
    learner = visible_learner(store, caller(), learner_id, args.get("org"))
    return service.show(store, learner["org_id"], learner_id, preferred_language(args))


@blp.route("/learners/<learner_id>/passbook/evidence", methods=["POST"])
@blp.arguments(EvidenceInSchema)
@blp.response(201, EvidenceCreatedSchema)
@blp.doc(**SECURED)
def post_evidence(body: dict[str, Any], learner_id: str) -> Any:
    """Record a certificate, an external training or a self-declared level: the hub writes
    a statement to the organisation's LRS, from which the passbook derives the evidence."""
    return service.record_evidence(get_store(), caller(), learner_id, body), 201


@blp.route("/completions/flagged", methods=["GET"])
@blp.arguments(FlaggedArgs, location="query")
@blp.response(200, FlaggedSchema)
@blp.doc(**SECURED, responses={"200": {"content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Flagged"}},
    "text/csv": {"schema": {"type": "string"}}},
    "description": "the page as JSON, or as CSV (RFC 4180) on Accept: text/csv"}})
def flagged(args: dict[str, Any]) -> Any:
    """The organisation's completions flagged as too fast for the item, pending a reviewer
    (``accepted=true``: those accepted too), by statement id."""
    org_id = service.reviewer_org(caller(), args.get("org"))
    rows = get_store().passbook.flagged(org_id, not args["accepted"], args.get("after"),
                                        args["limit"])
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        return Response(service.as_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="flagged-{org_id}.csv"'})
    more = rows[-1]["statement_id"] if len(rows) == args["limit"] else None
    return {"org_id": org_id, "completions": rows, "next": more}


@blp.route("/completions/<statement_id>/accept", methods=["POST"])
@blp.response(200, FlaggedCompletionSchema)
@blp.doc(**SECURED)
def accept(statement_id: str) -> Any:
    """Accept a flagged completion (reviewer of the learner's organisation): its evidence
    counts from now on. Recorded as a statement referring to the completion."""
    return service.accept(get_store(), caller(), statement_id)
