"""Schemas of competency suggestions (``/courses/{id}/competency-suggestions``)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from catalogue_schemas.fields import LanguageTag


class SuggestionArgs(Schema):
    """Query of ``GET /courses/{id}/competency-suggestions``."""

    limit = fields.Integer(load_default=5, validate=validate.Range(1, 20),
                           metadata={"description": "how many suggestions (1-20)"})
    lang = LanguageTag(metadata={"description": "language of the names (default: "
                                                "Accept-Language, else the framework's first)"})


class SuggestionSchema(Schema):
    """One suggested competency with the model's score."""

    competency = fields.String(required=True, metadata={"description": "competency (sub-theme) id"})
    code = fields.String(allow_none=True, metadata={"description": "reference code, e.g. "
                                                                   "COMSUBTHEME-12"})
    name = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    theme = fields.String(allow_none=True, metadata={"description": "the theme's name"})
    levels = fields.List(fields.Integer(), metadata={"description": "levels it defines"})
    framework = fields.String(required=True)
    version = fields.Integer(required=True)
    score = fields.Float(required=True, metadata={"description": "cosine similarity, 0-1"})
    languages = fields.List(fields.String(), metadata={
        "description": "languages of the course text that match it on their own, best first"})


class SuggestionListSchema(Schema):
    """``GET /courses/{id}/competency-suggestions``: best first."""

    course = fields.String(required=True)
    items = fields.List(fields.Nested(SuggestionSchema), required=True)


class DecisionInSchema(Schema):
    """A reviewer's decision on one suggestion; accepting needs the level to tag with."""

    decision = fields.String(required=True, validate=validate.OneOf(("accept", "reject")))
    level = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 5),
                           metadata={"description": "proficiency level 1-5 (accept only)"})

    @validates_schema
    def _level_for_accept(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("decision") == "accept" and data.get("level") is None:
            raise ValidationError("accepting a suggestion needs a level", "level")


class DecisionSchema(Schema):
    """A stored decision."""

    course = fields.String(required=True)
    competency = fields.String(required=True)
    code = fields.String(allow_none=True)
    decision = fields.String(required=True)
    level = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True, metadata={"description": "the model's score then"})
    framework = fields.String()
    version = fields.Integer()
    by = fields.String(metadata={"description": "credential key of the reviewer"})
    at = fields.String()
    revision_number = fields.Integer(metadata={
        "description": "accepted: the course revision that now carries the tag"})
