"""The cmi5 fetch URL: ``POST /xapi/cmi5/fetch/<fetch id>`` (cmi5 §8.2).

Not an xAPI resource (no ``X-Experience-API-Version``, no credential: the unguessable id is the
credential), so it has its own blueprint beside the LRS's. Every answer is HTTP 200 with
``application/json`` (cmi5 §8.2.1), the token or a cmi5 error (§8.2.3); ``GET`` is not allowed
(§8.2.1: "to prevent caching"), and the answer is marked ``no-store``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response

from hub.auth import register_key_scheme
from hub.context import get_store
from xapi import cmi5_sessions
from xapi.transport import json_response

blueprint = Blueprint("xapi_cmi5", __name__, url_prefix="/xapi/cmi5")


@blueprint.post("/fetch/<fetch_id>")
def fetch(fetch_id: str) -> Response:
    """Hand out the AU session's token once (cmi5 §8.2)."""
    body = cmi5_sessions.fetch_token(get_store(), fetch_id)
    return json_response(body, headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """The fetch route, and AU session tokens as credentials of the LRS only."""
    register_key_scheme(cmi5_sessions.KEY_PREFIX, cmi5_sessions.authenticate_token,
                        paths=("/xapi/",))
    app.register_blueprint(blueprint)
