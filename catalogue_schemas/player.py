"""Schemas of the player API (``/player``, :mod:`lti.player_routes`): launching a published
cmi5 or xAPI course for a learner, a registration's state, waiving an AU, abandoning a session
(cmi5 §8, §9.3.7, §9.3.8, §10)."""

from __future__ import annotations

from urllib.parse import urlsplit

import marshmallow as ma
from marshmallow import Schema, fields, validate

LAUNCH_MODES = ("Normal", "Browse", "Review")
WAIVE_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative")


def _http_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ma.ValidationError("must be an http(s) URL")


class LaunchInSchema(Schema):
    """A launch request."""

    class Meta:
        unknown = ma.RAISE

    course_id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    learner_id = fields.String(required=True, validate=validate.Length(min=1, max=200),
                               metadata={"description": "the caller's own learner id"})
    au_id = fields.String(validate=validate.Length(min=1, max=2000), metadata={
        "description": "the publisher's AU id; default: the first AU (structure order) "
                       "not satisfied yet"})
    launch_mode = fields.String(validate=validate.OneOf(LAUNCH_MODES),
                                metadata={"description": "cmi5 §10.2.2; default Normal"})
    return_url = fields.String(validate=[validate.Length(max=2000), _http_url], metadata={
        "description": "cmi5 §10.2.6 returnURL; default the hub's player page"})


class LaunchSchema(Schema):
    """A prepared launch: open ``url`` in the learner's browser."""

    url = fields.String(required=True, metadata={
        "description": "the AU's URL with the cmi5 §8.1 query parameters"})
    registration = fields.String(required=True)
    session_id = fields.String(required=True)
    au_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    launch_method = fields.String(required=True, metadata={
        "description": "AnyWindow or OwnWindow (cmi5 §13.1.4)"})
    course_id = fields.String(required=True)


class AuStateSchema(Schema):
    """One AU of a registration (cmi5 §9.3, §10 moveOn)."""

    au_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    completed = fields.Boolean(required=True)
    passed = fields.Boolean(required=True)
    failed = fields.Boolean(required=True)
    waived = fields.Boolean(required=True)
    satisfied = fields.Boolean(required=True)
    move_on = fields.String(required=True)


class BlockStateSchema(Schema):
    """One block of a registration (cmi5 §13: satisfied when all its children are)."""

    id = fields.String(required=True)
    satisfied = fields.Boolean(required=True)


class RegistrationStateSchema(Schema):
    """A learner's registration for a course."""

    registration = fields.String(required=True)
    course_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    satisfied = fields.Boolean(required=True)
    aus = fields.List(fields.Nested(AuStateSchema), required=True)
    blocks = fields.List(fields.Nested(BlockStateSchema), required=True)


class WaiveInSchema(Schema):
    """Waive an AU (cmi5 §9.3.8) for a reason of cmi5 §9.5.4.2."""

    class Meta:
        unknown = ma.RAISE

    au_id = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    reason = fields.String(required=True, validate=validate.OneOf(WAIVE_REASONS))


class AbandonedSchema(Schema):
    """An abandoned session (cmi5 §9.3.7)."""

    session_id = fields.String(required=True)
    registration = fields.String(required=True)
    abandoned = fields.Boolean(required=True)
