"""Schemas of blended programs: batches, sessions, enrolments and rosters (``/blended``)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from catalogue_schemas.fields import LanguageMap, LanguageTag

#: Every state of an enrolment.
ENROLMENT_STATES = ("requested", "department-approved", "approved", "refused", "withdrawn")
_ID = validate.Length(1, 200)


class CoordinatorSchema(Schema):
    """Who coordinates a batch, as learners see it."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True)


class InviteeSchema(Schema):
    """A learner invited to an invite-only batch: its organisation and its id there."""

    org_id = fields.String(required=True, validate=_ID)
    learner_id = fields.String(required=True, validate=_ID)


def _batch_fields(required: bool) -> dict[str, Any]:
    """The writable fields of a batch; all required on creation, none on change."""
    when: dict[str, Any] = {"required": True} if required else {}

    def default(value: Any) -> dict[str, Any]:
        return {"load_default": value} if required else {}

    instant = "ISO 8601 date-time with a UTC offset"
    return {
        "title": LanguageMap(max_length=300, **when),
        "starts_at": fields.AwareDateTime(**when, metadata={"description": instant}),
        "ends_at": fields.AwareDateTime(**when, metadata={"description": instant}),
        "enrolment_deadline": fields.AwareDateTime(**when, metadata={
            "description": f"{instant}; requests after it are refused"}),
        "capacity": fields.Integer(strict=True, validate=validate.Range(1, 100_000), **when),
        "mode": fields.String(validate=validate.OneOf(("open", "invite-only")),
                              **default("open")),
        "invitees": fields.List(fields.Nested(InviteeSchema), validate=validate.Length(0, 5000),
                                **default(list)),
        "coordinator": fields.Nested(CoordinatorSchema, **when),
        "coordinator_approval": fields.Boolean(
            **default(False),
            metadata={"description": "whether the coordinator approves after the department"}),
        "min_attendance": fields.Integer(
            strict=True, validate=validate.Range(0, 100), **default(100),
            metadata={"description": "percent of the sessions a learner attends to complete "
                                     "the program (rounded up to whole sessions)"}),
    }


BatchInSchema = Schema.from_dict(
    {"program_id": fields.String(required=True, validate=_ID, metadata={
        "description": "catalogue id of the published program the batch runs"}),
     **_batch_fields(required=True)}, name="BatchIn")
BatchChangesSchema = Schema.from_dict(_batch_fields(required=False), name="BatchChanges")


class BatchArgs(Schema):
    """Query of ``GET /blended/batches``."""

    org_id = fields.String(validate=_ID, metadata={"description": "the organisation running it"})
    program_id = fields.String(validate=_ID)


class HandoutSchema(Schema):
    """A handout of a session (a blob)."""

    name = fields.String(required=True)
    content_type = fields.String()
    size = fields.Integer()


class SessionInSchema(Schema):
    """A session: local date and times in an IANA time zone, a venue or an online link."""

    date = fields.Date(required=True)
    start_time = fields.Time(required=True, metadata={"description": "local HH:MM"})
    end_time = fields.Time(required=True, metadata={"description": "local HH:MM, after start"})
    timezone = fields.String(required=True, validate=validate.Length(1, 64),
                             metadata={"description": "IANA time zone, e.g. Asia/Kolkata"})
    venue = fields.String(allow_none=True, validate=validate.Length(1, 500))
    online_url = fields.Url(allow_none=True, schemes={"http", "https"})
    facilitators = fields.List(fields.String(validate=validate.Length(1, 200)),
                               validate=validate.Length(0, 50), load_default=list)


class SessionSchema(Schema):
    """A stored session, with the UTC instants the hub derived."""

    id = fields.String(required=True)
    batch_id = fields.String(required=True)
    org_id = fields.String()
    date = fields.String()
    start_time = fields.String()
    end_time = fields.String()
    timezone = fields.String()
    starts_at = fields.String(metadata={"description": "UTC instant"})
    ends_at = fields.String(metadata={"description": "UTC instant"})
    venue = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    facilitators = fields.List(fields.String())
    handouts = fields.List(fields.Nested(HandoutSchema))
    check_in_code = fields.String(metadata={
        "description": "learners' check-in code (only the batch's coordinators see it)"})
    created_at = fields.String()


class BatchSchema(Schema):
    """A batch (``invitees`` and ``seat_holders`` only for its own organisation)."""

    id = fields.String(required=True)
    org_id = fields.String(required=True)
    program_id = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String())
    starts_at = fields.String()
    ends_at = fields.String()
    enrolment_deadline = fields.String()
    capacity = fields.Integer()
    mode = fields.String()
    invitees = fields.List(fields.Nested(InviteeSchema))
    coordinator = fields.Nested(CoordinatorSchema)
    coordinator_approval = fields.Boolean()
    min_attendance = fields.Integer()
    seats_taken = fields.Integer()
    seat_holders = fields.List(fields.String())
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String(allow_none=True)
    sessions = fields.List(fields.Nested(SessionSchema))


class BatchListSchema(Schema):
    """``GET /blended/batches``."""

    batches = fields.List(fields.Nested(BatchSchema), required=True)


class EnrolmentInSchema(Schema):
    """A request of a seat for one of the caller's learners."""

    learner_id = fields.String(required=True, validate=_ID, metadata={
        "description": "the learner's id in the caller's organisation (its xAPI account name)"})


class EnrolmentActionSchema(Schema):
    """One step of an enrolment."""

    action = fields.String(required=True,
                           validate=validate.OneOf(("approve", "refuse", "withdraw")))
    reason = fields.String(validate=validate.Length(1, 1000), metadata={
        "description": "why (required to refuse)"})


class EnrolmentEventSchema(Schema):
    """One audited step."""

    at = fields.String()
    by = fields.String(metadata={"description": "credential key"})
    by_org = fields.String()
    action = fields.String()
    state = fields.String()
    reason = fields.String(allow_none=True)


class EnrolmentSchema(Schema):
    """An enrolment with its audit trail."""

    id = fields.String(required=True)
    batch_id = fields.String(required=True)
    batch_org_id = fields.String()
    learner_org_id = fields.String()
    learner_id = fields.String()
    state = fields.String(validate=validate.OneOf(ENROLMENT_STATES))
    reason = fields.String(allow_none=True)
    events = fields.List(fields.Nested(EnrolmentEventSchema))
    created_at = fields.String()
    updated_at = fields.String(allow_none=True)


class EnrolmentArgs(Schema):
    """Query of ``GET /blended/enrolments``."""

    learner_id = fields.String(validate=_ID)
    state = fields.String(validate=validate.OneOf(ENROLMENT_STATES))


class EnrolmentListSchema(Schema):
    """``GET /blended/enrolments``: the caller's organisation's learners, oldest first."""

    enrolments = fields.List(fields.Nested(EnrolmentSchema), required=True)


class BatchRosterArgs(Schema):
    """Query of the roster."""

    lang = LanguageTag(metadata={"description": "language of the title (default: "
                                                "Accept-Language)"})


class BatchRosterRowSchema(Schema):
    """One enrolment of the roster."""

    enrolment_id = fields.String(required=True)
    learner_org_id = fields.String()
    learner_id = fields.String()
    state = fields.String()
    reason = fields.String(allow_none=True)
    requested_at = fields.String()
    decided_at = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "organisation"})


class BatchRosterSchema(Schema):
    """A batch's roster with approval states."""

    batch_id = fields.String(required=True)
    program_id = fields.String()
    title = fields.String(allow_none=True)
    capacity = fields.Integer()
    seats_taken = fields.Integer()
    states = fields.Dict(keys=fields.String(), values=fields.Integer())
    enrolments = fields.List(fields.Nested(BatchRosterRowSchema), required=True)
