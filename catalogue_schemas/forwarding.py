"""Schemas of the statement-forwarding API's responses (``/xapi/forwarding``).

The request body is loaded by the route's own schema (:mod:`xapi.forwarding_routes`), which the
OpenAPI document shows as ``ForwarderIn``; these describe what the API answers: a registration
without its password, with the progress of its outbox.
"""

from __future__ import annotations

from marshmallow import Schema, fields


class ForwarderStatusSchema(Schema):
    """A downstream LRS registration and its progress (never its password)."""

    id = fields.String(required=True)
    org_id = fields.String(required=True, metadata={"description": "whose statements go"})
    url = fields.String(required=True, metadata={"description": "the downstream's xAPI "
                                                 "endpoint; batches go to <url>/statements"})
    username = fields.String(allow_none=True)
    verbs = fields.List(fields.String(), metadata={"description": "verb ids; empty: all"})
    activity_prefixes = fields.List(fields.String(),
                                    metadata={"description": "activity id prefixes; empty: all"})
    active = fields.Boolean(metadata={"description": "false: paused"})
    label = fields.String(allow_none=True)
    created_at = fields.String()
    created_by = fields.String(metadata={"description": "credential key that registered it"})
    pending = fields.Integer(metadata={"description": "statements waiting in the outbox"})
    sent = fields.Integer()
    failed = fields.Integer(metadata={"description": "dead letters, refused for good"})
    dead_letters = fields.Integer()
    attempts = fields.Integer(metadata={"description": "failed attempts since the last success"})
    last_error = fields.String(allow_none=True)
    last_error_at = fields.String(allow_none=True)
    last_sent_at = fields.String(allow_none=True)
    next_attempt_at = fields.String(allow_none=True, metadata={
        "description": "when the next attempt is due (back-off after a failure)"})


class ForwarderListSchema(Schema):
    """``GET /xapi/forwarding``."""

    forwarders = fields.List(fields.Nested(ForwarderStatusSchema), required=True)
