"""Schemas of the tool side's LTI service API: an LMS context's roster (NRPS 2.0 §2.2) read by
the hub for the LMS organisation (``/lti/platforms/<id>/contexts/<context>/members``)."""

from __future__ import annotations

from marshmallow import Schema, fields


class RosterMemberSchema(Schema):
    """One member of an LMS context, as the LMS sent it (NRPS 2.0 §2.2)."""

    user_id = fields.String(required=True, metadata={"description": "the LMS's user id (the "
                                                     "sub of that user's launches)"})
    status = fields.String(metadata={"description": "Active, Inactive or Deleted"})
    roles = fields.List(fields.String(), metadata={"description": "LTI role URIs"})
    name = fields.String()
    given_name = fields.String()
    family_name = fields.String()
    middle_name = fields.String()
    email = fields.String()
    picture = fields.String()
    lis_person_sourcedid = fields.String()


class RosterContextSchema(Schema):
    """The LMS context (course section) the roster belongs to."""

    id = fields.String()
    label = fields.String()
    title = fields.String(allow_none=True)


class RosterSchema(Schema):
    """``GET /lti/platforms/<id>/contexts/<context>/members``: every page the LMS served."""

    registration_id = fields.String(required=True)
    context_id = fields.String(required=True)
    context = fields.Nested(RosterContextSchema, required=True)
    members = fields.List(fields.Nested(RosterMemberSchema), required=True)
