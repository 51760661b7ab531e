"""The tool side's browser endpoints (not in ``/openapi.json``: form posts and redirects of
the LTI flows, answered with problem+json when refused):

- ``GET|POST /lti/login``: OIDC third-party initiated login (LTI 1.3 §5.1.1), a 302 to the
  LMS's authorization endpoint (:mod:`lti.tool_login`);
- ``POST /lti/launch``: the LMS's form post of ``id_token`` and ``state`` (LTI 1.3 §5.1.1.3),
  validated (:mod:`lti.tool_launch`) and sent on by the course's delivery
  (:mod:`lti.tool_side`);
- ``GET /lti/register``: Dynamic Registration (:mod:`lti.dynamic_registration`), ending with
  the ``org.imsglobal.lti.close`` page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from hub.context import get_blobs, get_config, get_store
from hub.outbound import outbound_client
from lti import links
from lti.dynamic_registration import CLOSE_PAGE, register
from lti.remote_keys import remote_key_sets
from lti.tool_login import login_redirect
from lti.tool_side import complete_launch

blueprint = Blueprint("lti_tool", __name__)


@blueprint.route("/lti/login", methods=["GET", "POST"])
def login() -> Response:
    """OIDC login initiation: redirect to the LMS's authorization endpoint."""
    public_url = get_config().public_url
    return login_redirect(get_store(), public_url, links.tool_launch_url(public_url))


@blueprint.post("/lti/launch")
def launch() -> Any:
    """The LMS's launch: validate, record, send on."""
    response = complete_launch(get_store(), get_blobs(), get_config(),
                               remote_key_sets(current_app))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/lti/register")
def dynamic_registration() -> Response:
    """Register the hub with the LMS that opened this URL; the close page."""
    args = request.args
    register(get_store(), outbound_client(current_app), get_config().public_url,
             args.get("ticket"), args.get("openid_configuration"),
             args.get("registration_token"))
    return Response(CLOSE_PAGE, mimetype="text/html", headers={"Cache-Control": "no-store"})
