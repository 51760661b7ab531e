"""Schemas of departments' demand for content (``/demands``): what a department raises, the
workflow actions, and what the API answers."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from catalogue_schemas.course import MODES, CompetencyTagSchema
from catalogue_schemas.fields import LanguageMap, LanguageTag
from catalogue_schemas.search import PublicCompetencySchema

#: Learning modes a department may ask for: a course's modes, or a blended program.
DEMAND_MODES = (*MODES, "blended")
STATUSES = ("unassigned", "assigned", "in_progress", "fulfilled", "invalid")
ACTIONS = ("accept", "start", "fulfil", "invalidate")


class TargetLearnersSchema(Schema):
    """Who the content is for."""

    class Meta:
        unknown = EXCLUDE

    description = LanguageMap(required=True, max_length=2000, metadata={
        "description": "who the learners are, as a language map"})
    designations = fields.List(fields.String(validate=validate.Length(1, 200)),
                               load_default=list, validate=validate.Length(max=50))
    count = fields.Integer(load_default=None, allow_none=True, strict=True,
                           validate=validate.Range(1, 10_000_000),
                           metadata={"description": "how many learners, about"})


class DemandInSchema(Schema):
    """``POST /demands``: a department's demand (curator of a department)."""

    title = LanguageMap(required=True, max_length=300)
    objective = LanguageMap(required=True, max_length=5000,
                            metadata={"description": "what the learners must be able to do"})
    target_learners = fields.Nested(TargetLearnersSchema, required=True)
    competencies = fields.List(fields.Nested(CompetencyTagSchema), required=True,
                               validate=validate.Length(1, 50), metadata={
                                   "description": "FRAC competencies (id or code) and levels, "
                                                  "validated against the published frameworks"})
    learning_mode = fields.String(required=True, validate=validate.OneOf(DEMAND_MODES))
    provider_id = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(1, 100), metadata={
                                    "description": "send to this provider only; none or null: "
                                                   "broadcast to every provider"})


class DemandActionSchema(Schema):
    """``POST /demands/<id>/transitions``."""

    action = fields.String(required=True, validate=validate.OneOf(ACTIONS), metadata={
        "description": "accept (a provider: unassigned -> assigned), start (assigned -> "
                       "in_progress), fulfil (in_progress -> fulfilled, needs catalogue_id), "
                       "invalidate (the department, needs comment)"})
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=5000))
    catalogue_id = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(1, 100), metadata={
                                     "description": "fulfil: a published course or program of "
                                                    "the accepting provider"})


class DemandListArgs(Schema):
    """Query of ``GET /demands``."""

    class Meta:
        unknown = EXCLUDE

    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), load_default=list)
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    after = fields.String(validate=validate.Length(1, 100),
                          metadata={"description": "id of the last demand of the previous page"})
    lang = LanguageTag(load_default=None, metadata={
        "description": "language of competency names (else Accept-Language, else English)"})


class FulfilmentSchema(Schema):
    """The catalogue item that fulfilled a demand."""

    catalogue_id = fields.String()
    category = fields.String(allow_none=True, metadata={"example": "program"})
    title = fields.Dict(keys=fields.String(), values=fields.String())
    live_version = fields.Integer(allow_none=True)
    url = fields.String(metadata={"description": "its public catalogue page"})


class DemandSchema(Schema):
    """A demand as its department and providers see it."""

    id = fields.String()
    org_id = fields.String(metadata={"description": "the department that raised it"})
    title = fields.Dict(keys=fields.String(), values=fields.String())
    objective = fields.Dict(keys=fields.String(), values=fields.String())
    target_learners = fields.Nested(TargetLearnersSchema)
    competencies = fields.List(fields.Nested(PublicCompetencySchema))
    learning_mode = fields.String(metadata={"enum": list(DEMAND_MODES)})
    provider_id = fields.String(allow_none=True,
                                metadata={"description": "sent to; null: broadcast"})
    status = fields.String(metadata={"enum": list(STATUSES)})
    assigned_to = fields.String(allow_none=True, metadata={"description": "accepting provider"})
    fulfilment = fields.Nested(FulfilmentSchema, allow_none=True)
    row_version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    created_by = fields.String()
    allowed_actions = fields.List(fields.String(), metadata={
        "description": "actions the caller may take now"})


class DemandPageSchema(Schema):
    """A page of demands."""

    items = fields.List(fields.Nested(DemandSchema))
    next = fields.String(allow_none=True)


class DemandEventSchema(Schema):
    """One audit event of a demand."""

    id = fields.String()
    demand_id = fields.String()
    at = fields.String()
    actor = fields.String(metadata={"description": "credential key"})
    org_id = fields.String()
    action = fields.String()
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    comment = fields.String(allow_none=True)


class DemandAuditSchema(Schema):
    """Every audit event of a demand, oldest first."""

    items = fields.List(fields.Nested(DemandEventSchema))
