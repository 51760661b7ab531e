"""Schemas of the vetting workflow: a transition request and the audit events it writes."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

ACTIONS = ("submit", "withdraw", "start_review", "request_changes", "publish", "retire")


class TransitionSchema(Schema):
    """``POST /courses/<id>/transitions`` body."""

    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=5000),
                            metadata={"description": "required for request_changes"})


class AuditEventSchema(Schema):
    """One audit event: who (credential key and organisation), when, from, to, action, why."""

    id = fields.String()
    course_id = fields.String()
    at = fields.String()
    actor = fields.String()
    org_id = fields.String()
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()
    action = fields.String()
    comment = fields.String(allow_none=True)
    revision_number = fields.Integer(allow_none=True)


class AuditTrailSchema(Schema):
    """Every audit event of a course, oldest first."""

    items = fields.List(fields.Nested(AuditEventSchema))


class ImportErrorSchema(Schema):
    """One rejected row of a bulk import."""

    line = fields.Integer()
    field = fields.String()
    message = fields.String()


class ImportReportSchema(Schema):
    """What a bulk import did: rows read, imported, rejected (with every error) and new ids."""

    rows = fields.Integer()
    imported = fields.Integer()
    rejected = fields.Integer()
    state = fields.String()
    errors = fields.List(fields.Nested(ImportErrorSchema))
    ids = fields.List(fields.String())


class ImportFileSchema(Schema):
    """``POST /courses/import`` multipart form: the file."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": ".jsonl or .csv file"})


class ImportOptionsSchema(Schema):
    """``POST /courses/import`` query."""

    class Meta:
        unknown = EXCLUDE

    submit = fields.Boolean(load_default=False,
                            metadata={"description": "submit every imported course for review"})
