"""The one place the LRS calls the statement validator (``xapi.validation``, Data part rules).

Kept behind these functions so that the LRS has a single seam to the validator's API
(``validate_statement``, ``validate_batch``, ``validate_agent_param``, ``is_iri``, ``is_uuid``,
``parse_timestamp``)."""

from __future__ import annotations

import importlib
import re
from datetime import datetime
from types import ModuleType
from typing import Any

import orjson

from hub.errors import ValidationError

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _validation() -> ModuleType | None:
    try:
        module = importlib.import_module("xapi.validation")
    except ImportError:  # pragma: no cover - only until the validator lands
        return None
    return module if hasattr(module, "validate_batch") else None


def check_batch(statements: list[Any], version: str = "1.0.3") -> None:
    """Raise a 400 (naming the property) when any statement of a batch breaks a Data rule;
    ``version`` is the request's X-Experience-API-Version (2.0.x admits the 2.0 additions)."""
    validation = _validation()
    if validation is not None:
        validation.validate_batch(statements, version=version)
        return
    for i, stmt in enumerate(statements):  # pragma: no cover
        if not isinstance(stmt, dict):
            raise ValidationError.for_field(str(i), "must be a Statement object")


def parse_agent(value: str, param: str = "agent", *, allow_group: bool = True,
                ) -> dict[str, Any]:
    """The Agent (or Group, when allowed) of a query parameter (JSON), validated
    (Communication 2.1.3; the Agent Profile and Agents resources take an Agent only)."""
    validation = _validation()
    if validation is not None and hasattr(validation, "validate_agent_param"):
        return dict(validation.validate_agent_param(value, param, allow_group=allow_group))
    try:  # pragma: no cover - only until the validator lands
        agent = orjson.loads(value)
    except orjson.JSONDecodeError:
        raise ValidationError.for_field(param, "must be a JSON Agent or Group") from None
    if not isinstance(agent, dict):  # pragma: no cover
        raise ValidationError.for_field(param, "must be a JSON Agent or Group")
    return agent


def is_uuid(value: Any) -> bool:
    """An RFC 4122 UUID in its hyphenated form (Data 4.0)."""
    validation = _validation()
    if validation is not None and hasattr(validation, "is_uuid"):
        return bool(validation.is_uuid(value))
    return isinstance(value, str) and bool(_UUID.match(value))  # pragma: no cover


def is_iri(value: Any) -> bool:
    """An absolute IRI (Data 4.0)."""
    validation = _validation()
    if validation is not None and hasattr(validation, "is_iri"):
        return bool(validation.is_iri(value))
    return isinstance(value, str) and ":" in value  # pragma: no cover


def parse_timestamp(value: str, param: str) -> datetime:
    """An ISO 8601 timestamp with a time zone (Data 4.5), else a 400 naming ``param``."""
    validation = _validation()
    try:
        if validation is not None and hasattr(validation, "parse_timestamp"):
            parsed: datetime = validation.parse_timestamp(value)
        else:  # pragma: no cover
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, TypeError, ValidationError):
        raise ValidationError.for_field(param, "must be an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise ValidationError.for_field(param, "must be an ISO 8601 timestamp with a time zone")
    return parsed
