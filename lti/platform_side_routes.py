"""HTTP surface of the platform side (the hub launches providers' tools).

Documented JSON API (credentials):

- ``POST /lti/platform/launches`` (``lti-manager``): launch a published ``lti`` course for one
  of the caller's learners; 201 with the URL to send the browser to (the tool's OIDC login
  initiation).
- ``POST /lti/platform/deep-linking`` (the provider's ``publisher``): open the tool's content
  picker for a course draft; 201 with the URL.

Browser endpoints of the LTI flows (form posts and HTML pages, not in the OpenAPI document):

- ``GET|POST /lti/platform/authorize``: the OIDC authorization endpoint
  (:mod:`lti.platform_authorize`); answers the auto-submitting form carrying the ``id_token``;
- ``POST /lti/platform/deep-linking/return``: the tool's Deep Linking response
  (:mod:`lti.platform_deep_linking`).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Response, current_app, request

from catalogue_schemas.lti_tools import (
    DeepLinkingStartSchema,
    PlatformLaunchInSchema,
    PlatformLaunchSchema,
)
from hub.auth import current_principal, require_roles
from hub.context import get_blobs, get_config, get_store
from hub.docs import HubBlueprint
from hub.principal import Principal, Role
from lti import links, platform_deep_linking
from lti.errors import LtiTokenError
from lti.jwt_checks import verify_jwt
from lti.keys import hub_keys
from lti.model import PlatformLaunch
from lti.platform_authorize import authorize, record_launch
from lti.platform_launch import (
    CONTEXT_ROLES,
    HINT_LIFETIME,
    begin,
    course_launch,
    current_hints,
    learner_id_for,
)
from lti.platform_pages import form_post, message_page
from storage.ports import Document

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

api = HubBlueprint("lti_platform", __name__, url_prefix="/lti/platform",
                   description="The hub as an LTI 1.3 platform: launch a provider's tool for a "
                               "learner, pick a draft's content in the tool (Deep Linking).")
browser = Blueprint("lti_platform_browser", __name__, url_prefix="/lti/platform")


def _caller() -> Principal:
    principal = current_principal(required=True)
    assert principal is not None
    return principal


def _dl_codec() -> Any:
    return platform_deep_linking.data_codec(current_app.extensions["hub.token_key"])


def _launch_answer(launch: PlatformLaunch) -> Document:
    return {"url": begin(get_store(), get_config(), launch), "expires_in": HINT_LIFETIME,
            "learner_id": launch.learner_id, "registration": launch.registration}


@api.route("/launches", methods=["POST"])
@require_roles(Role.LTI_MANAGER)
@api.arguments(PlatformLaunchInSchema)
@api.response(201, PlatformLaunchSchema)
@api.doc(**SECURED)
def post_launch(body: dict[str, Any]) -> Any:
    """Launch a published course's LTI tool for a learner of the caller's organisation."""
    principal = _caller()
    launch = course_launch(
        get_store(), get_config().public_url, body["course_id"], principal.org_id,
        learner_id_for(principal.org_id, body["learner"]),
        tuple(CONTEXT_ROLES[r] for r in dict.fromkeys(body["roles"])),
        name=body["name"], email=body["email"], return_url=body["return_url"])
    return _launch_answer(launch), 201


@api.route("/deep-linking", methods=["POST"])
@require_roles(Role.PUBLISHER)
@api.arguments(DeepLinkingStartSchema)
@api.response(201, PlatformLaunchSchema)
@api.doc(**SECURED)
def post_deep_linking(body: dict[str, Any]) -> Any:
    """Open the provider's tool to pick a course draft's content (Deep Linking 2.0)."""
    launch = platform_deep_linking.start(get_store(), _caller(), get_config().public_url,
                                         body["course_id"], body["tool"])
    return _launch_answer(launch), 201


@browser.route("/authorize", methods=["GET", "POST"])
def authorize_view() -> Response:
    """The OIDC authorization endpoint (LTI 1.3 §5.1.1.2): the id_token, form-posted."""
    store, public_url = get_store(), get_config().public_url
    params = {k: request.values.get(k) for k in request.values}
    return_url = links.platform_deep_link_return_url(public_url)

    def settings(launch: PlatformLaunch, tool: Document) -> Document:
        if launch.message_type != "LtiDeepLinkingRequest":
            return {}
        return platform_deep_linking.settings_claim(_dl_codec(), public_url, return_url,
                                                    launch, tool, time.time())

    done = authorize(store, public_url, params, current_hints(), hub_keys().sign,
                     store.once.consume, settings)
    if done.launch.message_type == "LtiResourceLinkRequest":
        record_launch(store, get_blobs(), public_url, done)
    return form_post(done.redirect_uri, {"id_token": done.id_token, "state": done.state})


@browser.route("/deep-linking/return", methods=["POST"])
def deep_linking_return() -> Response:
    """The tool's Deep Linking response (Deep Linking 2.0 §4.5): the pick lands on the draft."""
    store, public_url = get_store(), get_config().public_url
    token = request.form.get("JWT")
    client_id = platform_deep_linking.unverified_issuer(token)
    tool = store.lti_tools.get_by_client_id(client_id)
    if tool is None:
        raise LtiTokenError("iss", "is not a registered tool's client id")
    claims = verify_jwt(str(token), key_source=tool["key_set_url"] or tool["public_jwk"],
                        issuer=client_id, audience=public_url)
    answer = platform_deep_linking.accept_response(store, claims, tool, _dl_codec(),
                                                   store.once.consume)
    lines = [f"{item.get('title') or item.get('url') or 'untitled'}" for item in answer["items"]]
    if answer["stored"] is None:
        return message_page("Nothing was picked", ["The course draft is unchanged."])
    return message_page(f"Course {answer['course_id']} now launches the picked content", lines)
