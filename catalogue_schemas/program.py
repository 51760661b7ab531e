"""Schemas of a curated program (a catalogue item of category ``program``).

A curator writes :class:`ProgramContentSchema`; the service turns it into a catalogue item's
content (the same stored shape as a course's, so search, the vetting workflow and the public
catalogue serve it unchanged) plus a ``program`` part holding the ordered items. What cannot be
checked without the store (items are published catalogue items, tags are in the FRAC
framework) is checked by :mod:`marketplace.program_items` and :mod:`marketplace.frac_tags`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from catalogue_schemas.course import (
    LEVELS,
    STATES,
    CompetencyTagSchema,
    PriceSchema,
    RatingSchema,
    TagReportSchema,
)
from catalogue_schemas.fields import Duration, LanguageMap, LanguageTag
from catalogue_schemas.search import PublicCourseSchema

ITEM_KINDS = ("course", "resource", "assessment")
#: External resources are linked over TLS only: the public page sends learners there.
_HTTPS_URL = validate.URL(schemes={"https"}, require_tld=True)


class ProgramItemSchema(Schema):
    """One item of a program, in order: a catalogue item (``course``: its id) or an external
    resource (``url`` over https with a ``title``); exactly one of the two."""

    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    course = fields.String(validate=validate.Length(1, 100), metadata={
        "description": "id of a published catalogue item"})
    url = fields.String(validate=[validate.Length(max=2000), _HTTPS_URL], metadata={
        "description": "an external resource (https)"})
    title = LanguageMap(max_length=300, metadata={
        "description": "title of an external resource (catalogue items show their own)"})
    duration = Duration(metadata={"description": "an external resource's duration, if known"})
    required = fields.Boolean(load_default=True)

    @validates_schema
    def _one_target(self, data: dict[str, Any], **_: Any) -> None:
        if ("course" in data) == ("url" in data):
            raise ValidationError("an item names either a catalogue 'course' or a 'url'",
                                  "course")
        if "url" in data and "title" not in data:
            raise ValidationError("an external resource needs a title", "title")
        extra = [f for f in ("title", "duration") if "course" in data and f in data]
        if extra:
            raise ValidationError("a catalogue item shows its own live title and duration",
                                  extra[0])


class ProgramPartSchema(Schema):
    """The program-specific part of the content."""

    items = fields.List(fields.Nested(ProgramItemSchema), required=True,
                        validate=validate.Length(1, 200))
    blended = fields.Boolean(load_default=False, metadata={
        "description": "classroom batches and sessions complement the items"})

    @validates_schema
    def _each_once(self, data: dict[str, Any], **_: Any) -> None:
        seen: dict[str, int] = {}
        for index, item in enumerate(data.get("items") or []):
            target = item.get("course") or item.get("url")
            first = seen.setdefault(str(target), index)
            if first != index:
                raise ValidationError({str(index): {"course" if item.get("course") else "url": [
                    f"already listed as item {first}"]}}, "items")


class ProgramContentSchema(Schema):
    """What a curator writes: one revision of a program. Duration, mode and category are
    derived (duration from the items' live durations; mode ``instructor-led`` when blended)."""

    title = LanguageMap(required=True, max_length=300)
    description = LanguageMap(load_default=dict, max_length=20_000)
    keywords = fields.List(fields.String(validate=validate.Length(1, 100)),
                           load_default=list, validate=validate.Length(max=50))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    languages = fields.List(LanguageTag(), validate=validate.Length(max=30), metadata={
        "description": "defaults to the languages of the title"})
    competencies = fields.List(fields.Nested(CompetencyTagSchema), load_default=list,
                               validate=validate.Length(max=50), metadata={
                                   "description": "target competencies with levels (FRAC)"})
    licence = fields.String(load_default="proprietary", validate=validate.Length(1, 100))
    price = fields.Nested(PriceSchema, load_default=lambda: {"amount": "0", "currency": "INR"})
    certificate_offered = fields.Boolean(load_default=False)
    version = fields.String(load_default="1.0", validate=validate.Length(1, 50))
    program = fields.Nested(ProgramPartSchema, required=True)


class StoredProgramContentSchema(ProgramContentSchema):
    """A program revision as stored and shown: the curator's content plus what is derived."""

    category = fields.String(metadata={"enum": ["program"]})
    mode = fields.String()
    duration = fields.String(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)


class ItemReportSchema(Schema):
    """An item of the program that is no longer a published catalogue item: kept in the
    program (never dropped) and reported to its curator."""

    position = fields.Integer(metadata={"description": "0-based index in program.items"})
    course = fields.String()
    problem = fields.String(metadata={"description": "'retired' or 'unavailable'"})
    in_ = fields.List(fields.String(), data_key="in", attribute="in",
                      metadata={"description": "revision and/or live"})


class ProgramSchema(Schema):
    """A program as its curators and reviewers see it."""

    id = fields.String()
    provider_id = fields.String(metadata={"description": "the curating organisation"})
    state = fields.String(metadata={"enum": list(STATES)})
    row_version = fields.Integer(metadata={"description": "also the ETag; send it in If-Match"})
    revision_number = fields.Integer()
    revision = fields.Nested(StoredProgramContentSchema)
    live = fields.Nested(StoredProgramContentSchema, allow_none=True)
    live_version = fields.Integer(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    published_at = fields.String(allow_none=True)
    rating = fields.Nested(RatingSchema)
    allowed_actions = fields.List(fields.String())
    tag_report = fields.List(fields.Nested(TagReportSchema))
    item_report = fields.List(fields.Nested(ItemReportSchema))


class ProgramListArgs(Schema):
    """Query of ``GET /programs``."""

    class Meta:
        unknown = EXCLUDE

    state = fields.List(fields.String(validate=validate.OneOf(STATES)), load_default=list)
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    after = fields.String(metadata={"description": "id of the last program of the previous page"})


class ProgramPageSchema(Schema):
    """A page of programs."""

    items = fields.List(fields.Nested(ProgramSchema))
    next = fields.String(allow_none=True)


class ProgramProblemsSchema(Schema):
    """One program of the caller's organisation with items that need the curator."""

    id = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    state = fields.String()
    item_report = fields.List(fields.Nested(ItemReportSchema))


class ItemReportPageSchema(Schema):
    """``GET /programs/item-report``."""

    items = fields.List(fields.Nested(ProgramProblemsSchema))


class PublicItemSchema(Schema):
    """An item on a program's public page, with the live version of a catalogue item."""

    position = fields.Integer()
    kind = fields.String()
    required = fields.Boolean()
    course = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)
    duration = fields.String(allow_none=True)
    live_version = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "published, retired or unavailable "
                                     "(catalogue items), or external"})


class PublicProgramSchema(PublicCourseSchema):
    """The live version of a published program: the catalogue item plus its items."""

    blended = fields.Boolean()
    items = fields.List(fields.Nested(PublicItemSchema))
