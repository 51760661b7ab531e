"""Schemas of ``/lti/platforms``: the LMSes (LTI 1.3 platforms) registered to launch the hub,
and the one-time Dynamic Registration links an LMS organisation mints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

_HTTP_URL = validate.URL(schemes={"http", "https"}, require_tld=False)
_TEXT = validate.Length(min=1, max=2000)


class PlatformRegistrationInSchema(Schema):
    """The body of ``POST /lti/platforms`` (LTI 1.3 §5.1.1, §6: what the LMS shows its admin
    when the hub is added as a tool)."""

    issuer = fields.String(required=True, validate=_HTTP_URL, metadata={
        "description": "the LMS's issuer (iss of its id_tokens)",
        "example": "https://lms.example.org"})
    client_id = fields.String(required=True, validate=_TEXT, metadata={
        "description": "the client id the LMS gave the hub (aud of its id_tokens)"})
    deployment_ids = fields.List(fields.String(validate=_TEXT), load_default=list, metadata={
        "description": "deployment ids the LMS launches from (LTI 1.3 §5.3.3)"})
    auth_login_url = fields.String(required=True, validate=_HTTP_URL, metadata={
        "description": "the LMS's OIDC authorization endpoint"})
    auth_token_url = fields.String(required=True, validate=_HTTP_URL, metadata={
        "description": "the LMS's OAuth 2.0 token endpoint (AGS, NRPS)"})
    key_set_url = fields.String(required=True, validate=_HTTP_URL, metadata={
        "description": "the LMS's JWKS URL (fetched through the hub's guarded client)"})
    name = fields.String(load_default=None, validate=validate.Length(max=200))
    org_id = fields.String(load_default=None, metadata={
        "description": "admin only: the lms organisation it belongs to (default: the caller's)"})


class PlatformRegistrationPatchSchema(PlatformRegistrationInSchema):
    """``PATCH /lti/platforms/<id>``: any field but the organisation."""

    class Meta:
        exclude = ("org_id",)


class ToolEndpointsSchema(Schema):
    """The hub's tool-side URLs, as an LMS administrator enters them (LTI 1.3 §5.1.1)."""

    login_url = fields.String(metadata={"description": "OIDC login initiation URL"})
    launch_url = fields.String(metadata={"description": "redirect URI (every message type)"})
    jwks_url = fields.String(metadata={"description": "the hub's public keys"})
    registration_url = fields.String(metadata={"description": "Dynamic Registration URL "
                                               "(needs a ticket: POST /lti/platforms/"
                                               "registration-links)"})


class PlatformRegistrationSchema(Schema):
    """A platform registration."""

    id = fields.String(required=True)
    org_id = fields.String(required=True, metadata={"description": "the owning lms organisation"})
    issuer = fields.String(required=True)
    client_id = fields.String(required=True)
    deployment_ids = fields.List(fields.String(), required=True)
    auth_login_url = fields.String(required=True)
    auth_token_url = fields.String(required=True)
    key_set_url = fields.String(required=True)
    name = fields.String(allow_none=True)
    created_at = fields.String()
    created_by = fields.String(metadata={"description": "credential key, or 'dynamic-"
                                         "registration'"})
    tool = fields.Nested(ToolEndpointsSchema, metadata={
        "description": "what to enter in the LMS for the hub"})


class PlatformRegistrationListSchema(Schema):
    """``GET /lti/platforms``."""

    items = fields.List(fields.Nested(PlatformRegistrationSchema), required=True)
    tool = fields.Nested(ToolEndpointsSchema)


class RegistrationLinkInSchema(Schema):
    """``POST /lti/platforms/registration-links``."""

    org_id = fields.String(load_default=None, metadata={
        "description": "admin only: the lms organisation the LMS will belong to"})
    name = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "the registration's name (default: the LMS's product name)"})


class RegistrationLinkSchema(Schema):
    """A one-time Dynamic Registration link: the LMS administrator pastes ``url`` into the
    LMS's "register a tool by URL" form (Dynamic Registration §3.3)."""

    url = fields.String(required=True)
    org_id = fields.String(required=True)
    expires_at = fields.String(required=True)
