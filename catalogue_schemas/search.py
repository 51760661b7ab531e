"""Schemas of the public catalogue: search arguments and the documented response shapes.

The search view dumps with orjson for speed (p95 budget 25 ms at 10k courses); these response
schemas exist for the OpenAPI document and are checked against real responses by the tests.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from catalogue_schemas.course import CATEGORIES, LEVELS, MODES, PriceSchema, RatingSchema
from catalogue_schemas.fields import LanguageTag
from storage.catalogue_index import DURATION_BANDS, SORT_ORDERS


def _many(inner: fields.Field, what: str) -> fields.List:
    return fields.List(inner, load_default=list,
                       metadata={"description": f"{what}; repeat the parameter to OR values"})


class SearchArgs(Schema):
    """``GET /catalogue/search`` query. Repeated parameters are OR-ed, different ones AND-ed."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default=None, validate=validate.Length(max=200),
                      metadata={"description": "full text, every language; prefix match"})
    provider = _many(fields.String(validate=validate.Length(1, 64)), "provider organisation id")
    language = _many(LanguageTag(), "BCP 47 tag")
    category = _many(fields.String(validate=validate.OneOf(CATEGORIES)), "category")
    mode = _many(fields.String(validate=validate.OneOf(MODES)), "learning mode")
    level = _many(fields.String(validate=validate.OneOf(LEVELS)), "difficulty level")
    competency = _many(fields.String(validate=validate.Length(1, 100)), "competency id")
    duration = _many(fields.String(validate=validate.OneOf(tuple(DURATION_BANDS))),
                     "duration band")
    min_minutes = fields.Integer(load_default=None, validate=validate.Range(0, 10**6))
    max_minutes = fields.Integer(load_default=None, validate=validate.Range(0, 10**6))
    min_rating = fields.Float(load_default=None, validate=validate.Range(0, 5))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORT_ORDERS))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    facets = fields.Boolean(load_default=True, metadata={
        "description": "false skips the facet counts (faster; e.g. for later pages)"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=4096),
                           metadata={"description": "the 'next' of the previous page"})


class ProviderRefSchema(Schema):
    """The organisation that offers a course."""

    id = fields.String()
    name = fields.String()


class DeliveryTypeSchema(Schema):
    """Only the delivery type is public; launch details go through the hub."""

    type = fields.String()


class PublicCourseSchema(Schema):
    """The live version of a published course as the public catalogue shows it."""

    id = fields.String()
    provider = fields.Nested(ProviderRefSchema)
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    keywords = fields.List(fields.String())
    category = fields.String()
    mode = fields.String()
    level = fields.String()
    duration = fields.String()
    duration_minutes = fields.Integer()
    languages = fields.List(fields.String())
    delivery = fields.Nested(DeliveryTypeSchema)
    licence = fields.String()
    price = fields.Nested(PriceSchema)
    certificate_offered = fields.Boolean()
    competencies = fields.List(fields.Dict())
    version = fields.String()
    published_at = fields.String(allow_none=True)
    rating = fields.Nested(RatingSchema)
    url = fields.String()


class FacetValueSchema(Schema):
    """One facet bucket; provider buckets carry the organisation name as ``label``."""

    value = fields.String()
    count = fields.Integer()
    label = fields.String()


class SearchResultSchema(Schema):
    """``{"total", "items", "facets", "next"}``."""

    total = fields.Integer()
    items = fields.List(fields.Nested(PublicCourseSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    next = fields.String(allow_none=True)


class CourseJsonLdSchema(Schema):
    """The main properties of the schema.org ``Course`` JSON-LD (documentation only; the
    camelCase names are schema.org's)."""

    context = fields.String(data_key="@context", metadata={"example": "https://schema.org"})
    type_ = fields.String(data_key="@type", metadata={"example": "Course"})
    id_ = fields.String(data_key="@id")
    name = fields.String()
    alternateName = fields.List(fields.Dict(), metadata={
        "description": "every title as {'@value', '@language'}"})
    description = fields.String()
    inLanguage = fields.List(fields.String())
    provider = fields.Dict()
    offers = fields.Dict()
    hasCourseInstance = fields.Dict()
    aggregateRating = fields.Dict()
