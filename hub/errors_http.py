"""Render every error as ``application/problem+json`` (RFC 9457).

No route has try/except: domain errors (:mod:`hub.errors`), storage errors (:mod:`storage.errors`),
marshmallow validation errors and werkzeug's HTTP errors all end here.
"""

from __future__ import annotations

import logging
from typing import Any

import marshmallow
import orjson
from flask import Flask, Request, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

from hub import errors
from storage import errors as storage_errors

log = logging.getLogger(__name__)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested ``{"title": {"en": ["..."]}}`` into ``{"title.en": ["..."]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                path = prefix or "_schema"
            out.update(flatten_messages(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            out.update(flatten_messages(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix or "_schema"] = [str(messages)]
    return out


def from_marshmallow(exc: marshmallow.ValidationError) -> errors.ValidationError:
    """A hub validation error naming every failing field of a marshmallow error."""
    fields = flatten_messages(exc.messages)
    names = ", ".join(sorted(fields))
    first = next(iter(fields.values()), ["invalid"])[0]
    detail = f"{names}: {first}" if len(fields) == 1 else f"invalid fields: {names}"
    return errors.ValidationError(detail, errors=fields)


def problem_response(exc: errors.HubError) -> Response:
    """The problem+json response for a hub error."""
    body = exc.to_problem(instance=request.path if request else None)
    resp = Response(orjson.dumps(body), status=exc.status, mimetype=errors.PROBLEM_MIMETYPE)
    for name, value in exc.headers.items():
        resp.headers[name] = value
    return resp


_STORAGE_MAP: dict[type[Exception], type[errors.HubError]] = {
    storage_errors.DuplicateKey: errors.Conflict,
    storage_errors.ConcurrentUpdate: errors.Conflict,
    storage_errors.StoreUnavailable: errors.Unavailable,
    storage_errors.BlobNotFound: errors.NotFound,
}


def to_hub_error(exc: BaseException) -> errors.HubError:
    """Translate any exception to the hub hierarchy (unknown ones become a bare 500)."""
    if isinstance(exc, errors.HubError):
        return exc
    if isinstance(exc, marshmallow.ValidationError):
        return from_marshmallow(exc)
    if isinstance(exc, storage_errors.InvalidBlobKey):  # bad input, not a storage failure
        return errors.ValidationError.for_field("key", str(exc))
    for kind, target in _STORAGE_MAP.items():
        if isinstance(exc, kind):
            return target(str(exc) or None)
    if isinstance(exc, HTTPException):
        return http_to_hub(exc)
    return errors.HubError("The server hit an unexpected error; it has been logged.")


def http_to_hub(exc: HTTPException) -> errors.HubError:
    """Werkzeug's HTTP errors (404 routes, 405, 413, webargs' aborts) as hub errors."""
    code = exc.code or 500
    cls: type[errors.HubError] = {
        400: errors.ValidationError,
        401: errors.AuthenticationError,
        403: errors.PermissionDenied,
        404: errors.NotFound,
        405: errors.MethodNotAllowed,
        409: errors.Conflict,
        412: errors.PreconditionFailed,
        413: errors.PayloadTooLarge,
        415: errors.UnsupportedMediaType,
        503: errors.Unavailable,
    }.get(code, errors.HubError)
    detail = exc.description if isinstance(exc.description, str) else None
    # webargs (through flask-smorest) attaches the marshmallow messages to the exception.
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if messages:
        # webargs nests by location ({"query": {"limit": [...]}}); the location is noise.
        if isinstance(messages, dict) and len(messages) == 1:
            (location, inner), = messages.items()
            if location in ("json", "query", "form", "files", "headers", "view_args"):
                messages = inner
        return from_marshmallow(marshmallow.ValidationError(messages))
    err = cls(detail)
    if cls is errors.HubError:
        err.status = code
    valid_methods = getattr(exc, "valid_methods", None)
    if code == 405 and valid_methods:
        err.headers["Allow"] = ", ".join(valid_methods)
    return err


def handle_any(exc: BaseException) -> Response:
    """The one error handler."""
    hub_error = to_hub_error(exc)
    if hub_error.status >= 500 and not isinstance(exc, (errors.HubError, HTTPException)):
        log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(hub_error)


class _MaxBodyStream(LimitedStream):
    """A streamed (chunked) body capped at ``HUB_MAX_BODY_BYTES`` that never truncates.

    werkzeug's own cap stops ``read()`` at the limit and returns what it has, so a chunked JSON
    body over the limit became a 400 (cut JSON) and a raw one (an xAPI document) would be stored
    cut short. Here, reaching the limit peeks one more byte: if the client sent more, 413.
    """

    def __init__(self, stream: Any, limit: int) -> None:
        super().__init__(stream, limit, is_max=True)

    def on_exhausted(self) -> None:
        """At the limit: a body that ends exactly there is fine, one byte more is 413."""
        if self._stream.read(1):
            raise RequestEntityTooLarge()

    def readall(self) -> bytes:
        """The whole body, or 413 when it is longer than the limit."""
        data = super().readall()
        if self.is_exhausted:
            self.on_exhausted()
        return data


class HubRequest(Request):
    """Flask's request with a body cap that holds for chunked bodies too (413, RFC 9110 §15.5.14).

    Bodies with a ``Content-Length`` are checked by werkzeug before reading; streamed ones
    (no length, server sets ``wsgi.input_terminated`` as gunicorn does) get :class:`_MaxBodyStream`.
    """

    @cached_property
    def stream(self) -> Any:
        """The body stream, capped at ``MAX_CONTENT_LENGTH``."""
        limit = self.max_content_length
        if (limit is not None and not self.shallow and self.content_length is None
                and "wsgi.input_terminated" in self.environ):
            return _MaxBodyStream(self.environ["wsgi.input"], limit)
        return Request.stream.fget(self)  # type: ignore[attr-defined]

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """A body that is not JSON the hub takes is a 400 naming it (415 without a JSON type)."""
        if e is None:
            return super().on_json_loading_failed(e)
        raise errors.ValidationError.for_field("body", str(e))


#: Set in the WSGI environ by middleware that met a body over the cap before Flask did.
BODY_TOO_LARGE = "hub.body_too_large"


def enforce_body_cap() -> None:
    """413 for a body over ``HUB_MAX_BODY_BYTES`` before any view, parser or credential check
    runs (RFC 9110 §15.5.14): a declared length is judged unread; a streamed (chunked) body is
    read up to the cap here, so nothing downstream ever holds more of it."""
    if request.environ.get(BODY_TOO_LARGE):
        raise errors.PayloadTooLarge("the request body is over the configured limit")
    limit = request.max_content_length
    if limit is None:
        return
    if request.content_length is not None:
        if request.content_length > limit:
            raise errors.PayloadTooLarge(f"the request body is over {limit} bytes")
    elif "wsgi.input_terminated" in request.environ:
        request.get_data(cache=True)  # _MaxBodyStream raises 413 one byte past the cap


def init_app(app: Flask) -> None:
    """Register the one handler for every exception class (HubApi installs none), the request
    class that enforces the body cap on streamed bodies, and the cap's first check."""
    app.request_class = HubRequest
    app.before_request(enforce_body_cap)
    app.register_error_handler(HTTPException, handle_any)
    app.register_error_handler(errors.HubError, handle_any)
    app.register_error_handler(marshmallow.ValidationError, handle_any)
    app.register_error_handler(storage_errors.StorageError, handle_any)
    app.register_error_handler(Exception, handle_any)
