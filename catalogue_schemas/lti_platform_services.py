"""Schemas of the platform side's LTI Advantage services as a provider's tool sees them: the
OAuth token exchange (RFC 6749 §4.4, RFC 7523 §2.2), AGS 2.0 line items, scores and results,
and the NRPS 2.0 membership container. Field names are the specs' own (camelCase for AGS,
snake_case for NRPS), through ``data_key``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

# AGS §3.2-3.5 and NRPS §2.2 media types.
LINEITEM_MEDIA = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_MEDIA = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE_MEDIA = "application/vnd.ims.lis.v1.score+json"
RESULTS_MEDIA = "application/vnd.ims.lis.v2.resultcontainer+json"
MEMBERSHIPS_MEDIA = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"

ACTIVITY_PROGRESS = ("Initialized", "Started", "InProgress", "Submitted", "Completed")
GRADING_PROGRESS = ("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady")

_TEXT = validate.Length(min=1, max=1000)
_ID = validate.Length(min=1, max=255)


class TokenRequestSchema(Schema):
    """The form of ``POST /lti/platform/token`` (documentation; the service reads the form
    itself so that each refusal is the OAuth error RFC 6749 §5.2 names)."""

    class Meta:
        unknown = EXCLUDE

    grant_type = fields.String(required=True, metadata={"enum": ["client_credentials"]})
    client_assertion_type = fields.String(required=True, metadata={
        "enum": ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]})
    client_assertion = fields.String(required=True, metadata={
        "description": "a JWT signed with the tool's key: iss = sub = client id, aud = this "
                       "URL, exp, iat, jti (used once)"})
    scope = fields.String(required=True, metadata={
        "description": "space-separated AGS/NRPS scopes, each held by the tool registration"})
    client_id = fields.String(metadata={"description": "optional; must equal the iss"})


class TokenResponseSchema(Schema):
    """RFC 6749 §5.1: the granted access token."""

    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"enum": ["Bearer"]})
    expires_in = fields.Integer(required=True)
    scope = fields.String(required=True)


class LineItemSchema(Schema):
    """AGS §3.2.2 / §3.3: a line item. ``id`` is its URL (set by the hub)."""

    class Meta:
        unknown = EXCLUDE  # AGS §3.2.2: extensions a platform does not know are ignored

    id = fields.String(dump_only=True)
    score_maximum = fields.Float(data_key="scoreMaximum", required=True, allow_nan=False,
                                 validate=validate.Range(min=0, min_inclusive=False,
                                                         max=1e9))
    label = fields.String(required=True, validate=_TEXT)
    resource_link_id = fields.String(data_key="resourceLinkId", allow_none=True, validate=_ID)
    resource_id = fields.String(data_key="resourceId", allow_none=True, validate=_ID)
    tag = fields.String(allow_none=True, validate=_ID)
    start_date_time = fields.AwareDateTime(data_key="startDateTime", allow_none=True)
    end_date_time = fields.AwareDateTime(data_key="endDateTime", allow_none=True)
    grades_released = fields.Boolean(data_key="gradesReleased", allow_none=True)


class LineItemQuerySchema(Schema):
    """AGS §3.2.6: filters and paging of the line items container."""

    class Meta:
        unknown = EXCLUDE

    resource_link_id = fields.String(validate=_ID)
    resource_id = fields.String(validate=_ID)
    tag = fields.String(validate=_ID)
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    after = fields.String(validate=_ID, metadata={"description": "page cursor (Link next)"})


class ScoreSchema(Schema):
    """AGS §3.4: a score a tool publishes for one user."""

    class Meta:
        unknown = EXCLUDE

    user_id = fields.String(data_key="userId", required=True, validate=_ID)
    score_given = fields.Float(data_key="scoreGiven", allow_nan=False,
                               validate=validate.Range(min=0, max=1e9))
    score_maximum = fields.Float(data_key="scoreMaximum", allow_nan=False,
                                 validate=validate.Range(min=0, min_inclusive=False, max=1e9))
    comment = fields.String(validate=validate.Length(max=4000))
    timestamp = fields.AwareDateTime(required=True)
    activity_progress = fields.String(data_key="activityProgress", required=True,
                                      validate=validate.OneOf(ACTIVITY_PROGRESS))
    grading_progress = fields.String(data_key="gradingProgress", required=True,
                                     validate=validate.OneOf(GRADING_PROGRESS))

    @validates_schema
    def _maximum_with_given(self, data: dict[str, Any], **_: Any) -> None:
        # AGS §3.4.3: scoreMaximum is required when scoreGiven is present.
        if "score_given" in data and "score_maximum" not in data:
            raise ValidationError("required with scoreGiven", "scoreMaximum")


class ResultSchema(Schema):
    """AGS §3.5: the current result of one user on a line item."""

    id = fields.String(required=True)
    score_of = fields.String(data_key="scoreOf", required=True)
    user_id = fields.String(data_key="userId", required=True)
    result_score = fields.Float(data_key="resultScore")
    result_maximum = fields.Float(data_key="resultMaximum")
    comment = fields.String()


class ResultQuerySchema(Schema):
    """AGS §3.5.1: the results container's filters and paging."""

    class Meta:
        unknown = EXCLUDE

    user_id = fields.String(validate=_ID)
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    after = fields.String(validate=_ID, metadata={"description": "page cursor (Link next)"})


class MemberSchema(Schema):
    """NRPS §2.1: one member of the context (name and email only when the learner's platform
    sent them)."""

    user_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["Active", "Inactive"]})
    roles = fields.List(fields.String(), required=True)
    name = fields.String()
    email = fields.String()


class ContextSchema(Schema):
    """NRPS §2.2: the context the members belong to."""

    id = fields.String(required=True)
    title = fields.String()


class MembershipContainerSchema(Schema):
    """NRPS §2.2: a page of the context's members (``Link: rel="next"`` for the next)."""

    id = fields.String(required=True)
    context = fields.Nested(ContextSchema, required=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)


class MembershipQuerySchema(Schema):
    """NRPS §2.3.1: role filter and paging."""

    class Meta:
        unknown = EXCLUDE

    role = fields.String(validate=_ID, metadata={
        "description": "a role URI or its short name (Learner, Instructor)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    after = fields.String(validate=_ID, metadata={"description": "page cursor (Link next)"})
