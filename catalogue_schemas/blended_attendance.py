"""Schemas of attendance, check-in and program completion (``/blended``)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

_ID = validate.Length(1, 200)
STATUSES = ("present", "absent")
METHODS = ("coordinator", "check-in")


class AttendanceRowInSchema(Schema):
    """One learner's attendance, as the coordinator records it."""

    org_id = fields.String(required=True, validate=_ID, metadata={
        "description": "the learner's organisation (the department or LMS that enrolled it)"})
    learner_id = fields.String(required=True, validate=_ID)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class AttendanceInSchema(Schema):
    """``PUT /blended/sessions/<id>/attendance``: all rows or none."""

    records = fields.List(fields.Nested(AttendanceRowInSchema), required=True,
                          validate=validate.Length(1, 5000))


class CheckInSchema(Schema):
    """A learner's check-in with the session's code."""

    learner_id = fields.String(required=True, validate=_ID, metadata={
        "description": "the learner's id in the caller's organisation"})
    code = fields.String(required=True, validate=validate.Length(1, 32), metadata={
        "description": "the code shown in the session (case and dashes ignored)"})


class AttendanceRecordSchema(Schema):
    """A stored attendance record."""

    session_id = fields.String(required=True)
    batch_id = fields.String()
    learner_org_id = fields.String()
    learner_id = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    method = fields.String(validate=validate.OneOf(METHODS))
    at = fields.String()
    by = fields.String(metadata={"description": "credential key"})
    statement_id = fields.String(allow_none=True, metadata={
        "description": "the attended statement in the learner's organisation's LRS"})


class SheetRowSchema(Schema):
    """One seated learner on a session's sheet."""

    learner_org_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    enrolment_id = fields.String()
    status = fields.String(validate=validate.OneOf((*STATUSES, "unmarked")))
    method = fields.String(allow_none=True)
    at = fields.String(allow_none=True)
    by = fields.String(allow_none=True)
    statement_id = fields.String(allow_none=True)


class AttendanceSheetSchema(Schema):
    """A session's attendance sheet: every seated learner and the counts."""

    session_id = fields.String(required=True)
    batch_id = fields.String()
    starts_at = fields.String()
    ends_at = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    learners = fields.List(fields.Nested(SheetRowSchema), required=True)


class RequiredItemSchema(Schema):
    """A program item and the learner's state in it."""

    item = fields.String(required=True, metadata={"description": "catalogue id, or the URL "
                                                                 "of an external resource"})
    kind = fields.String()
    required = fields.Boolean()
    state = fields.String(metadata={
        "description": "not-started, in-progress, completed; untracked for external resources"})


class SessionCountSchema(Schema):
    """Sessions of the learner's batch: attended, held in all, needed."""

    attended = fields.Integer()
    total = fields.Integer()
    required = fields.Integer(allow_none=True)
    batch_id = fields.String(allow_none=True)


class CompletionSchema(Schema):
    """A learner's state in a program."""

    program_id = fields.String(required=True)
    learner_org_id = fields.String()
    learner_id = fields.String()
    state = fields.String(validate=validate.OneOf(("not-started", "in-progress", "completed")))
    required_items = fields.List(fields.Nested(RequiredItemSchema))
    sessions = fields.Nested(SessionCountSchema, allow_none=True)
