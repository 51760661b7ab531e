"""Schemas of a learner's recommendations (``GET /learners/{learner_id}/recommendations``,
issue 13 "Recommendations")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from catalogue_schemas.fields import LanguageTag
from catalogue_schemas.frac import NodeRefSchema

#: A level of the FRAC proficiency scale (DESIGN.md "FRAC": 1 Basic .. 5 Ustad).
LEVEL = validate.Range(min=0, max=5)


class RecommendationArgs(Schema):
    """``?limit``, ``?lang`` and, for platform administrators, ``?org``."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100), metadata={
        "description": "ranked items after the mandated ones (which are always listed)"})
    lang = LanguageTag(load_default=None, metadata={
        "description": "the language of names, titles and each ``why.text`` (else "
                       "Accept-Language; English or Hindi sentences)"})
    org = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "the learner's organisation (platform administrators only; default: "
                       "the caller's)"})


class RecommendationGapSchema(Schema):
    """A competency held below the level a role of the learner requires."""

    competency = fields.Nested(NodeRefSchema, required=True)
    required = fields.Integer(required=True, validate=LEVEL)
    held = fields.Integer(required=True, validate=LEVEL, metadata={
        "description": "the level the passbook proves (0: none)"})
    roles = fields.List(fields.Nested(NodeRefSchema), required=True, metadata={
        "description": "the learner's roles that require it"})


class RecommendationClosesSchema(Schema):
    """A gap an item closes (its level reaches the required one) or narrows."""

    competency = fields.Nested(NodeRefSchema, required=True)
    required = fields.Integer(required=True)
    held = fields.Integer(required=True)
    level = fields.Integer(required=True, metadata={"description": "the level the item teaches"})
    level_name = fields.String(required=True)
    effect = fields.String(required=True, validate=validate.OneOf(("closes", "narrows")))


class RecommendationWhySchema(Schema):
    """Why an item ranks where it does: its score, the score's weighted parts and a sentence
    in the request language."""

    score = fields.Float(required=True)
    parts = fields.Dict(keys=fields.String(), values=fields.Float(), required=True, metadata={
        "description": "gap, language, rating, duration, mode (empty for a mandated item "
                       "no longer in the live catalogue)"})
    text = fields.String(required=True)
    lang = fields.String(required=True)


class RecommendationPlanSchema(Schema):
    """A live plan that mandates the item."""

    plan_id = fields.String(required=True)
    plan_version = fields.Integer(required=True)
    plan_title = fields.String(allow_none=True)
    due_date = fields.String(required=True)


class RecommendationMandateSchema(Schema):
    """Why a mandated item comes first: its plans and the earliest due date."""

    due_date = fields.String(required=True)
    overdue = fields.Boolean(required=True)
    state = fields.String(required=True, metadata={"description": "not-started or in-progress"})
    plans = fields.List(fields.Nested(RecommendationPlanSchema), required=True)


class RecommendedRatingSchema(Schema):
    """An item's rating."""

    average = fields.Float(allow_none=True)
    count = fields.Integer()


class RecommendationSchema(Schema):
    """One recommended catalogue item."""

    rank = fields.Integer(required=True)
    item_id = fields.String(required=True)
    category = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    url = fields.String(required=True, metadata={"description": "its public catalogue page"})
    mode = fields.String(allow_none=True)
    languages = fields.List(fields.String(), required=True)
    duration_minutes = fields.Integer(allow_none=True)
    rating = fields.Nested(RecommendedRatingSchema, required=True)
    mandated = fields.Nested(RecommendationMandateSchema, allow_none=True, required=True)
    closes = fields.List(fields.Nested(RecommendationClosesSchema), required=True)
    why = fields.Nested(RecommendationWhySchema, required=True)


class RecommendationsSchema(Schema):
    """A learner's roles, gaps and recommendations (mandated items first)."""

    org_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    position = fields.Nested(NodeRefSchema, allow_none=True, required=True)
    roles = fields.List(fields.Nested(NodeRefSchema), required=True)
    gaps = fields.List(fields.Nested(RecommendationGapSchema), required=True)
    recommendations = fields.List(fields.Nested(RecommendationSchema), required=True)
