"""The one shape that crosses every port.

Documents cross the ports as plain ``dict`` objects holding JSON-compatible values (str, int,
float, bool, None, list, dict). Timestamps are ISO 8601 strings in UTC with microseconds and a
``Z`` (``2026-11-25T07:33:14.123456Z``) so that they sort as text on every backend.
"""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]
