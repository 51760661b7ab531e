"""Schemas of capacity-building plans (``/plans``) and a department's learner directory
(``/plans/learners``): what the API loads and what it answers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from catalogue_schemas.fields import LanguageMap, LanguageTag

#: A learner id, a designation, a catalogue id: short single-line identifiers.
_ID = validate.Length(min=1, max=200)
_ID_CHARS = validate.Regexp(r"^[^\s/|]+$", error="must not contain spaces, '/' or '|'")



class IsoDate(fields.Date):
    """An ISO 8601 date kept as its text (``YYYY-MM-DD``, which sorts as dates do): loaded
    through marshmallow's date parsing, dumped as stored."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return super()._deserialize(value, attr, data, **kwargs).isoformat()

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value if value is None or isinstance(value, str) else value.isoformat()


PLAN_STATES = ("draft", "live", "retired")
ITEM_STATES = ("not-started", "in-progress", "completed")


class LearnerInSchema(Schema):
    """The body of ``PUT /plans/learners/<learner_id>``."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    designation = fields.String(required=True, validate=validate.Length(min=1, max=200))
    home_page = fields.Url(load_default=None, schemes={"http", "https"}, metadata={
        "description": "homePage of the learner's xAPI agent account (default: the hub's "
                       "public URL, as for learners the hub launches)"})


class LearnerSchema(Schema):
    """A learner of the department's directory."""

    learner_id = fields.String(required=True, metadata={
        "description": "the id that names the learner's xAPI agent account"})
    org_id = fields.String(required=True)
    name = fields.String(required=True)
    designation = fields.String(required=True)
    home_page = fields.String(required=True)
    created_at = fields.String(required=True)
    updated_at = fields.String(allow_none=True)


class LearnerListSchema(Schema):
    """``GET /plans/learners``."""

    learners = fields.List(fields.Nested(LearnerSchema), required=True)


class AudienceSchema(Schema):
    """Who a plan assigns its items to: every learner of the department, learners of some
    designations, named learners (any combination)."""

    all = fields.Boolean(load_default=False)
    designations = fields.List(fields.String(validate=_ID), load_default=list,
                               validate=validate.Length(max=200))
    learners = fields.List(fields.String(validate=[_ID, _ID_CHARS]), load_default=list,
                           validate=validate.Length(max=5000))


class PlanVersionSchema(Schema):
    """A plan's content: the body of ``POST /plans`` and ``PUT /plans/<id>/draft``."""

    title = LanguageMap(required=True, max_length=300)
    description = LanguageMap(load_default=None, allow_none=True)
    items = fields.List(fields.String(validate=[_ID, _ID_CHARS]), required=True,
                        validate=validate.Length(min=1, max=500), metadata={
                            "description": "catalogue ids of published courses and programs"})
    audience = fields.Nested(AudienceSchema, required=True)
    due_date = IsoDate(required=True, metadata={"description": "ISO 8601 date"})


class PlanEventSchema(Schema):
    """One audit event of a plan."""

    action = fields.String(required=True)
    by = fields.String(required=True, metadata={"description": "credential key"})
    at = fields.String(required=True)
    version = fields.Integer(allow_none=True, metadata={
        "description": "the live version the event made, if any"})


class PlanSchema(Schema):
    """A plan: the live version learners are held to, and the working draft."""

    id = fields.String(required=True)
    org_id = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(PLAN_STATES))
    title = fields.String(allow_none=True, metadata={
        "description": "the title in the request's language (live version, else draft)"})
    live = fields.Nested(PlanVersionSchema, allow_none=True)
    live_version = fields.Integer(required=True)
    draft = fields.Nested(PlanVersionSchema, allow_none=True)
    created_at = fields.String(required=True)
    updated_at = fields.String(allow_none=True)


class PlanListSchema(Schema):
    """``GET /plans``."""

    plans = fields.List(fields.Nested(PlanSchema), required=True)


class PlanAuditSchema(Schema):
    """``GET /plans/<id>/audit``: every event, oldest first."""

    events = fields.List(fields.Nested(PlanEventSchema), required=True)


class PlanTransitionSchema(Schema):
    """The body of ``POST /plans/<id>/transitions``."""

    action = fields.String(required=True, validate=validate.OneOf(("go_live", "retire")),
                           metadata={"description": "go_live: the draft becomes the live "
                                                    "version; retire: the plan ends"})


class LangArgs(Schema):
    """``?lang=``: the language of titles (else Accept-Language)."""

    lang = LanguageTag(load_default=None)


class PlanListArgs(LangArgs):
    """``GET /plans``."""

    state = fields.String(load_default=None, validate=validate.OneOf(PLAN_STATES))


class ReportArgs(LangArgs):
    """``GET /plans/overdue`` and ``/plans/overdue.csv``."""

    on = IsoDate(load_default=None, metadata={
        "description": "the day the report is for (default today, UTC)"})


class MandatedItemSchema(Schema):
    """One item a live plan mandates for a learner, with its state from the learner's
    statements in the department's LRS."""

    plan_id = fields.String(required=True)
    plan_version = fields.Integer(required=True)
    plan_title = fields.String(allow_none=True)
    item_id = fields.String(required=True, metadata={"description": "catalogue id"})
    activity_id = fields.String(required=True, metadata={
        "description": "the xAPI activity IRI the state is computed from"})
    due_date = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(ITEM_STATES))
    overdue = fields.Boolean(required=True)


class LearnerItemsSchema(Schema):
    """``GET /plans/learners/<learner_id>/items``."""

    learner = fields.Nested(LearnerSchema, required=True)
    items = fields.List(fields.Nested(MandatedItemSchema), required=True)


class OverdueRowSchema(MandatedItemSchema):
    """One overdue item of one learner."""

    learner_id = fields.String(required=True)
    name = fields.String(required=True)
    designation = fields.String(required=True)


class OverdueReportSchema(Schema):
    """``GET /plans/overdue``: every learner's overdue items (``/plans/overdue.csv`` gives the
    same rows as CSV)."""

    org_id = fields.String(required=True)
    on = fields.String(required=True)
    overdue = fields.List(fields.Nested(OverdueRowSchema), required=True)
