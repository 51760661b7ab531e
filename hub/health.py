"""``GET /health``: is the store and the blob store reachable?

Anyone may call it (load balancers do), so a failure names the check and nothing more: the
exception text of a backend (paths, host names, driver messages) goes to the log only.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, current_app

from catalogue_schemas.health import HealthSchema
from hub.docs import HubBlueprint

log = logging.getLogger(__name__)

blueprint = HubBlueprint("health", __name__, url_prefix="",
                         description="Liveness and readiness (no auth).")


def check(app: Flask) -> tuple[dict[str, Any], int]:
    """Ping each backend; 200 when all answer, 503 otherwise."""
    result: dict[str, Any] = {"status": "ok", "checks": {}, "failed": []}
    for name in ("store", "blobs"):
        started = time.perf_counter()
        try:
            app.extensions[f"hub.{name}"].ping()
            result["checks"][name] = {"status": "ok",
                                      "ms": round((time.perf_counter() - started) * 1000, 2)}
        except Exception:  # any failure means "not reachable"
            log.exception("health check %r failed", name)
            result["status"] = "unavailable"
            result["checks"][name] = {"status": "unavailable"}
            result["failed"].append(name)
    return result, 200 if result["status"] == "ok" else 503


@blueprint.route("/health", methods=["GET"])
@blueprint.response(200, HealthSchema)
@blueprint.alt_response(503, schema=HealthSchema, description="a backend is unreachable")
def health() -> Any:
    """Liveness and readiness in one: 503 naming the failing checks when a backend is down."""
    return check(current_app)


def init_app(app: Flask) -> None:
    """Register ``/health`` on the app's :class:`hub.docs.HubApi`."""
    app.extensions["hub.api"].register_blueprint(blueprint)
