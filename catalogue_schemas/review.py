"""Schemas of learner ratings and reviews."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate


class ReviewInSchema(Schema):
    """A learner's rating, posted by an LMS/institution/department credential on their behalf."""

    learner_id = fields.String(required=True, validate=validate.Length(1, 200),
                               metadata={"description": "opaque learner id (LTI sub / xAPI "
                                         "account name) within the posting organisation"})
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class ReviewSchema(Schema):
    """A review as the public sees it (the learner id stays private)."""

    course_id = fields.String()
    rating = fields.Integer()
    text = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()


class ReviewOutSchema(ReviewSchema):
    """The stored review returned to the posting organisation, with the new course rating."""

    learner_id = fields.String()
    course_rating = fields.Dict()


class ReviewListArgs(Schema):
    """Paging of ``GET /catalogue/courses/<id>/reviews``."""

    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    # a sealed token (hub.tokens) of a 200-character learner id, in UTF-8, fits in 2000
    cursor = fields.String(load_default=None, validate=validate.Length(max=2000))


class ReviewPageSchema(Schema):
    """A page of reviews, newest first."""

    items = fields.List(fields.Nested(ReviewSchema))
    next = fields.String(allow_none=True)
