"""HTTP concerns shared by every xAPI resource (Communication part 1 and 3).

- ``X-Experience-API-Version`` required on every request but About, echoed on every response
  (Communication 3.3);
- the Alternate Request Syntax (Communication 1.3): a POST with ``?method=`` and a form body is
  rewritten, at the WSGI level, into the request it stands for, before Flask sees it;
- CORS for browser content;
- HTTP Basic via the hub's credentials and roles (Communication 4.0);
- JSON responses with orjson; unknown query parameters rejected (Communication 3.2).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from flask import Response, request

from hub.auth import current_principal
from hub.errors import PermissionDenied, ValidationError
from hub.errors_http import BODY_TOO_LARGE
from hub.json_body import load_body
from hub.principal import Principal, Role
from storage.timestamps import format_timestamp, utcnow
from xapi.validation import parse_timestamp

#: The version this LRS speaks (response header of a request without a version).
XAPI_VERSION = "1.0.3"
SUPPORTED_VERSIONS = ("1.0.3", "2.0.0")
#: What About lists (Communication 2.8). 2.0.0 only to a client asking in 2.0: 1.0 clients
#: such as TinCanPython refuse an About that lists a version they do not know.
ABOUT_VERSIONS = ("1.0.3", "1.0.2", "1.0.1", "1.0.0")
ABOUT_VERSIONS_2 = ("2.0.0", *ABOUT_VERSIONS)
_VERSION_HEADER = re.compile(r"(1\.0(\.[0-9]+)?|2\.0(\.[0-9]+)?)")

#: Form fields of the Alternate Request Syntax that are headers (Communication 1.3).
_FORM_HEADERS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}
_ALT_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
ALT_ERROR = "xapi.alternate_syntax_error"

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Content-Type, Content-Length, Authorization, If-Match, If-None-Match, "
        "X-Experience-API-Version, Accept-Language"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, WWW-Authenticate, "
        "X-Experience-API-Version, X-Experience-API-Consistent-Through"
    ),
}


class AlternateSyntax:
    """WSGI middleware for Communication 1.3 (only paths under ``prefix``)."""

    def __init__(self, app: Callable[..., Any], prefix: str = "/xapi",
                 max_body: int | None = None) -> None:
        self.app = app
        self.prefix = prefix
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Rewrite the request when it uses ``?method=``."""
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        if path.startswith(self.prefix) and "method=" in query:
            self._rewrite(environ)
        return self.app(environ, start_response)

    def _read_form(self, environ: dict[str, Any]) -> bytes | None:
        """The form body, read no further than the body cap (None: over it, 413 later).

        This runs before Flask, so Flask's cap does not hold yet: a declared length over the
        cap is refused unread, a streamed body is read one byte past the cap at most."""
        declared = environ.get("CONTENT_LENGTH")
        limit = self.max_body
        try:
            length = int(declared) if declared else None
        except ValueError:
            length = 0
        if length is not None and length < 0:
            length = 0
        if length is None and "wsgi.input_terminated" not in environ:
            length = 0  # no length and no end marker: WSGI gives no safe way to read it
        if limit is not None and length is not None and length > limit:
            return None
        if length is None:  # streamed: one byte past the cap tells it is over
            length = limit + 1 if limit is not None else -1
        raw = environ["wsgi.input"].read(length)
        if limit is not None and len(raw) > limit:
            return None
        return raw

    def _rewrite(self, environ: dict[str, Any]) -> None:
        params = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        method = next((v for k, v in params if k == "method"), None)
        if method is None:
            return
        if environ.get("REQUEST_METHOD") != "POST":
            environ[ALT_ERROR] = "the alternate request syntax must be a POST"
            return
        if len(params) != 1:
            # Communication 1.3: every other parameter goes in the form body.
            environ[ALT_ERROR] = "the alternate request syntax takes only 'method' in the URL"
            return
        if method.upper() not in _ALT_METHODS:
            environ[ALT_ERROR] = f"method {method!r} is not an xAPI method"
            return
        ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        raw = self._read_form(environ)
        if raw is None:
            environ[BODY_TOO_LARGE] = True
            return
        if raw and ctype != "application/x-www-form-urlencoded":
            environ[ALT_ERROR] = "the alternate request syntax needs a form-encoded body"
            return
        try:
            form = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError):
            environ[ALT_ERROR] = "the form body is not application/x-www-form-urlencoded"
            return
        content: bytes | None = None
        query_params: list[tuple[str, str]] = []
        environ["CONTENT_TYPE"] = ""
        for name, value in form:
            lowered = name.lower()
            if lowered == "content":
                content = value.encode("utf-8")
            elif lowered in _FORM_HEADERS:
                environ[_FORM_HEADERS[lowered]] = value
            else:
                query_params.append((name, value))
        method = method.upper()
        if method in ("PUT", "POST") and content is None:
            environ[ALT_ERROR] = "the alternate request syntax needs a 'content' form field"
            return
        body = content or b""
        if body and not environ.get("CONTENT_TYPE"):
            environ["CONTENT_TYPE"] = "application/json"
        environ["REQUEST_METHOD"] = method
        environ["QUERY_STRING"] = urlencode(query_params)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        environ["xapi.alternate_syntax"] = True


def before_xapi_request() -> None:
    """Checks every xAPI request passes: alternate syntax errors, version header."""
    problem = request.environ.get(ALT_ERROR)
    if problem is None and request.environ.get("xapi.alternate_syntax") and is_xapi2():
        problem = "the alternate request syntax is not part of xAPI 2.0"
    if problem:
        raise ValidationError.for_field("method", problem)
    if request.method == "OPTIONS":
        return
    version = request.headers.get("X-Experience-API-Version")
    if request.endpoint and request.endpoint.endswith(".about"):
        return
    if version is None:
        raise ValidationError.for_field("X-Experience-API-Version", "header is required")
    if not _VERSION_HEADER.fullmatch(version.strip()):
        raise ValidationError.for_field(
            "X-Experience-API-Version", f"version {version!r} is not supported; use 1.0.x or 2.0.x"
        )


def request_version() -> str:
    """The request's X-Experience-API-Version (checked by :func:`before_xapi_request`)."""
    return request.headers.get("X-Experience-API-Version", XAPI_VERSION).strip()


def is_xapi2() -> bool:
    """Whether the request speaks xAPI 2.0 (its rules differ in a few places)."""
    return request_version().startswith("2.")


def after_xapi_request(response: Response) -> Response:
    """Echo the version on every xAPI response (CORS: :mod:`hub.cors`, registered by
    :func:`xapi.init_app` with :data:`CORS_HEADERS`)."""
    if not request.path.startswith("/xapi/") or request.path.startswith("/xapi/forwarding"):
        return response
    # Communication 3.3: the latest patch of the version the client speaks.
    response.headers["X-Experience-API-Version"] = "2.0.0" if is_xapi2() else XAPI_VERSION
    if request.path.endswith("/statements") and request.method in ("GET", "HEAD"):
        # Communication 2.1.3: on every statements GET, whatever the status; everything
        # committed is visible at once on this store, so "now" is exact.
        response.headers.setdefault("X-Experience-API-Consistent-Through", consistent_through())
    return response


def consistent_through() -> str:
    """Now, as the instant up to which every accepted statement is visible."""
    return utcnow()


def principal_for(*roles: str, content_session: bool = False) -> Principal:
    """The authenticated caller holding one of ``roles`` (401 / 403 otherwise). An AU session
    token (cmi5 §8.2, a principal with a ``scope``) only where ``content_session`` says the
    view checks its scope (:mod:`xapi.cmi5_sessions`); elsewhere 403."""
    principal = current_principal()
    assert principal is not None
    if principal.scope is not None:
        if not content_session:
            raise PermissionDenied("an AU session token does not reach this resource")
        return principal
    if not principal.has(*roles):
        raise PermissionDenied(f"this needs one of the roles: {', '.join(roles)}")
    return principal


def reader(content_session: bool = False) -> Principal:
    """A caller allowed to read the LRS (an AU token too when ``content_session``)."""
    return principal_for(Role.LRS_READER, Role.LRS_WRITER, content_session=content_session)


def writer(content_session: bool = False) -> Principal:
    """A caller allowed to write to the LRS (an AU token too when ``content_session``)."""
    return principal_for(Role.LRS_WRITER, content_session=content_session)


def check_params(allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, str]:
    """The query parameters, 400 on an unknown one (names are case-sensitive, Communication
    3.2) or on a missing required one."""
    allowed_set = set(allowed)
    params = request.args
    for name in params:
        if name not in allowed_set:
            raise ValidationError.for_field(name, "is not a parameter of this resource")
        if len(params.getlist(name)) > 1:
            raise ValidationError.for_field(name, "is given more than once")
    for name in required:
        if name not in params:
            raise ValidationError.for_field(name, "is required")
    return dict(params.items())


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None,
                  ) -> Response:
    """An ``application/json`` response serialised by orjson."""
    # HEAD (Communication 1.1) runs the GET view; werkzeug drops the body, keeps the length.
    return Response(orjson.dumps(value), status=status, mimetype="application/json",
                    headers=headers)


def no_content(headers: dict[str, str] | None = None) -> Response:
    """204 with no body."""
    return Response(status=204, headers=headers)


def parse_bool(params: dict[str, str], name: str) -> bool:
    """``true``/``false`` (Communication 2.1.3 booleans), 400 otherwise."""
    value = params.get(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise ValidationError.for_field(name, "must be true or false")
    return value.lower() == "true"


def parse_instant(params: dict[str, str], name: str) -> str | None:
    """A ``since``/``until`` parameter (Communication 2.1.3, 2.3-2.6: ISO 8601 timestamps) in
    the stored format, so that it compares with stored instants as text; None when absent,
    400 naming the parameter otherwise. A timestamp without an offset is UTC (Data 4.5)."""
    value = params.get(name)
    if value is None:
        return None
    try:
        return format_timestamp(parse_timestamp(value))
    except ValueError:
        raise ValidationError.for_field(name, "must be an ISO 8601 timestamp") from None


def read_json_body(field: str = "content") -> Any:
    """The request body parsed as JSON, 400 when it is not JSON."""
    return load_body(request.get_data(cache=True), field)
