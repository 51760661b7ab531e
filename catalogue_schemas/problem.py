"""The error body of the whole API: RFC 9457 problem details (``application/problem+json``).

:mod:`hub.errors` builds these bodies; this schema documents them in the OpenAPI document (as the
error schema of :class:`hub.docs.HubApi`) and the tests check real error responses against it.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class ProblemSchema(Schema):
    """RFC 9457 §3.1 members, and the hub's extension members (§3.2): ``errors`` names every
    failing field; a workflow conflict adds ``state`` and ``allowed_actions``."""

    class Meta:
        # RFC 9457 §3.2: problem types may add extension members; clients ignore unknown ones.
        unknown = INCLUDE

    type = fields.String(required=True, metadata={
        "format": "uri",
        "description": "URI of the problem type, e.g. https://karmayogi.example/problems/validation",
    })
    title = fields.String(required=True, metadata={"description": "short summary of the type"})
    status = fields.Integer(required=True, metadata={"description": "the HTTP status code"})
    detail = fields.String(required=True, metadata={
        "description": "what went wrong with this request, naming the field"})
    instance = fields.String(metadata={"description": "the path of the request"})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "dotted field path (title.en, 0.actor.mbox, or a header or "
                  "parameter name) -> messages"},
    )
    state = fields.String(metadata={
        "description": "vetting workflow conflicts (409): the course's current state"})
    allowed_actions = fields.List(fields.String(), metadata={
        "description": "vetting workflow conflicts (409): the actions allowed from this state"})
