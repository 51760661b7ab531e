"""``GET /health``: is the store and the blob store reachable?"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask


def check(app: Flask) -> tuple[dict[str, Any], int]:
    """Ping each backend; 200 when all answer, 503 otherwise."""
    result: dict[str, Any] = {"status": "ok", "checks": {}}
    for name in ("store", "blobs"):
        started = time.perf_counter()
        try:
            app.extensions[f"hub.{name}"].ping()
            result["checks"][name] = {"status": "ok",
                                      "ms": round((time.perf_counter() - started) * 1000, 2)}
        except Exception as exc:  # any failure means "not reachable"
            result["status"] = "unavailable"
            result["checks"][name] = {"status": "unavailable", "error": str(exc)[:200]}
    return result, 200 if result["status"] == "ok" else 503


def init_app(app: Flask) -> None:
    """Register ``/health``."""

    @app.get("/health")
    def health() -> tuple[dict[str, Any], int]:
        """Liveness and readiness in one: 503 when a backend is down."""
        return check(app)
