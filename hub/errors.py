"""One error hierarchy for the whole hub, rendered as RFC 9457 ``application/problem+json``.

Domain and storage code raise these; the handlers registered by :func:`init_app` turn every
error (ours, werkzeug's, marshmallow's via webargs) into the same body::

    {"type": "https://karmayogi.example/problems/validation", "title": "...", "status": 400,
     "detail": "...", "errors": {"title.en": ["Missing data for required field."]}}

Invalid input is 400 everywhere: the xAPI spec demands 400 for a bad statement, so the whole API
uses it rather than mixing 400 and 422.
"""

from __future__ import annotations

from typing import Any

PROBLEM_BASE = "https://karmayogi.example/problems/"
PROBLEM_MIMETYPE = "application/problem+json"


class HubError(Exception):
    """Base of every error the hub reports to a client."""

    status = 500
    type = "internal"
    title = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 body for this error."""
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class ValidationError(HubError):
    """Bad input (400). ``errors`` maps dotted field paths to messages."""

    status = 400
    type = "validation"
    title = "Invalid request"

    @classmethod
    def for_field(cls, field: str, message: str) -> ValidationError:
        """An error naming one field, the common case."""
        return cls(f"{field}: {message}", errors={field: [message]})


class AuthenticationError(HubError):
    """No or bad credentials (401)."""

    status = 401
    type = "unauthenticated"
    title = "Authentication required"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": 'Basic realm="karmayogi-hub"'})
        super().__init__(detail, **kw)


class PermissionDenied(HubError):
    """Authenticated, but the credential lacks the role (403)."""

    status = 403
    type = "forbidden"
    title = "Forbidden"


class NotFound(HubError):
    """No such object, or another tenant's private object (404, no existence leak)."""

    status = 404
    type = "not-found"
    title = "Not found"


class MethodNotAllowed(HubError):
    """The resource does not accept this method (405)."""

    status = 405
    type = "method-not-allowed"
    title = "Method not allowed"


class Conflict(HubError):
    """The request conflicts with the current state (409)."""

    status = 409
    type = "conflict"
    title = "Conflict"


class PreconditionFailed(HubError):
    """An If-Match / If-None-Match precondition did not hold (412)."""

    status = 412
    type = "precondition-failed"
    title = "Precondition failed"


class PreconditionRequired(HubError):
    """A write that must be conditional came without ``If-Match`` (428, RFC 6585 §3)."""

    status = 428
    type = "precondition-required"
    title = "Precondition required"


class PayloadTooLarge(HubError):
    """The request body is over the configured limit (413)."""

    status = 413
    type = "payload-too-large"
    title = "Payload too large"


class UnsupportedMediaType(HubError):
    """The request body has a content type the endpoint does not take (415)."""

    status = 415
    type = "unsupported-media-type"
    title = "Unsupported media type"


class RangeNotSatisfiable(HubError):
    """No byte of the requested range is in the file (416, RFC 9110 §15.5.17); carries
    ``Content-Range: bytes */<length>``."""

    status = 416
    type = "range-not-satisfiable"
    title = "Range not satisfiable"


class TooManyRequests(HubError):
    """Too many failed authentications for a key or a client address (429, RFC 6585 §4);
    carries ``Retry-After``."""

    status = 429
    type = "too-many-requests"
    title = "Too many requests"


class Unavailable(HubError):
    """A backing service (store, blob store) cannot be reached (503)."""

    status = 503
    type = "unavailable"
    title = "Service unavailable"
