"""HTTP routes of blended programs under ``/blended``: batches and their sessions
(coordinators), enrolments (departments and LMSes ask, approvers decide), and rosters.

Schema loads, :mod:`marketplace.blended` / :mod:`marketplace.blended_enrolment` /
:mod:`marketplace.blended_roster` act, schema dumps.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from catalogue_schemas.blended import (
    BatchArgs,
    BatchChangesSchema,
    BatchInSchema,
    BatchListSchema,
    BatchRosterArgs,
    BatchRosterSchema,
    BatchSchema,
    EnrolmentActionSchema,
    EnrolmentArgs,
    EnrolmentInSchema,
    EnrolmentListSchema,
    EnrolmentSchema,
    SessionInSchema,
    SessionSchema,
)
from catalogue_schemas.blended_attendance import (
    AttendanceInSchema,
    AttendanceRecordSchema,
    AttendanceSheetSchema,
    CheckInSchema,
    CompletionSchema,
)
from hub.auth import current_principal
from hub.context import get_blobs, get_config, get_statement_sink, get_store
from hub.docs import HubBlueprint
from marketplace import (
    blended,
    blended_attendance,
    blended_enrolment,
    blended_handouts,
    blended_roster,
    program_progress,
)
from marketplace.blended_codes import CheckInThrottle, new_code

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

blended_blp = HubBlueprint(
    "blended", __name__, url_prefix="/blended",
    description="Blended programs: batches, sessions, enrolment with approvals, rosters, "
                "attendance and check-in, completion (authenticated).")


def _principal() -> Any:
    return current_principal(required=True)


@blended_blp.route("/batches", methods=["POST"])
@blended_blp.arguments(BatchInSchema)
@blended_blp.response(201, BatchSchema)
@blended_blp.doc(**SECURED)
def create_batch(body: dict[str, Any]) -> Any:
    """A batch of a published program, run by the caller's organisation (``coordinator``)."""
    batch = blended.create_batch(get_store(), _principal(), body)
    return batch, 201, {"Location": f"/blended/batches/{batch['id']}"}


@blended_blp.route("/batches", methods=["GET"])
@blended_blp.arguments(BatchArgs, location="query")
@blended_blp.response(200, BatchListSchema)
@blended_blp.doc(**SECURED)
def list_batches(args: dict[str, Any]) -> Any:
    """Batches by start, of one organisation and/or program."""
    return {"batches": blended.list_batches(get_store(), _principal(), args.get("org_id"),
                                            args.get("program_id"))}


@blended_blp.route("/batches/<batch_id>", methods=["GET"])
@blended_blp.response(200, BatchSchema)
@blended_blp.doc(**SECURED)
def get_batch(batch_id: str) -> Any:
    """A batch with its sessions."""
    return blended.get_batch(get_store(), _principal(), batch_id)


@blended_blp.route("/batches/<batch_id>", methods=["PATCH"])
@blended_blp.arguments(BatchChangesSchema)
@blended_blp.response(200, BatchSchema)
@blended_blp.doc(**SECURED)
def patch_batch(body: dict[str, Any], batch_id: str) -> Any:
    """Change dates, capacity (409 below the seats taken), mode, invitees, coordinator."""
    return blended.update_batch(get_store(), _principal(), batch_id, body)


@blended_blp.route("/batches/<batch_id>/sessions", methods=["POST"])
@blended_blp.arguments(SessionInSchema)
@blended_blp.response(201, SessionSchema)
@blended_blp.doc(**SECURED)
def add_session(body: dict[str, Any], batch_id: str) -> Any:
    """A session of the batch: date, local start and end in an IANA zone, venue or link."""
    return blended.add_session(get_store(), _principal(), batch_id, body), 201


@blended_blp.route("/sessions/<session_id>", methods=["GET"])
@blended_blp.response(200, SessionSchema)
@blended_blp.doc(**SECURED)
def get_session(session_id: str) -> Any:
    """One session (its check-in code only for the batch's coordinators)."""
    return blended.session_view(blended.get_session(get_store(), session_id), _principal())


@blended_blp.route("/sessions/<session_id>", methods=["PUT"])
@blended_blp.arguments(SessionInSchema)
@blended_blp.response(200, SessionSchema)
@blended_blp.doc(**SECURED)
def put_session(body: dict[str, Any], session_id: str) -> Any:
    """Move or change a session."""
    return blended.replace_session(get_store(), _principal(), session_id, body)


@blended_blp.route("/sessions/<session_id>", methods=["DELETE"])
@blended_blp.response(204)
@blended_blp.doc(**SECURED)
def delete_session(session_id: str) -> Any:
    """Cancel a session."""
    blended.delete_session(get_store(), _principal(), session_id)
    return None


HANDOUT_BODY = {"required": True, "description": "the file; its Content-Type is kept",
                "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}


@blended_blp.route("/sessions/<session_id>/handouts/<name>", methods=["PUT"])
@blended_blp.response(200, SessionSchema)
@blended_blp.doc(requestBody=HANDOUT_BODY, **SECURED)
def put_handout(session_id: str, name: str) -> Any:
    """Attach or replace a handout (a file name of letters, digits, '.', '_', '-')."""
    return blended_handouts.put_handout(get_store(), get_blobs(), _principal(), session_id,
                                        name, request.get_data(), request.content_type)


@blended_blp.route("/sessions/<session_id>/handouts/<name>", methods=["GET"])
@blended_blp.doc(responses={"200": {"description": "the handout, as uploaded",
                                    "content": {"*/*": {"schema": {"type": "string",
                                                                   "format": "binary"}}}}},
                 **SECURED)
def get_handout(session_id: str, name: str) -> Any:
    """Download a handout."""
    _principal()
    data, ctype = blended_handouts.get_handout(get_store(), get_blobs(), session_id, name)
    return Response(data, mimetype=ctype, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})


@blended_blp.route("/sessions/<session_id>/handouts/<name>", methods=["DELETE"])
@blended_blp.response(204)
@blended_blp.doc(**SECURED)
def delete_handout(session_id: str, name: str) -> Any:
    """Remove a handout."""
    blended_handouts.delete_handout(get_store(), get_blobs(), _principal(), session_id, name)
    return None


@blended_blp.route("/batches/<batch_id>/enrolments", methods=["POST"])
@blended_blp.arguments(EnrolmentInSchema)
@blended_blp.response(201, EnrolmentSchema)
@blended_blp.doc(**SECURED)
def request_enrolment(body: dict[str, Any], batch_id: str) -> Any:
    """A department's or LMS's request of a seat for its learner; 409 with ``reason``
    (not-invited, started, deadline-passed, full, overlap, already-enrolled) when refused."""
    enrolment = blended_enrolment.request_enrolment(get_store(), _principal(), batch_id,
                                                    body["learner_id"])
    return enrolment, 201, {"Location": f"/blended/enrolments/{enrolment['id']}"}


@blended_blp.route("/enrolments", methods=["GET"])
@blended_blp.arguments(EnrolmentArgs, location="query")
@blended_blp.response(200, EnrolmentListSchema)
@blended_blp.doc(**SECURED)
def list_enrolments(args: dict[str, Any]) -> Any:
    """The caller's organisation's learners' enrolments (an approver's queue with
    ``state=requested``)."""
    state = args.get("state")
    return {"enrolments": blended_enrolment.list_enrolments(
        get_store(), _principal(), args.get("learner_id"), [state] if state else None)}


@blended_blp.route("/enrolments/<enrolment_id>", methods=["GET"])
@blended_blp.response(200, EnrolmentSchema)
@blended_blp.doc(**SECURED)
def get_enrolment(enrolment_id: str) -> Any:
    """One enrolment with its audit trail (the learner's organisation or the batch's)."""
    return blended_enrolment.visible_enrolment(get_store(), _principal(), enrolment_id)


@blended_blp.route("/enrolments/<enrolment_id>/transitions", methods=["POST"])
@blended_blp.arguments(EnrolmentActionSchema)
@blended_blp.response(200, EnrolmentSchema)
@blended_blp.doc(**SECURED)
def act_on_enrolment(body: dict[str, Any], enrolment_id: str) -> Any:
    """``approve`` (department-approver, then coordinator when the batch asks), ``refuse``
    with a reason, or ``withdraw`` (the learner's organisation)."""
    return blended_enrolment.act(get_store(), _principal(), enrolment_id, body["action"],
                                 body.get("reason"))


@blended_blp.route("/batches/<batch_id>/roster", methods=["GET"])
@blended_blp.arguments(BatchRosterArgs, location="query")
@blended_blp.response(200, BatchRosterSchema)
@blended_blp.doc(**SECURED)
def roster(args: dict[str, Any], batch_id: str) -> Any:
    """The batch's enrolments with approval states (its coordinators)."""
    return blended_roster.roster(get_store(), _principal(), batch_id,
                                 args.get("lang") or request.accept_languages.best)


@blended_blp.route("/batches/<batch_id>/roster.csv", methods=["GET"])
@blended_blp.arguments(BatchRosterArgs, location="query")
@blended_blp.doc(responses={"200": {"description": "the roster as CSV, a header row first",
                                    "content": {"text/csv": {"schema": {"type": "string"}}}}},
                 **SECURED)
def roster_csv(args: dict[str, Any], batch_id: str) -> Any:
    """The roster as CSV."""
    report = blended_roster.roster(get_store(), _principal(), batch_id, args.get("lang"))
    return Response(blended_roster.roster_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="roster-{batch_id}.csv"'})


def _throttle() -> CheckInThrottle:
    # One per app (per process): wrong codes are counted in memory, as failed secrets are.
    throttle = current_app.extensions.setdefault("marketplace.check_in_throttle",
                                                 CheckInThrottle())
    return throttle  # type: ignore[no-any-return]


@blended_blp.route("/sessions/<session_id>/check-in-code", methods=["POST"])
@blended_blp.response(200, SessionSchema)
@blended_blp.doc(**SECURED)
def rotate_check_in_code(session_id: str) -> Any:
    """A new check-in code for the session (its coordinators); the old one stops working."""
    return blended_attendance.rotate_code(get_store(), _principal(), session_id, new_code())


@blended_blp.route("/sessions/<session_id>/attendance", methods=["PUT"])
@blended_blp.arguments(AttendanceInSchema)
@blended_blp.response(200, AttendanceSheetSchema)
@blended_blp.doc(**SECURED)
def put_attendance(body: dict[str, Any], session_id: str) -> Any:
    """Record seated learners present or absent, all rows or none (the batch's coordinators,
    from the session's start until 7 days after its end); the sheet after."""
    return blended_attendance.record_attendance(
        get_store(), get_statement_sink(), get_config().public_url, _principal(), session_id,
        body["records"])


@blended_blp.route("/sessions/<session_id>/attendance", methods=["GET"])
@blended_blp.response(200, AttendanceSheetSchema)
@blended_blp.doc(**SECURED)
def get_attendance(session_id: str) -> Any:
    """The session's sheet: every seated learner, present, absent or unmarked."""
    return blended_attendance.sheet(get_store(), _principal(), session_id)


@blended_blp.route("/sessions/<session_id>/attendance.csv", methods=["GET"])
@blended_blp.doc(responses={"200": {"description": "the sheet as CSV, a header row first",
                                    "content": {"text/csv": {"schema": {"type": "string"}}}}},
                 **SECURED)
def get_attendance_csv(session_id: str) -> Any:
    """The sheet as CSV."""
    report = blended_attendance.sheet(get_store(), _principal(), session_id)
    return Response(blended_attendance.sheet_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="attendance-{session_id}.csv"'})


@blended_blp.route("/sessions/<session_id>/check-in", methods=["POST"])
@blended_blp.arguments(CheckInSchema)
@blended_blp.response(200, AttendanceRecordSchema)
@blended_blp.doc(**SECURED)
def check_in(body: dict[str, Any], session_id: str) -> Any:
    """The learner's organisation checks its learner in with the session's code, while the
    session runs (409 ``session-not-open`` otherwise; 429 after repeated wrong codes)."""
    return blended_attendance.check_in(
        get_store(), get_statement_sink(), get_config().public_url, _throttle(), _principal(),
        session_id, body["learner_id"], body["code"])


@blended_blp.route("/enrolments/<enrolment_id>/completion", methods=["GET"])
@blended_blp.response(200, CompletionSchema)
@blended_blp.doc(**SECURED)
def completion(enrolment_id: str) -> Any:
    """The learner's state in the batch's program: required items and attended sessions."""
    return program_progress.enrolment_completion(get_store(), _principal(),
                                                 get_config().public_url, enrolment_id)
