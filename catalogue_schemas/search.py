"""Schemas of the public catalogue: search arguments and the documented response shapes.

The search view dumps with orjson for speed (p95 budget 25 ms at 10k courses); these response
schemas exist for the OpenAPI document and are checked against real responses by the tests.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from catalogue_schemas.course import CATEGORIES, LEVELS, MODES, PriceSchema, RatingSchema
from catalogue_schemas.fields import LanguageTag
from storage.catalogue_index import DURATION_BANDS, PROGRAM_ITEM_BANDS, SORT_ORDERS

#: FRAC competency areas (marketplace.frac_model.AREAS; schemas sit below the marketplace).
COMPETENCY_AREAS = ("behavioural", "functional", "domain")


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
    competency = _many(fields.String(validate=validate.Length(1, 100)),
                       "competency (sub-theme) id or reference code")
    competency_area = _many(fields.String(validate=validate.OneOf(COMPETENCY_AREAS)),
                            "competency area")
    competency_theme = _many(fields.String(validate=validate.Length(1, 100)),
                             "competency theme id or reference code")
    competency_level = _many(fields.Integer(strict=False, validate=validate.Range(1, 5)),
                             "proficiency level of a competency tag (1-5)")
    duration = _many(fields.String(validate=validate.OneOf(tuple(DURATION_BANDS))),
                     "duration band")
    program_items = _many(fields.String(validate=validate.OneOf(tuple(PROGRAM_ITEM_BANDS))),
                          "item count band of a curated program")
    blended = _many(fields.String(validate=validate.OneOf(("true", "false"))),
                    "curated programs with (true) or without (false) classroom batches")
    min_minutes = fields.Integer(load_default=None, validate=validate.Range(0, 10**6))
    max_minutes = fields.Integer(load_default=None, validate=validate.Range(0, 10**6))
    min_rating = fields.Float(load_default=None, validate=validate.Range(0, 5))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORT_ORDERS))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    facets = fields.Boolean(load_default=True, metadata={
        "description": "false skips the facet counts (faster; e.g. for later pages)"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=4096),
                           metadata={"description": "the 'next' of the previous page"})
    lang = LanguageTag(load_default=None, metadata={
        "description": "language of competency names (else Accept-Language, else English)"})


class LanguageArgs(Schema):
    """``?lang=``: the language names are shown in (else Accept-Language, else English)."""

    class Meta:
        unknown = EXCLUDE

    lang = LanguageTag(load_default=None, metadata={
        "description": "language of competency names (else Accept-Language, else English)"})


class ProviderRefSchema(Schema):
    """The organisation that offers a course."""

    id = fields.String()
    name = fields.String()


class DeliveryTypeSchema(Schema):
    """Only the delivery type is public; launch details go through the hub."""

    type = fields.String()


class PublicCompetencySchema(Schema):
    """A competency tag of a public course, with names in the request's language."""

    id = fields.String(metadata={"description": "competency (sub-theme) id"})
    code = fields.String(allow_none=True, metadata={"example": "COMSUBTHEME-12"})
    name = fields.String(allow_none=True)
    level = fields.Integer(allow_none=True)
    level_name = fields.String(allow_none=True, metadata={"example": "Proficient"})
    level_description = fields.String(allow_none=True)
    area = fields.String(allow_none=True, metadata={"example": "functional"})
    area_name = fields.String(allow_none=True)
    theme = fields.String(allow_none=True, metadata={"description": "theme id"})
    theme_code = fields.String(allow_none=True)
    theme_name = fields.String(allow_none=True)
    framework = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)


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
    competencies = fields.List(fields.Nested(PublicCompetencySchema))
    version = fields.String()
    published_at = fields.String(allow_none=True)
    rating = fields.Nested(RatingSchema)
    url = fields.String()


class FacetValueSchema(Schema):
    """One facet bucket; provider buckets carry the organisation name as ``label``, competency
    buckets the name in the request's language and the reference ``code``."""

    value = fields.String()
    count = fields.Integer()
    label = fields.String()
    code = fields.String()


class SearchResultSchema(Schema):
    """``{"total", "items", "facets", "next"}``."""

    total = fields.Integer()
    items = fields.List(fields.Nested(PublicCourseSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)))
    next = fields.String(allow_none=True)


class LanguageTaggedSchema(Schema):
    """A JSON-LD language-tagged string (JSON-LD 1.1 §4.2.4)."""

    value = fields.String(data_key="@value", required=True)
    language = fields.String(data_key="@language", required=True)


class JsonLdOrganizationSchema(Schema):
    """schema.org ``Organization``: the provider."""

    type_ = fields.String(data_key="@type", required=True, metadata={"example": "Organization"})
    name = fields.String(required=True)
    identifier = fields.String(required=True, metadata={"description": "organisation id"})


class JsonLdOfferSchema(Schema):
    """schema.org ``Offer``: the price as a decimal string, ``Free`` or ``Paid``."""

    type_ = fields.String(data_key="@type", required=True, metadata={"example": "Offer"})
    price = fields.String(required=True, metadata={"example": "499.00"})
    priceCurrency = fields.String(required=True, metadata={"example": "INR"})
    category = fields.String(required=True, validate=validate.OneOf(("Free", "Paid")))


class JsonLdCourseInstanceSchema(Schema):
    """schema.org ``CourseInstance``: how the course runs."""

    type_ = fields.String(data_key="@type", required=True,
                          metadata={"example": "CourseInstance"})
    courseMode = fields.String(required=True,
                               validate=validate.OneOf(("online", "blended", "onsite")))
    courseWorkload = fields.String(allow_none=True, metadata={"description": "ISO 8601"})


class JsonLdDefinedTermSchema(Schema):
    """schema.org ``DefinedTerm``: a competency the course teaches, with its level."""

    type_ = fields.String(data_key="@type", required=True, metadata={"example": "DefinedTerm"})
    termCode = fields.String(required=True, metadata={
        "description": "competency reference code (its id when it has none)"})
    name = fields.String(allow_none=True)
    description = fields.String(required=True, metadata={"example": "proficiency level 2"})


class JsonLdAlignmentSchema(Schema):
    """schema.org ``AlignmentObject``: the FRAC competency the course teaches."""

    type_ = fields.String(data_key="@type", required=True,
                          metadata={"example": "AlignmentObject"})
    alignmentType = fields.String(required=True, metadata={"example": "teaches"})
    educationalFramework = fields.String(allow_none=True,
                                         metadata={"description": "framework title"})
    targetName = fields.String(allow_none=True)
    targetUrl = fields.String(required=True, metadata={
        "description": "the competency's CASE 1.1 CFItem URI"})
    targetDescription = fields.String(metadata={"description": "level name and description"})


class JsonLdAggregateRatingSchema(Schema):
    """schema.org ``AggregateRating`` (present once the course has a rating)."""

    type_ = fields.String(data_key="@type", required=True,
                          metadata={"example": "AggregateRating"})
    ratingValue = fields.Float(required=True)
    ratingCount = fields.Integer(required=True)
    bestRating = fields.Integer(required=True)
    worstRating = fields.Integer(required=True)


class CourseJsonLdSchema(Schema):
    """The schema.org ``Course`` JSON-LD of a published course, every property it carries
    (:func:`marketplace.jsonld.course_jsonld`; the camelCase names are schema.org's)."""

    context = fields.String(data_key="@context", required=True,
                            metadata={"example": "https://schema.org"})
    type_ = fields.String(data_key="@type", required=True, metadata={"example": "Course"})
    id_ = fields.String(data_key="@id", required=True)
    url = fields.String(required=True)
    identifier = fields.String(required=True, metadata={"description": "the course id"})
    name = fields.String(allow_none=True, metadata={"description": "English (else first) title"})
    alternateName = fields.List(fields.Nested(LanguageTaggedSchema), metadata={
        "description": "every title as {'@value', '@language'}"})
    description = fields.String(allow_none=True)
    disambiguatingDescription = fields.List(fields.Nested(LanguageTaggedSchema), metadata={
        "description": "every description, when there are several languages"})
    inLanguage = fields.List(fields.String())
    keywords = fields.String(metadata={"description": "comma-separated"})
    provider = fields.Nested(JsonLdOrganizationSchema, required=True)
    educationalLevel = fields.String(allow_none=True)
    learningResourceType = fields.String()
    timeRequired = fields.String(allow_none=True, metadata={"description": "ISO 8601"})
    license = fields.String(allow_none=True)
    version = fields.String(allow_none=True)
    datePublished = fields.String(allow_none=True)
    isAccessibleForFree = fields.Boolean()
    offers = fields.Nested(JsonLdOfferSchema)
    hasCourseInstance = fields.Nested(JsonLdCourseInstanceSchema)
    teaches = fields.List(fields.Nested(JsonLdDefinedTermSchema))
    educationalAlignment = fields.List(fields.Nested(JsonLdAlignmentSchema))
    educationalCredentialAwarded = fields.String()
    aggregateRating = fields.Nested(JsonLdAggregateRatingSchema)
