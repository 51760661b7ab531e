"""OpenAPI 3.1 generated from the marshmallow schemas (flask-smorest/apispec), and ``/docs``.

``GET /openapi.json`` is the generated document. ``GET /docs`` renders it server-side into a plain
HTML reference (no JavaScript, no CDN) so that it works on an offline laptop.
"""

from __future__ import annotations

import http
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, render_template
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser

from catalogue_schemas.problem import ProblemSchema
from hub.errors import PROBLEM_MIMETYPE


class HubArgumentsParser(FlaskParser):
    """webargs parser that answers 400 (not 422) for invalid arguments, as the whole API does."""

    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: Any) -> Any:
        """The body through the hub's one JSON parser (webargs' own is the standard library's,
        which recurses until ``RecursionError`` on deeply nested input)."""
        from webargs import core

        from hub.json_body import load_body

        if not core.is_json(req.mimetype):
            return core.missing
        return load_body(req.get_data(cache=True))


class HubBlueprint(Blueprint):
    """The hub's smorest blueprint: arguments parse with :class:`HubArgumentsParser`, so an
    invalid argument is 400 and the document says 400 (the library's default is 422)."""

    ARGUMENTS_PARSER = HubArgumentsParser()


class HubApi(Api):
    """flask-smorest's ``Api`` telling the truth about the hub's errors.

    Every error is an RFC 9457 problem (:class:`catalogue_schemas.problem.ProblemSchema`) sent as
    ``application/problem+json`` by :mod:`hub.errors_http`; the library would document its own
    ``Error {code, status, message}`` as ``application/json`` and install a handler that
    renders that shape.
    """

    ERROR_SCHEMA = ProblemSchema

    # The document of each blueprint is written when the document is first read, not when the
    # blueprint is registered: writing it (apispec resolving every marshmallow schema) was more
    # than half of the cost of creating an app, which every gunicorn worker, CLI command and
    # test pays, while the document is read only by /openapi.json, /docs and a few checks.

    @property  # type: ignore[override]
    def spec(self) -> Any:
        """The OpenAPI document (apispec ``APISpec``), completed with every blueprint
        registered so far."""
        pending = self.__dict__.get("_pending_docs")
        if pending:
            with self.__dict__["_docs_lock"]:
                while self.__dict__["_pending_docs"]:
                    self.__dict__["_pending_docs"].pop(0)()
        return self.__dict__.get("_spec")

    @spec.setter
    def spec(self, value: Any) -> None:
        self.__dict__["_spec"] = value
        self.__dict__.setdefault("_pending_docs", [])
        self.__dict__.setdefault("_docs_lock", threading.RLock())

    def register_blueprint(self, blp: Blueprint, *, parameters: Any = None,
                           **options: Any) -> None:
        """Register ``blp`` in the app now and in the document when it is first read
        (flask-smorest's ``Api.register_blueprint``, its documentation step deferred)."""
        name = options.get("name", blp.name)
        app = self._app
        app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        app.register_blueprint(blp, **options)

        def document() -> None:
            spec = self.__dict__["_spec"]
            blp.register_views_in_doc(self, app, spec, name=name, parameters=parameters)
            spec.tag({"name": name, "description": blp.description})

        self.defer_document(document)

    def defer_document(self, document: Callable[[], None]) -> None:
        """Run ``document`` (which writes to :attr:`spec`) when the document is first read,
        after what was deferred before it."""
        self.__dict__["_pending_docs"].append(document)

    def _register_error_handlers(self) -> None:
        # hub.errors_http owns error rendering; the library's handler would answer its own shape.
        return None

    def _register_responses(self) -> None:
        """The library's lazily registered response per status code and ``DEFAULT_ERROR``, with
        the error schema under ``application/problem+json`` (RFC 9457 §3) instead of the
        success content type."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Error (RFC 9457 problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)



API_CONFIG: dict[str, Any] = {
    "API_TITLE": "Karmayogi Hub",
    "API_VERSION": "0.1.0",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Content marketplace, LTI 1.3 and xAPI hub of the Karmayogi "
            "civil-service learning platform. Errors are RFC 9457 application/problem+json.",
        },
        "components": {
            "securitySchemes": {
                "basic": {"type": "http", "scheme": "basic",
                          "description": "credential key as user name, secret as password"},
            }
        },
    },
}


def init_app(app: Flask) -> Api:
    """Create the :class:`HubApi` (kept in ``app.extensions['hub.api']``) and ``/docs``."""
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = HubApi(app)
    app.extensions["hub.api"] = api

    @app.get("/docs")
    def api_reference() -> str:
        """The API reference, rendered from the OpenAPI document."""
        spec = api.spec.to_dict()
        operations = []
        for path, item in sorted(spec.get("paths", {}).items()):
            for method, op in item.items():
                if method in ("get", "put", "post", "patch", "delete", "head"):
                    operations.append({"path": path, "method": method.upper(), "op": op})
        schemas = spec.get("components", {}).get("schemas", {})
        return render_template("docs.html", spec=spec, operations=operations, schemas=schemas)

    return api
