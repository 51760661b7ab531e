"""HTTP surface of the platform side's services for providers' tools (documented in
``/openapi.json``):

- ``POST /lti/platform/token``: OAuth 2.0 client credentials with ``private_key_jwt``
  (:mod:`lti.platform_tokens`); refusals are problem+json bodies carrying the OAuth ``error``.
- AGS 2.0 under ``/lti/platform/contexts/<context_id>/lineitems``: the container (GET, POST),
  one line item (GET, PUT, DELETE), its ``/scores`` (POST) and ``/results`` (GET)
  (:mod:`lti.platform_ags`).
- NRPS 2.0 ``/lti/platform/contexts/<context_id>/memberships`` (GET) (:mod:`lti.platform_nrps`).

Service requests carry ``Authorization: Bearer <access token>``; the blueprint checks it before
any argument is parsed, so an unauthenticated caller learns nothing of the bodies' shapes.
Responses use the specs' media types; pages link the next one with ``Link: rel="next"``
(AGS §3.2.6, NRPS §2.4).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
from flask import Flask, Response, g, request

from catalogue_schemas.lti_platform_services import (
    LINEITEM_MEDIA,
    LINEITEMS_MEDIA,
    MEMBERSHIPS_MEDIA,
    RESULTS_MEDIA,
    SCORE_MEDIA,
    LineItemQuerySchema,
    LineItemSchema,
    MembershipContainerSchema,
    MembershipQuerySchema,
    ResultQuerySchema,
    ResultSchema,
    ScoreSchema,
    TokenRequestSchema,
    TokenResponseSchema,
)
from hub.context import get_blobs, get_config, get_store
from hub.docs import HubBlueprint
from lti import links, platform_ags, platform_nrps
from lti.platform_tokens import Grant, authenticate_bearer, issue_token

token = HubBlueprint("lti_platform_token", __name__, url_prefix="/lti/platform",
                     description="OAuth 2.0 token endpoint of the hub as an LTI platform "
                                 "(client credentials, private_key_jwt).")
services = HubBlueprint("lti_platform_services", __name__, url_prefix="/lti/platform/contexts",
                        description="AGS 2.0 and NRPS 2.0 of the hub as an LTI platform, for "
                                    "the providers' tools it launched (Bearer tokens).")

BEARER: dict[str, Any] = {"security": [{"ltiBearer": []}]}
FORM = "application/x-www-form-urlencoded"


def _media(body: Any, media: str, status: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    """A JSON body under the spec's media type."""
    return Response(orjson.dumps(body), status=status, mimetype=media, headers=headers)


def _next_link(url: str, args: dict[str, Any], after: str | None) -> dict[str, str]:
    """``Link: <...>; rel="next"`` when there is a next page (RFC 8288)."""
    if after is None:
        return {}
    query = {k: v for k, v in args.items() if v is not None and k != "after"}
    return {"Link": f'<{url}?{urlencode({**query, "after": after})}>; rel="next"'}


def _grant() -> Grant:
    grant: Grant = g.lti_grant
    return grant


@services.before_request
def _authenticate() -> None:
    """RFC 6750 §2.1: every service request presents a token of the hub's token endpoint."""
    g.lti_grant = authenticate_bearer(get_store(), request.headers.get("Authorization"))


# --- token endpoint -------------------------------------------------------------------------


@token.route("/token", methods=["POST"])
@token.response(200, TokenResponseSchema)
@token.doc(requestBody={"required": True, "content": {FORM: {"schema": TokenRequestSchema}}})
def token_endpoint() -> Any:
    """Grant an access token to a provider's tool (RFC 6749 §4.4 with an RFC 7523 client
    assertion; LTI Security Framework §4.1)."""
    body = issue_token(get_store(), get_config().public_url, request.form)
    # RFC 6749 §5.1: a token response is never cached.
    return body, 200, {"Cache-Control": "no-store", "Pragma": "no-cache"}


# --- AGS: line items ------------------------------------------------------------------------


@services.route("/<context_id>/lineitems", methods=["GET"])
@services.arguments(LineItemQuerySchema, location="query")
@services.response(200, LineItemSchema(many=True), content_type=LINEITEMS_MEDIA)
@services.doc(**BEARER)
def list_line_items(args: dict[str, Any], context_id: str) -> Any:
    """The context's line items (AGS §3.2.6; scope lineitem or lineitem.readonly)."""
    public_url = get_config().public_url
    items, after = platform_ags.list_line_items(get_store(), _grant(), context_id, args)
    url = links.platform_lineitems_url(public_url, context_id)
    return _media([platform_ags.line_item_body(public_url, i) for i in items], LINEITEMS_MEDIA,
                  headers=_next_link(url, args, after))


@services.route("/<context_id>/lineitems", methods=["POST"])
@services.arguments(LineItemSchema, content_type=LINEITEM_MEDIA)
@services.response(201, LineItemSchema, content_type=LINEITEM_MEDIA)
@services.doc(**BEARER)
def create_line_item(data: dict[str, Any], context_id: str) -> Any:
    """Add a line item to the context (AGS §3.2.5; scope lineitem)."""
    public_url = get_config().public_url
    item = platform_ags.create_line_item(get_store(), _grant(), context_id, data)
    body = platform_ags.line_item_body(public_url, item)
    return _media(body, LINEITEM_MEDIA, 201, {"Location": body["id"]})


@services.route("/<context_id>/lineitems/<item_id>", methods=["GET"])
@services.response(200, LineItemSchema, content_type=LINEITEM_MEDIA)
@services.doc(**BEARER)
def get_line_item(context_id: str, item_id: str) -> Any:
    """One line item (AGS §3.3; scope lineitem or lineitem.readonly)."""
    item = platform_ags.get_line_item(get_store(), _grant(), context_id, item_id)
    return _media(platform_ags.line_item_body(get_config().public_url, item), LINEITEM_MEDIA)


@services.route("/<context_id>/lineitems/<item_id>", methods=["PUT"])
@services.arguments(LineItemSchema, content_type=LINEITEM_MEDIA)
@services.response(200, LineItemSchema, content_type=LINEITEM_MEDIA)
@services.doc(**BEARER)
def put_line_item(data: dict[str, Any], context_id: str, item_id: str) -> Any:
    """Replace a line item (AGS §3.3; scope lineitem)."""
    item = platform_ags.update_line_item(get_store(), _grant(), context_id, item_id, data)
    return _media(platform_ags.line_item_body(get_config().public_url, item), LINEITEM_MEDIA)


@services.route("/<context_id>/lineitems/<item_id>", methods=["DELETE"])
@services.response(204)
@services.doc(**BEARER)
def delete_line_item(context_id: str, item_id: str) -> Any:
    """Remove a line item and its results (AGS §3.3; scope lineitem)."""
    platform_ags.delete_line_item(get_store(), _grant(), context_id, item_id)
    return Response(status=204)


# --- AGS: scores and results ----------------------------------------------------------------


@services.route("/<context_id>/lineitems/<item_id>/scores", methods=["POST"])
@services.arguments(ScoreSchema, content_type=SCORE_MEDIA)
@services.response(204)
@services.doc(**BEARER)
def post_score(score: dict[str, Any], context_id: str, item_id: str) -> Any:
    """Publish a user's score (AGS §3.4; scope score); it is also recorded as xAPI
    statements (scored, completed, passed/failed) in the launching organisation's LRS."""
    platform_ags.post_score(get_store(), get_blobs(), get_config().public_url, _grant(),
                            context_id, item_id, score)
    return Response(status=204)


@services.route("/<context_id>/lineitems/<item_id>/results", methods=["GET"])
@services.arguments(ResultQuerySchema, location="query")
@services.response(200, ResultSchema(many=True), content_type=RESULTS_MEDIA)
@services.doc(**BEARER)
def list_results(args: dict[str, Any], context_id: str, item_id: str) -> Any:
    """The line item's current results, one per user (AGS §3.5; scope result.readonly)."""
    public_url = get_config().public_url
    rows, after = platform_ags.list_results(get_store(), public_url, _grant(), context_id,
                                            item_id, args)
    url = links.platform_lineitem_url(public_url, context_id, item_id) + "/results"
    return _media(rows, RESULTS_MEDIA, headers=_next_link(url, args, after))


# --- NRPS -----------------------------------------------------------------------------------


@services.route("/<context_id>/memberships", methods=["GET"])
@services.arguments(MembershipQuerySchema, location="query")
@services.response(200, MembershipContainerSchema, content_type=MEMBERSHIPS_MEDIA)
@services.doc(**BEARER)
def memberships(args: dict[str, Any], context_id: str) -> Any:
    """The context's members (NRPS §2.2; scope contextmembership.readonly)."""
    public_url = get_config().public_url
    body, after = platform_nrps.memberships(get_store(), public_url, _grant(), context_id,
                                            args)
    url = links.platform_memberships_url(public_url, context_id)
    return _media(body, MEMBERSHIPS_MEDIA, headers=_next_link(url, args, after))


def init_app(app: Flask) -> None:
    """Register both blueprints on the app's API and the Bearer scheme they document."""
    api = app.extensions["hub.api"]
    api.defer_document(lambda: api.spec.components.security_scheme("ltiBearer", {
        "type": "http", "scheme": "bearer",
        "description": "an access token of POST /lti/platform/token"}))
    api.register_blueprint(token)
    api.register_blueprint(services)
