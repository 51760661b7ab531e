"""Schemas of the platform side's tool registrations (``/lti/tools``): what a provider tells
the hub about its LTI 1.3 tool, and the registration as the API shows it.

A registration gives what LTI 1.3 §5.1.1 (OIDC third-party initiated login), §5.1.1.2 (the
redirect URIs the authorization request is checked against) and Security Framework §6 (the
tool's public keys, as a JWKS URL or one key) say a platform needs; the hub generates the
``client_id`` and, unless given, the ``deployment_id``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

#: LTI Advantage scopes a tool may be granted (AGS 2.0 §3.1, NRPS 2.0 §3.1).
SCOPES: tuple[str, ...] = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)
#: Members of a JWK that only a private key has (RFC 7518 §6.2.2, §6.3.2).
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


def _endpoint(value: str) -> None:
    """An absolute http(s) URL without a fragment (OAuth 2.0, RFC 6749 §3.1.2: a redirection
    endpoint must not include a fragment). http is accepted for tools under development on a
    laptop; what the hub fetches goes through its outbound guard anyway."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("must be an absolute http(s) URL")
    if parts.fragment or "#" in value:
        raise ValidationError("must not have a fragment")


def _public_jwk(value: dict[str, Any]) -> None:
    """One public key the hub verifies the tool's JWTs with (RSA or EC, RFC 7517 §4)."""
    if value.get("kty") not in ("RSA", "EC"):
        raise ValidationError("kty must be RSA or EC")
    if any(member in value for member in PRIVATE_JWK_MEMBERS):
        raise ValidationError("must be a public key (no private members)")
    needed = ("n", "e") if value["kty"] == "RSA" else ("crv", "x", "y")
    missing = [m for m in needed if not isinstance(value.get(m), str) or not value.get(m)]
    if missing:
        raise ValidationError(f"a {value['kty']} key needs {', '.join(missing)}")




class ToolRegistrationInSchema(Schema):
    """Body of ``POST /lti/tools`` (and, every field optional, of ``PATCH``)."""

    class Meta:
        unknown = RAISE

    org_id = fields.String(load_default=None, metadata={
        "description": "the provider organisation that owns the tool (admins only; default: "
                       "the caller's)"})
    name = fields.String(required=True, validate=validate.Length(1, 200))
    initiate_login_url = fields.String(
        required=True, validate=[validate.Length(max=2000), _endpoint],
        metadata={"description": "the tool's OIDC login initiation URL (LTI 1.3 §5.1.1)"})
    redirect_uris = fields.List(
        fields.String(validate=[validate.Length(max=2000), _endpoint]), required=True,
        validate=validate.Length(1, 20),
        metadata={"description": "where the hub may post id_tokens (LTI 1.3 §5.1.1.2)"})
    key_set_url = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=2000), _endpoint],
        metadata={"description": "the tool's JWKS URL (give this or public_jwk)"})
    public_jwk = fields.Dict(load_default=None, allow_none=True, validate=_public_jwk,
                             metadata={"description": "the tool's one public key as a JWK"})
    deployment_id = fields.String(
        load_default=None, allow_none=True,
        validate=validate.Regexp(r"^[\x21-\x7e]{1,255}$", error="1-255 printable ASCII"),
        metadata={"description": "LTI 1.3 §3.1.3 deployment id (generated when absent)"})
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES)), load_default=list,
                         metadata={"description": "LTI Advantage scopes granted to the tool"})
    target_link_uri = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=2000), _endpoint],
        metadata={"description": "the tool's default launch URL"})
    deep_linking_url = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=2000), _endpoint],
        metadata={"description": "where the tool takes Deep Linking requests"})

    @validates_schema
    def _one_key_source(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        if partial:  # a PATCH: the service checks the merged registration
            return
        problem = key_source_problem(data)
        if problem:
            raise ValidationError(problem, "key_set_url")


class ToolRegistrationChangesSchema(ToolRegistrationInSchema):
    """Body of ``PATCH /lti/tools/<id>``: any field of the registration (``null`` unsets an
    optional one)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


def key_source_problem(data: dict[str, Any]) -> str | None:
    """Why a registration's keys are not usable, or None: it needs exactly one of
    ``key_set_url`` and ``public_jwk`` (Security Framework §6)."""
    if bool(data.get("key_set_url")) == bool(data.get("public_jwk")):
        return "give exactly one of key_set_url and public_jwk"
    return None


class ToolRegistrationSchema(Schema):
    """A tool registration as the API shows it."""

    id = fields.String(required=True)
    org_id = fields.String(required=True)
    name = fields.String(required=True)
    client_id = fields.String(required=True, metadata={
        "description": "the tool's OAuth 2.0 client id, generated by the hub"})
    initiate_login_url = fields.String(required=True)
    redirect_uris = fields.List(fields.String(), required=True)
    key_set_url = fields.String(allow_none=True)
    public_jwk = fields.Dict(allow_none=True)
    deployment_id = fields.String(required=True)
    scopes = fields.List(fields.String())
    target_link_uri = fields.String(allow_none=True)
    deep_linking_url = fields.String(allow_none=True)
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String(allow_none=True)
    platform = fields.Dict(metadata={
        "description": "what the tool configures on its side: the hub's issuer, client id, "
                       "deployment id, OIDC authorization, token and JWKS URLs"})


class ToolRegistrationListArgs(Schema):
    """Query of ``GET /lti/tools``."""

    org_id = fields.String(load_default=None, metadata={
        "description": "one organisation's tools (admins; others see their own)"})


class ToolRegistrationListSchema(Schema):
    """``GET /lti/tools``."""

    items = fields.List(fields.Nested(ToolRegistrationSchema), required=True)


#: Context roles the launch API accepts (LIS vocabulary, LTI 1.3 §A.2.3).
LAUNCH_ROLES = ("Learner", "Instructor", "ContentDeveloper", "Mentor", "TeachingAssistant")


class PlatformLaunchInSchema(Schema):
    """Body of ``POST /lti/platform/launches``: launch a published ``lti`` course's tool for a
    learner of the caller's organisation."""

    class Meta:
        unknown = RAISE

    course_id = fields.String(required=True, validate=validate.Length(1, 100))
    learner = fields.String(required=True, validate=validate.Length(1, 255), metadata={
        "description": "the caller's own id of the learner; the tool sees a hub learner id "
                       "derived from it, never this value"})
    name = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(1, 200))
    email = fields.Email(load_default=None, allow_none=True)
    roles = fields.List(fields.String(validate=validate.OneOf(LAUNCH_ROLES)),
                        load_default=lambda: ["Learner"], validate=validate.Length(1, 5))
    return_url = fields.String(load_default=None, allow_none=True,
                               validate=[validate.Length(max=2000), _endpoint])


class PlatformLaunchSchema(Schema):
    """A launch ready for the browser: send the learner to ``url`` (the tool's OIDC login
    initiation) within ``expires_in`` seconds."""

    url = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    learner_id = fields.String(required=True, metadata={
        "description": "the hub's learner id (the xAPI account name of the statements)"})
    registration = fields.String(required=True, metadata={
        "description": "the xAPI context.registration of this attempt"})


class DeepLinkingStartSchema(Schema):
    """Body of ``POST /lti/platform/deep-linking``: open a provider's tool to pick the content
    of a course draft (Deep Linking 2.0 §4.4, an LtiDeepLinkingRequest)."""

    class Meta:
        unknown = RAISE

    course_id = fields.String(required=True, validate=validate.Length(1, 100))
    tool = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 100),
                         metadata={"description": "the provider's tool registration (default: "
                                                  "the one the draft's delivery names)"})
