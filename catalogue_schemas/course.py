"""Schemas of a course (catalogue item): the content a provider writes, and the stored
course with its vetting state as the API shows it to its owner and to reviewers.

The same :class:`CourseContentSchema` validates the API body, every row of a bulk import and
the demo data, so there is one definition of a valid course.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from catalogue_schemas.fields import Duration, LanguageMap, LanguageTag, duration_minutes
from catalogue_schemas.package import PackageSchema

CATEGORIES = ("course", "program", "learning-resource", "assessment")
MODES = ("self-paced", "instructor-led", "classroom")
LEVELS = ("beginner", "intermediate", "advanced")
DELIVERY_TYPES = ("lti", "xapi", "cmi5", "external")
STATES = ("draft", "submitted", "in_review", "changes_requested", "published", "retired")

#: Blob keys as the blob port accepts them: ``a/b/c``, no leading slash, no ``..``.
_BLOB_KEY = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9._\-/]{1,512}$")
_HTTP_URL = validate.URL(schemes={"http", "https"}, require_tld=False)
_CUSTOM_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}\Z")


def _custom(value: dict[str, Any]) -> None:
    """LTI custom properties (LTI 1.3 §5.4.6): a map of string values under short names."""
    if len(value) > 50:
        raise ValidationError("at most 50 properties")
    for name in value:
        if not _CUSTOM_NAME.match(name):
            raise ValidationError(f"{name[:100]!r}: names are 1-100 letters, digits, _ . -")


class DeliverySchema(Schema):
    """How the course is delivered: ``{"type": "lti", "tool": <the provider's tool
    registration id>, "target_link_uri", "custom"?}`` (LTI 1.3 §5.1.2.2 target link, §5.4.6
    custom properties), ``{"type": "xapi"|"cmi5", "package": <blob key>}`` or ``{"type":
    "external", "url"}``. Exactly the fields of the type. That the tool belongs to the course's
    provider is checked by the service, which has the store."""

    type = fields.String(required=True, validate=validate.OneOf(DELIVERY_TYPES))
    tool = fields.String(validate=validate.Length(1, 100), metadata={
        "description": "id of the provider's LTI tool registration (/lti/tools)"})
    target_link_uri = fields.String(validate=[validate.Length(max=2000), _HTTP_URL], metadata={
        "description": "the tool's resource the course launches (LTI 1.3 target_link_uri)"})
    custom = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(
                             max=1000)), validate=_custom,
                         metadata={"description": "LTI custom properties sent at launch"})
    package = fields.String(validate=validate.Regexp(_BLOB_KEY, error="not a valid blob key"),
                            metadata={"description": "blob key of the xAPI/cmi5 package"})
    url = fields.String(validate=_HTTP_URL, metadata={"description": "external course URL"})

    _NEEDS: dict[str, tuple[str, ...]] = {"lti": ("tool", "target_link_uri"),
                                          "xapi": ("package",), "cmi5": ("package",),
                                          "external": ("url",)}
    _ALLOWED = {"lti": ("tool", "target_link_uri", "custom")}

    @validates_schema
    def _one_target(self, data: dict[str, Any], **_: Any) -> None:
        needed = self._NEEDS.get(data.get("type", ""))
        if needed is None:
            return
        for name in needed:
            if not data.get(name):
                raise ValidationError(f"required for delivery type {data['type']!r}", name)
        allowed = self._ALLOWED.get(data["type"], needed)
        extra = [f for f in ("tool", "target_link_uri", "custom", "package", "url")
                 if f not in allowed and f in data]
        if extra:
            raise ValidationError(f"not allowed for delivery type {data['type']!r}", extra[0])


class PriceSchema(Schema):
    """A price as a decimal string (no float rounding) in an ISO 4217 currency."""

    amount = fields.String(
        load_default="0",
        validate=validate.Regexp(r"[0-9]{1,9}(\.[0-9]{1,2})?\Z",  # ASCII digits, no "\n"
                                 error="a decimal like 0 or 499.00"),
    )
    currency = fields.String(
        load_default="INR",
        validate=validate.Regexp(r"^[A-Z]{3}$", error="an ISO 4217 code like INR"),
    )


class CompetencyTagSchema(Schema):
    """A competency tag: a FRAC competency (sub-theme) and a proficiency level 1-5.

    On input ``id`` is the competency's id or its reference code (``COMSUBTHEME-12``); the
    shape is checked here and the tag against the latest published FRAC framework versions by
    :mod:`marketplace.frac_tags` (an unknown id, a node that is not a competency or a level the
    competency does not define is a 400 naming the tag). A tag is stored and shown with the
    framework version it was validated against and its code, area and theme; those fields are
    ignored on input, so a course read with GET can be sent back with PUT as it is."""

    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(1, 100), metadata={
        "description": "competency (sub-theme) id, or its reference code on input"})
    level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    framework = fields.String(dump_only=True, allow_none=True,
                              metadata={"description": "FRAC framework id"})
    version = fields.Integer(dump_only=True, allow_none=True, metadata={
        "description": "the framework version the tag was validated against"})
    code = fields.String(dump_only=True, allow_none=True,
                         metadata={"example": "COMSUBTHEME-12"})
    area = fields.String(dump_only=True, allow_none=True,
                         metadata={"description": "behavioural, functional or domain"})
    theme = fields.String(dump_only=True, allow_none=True,
                          metadata={"description": "the competency's theme (node id)"})


class TagReportSchema(Schema):
    """A tag of the course that the latest FRAC versions no longer validate: kept on the
    course (never dropped) and reported to its provider."""

    id = fields.String()
    code = fields.String(allow_none=True)
    level = fields.Integer(allow_none=True)
    problem = fields.String(metadata={"description": (
        "'retired in version N', 'level L not defined in version N', 'not migrated' (hub frac "
        "migrate-tags resolves it) or 'unknown'")})
    in_ = fields.List(fields.String(), data_key="in", attribute="in",
                      metadata={"description": "revision and/or live"})


class CourseContentSchema(Schema):
    """What a provider writes: one revision of a course."""

    title = LanguageMap(required=True, max_length=300)
    description = LanguageMap(load_default=dict, max_length=20_000)
    keywords = fields.List(fields.String(validate=validate.Length(1, 100)),
                           load_default=list, validate=validate.Length(max=50))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    mode = fields.String(required=True, validate=validate.OneOf(MODES),
                         metadata={"description": "learning mode"})
    level = fields.String(required=True, validate=validate.OneOf(LEVELS),
                          metadata={"description": "difficulty level"})
    duration = Duration(required=True)
    duration_minutes = fields.Integer(dump_only=True)
    languages = fields.List(LanguageTag(), validate=validate.Length(max=30),
                            metadata={"description": "languages of the content; "
                                      "defaults to the languages of the title"})
    delivery = fields.Nested(DeliverySchema, required=True)
    licence = fields.String(load_default="proprietary", validate=validate.Length(1, 100),
                            metadata={"description": "SPDX id (CC-BY-4.0) or 'proprietary'"})
    price = fields.Nested(PriceSchema, load_default=lambda: {"amount": "0", "currency": "INR"})
    certificate_offered = fields.Boolean(load_default=False)
    competencies = fields.List(fields.Nested(CompetencyTagSchema), load_default=list,
                               validate=validate.Length(max=50))
    version = fields.String(load_default="1.0", validate=validate.Length(1, 50),
                            metadata={"description": "the provider's content version"})
    package = fields.Nested(PackageSchema, dump_only=True, metadata={
        "description": "the uploaded cmi5/xAPI package (PUT /courses/{id}/package)"})

    @pre_load
    def _without_package(self, data: Any, **_: Any) -> Any:
        # Set only by uploading a zip; a course read with GET can be sent back with PUT.
        if isinstance(data, dict) and "package" in data:
            data = {k: v for k, v in data.items() if k != "package"}
        return data

    @post_load
    def _derive(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Stored beside the ISO text so that search can filter and sort by minutes.
        data["duration_minutes"] = duration_minutes(data["duration"])
        if not data.get("languages"):
            data["languages"] = list(data["title"])
        data["keywords"] = list(dict.fromkeys(k.strip() for k in data["keywords"] if k.strip()))
        return data


class RatingSchema(Schema):
    """Average and count of learner ratings."""

    average = fields.Float(allow_none=True)
    count = fields.Integer()


class CourseSchema(Schema):
    """A course as its provider and reviewers see it (working revision and live version)."""

    id = fields.String()
    provider_id = fields.String()
    state = fields.String(metadata={"enum": list(STATES)})
    row_version = fields.Integer(metadata={"description": "also the ETag; send it in If-Match"})
    revision_number = fields.Integer()
    revision = fields.Nested(CourseContentSchema)
    live = fields.Nested(CourseContentSchema, allow_none=True)
    live_version = fields.Integer(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    published_at = fields.String(allow_none=True)
    rating = fields.Nested(RatingSchema)
    allowed_actions = fields.List(fields.String(), metadata={
        "description": "transitions the caller may take now"})
    tag_report = fields.List(fields.Nested(TagReportSchema), metadata={
        "description": "competency tags no longer valid in the latest FRAC versions"})


class CourseListArgs(Schema):
    """Query of ``GET /courses``."""

    class Meta:
        unknown = EXCLUDE

    state = fields.List(fields.String(validate=validate.OneOf(STATES)), load_default=list)
    provider = fields.String(metadata={"description": "reviewers/admins: one provider's"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    after = fields.String(metadata={"description": "id of the last course of the previous page"})


class CoursePageSchema(Schema):
    """A page of courses."""

    items = fields.List(fields.Nested(CourseSchema))
    next = fields.String(allow_none=True)
