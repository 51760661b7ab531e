"""Schemas of learner records (``/learners``, issue 13): what the API and the CSV import load
and what they answer. No Flask here: the CLI import loads rows with the same schema."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from catalogue_schemas.fields import LanguageTag

SOURCES = ("api", "import", "lti")

# One line of text: a control character (a NUL, a newline) in a name is an export gone wrong.
_ONE_LINE = validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="must not contain control characters")
_NAME = [validate.Length(min=1, max=300), _ONE_LINE]
_DESIGNATION = [validate.Length(min=1, max=200), _ONE_LINE]
_POSITION = validate.Length(min=1, max=200)


class LearnerRecordInSchema(Schema):
    """The body of ``PUT /learners/{learner_id}`` (a whole record: absent optional fields are
    cleared) and one row of a CSV import."""

    name = fields.String(required=True, validate=_NAME)
    designation = fields.String(load_default=None, allow_none=True, validate=_DESIGNATION)
    position = fields.String(load_default=None, allow_none=True, validate=_POSITION, metadata={
        "description": "a position of a published FRAC framework, by node id or reference code "
                       "(POS-3); stored as the node id"})
    languages = fields.List(LanguageTag(), load_default=list, validate=validate.Length(max=20),
                            metadata={"description": "languages the learner reads, BCP 47 "
                                                     "tags, most preferred first"})
    home_page = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"},
                           validate=validate.Length(max=2000), metadata={
        "description": "homePage of the learner's xAPI agent account (default: the hub's "
                       "public URL, as for learners the hub launches)"})


class LearnerRecordPatchSchema(Schema):
    """The body of ``PATCH /learners/{learner_id}``: only the fields given change."""

    name = fields.String(validate=_NAME)
    designation = fields.String(allow_none=True, validate=_DESIGNATION)
    position = fields.String(allow_none=True, validate=_POSITION)
    languages = fields.List(LanguageTag(), validate=validate.Length(max=20))
    home_page = fields.Url(allow_none=True, schemes={"http", "https"},
                           validate=validate.Length(max=2000))


class LearnerRecordSchema(Schema):
    """A learner record."""

    learner_id = fields.String(required=True, metadata={
        "description": "the id that names the learner's xAPI agent account "
                       "{homePage: home_page, name: learner_id}"})
    org_id = fields.String(required=True, metadata={
        "description": "the learner's department, or the launching LMS's organisation"})
    name = fields.String(required=True, allow_none=True)
    designation = fields.String(required=True, allow_none=True)
    position = fields.String(required=True, allow_none=True, metadata={
        "description": "FRAC position node id"})
    languages = fields.List(fields.String(), required=True)
    home_page = fields.String(required=True)
    source = fields.String(required=True, validate=validate.OneOf(SOURCES), metadata={
        "description": "how the record was created: api, import (CSV) or lti (a launch)"})
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True, allow_none=True)


class LearnerListArgs(Schema):
    """Query of ``GET /learners``."""

    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    cursor = fields.String(load_default=None, validate=validate.Length(max=2000), metadata={
        "description": "the ``next`` of the previous page"})
    designation = fields.String(load_default=None, validate=_DESIGNATION)
    position = fields.String(load_default=None, validate=_POSITION, metadata={
        "description": "FRAC position node id or reference code"})
    org = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "another organisation's learners (platform administrators only)"})


class LearnerOrgArgs(Schema):
    """``?org=``: another organisation's learner (platform administrators only)."""

    class Meta:
        unknown = EXCLUDE

    org = fields.String(load_default=None, validate=validate.Length(min=1, max=200))


class LearnerPageSchema(Schema):
    """A page of ``GET /learners``, by learner id."""

    learners = fields.List(fields.Nested(LearnerRecordSchema), required=True)
    next = fields.String(required=True, allow_none=True, metadata={
        "description": "cursor of the next page; null on the last"})


class LearnerImportArgs(Schema):
    """Query of ``POST /learners/import``."""

    class Meta:
        unknown = EXCLUDE

    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "check every row, write nothing"})


class LearnerImportErrorSchema(Schema):
    """One problem of one CSV row."""

    row = fields.Integer(required=True, metadata={
        "description": "data row number (1 = the first row after the header)"})
    line = fields.Integer(required=True, metadata={"description": "physical line in the file"})
    field = fields.String(required=True)
    message = fields.String(required=True)


class LearnerImportReportSchema(Schema):
    """What a CSV import did: good rows imported, bad rows reported."""

    rows = fields.Integer(required=True)
    imported = fields.Integer(required=True, metadata={"description": "0 on a dry run"})
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    rejected = fields.Integer(required=True)
    dry_run = fields.Boolean(required=True)
    errors = fields.List(fields.Nested(LearnerImportErrorSchema), required=True)
    errors_truncated = fields.Boolean(required=True, metadata={
        "description": "true when more errors were found than the report lists"})
