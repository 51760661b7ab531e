"""The hub's xAPI 1.0.3 Learning Record Store, mounted at ``/xapi``.

A plain Flask blueprint (not flask-smorest: the LRS takes raw and multipart bodies): the
Statement Resource (:mod:`xapi.statement_routes`), the Document Resources, Activities, Agents
and About (:mod:`xapi.document_routes`). :mod:`xapi.transport` holds the HTTP rules every
resource shares (version header, Alternate Request Syntax, CORS, auth).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the LRS on the app (called by :func:`hub.create_app`).

    Flask and the routes are imported here, not at the top: importing a module of the package
    (the validator, :mod:`xapi.validation`) must not load the web framework."""
    from flask import Blueprint

    from hub import cors
    from hub.tokens import TokenCodec
    from xapi import (
        attachment_upgrade,
        cmi5_routes,
        document_routes,
        forwarding_routes,
        hub_statements,
        openapi,
        statement_routes,
        transport,
    )

    # "more" links are signed (hub.tokens): a client cannot put its own parameters in them.
    app.extensions["xapi.more"] = TokenCodec(app.extensions["hub.token_key"], "xapi.more", "more")
    lrs = Blueprint("xapi", __name__, url_prefix="/xapi")
    lrs.before_request(transport.before_xapi_request)
    # On the app, not the blueprint: 404/405 under /xapi carry the xAPI headers too.
    app.after_request(transport.after_xapi_request)
    # Browser content talks to the LRS from its own origin (Communication 1.3); forwarding is
    # hub administration, not an xAPI resource.
    cors.allow_cross_origin(app, "/xapi/", transport.CORS_HEADERS, exclude=("/xapi/forwarding",))
    lrs.register_blueprint(statement_routes.bp)
    lrs.register_blueprint(document_routes.bp)
    app.register_blueprint(lrs)
    app.wsgi_app = transport.AlternateSyntax(  # type: ignore[method-assign]
        app.wsgi_app, max_body=app.config.get("MAX_CONTENT_LENGTH"))
    attachment_upgrade.init_app(app)
    forwarding_routes.init_app(app)
    cmi5_routes.init_app(app)
    # the LRS and forwarding in /openapi.json, written when the document is first read
    app.extensions["hub.api"].defer_document(partial(openapi.document, app))
    # marketplace's own statements (attendance, completion) come in through this port.
    app.extensions["hub.statement_sink"] = hub_statements.sink
