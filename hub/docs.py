"""OpenAPI 3.1 generated from the marshmallow schemas (flask-smorest/apispec), and ``/docs``.

``GET /openapi.json`` is the generated document. ``GET /docs`` renders it server-side into a plain
HTML reference (no JavaScript, no CDN) so that it works on an offline laptop.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser


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


# Every smorest blueprint of the hub parses with the 400 parser.
Blueprint.ARGUMENTS_PARSER = HubArgumentsParser()


class HubBlueprint(Blueprint):
    """The smorest blueprint of every hub route module: its decorators bind the parser when the
    module is imported, which may be before this module patched the library's class above."""

    ARGUMENTS_PARSER = Blueprint.ARGUMENTS_PARSER

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
    """Create the smorest ``Api`` (kept in ``app.extensions['hub.api']``) and ``/docs``."""
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = Api(app)
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
