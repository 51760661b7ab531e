"""Schema of the hub's JSON Web Key Set (``GET /lti/jwks``, ``GET /.well-known/jwks.json``)."""

from __future__ import annotations

from marshmallow import Schema, fields


class PublicJwkSchema(Schema):
    """One public RSA signing key (RFC 7517 §4, RFC 7518 §6.3.1)."""

    kty = fields.String(required=True, metadata={"example": "RSA"})
    kid = fields.String(required=True, metadata={
        "description": "key id: the RFC 7638 thumbprint, named in the JOSE header of what it "
                       "signed"})
    use = fields.String(required=True, metadata={"example": "sig"})
    alg = fields.String(required=True, metadata={"example": "RS256"})
    n = fields.String(required=True, metadata={"description": "modulus, base64url"})
    e = fields.String(required=True, metadata={"description": "exponent, base64url",
                                               "example": "AQAB"})


class JwksSchema(Schema):
    """The keys that verify what the hub signs (LTI 1.3 Security Framework §6.3): the current
    key, the next one when it is published ahead of use, and retired keys until what they
    signed has expired."""

    keys = fields.List(fields.Nested(PublicJwkSchema), required=True)
