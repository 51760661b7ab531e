"""Cross-origin access (CORS, Fetch standard §3.2) for the parts of the API browsers call.

One mechanism for the whole hub: a part of the API registers the path prefix it opens to other
origins and the ``Access-Control-*`` headers it answers with (:func:`allow_cross_origin`); one
``after_request`` hook adds them to every response under that prefix, errors included (a
browser shows the script nothing of a response that lacks them). Preflights (``OPTIONS`` with
``Access-Control-Request-Method``) are answered by Flask's automatic ``OPTIONS`` response, which
gets the same headers. The xAPI LRS opens ``/xapi/`` (xAPI 1.0.3 Communication 1.3, browser
content); the public catalogue opens ``/catalogue/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask, Response, current_app, request

#: The public catalogue: anyone may read it from a browser, without credentials (so the
#: wildcard origin is allowed, Fetch §3.2.5), and only by safe methods.
CATALOGUE_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Language, If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Content-Type, Content-Length",
    "Access-Control-Max-Age": "86400",
}


def allow_cross_origin(app: Flask, prefix: str, headers: Mapping[str, str],
                       exclude: Iterable[str] = ()) -> None:
    """Answer cross-origin requests for paths under ``prefix`` (but not under ``exclude``)
    with ``headers``; a view that sets one of them itself keeps its own value."""
    policies = app.extensions.setdefault("hub.cors", [])
    if not policies:
        app.after_request(add_cors_headers)
    policies.append((prefix, tuple(exclude), dict(headers)))


def add_cors_headers(response: Response) -> Response:
    """``after_request`` hook: the headers of the policy whose prefix the request path has."""
    for prefix, exclude, headers in current_app.extensions.get("hub.cors", ()):
        if request.path.startswith(prefix) and not request.path.startswith(exclude):
            for name, value in headers.items():
                response.headers.setdefault(name, value)
            break
    return response
