"""Field checks for reading a CASE 1.1 package: every problem is collected as
``{"item": identifier, "field": dotted path, "message": ...}`` so one response lists them all.

The JSON types follow the CASE 1.1 JSON binding (§A, the ``getCFPackage`` response schema):
identifiers are UUIDs, ``lastChangeDateTime`` an ISO 8601 date-time, keyword lists arrays of
strings, ``extensions`` objects.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NoReturn

from hub.errors import ValidationError
from marketplace.frac_case import UUID_SHAPE
from storage.timestamps import format_timestamp

MISSING = object()


class PackageProblems:
    """The problems found in a package, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, item: str | None, field: str, message: str) -> None:
        """Record one problem of record ``item`` (its identifier, None when it has none)."""
        self.items.append({"item": item, "field": field, "message": message})

    def refuse(self, field: str, message: str) -> NoReturn:
        """Stop at a problem that leaves nothing else to check (no CFDocument …)."""
        self.add(None, field, message)
        self.raise_if_any()
        raise AssertionError("unreachable")

    def raise_if_any(self) -> None:
        """Raise a 400 listing every problem (RFC 9457 extension member ``item_errors``)."""
        if not self.items:
            return
        errors: dict[str, list[str]] = {}
        for problem in self.items:
            errors.setdefault(problem["field"], []).append(problem["message"])
        first = self.items[0]
        raise ValidationError(
            f"the CASE package has {len(self.items)} problem(s); first: {first['field']}: "
            f"{first['message']}", errors=errors, item_errors=self.items)


class RecordReader:
    """Typed reads of one CASE record (an object at ``path``) reporting to ``problems``."""

    def __init__(self, record: dict[str, Any], path: str, problems: PackageProblems,
                 item: str | None = None) -> None:
        self.record = record
        self.path = path
        self.problems = problems
        self.item = item

    def fail(self, name: str, message: str) -> None:
        """Report a problem with member ``name``."""
        path = f"{self.path}.{name}" if self.path and name else (name or self.path)
        self.problems.add(self.item, path, message)

    def string(self, name: str, *, required: bool = False) -> str | None:
        """A non-empty string member."""
        value = self.record.get(name, MISSING)
        if value is MISSING or value is None:
            if required:
                self.fail(name, "required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(name, "must be a non-empty string")
            return None
        return value

    def identifier(self, name: str = "identifier") -> str | None:
        """A CASE identifier (UUID, CASE 1.1 §6.13), lower-cased."""
        value = self.string(name, required=True)
        if value is not None and not UUID_SHAPE.fullmatch(value):
            self.fail(name, "must be a UUID")
            return None
        return value.lower() if value else None

    def timestamp(self, name: str = "lastChangeDateTime") -> str | None:
        """An ISO 8601 date-time, in the hub's stored format (UTC)."""
        value = self.string(name, required=True)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(name, "must be an ISO 8601 date-time")
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return format_timestamp(moment)

    def obj(self, name: str) -> dict[str, Any]:
        """An object member (empty when absent)."""
        value = self.record.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(name, "must be an object")
            return {}
        return value

    def strings(self, name: str) -> list[str] | None:
        """An array of strings."""
        value = self.record.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "must be an array of strings")
            return None
        return value

    def integer(self, name: str) -> int | None:
        """An integer member (a JSON boolean is not one)."""
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "must be an integer")
            return None
        return value

    def objects(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        """An array of objects, with their indexes (non-objects reported)."""
        value = self.record.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, "must be an array")
            return []
        out = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                out.append((index, entry))
            else:
                where = f"{self.path}.{name}" if self.path else name
                self.problems.add(None, f"{where}[{index}]", "must be an object")
        return out

    def langmap(self, value: Any, name: str) -> dict[str, str] | None:
        """A language map ``{BCP 47 tag: text}`` (in the hub's extension)."""
        if value is None:
            return None
        if (not isinstance(value, dict) or not value
                or not all(isinstance(k, str) and k and isinstance(v, str)
                           for k, v in value.items())):
            self.fail(name, "must be a language map of strings")
            return None
        return value


def level_number(value: Any) -> int | None:
    """A proficiency level 1..5 from a JSON number (1, 3.0), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != int(value) or not 1 <= int(value) <= 5:
        return None
    return int(value)
