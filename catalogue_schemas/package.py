"""Schemas of an uploaded cmi5 / xAPI package as the API shows it (dump only: a package is set
by uploading a zip, never by JSON). The stored shape is :mod:`marketplace.packages`'."""

from __future__ import annotations

from marshmallow import Schema, fields

MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")


def _lang_map(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.String(),
                       metadata={"description": f"{description} (language map, BCP 47 keys)"})


class AUSchema(Schema):
    """An assignable unit (cmi5 §13.1.4), or a launchable activity of an xAPI package."""

    id = fields.String(metadata={"description": "the AU's IRI"})
    title = _lang_map("title")
    description = _lang_map("description")
    url = fields.String(metadata={"description": "path inside the package, or an https URL"})
    external = fields.Boolean(metadata={"description": "true when url is an absolute URL"})
    launch_method = fields.String(metadata={"enum": list(LAUNCH_METHODS)})
    move_on = fields.String(metadata={"enum": list(MOVE_ON)})
    mastery_score = fields.Float(allow_none=True)
    activity_type = fields.String(allow_none=True)
    launch_parameters = fields.String(allow_none=True)
    entitlement_key = fields.String(allow_none=True)


class BlockSchema(Schema):
    """A block of AUs and blocks (cmi5 §13.1.3)."""

    id = fields.String(metadata={"description": "the block's IRI"})
    title = _lang_map("title")
    description = _lang_map("description")
    children = fields.List(fields.String(), metadata={
        "description": "ids of its AUs and blocks, in order"})


class CourseStructureSchema(Schema):
    """The course structure read from ``cmi5.xml`` or ``tincan.xml``."""

    id = fields.String(metadata={"description": "the course IRI (cmi5) or first activity id"})
    title = _lang_map("title")
    description = _lang_map("description")
    blocks = fields.List(fields.Nested(BlockSchema))
    children = fields.List(fields.String(), metadata={
        "description": "ids of the top-level AUs and blocks, in order"})
    aus = fields.List(fields.Nested(AUSchema))


class PackageSchema(Schema):
    """The package of a course revision."""

    type = fields.String(metadata={"enum": ["cmi5", "xapi"]})
    key = fields.String(metadata={"description": "blob prefix of the package"})
    sha256 = fields.String(metadata={"description": "SHA-256 of the uploaded zip"})
    size = fields.Integer(metadata={"description": "bytes of its files, unzipped"})
    files = fields.Integer(metadata={"description": "number of files"})
    uploaded_at = fields.String()
    uploaded_by = fields.String(metadata={"description": "credential key of the uploader"})
    structure = fields.Nested(CourseStructureSchema)


class PackageFileSchema(Schema):
    """One file of a package."""

    path = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    content_type = fields.String()


class PackageViewSchema(PackageSchema):
    """``GET /courses/{id}/package``: the package with its files."""

    file_list = fields.List(fields.Nested(PackageFileSchema))
