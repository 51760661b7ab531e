"""Schemas of the FRAC API (DESIGN.md "FRAC"): frameworks, nodes, the two-level review, the
published versions and their search.

Shapes only: whether a parent, a required competency or a course exists is checked by the
services (:mod:`marketplace.frac_nodes`), which have the store. The vocabularies below are the
framework's (``marketplace.frac_model`` holds the same tuples for the domain code; a test keeps
them equal): this package sits below the domain and cannot import it.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from catalogue_schemas.fields import LanguageMap, LanguageTag

#: Node types the API creates; ``other`` is a foreign CASE item type an import keeps.
WRITABLE_TYPES = ("area", "theme", "subtheme", "position", "role", "activity")
NODE_TYPES = (*WRITABLE_TYPES, "other")
AREAS = ("behavioural", "functional", "domain")
STATUSES = ("unverified", "verified", "confirmed", "rejected", "retired")
LEVEL_KEYS = ("1", "2", "3", "4", "5")
EVENT_ACTIONS = ("created", "updated", "verified", "confirmed", "rejected", "returned",
                 "retired", "imported")

_ID = validate.Length(1, 100)
# A reference code as people write it (COMSUBTHEME-12, ROLE-7); CASE humanCodingScheme.
_CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}\Z",
                        error="1-64 letters, digits, '.', '_' or '-' (e.g. COMSUBTHEME-12)")
_HTTPS = validate.URL(schemes={"https"}, require_tld=True,
                      error="must be an https URL")
_EXTENSIONS = {"description": "fields the hub does not model (CASE), kept verbatim"}


def _keywords(value: dict[str, Any]) -> None:
    """``{"en": ["budget", ...], "hi": [...]}``: BCP 47 keys, lists of short non-empty words."""
    if len(value) > 50:
        raise ValidationError("at most 50 languages")
    for tag, words in value.items():
        if not isinstance(words, list) or len(words) > 100:
            raise ValidationError(f"{str(tag)[:40]!r}: a list of at most 100 keywords")
        if any(not isinstance(w, str) or not w.strip() or len(w) > 100 for w in words):
            raise ValidationError(f"{str(tag)[:40]!r}: keywords are 1-100 characters")


class RequirementSchema(Schema):
    """A role's requirement: a competency (sub-theme id of the same framework) at a level."""

    competency = fields.String(required=True, validate=_ID,
                               metadata={"description": "id of a sub-theme of the framework"})
    level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5),
                           metadata={"description": "1 Basic .. 5 Ustad; one the sub-theme "
                                     "defines"})


class ResourceSchema(Schema):
    """A knowledge resource of an activity: a published catalogue course or an https URL."""

    course = fields.String(validate=_ID, metadata={"description": "a published course id"})
    url = fields.String(validate=[validate.Length(max=2000), _HTTPS])
    title = LanguageMap(max_length=300, metadata={"description": "title of a URL resource"})

    @validates_schema
    def _one_kind(self, data: dict[str, Any], **_: Any) -> None:
        if ("course" in data) == ("url" in data):
            raise ValidationError("exactly one of course or url", "course")
        if "course" in data and "title" in data:
            raise ValidationError("a course resource takes its title from the catalogue",
                                  "title")


class NodeContentSchema(Schema):
    """The fields of a node a curator writes (``POST`` creates, ``PATCH`` changes some)."""

    code = fields.String(validate=_CODE, metadata={
        "description": "reference code, unique in the framework; assigned when absent "
                       "(COMAREA-n, COMTHEME-n, COMSUBTHEME-n, POS-n, ROLE-n, ACT-n)"})
    name = LanguageMap(required=True, max_length=300)
    description = LanguageMap(max_length=20_000)
    parent = fields.String(allow_none=True, validate=_ID, metadata={
        "description": "theme -> area, subtheme -> theme, role -> position, activity -> "
                       "role; none for areas and positions"})
    area = fields.String(allow_none=True, validate=validate.OneOf(AREAS), metadata={
        "description": "area nodes only; themes and sub-themes take their area's"})
    levels = fields.Dict(keys=fields.String(validate=validate.OneOf(LEVEL_KEYS)),
                         values=LanguageMap(max_length=5000),
                         metadata={"description": "sub-themes only: what each level (1..5) "
                                   "means for this competency"})
    keywords = fields.Dict(keys=LanguageTag(), values=fields.Raw(), validate=_keywords,
                           metadata={"description": "language -> keywords"})
    requirements = fields.List(fields.Nested(RequirementSchema),
                               validate=validate.Length(max=200),
                               metadata={"description": "roles only"})
    resources = fields.List(fields.Nested(ResourceSchema), validate=validate.Length(max=200),
                            metadata={"description": "activities only"})
    extensions = fields.Dict(keys=fields.String(), metadata=_EXTENSIONS)


class NodePatchSchema(NodeContentSchema):
    """Body of ``PATCH /frac/nodes/<id>``: any of the fields (the type is fixed)."""

    name = LanguageMap(max_length=300)


class NodeInSchema(NodeContentSchema):
    """Body of ``POST /frac/frameworks/<fid>/nodes``."""

    type = fields.String(required=True, validate=validate.OneOf(WRITABLE_TYPES))


class NodeSchema(Schema):
    """A working node as its organisation sees it (``revision`` is also its ETag)."""

    id = fields.String()
    framework = fields.String()
    type = fields.String(metadata={"enum": list(NODE_TYPES)})
    code = fields.String(allow_none=True)
    name = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    parent = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    levels = fields.Dict()
    keywords = fields.Dict()
    requirements = fields.List(fields.Dict())
    resources = fields.List(fields.Dict())
    status = fields.String(metadata={"enum": list(STATUSES)})
    revision = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    extensions = fields.Dict()


class NodeListArgs(Schema):
    """Query of ``GET /frac/frameworks/<fid>/nodes``."""

    class Meta:
        unknown = EXCLUDE

    type = fields.List(fields.String(validate=validate.OneOf(NODE_TYPES)), load_default=list)
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), load_default=list)


class NodeListSchema(Schema):
    """The working nodes of a framework, in code order."""

    items = fields.List(fields.Nested(NodeSchema))


class FrameworkInSchema(Schema):
    """Body of ``POST /frac/frameworks`` (``PATCH`` takes any of its fields)."""

    title = LanguageMap(required=True, max_length=300)
    description = LanguageMap(max_length=20_000)
    extensions = fields.Dict(keys=fields.String(), metadata=_EXTENSIONS)


class FrameworkPatchSchema(FrameworkInSchema):
    """Body of ``PATCH /frac/frameworks/<fid>``: any of the fields."""

    title = LanguageMap(max_length=300)


class FrameworkSchema(Schema):
    """A framework: the working one for its organisation, the published summary for others."""

    id = fields.String()
    org_id = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    creator = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    extensions = fields.Dict()
    latest_version = fields.Integer(allow_none=True, metadata={
        "description": "number of the latest published version; none before the first"})


class FrameworkListSchema(Schema):
    """Frameworks the caller may see: its organisation's and every published one."""

    items = fields.List(fields.Nested(FrameworkSchema))


class NodeReviewInSchema(Schema):
    """Body of ``POST /frac/nodes/<id>/review``: one step of the two-level review."""

    level = fields.Integer(required=True, strict=True, validate=validate.OneOf((1, 2)),
                           metadata={"description": "1: frac-reviewer, on an unverified node; "
                                     "2: frac-approver, on a verified node"})
    decision = fields.String(required=True, validate=validate.OneOf(("accept", "reject")),
                             metadata={"description": "level 1 accept -> verified, reject -> "
                                       "rejected (final); level 2 accept -> confirmed, reject "
                                       "-> unverified (returned to level 1)"})
    comment = fields.String(load_default="", validate=validate.Length(max=5000),
                            metadata={"description": "required to reject"})


class NodeRetireInSchema(Schema):
    """Body of ``POST /frac/nodes/<id>/retire``."""

    comment = fields.String(load_default="", validate=validate.Length(max=5000))


class NodeEventSchema(Schema):
    """One audit event of a node."""

    node = fields.String()
    framework = fields.String()
    at = fields.String()
    by = fields.String(metadata={"description": "credential key"})
    org_id = fields.String()
    action = fields.String(metadata={"enum": list(EVENT_ACTIONS)})
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    comment = fields.String(allow_none=True)


class NodeEventListSchema(Schema):
    """A node's audit events, oldest first."""

    items = fields.List(fields.Nested(NodeEventSchema))


class VersionSummarySchema(Schema):
    """A published version without its nodes."""

    framework = fields.String()
    number = fields.Integer()
    published_at = fields.String()
    published_by = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    extensions = fields.Dict()
    retired = fields.List(fields.String(), metadata={
        "description": "ids of nodes of the previous version that this one no longer has"})
    node_count = fields.Integer()


class VersionSchema(VersionSummarySchema):
    """A published version: the immutable snapshot of the confirmed framework."""

    nodes = fields.List(fields.Dict())
    associations = fields.List(fields.Dict())


class VersionListSchema(Schema):
    """A framework's published versions, oldest first."""

    items = fields.List(fields.Nested(VersionSummarySchema))


def _many(inner: fields.Field, what: str) -> fields.List:
    return fields.List(inner, load_default=list,
                       metadata={"description": f"{what}; repeat the parameter to OR values"})


class LanguageArgs(Schema):
    """``?lang=``: the language of names in the response (else ``Accept-Language``)."""

    class Meta:
        unknown = EXCLUDE

    lang = LanguageTag(load_default=None, metadata={
        "description": "language of the names (BCP 47); else Accept-Language"})


class FracSearchArgs(LanguageArgs):
    """Query of ``GET /frac/search`` over the latest published version of every framework."""

    q = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "words of a name, description or keyword, in any language; case and "
                       "accents do not matter"})
    code = fields.String(load_default=None, validate=validate.Length(1, 64), metadata={
        "description": "a reference code, exact or its beginning (COMSUBTHEME-1, COMTHEME)"})
    type = _many(fields.String(validate=validate.OneOf(NODE_TYPES)), "node type")
    area = _many(fields.String(validate=validate.OneOf(AREAS)), "competency area")
    theme = _many(fields.String(validate=validate.Length(1, 100)), "theme id or code")
    framework = _many(fields.String(validate=validate.Length(1, 100)), "framework id")
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    cursor = fields.String(load_default=None, validate=validate.Length(max=4096),
                           metadata={"description": "the 'next' of the previous page"})


class NodeRefSchema(Schema):
    """A node named in the request's language."""

    id = fields.String()
    code = fields.String(allow_none=True)
    type = fields.String()
    name = fields.String()
    description = fields.String(allow_none=True)


class SearchHitSchema(NodeRefSchema):
    """One node found in a published version."""

    framework = fields.String()
    version = fields.Integer()
    area = fields.String(allow_none=True)
    parent = fields.Nested(NodeRefSchema, allow_none=True)
    theme = fields.Nested(NodeRefSchema, allow_none=True)
    levels = fields.Dict(keys=fields.String(), values=fields.Dict(), metadata={
        "description": "sub-themes: level -> {name, description}"})


class FracSearchResultSchema(Schema):
    """A page of search hits, best first; ``next`` is an opaque cursor."""

    items = fields.List(fields.Nested(SearchHitSchema))
    next = fields.String(allow_none=True)


class ResourceOutSchema(Schema):
    """A knowledge resource of an activity, as the requirement tree shows it."""

    course = fields.String()
    url = fields.String()
    title = fields.String(allow_none=True)


class ActivityOutSchema(NodeRefSchema):
    """An activity of a role with its resources."""

    resources = fields.List(fields.Nested(ResourceOutSchema))


class RequirementOutSchema(Schema):
    """A required competency with its theme, area and the level's meaning."""

    competency = fields.Nested(NodeRefSchema)
    theme = fields.Nested(NodeRefSchema, allow_none=True)
    area = fields.Nested(NodeRefSchema, allow_none=True)
    level = fields.Integer()
    level_name = fields.String()
    level_description = fields.String(allow_none=True)


class RequirementTreeSchema(Schema):
    """``GET /frac/roles/<id>/requirements``: a role's whole tree in one answer."""

    framework = fields.String()
    version = fields.Integer()
    role = fields.Nested(NodeRefSchema)
    position = fields.Nested(NodeRefSchema, allow_none=True)
    activities = fields.List(fields.Nested(ActivityOutSchema))
    requirements = fields.List(fields.Nested(RequirementOutSchema))
