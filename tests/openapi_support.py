"""Checking real responses against the OpenAPI document the hub serves."""

from __future__ import annotations

from typing import Any


def conforms(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """Messages of every violation of ``schema`` (which may ``$ref`` the document's components)
    by ``instance``, under the OpenAPI 3.1 dialect (JSON Schema 2020-12)."""
    from openapi_schema_validator import OAS31Validator

    validator = OAS31Validator({**schema, "components": spec["components"]})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(instance)]


def response_schema(spec: dict[str, Any], response: dict[str, Any], mimetype: str) -> Any:
    """The schema of ``response`` (following a ``$ref`` to components) for ``mimetype``."""
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response["content"][mimetype]["schema"]


def documented_schema(spec: dict[str, Any], path: str, method: str, status: str,
                      mimetype: str) -> dict[str, Any]:
    """The documented body schema of ``method path`` answering ``status`` as ``mimetype``."""
    return response_schema(spec, spec["paths"][path][method]["responses"][status],
                           mimetype)  # type: ignore[no-any-return]
