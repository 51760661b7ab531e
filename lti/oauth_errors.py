"""OAuth 2.0 refusals of the platform side's token endpoint and service endpoints, as hub
errors: each body is the hub's RFC 9457 problem and also carries the OAuth members a tool's
library reads (``error``, ``error_description``: RFC 6749 §5.2; RFC 6750 §3.1), which RFC 9457
§3.2 allows as extension members.
"""

from __future__ import annotations

from typing import Any

from hub.errors import HubError


class OAuthError(HubError):
    """Base: ``code`` is the OAuth error code; ``field`` the request field at fault."""

    status = 400
    code = "invalid_request"
    type = "oauth-invalid-request"
    title = "Invalid OAuth request"

    def __init__(self, field: str, message: str, **kw: Any) -> None:
        kw.setdefault("errors", {field: [message]})
        kw.setdefault("headers", {})
        super().__init__(f"{field}: {message}", error=self.code,
                         error_description=f"{field}: {message}", **kw)
        self.field = field


class InvalidRequest(OAuthError):
    """A parameter is missing, repeated or malformed (RFC 6749 §5.2)."""


class UnsupportedGrantType(OAuthError):
    """Only ``client_credentials`` is granted (LTI Security Framework §4.1)."""

    code = "unsupported_grant_type"
    type = "oauth-unsupported-grant-type"
    title = "Unsupported grant type"


class InvalidClient(OAuthError):
    """The client is unknown or its assertion failed a check (RFC 7523 §3.2: a bad client
    assertion is ``invalid_client``). 401, without a challenge: the client authenticates in the
    body, not with an ``Authorization`` header (RFC 6749 §5.2)."""

    status = 401
    code = "invalid_client"
    type = "oauth-invalid-client"
    title = "Client authentication failed"


class InvalidScope(OAuthError):
    """A requested scope is unknown or not granted to the tool (RFC 6749 §5.2)."""

    code = "invalid_scope"
    type = "oauth-invalid-scope"
    title = "Scope not granted"


class InvalidToken(OAuthError):
    """A service request's bearer token is missing, unknown or expired (RFC 6750 §3.1)."""

    status = 401
    code = "invalid_token"
    type = "oauth-invalid-token"
    title = "Invalid access token"

    def __init__(self, field: str, message: str, **kw: Any) -> None:
        # RFC 6750 §3: the challenge names the scheme and the error.
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="karmayogi-hub", '
                                                      'error="invalid_token"'})
        super().__init__(field, message, **kw)


class InsufficientScope(OAuthError):
    """The token does not hold a scope the request needs (RFC 6750 §3.1)."""

    status = 403
    code = "insufficient_scope"
    type = "oauth-insufficient-scope"
    title = "Insufficient scope"

    def __init__(self, field: str, message: str, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="karmayogi-hub", '
                                                      'error="insufficient_scope"'})
        super().__init__(field, message, **kw)
