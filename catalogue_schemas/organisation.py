"""Schemas of organisations and their API credentials (the admin API and ``GET /me``).

The organisation kinds and credential roles they accept are :mod:`hub.principal`'s, beside the
rules that give them meaning: one definition, no Flask needed to read it.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from hub.principal import ORG_KINDS, ROLES

_COUNTRY = validate.Regexp(r"^[A-Za-z]{2}$", error="must be an ISO 3166-1 alpha-2 code (IN)")


class OrganisationInSchema(Schema):
    """Body of ``POST /admin/organisations``."""

    name = fields.String(required=True, validate=validate.Length(1, 200),
                         metadata={"description": "Unique name of the organisation"})
    kind = fields.String(required=True, validate=validate.OneOf(ORG_KINDS))
    country = fields.String(load_default=None, allow_none=True, validate=_COUNTRY,
                            metadata={"description": "ISO 3166-1 alpha-2 country code"})
    contact = fields.Email(load_default=None, allow_none=True,
                           metadata={"description": "Contact e-mail address"})

    @post_load
    def _normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["name"] = data["name"].strip()
        if data.get("country"):
            data["country"] = data["country"].upper()
        return data


class OrganisationSchema(Schema):
    """An organisation as the API shows it."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ORG_KINDS))
    country = fields.String(allow_none=True)
    contact = fields.String(allow_none=True)
    created_at = fields.String(metadata={"description": "ISO 8601 UTC timestamp"})


class OrganisationListArgs(Schema):
    """Query of ``GET /admin/organisations``."""

    class Meta:
        unknown = EXCLUDE

    kind = fields.String(load_default=None, validate=validate.OneOf(ORG_KINDS))


class OrganisationListSchema(Schema):
    """Every organisation (of one kind when asked), ordered by name."""

    items = fields.List(fields.Nested(OrganisationSchema), required=True)


class CredentialInSchema(Schema):
    """Body of ``POST /admin/organisations/<id>/credentials``."""

    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(min=1))
    label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                          metadata={"description": "What the credential is for"})


class CredentialSchema(Schema):
    """A credential as listed: never its secret nor the secret's hash."""

    key = fields.String(required=True)
    org_id = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    label = fields.String(allow_none=True)
    revoked = fields.Boolean()
    created_at = fields.String()


class NewCredentialSchema(CredentialSchema):
    """A credential just created, with its secret: shown this once, only its hash is stored."""

    secret = fields.String(required=True, metadata={
        "description": "Shown once; use key:secret as HTTP Basic credentials"})


class CredentialListSchema(Schema):
    """The credentials of one organisation."""

    items = fields.List(fields.Nested(CredentialSchema), required=True)


class MeSchema(Schema):
    """``GET /me``: who the caller is."""

    key = fields.String(required=True, metadata={"description": "The credential's key id"})
    roles = fields.List(fields.String(), required=True)
    organisation = fields.Nested(OrganisationSchema, required=True)
