"""Schema of ``GET /health``: which backend checks pass (no error text: anyone may call it)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

_STATUS = validate.OneOf(("ok", "unavailable"))


class CheckSchema(Schema):
    """One backend: reachable or not, and how long the ping took when it answered."""

    status = fields.String(required=True, validate=_STATUS)
    ms = fields.Float(metadata={"description": "ping time in milliseconds (when ok)"})


class HealthSchema(Schema):
    """Liveness and readiness: ``ok`` when every backend answers. A failing check is named,
    never described: its error goes to the server log, not to anonymous callers."""

    status = fields.String(required=True, validate=_STATUS)
    checks = fields.Dict(keys=fields.String(), values=fields.Nested(CheckSchema), required=True,
                         metadata={"description": "store, blobs"})
    failed = fields.List(fields.String(), required=True,
                         metadata={"description": "names of the failing checks",
                                   "example": ["store"]})
