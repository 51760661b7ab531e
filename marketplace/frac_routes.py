"""HTTP routes of the FRAC framework (flask-smorest, documented in ``/openapi.json``): schema
loads, a ``frac_*`` service acts, schema dumps; errors surface as problem+json.

- ``/frac/frameworks`` and ``/frac/nodes``: the working framework of an organisation (its
  curators write, its ``frac-reviewer``/``frac-approver`` review; other organisations get 404).
- ``/frac/frameworks/<fid>/versions``: publishing (``frac-approver``) and the published
  versions (public), ``/frac/search`` and ``/frac/roles/<id>/requirements`` (public).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from catalogue_schemas.frac import (
    FracSearchArgs,
    FracSearchResultSchema,
    FrameworkInSchema,
    FrameworkListSchema,
    FrameworkPatchSchema,
    FrameworkSchema,
    LanguageArgs,
    NodeEventListSchema,
    NodeInSchema,
    NodeListArgs,
    NodeListSchema,
    NodePatchSchema,
    NodeRetireInSchema,
    NodeReviewInSchema,
    NodeSchema,
    RequirementTreeSchema,
    VersionListSchema,
    VersionSchema,
    VersionSummarySchema,
)
from hub.auth import caller, current_principal
from hub.context import get_store
from hub.docs import HubBlueprint
from hub.tokens import TokenCodec
from marketplace import frac_frameworks, frac_nodes, frac_review, frac_search, frac_versions
from marketplace.request_language import preferred_language

SECURED: dict[str, Any] = {"security": [{"basic": []}]}
#: Public endpoints that show more to a credential of the framework's organisation.
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}, {"basic": []}]}
IF_MATCH = {"parameters": [{
    "in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
    "description": "ETag of the node as read; 412 when it changed since",
}]}

frac = HubBlueprint("frac", __name__, url_prefix="/frac",
                    description="FRAC competency frameworks: editing and two-level review "
                                "(the organisation's curators and reviewers), published "
                                "versions and search (public).")


def _node(node: dict[str, Any], status: int = 200) -> tuple[Any, int, dict[str, str]]:
    return node, status, {"ETag": frac_nodes.etag(node)}


def _cursor_codec() -> TokenCodec:
    # Signed with the hub's token key (hub.tokens): any worker accepts another's cursor.
    codec = current_app.extensions.get("frac.search.cursor")
    if codec is None:
        codec = TokenCodec(current_app.extensions["hub.token_key"], "frac.search.cursor",
                           "cursor")
        current_app.extensions["frac.search.cursor"] = codec
    return codec  # type: ignore[no-any-return]


# --- frameworks -------------------------------------------------------------------------------


@frac.route("/frameworks", methods=["POST"])
@frac.arguments(FrameworkInSchema)
@frac.response(201, FrameworkSchema)
@frac.doc(**SECURED)
def create_framework(body: dict[str, Any]) -> Any:
    """Create a framework of the caller's organisation (curator)."""
    framework = frac_frameworks.create_framework(get_store(), caller(), body)
    return framework, 201, {"Location": f"/frac/frameworks/{framework['id']}"}


@frac.route("/frameworks", methods=["GET"])
@frac.response(200, FrameworkListSchema)
@frac.doc(**OPTIONAL_AUTH)
def list_frameworks() -> Any:
    """The caller's organisation's frameworks, then every published one."""
    return frac_frameworks.list_frameworks(get_store(), current_principal(required=False))


@frac.route("/frameworks/<framework_id>", methods=["GET"])
@frac.response(200, FrameworkSchema)
@frac.doc(**OPTIONAL_AUTH)
def get_framework(framework_id: str) -> Any:
    """The working framework (its organisation) or its published summary (anyone)."""
    return frac_frameworks.get_framework(get_store(), current_principal(required=False),
                                    framework_id)


@frac.route("/frameworks/<framework_id>", methods=["PATCH"])
@frac.arguments(FrameworkPatchSchema)
@frac.response(200, FrameworkSchema)
@frac.doc(**SECURED)
def patch_framework(changes: dict[str, Any], framework_id: str) -> Any:
    """Change the title, description or extensions (curator)."""
    return frac_frameworks.update_framework(get_store(), caller(), framework_id, changes)


@frac.route("/frameworks/<framework_id>/nodes", methods=["GET"])
@frac.arguments(NodeListArgs, location="query")
@frac.response(200, NodeListSchema)
@frac.doc(**SECURED)
def list_nodes(args: dict[str, Any], framework_id: str) -> Any:
    """The working nodes in code order (``?type=``, ``?status=``)."""
    return frac_nodes.list_nodes(get_store(), caller(), framework_id, args["type"],
                                 args["status"])


@frac.route("/frameworks/<framework_id>/nodes", methods=["POST"])
@frac.arguments(NodeInSchema)
@frac.response(201, NodeSchema)
@frac.doc(**SECURED)
def create_node(body: dict[str, Any], framework_id: str) -> Any:
    """Create an unverified node (curator); the code is assigned when absent."""
    node = frac_nodes.create_node(get_store(), caller(), framework_id, body)
    body_, status, headers = _node(node, 201)
    headers["Location"] = f"/frac/nodes/{node['id']}"
    return body_, status, headers


# --- nodes ------------------------------------------------------------------------------------


@frac.route("/nodes/<node_id>", methods=["GET"])
@frac.response(200, NodeSchema)
@frac.doc(**SECURED)
def get_node(node_id: str) -> Any:
    """One working node (its organisation)."""
    return _node(frac_nodes.load_node(get_store(), caller(), node_id)[0])


@frac.route("/nodes/<node_id>", methods=["PATCH"])
@frac.arguments(NodePatchSchema)
@frac.response(200, NodeSchema)
@frac.doc(**SECURED, **IF_MATCH)
def patch_node(changes: dict[str, Any], node_id: str) -> Any:
    """Change some fields (curator); the node goes back to unverified."""
    return _node(frac_nodes.update_node(get_store(), caller(), node_id, changes,
                                        request.headers.get("If-Match")))


@frac.route("/nodes/<node_id>/review", methods=["POST"])
@frac.arguments(NodeReviewInSchema)
@frac.response(200, NodeSchema)
@frac.doc(**SECURED, **IF_MATCH)
def review_node(body: dict[str, Any], node_id: str) -> Any:
    """One review step; 409 naming ``status`` when the node is not at this level."""
    return _node(frac_review.review_node(get_store(), caller(), node_id, body["level"],
                                         body["decision"], body["comment"],
                                         request.headers.get("If-Match")))


@frac.route("/nodes/<node_id>/retire", methods=["POST"])
@frac.arguments(NodeRetireInSchema)
@frac.response(200, NodeSchema)
@frac.doc(**SECURED)
def retire_node(body: dict[str, Any], node_id: str) -> Any:
    """Retire a node (curator): the next version leaves it out and lists it as retired."""
    return _node(frac_nodes.retire_node(get_store(), caller(), node_id, body["comment"]))


@frac.route("/nodes/<node_id>/events", methods=["GET"])
@frac.response(200, NodeEventListSchema)
@frac.doc(**SECURED)
def node_events(node_id: str) -> Any:
    """The node's audit events, oldest first."""
    return frac_nodes.node_events(get_store(), caller(), node_id)


# --- versions, search ---------------------------------------------------------------------------


@frac.route("/frameworks/<framework_id>/versions", methods=["POST"])
@frac.response(201, VersionSummarySchema)
@frac.doc(**SECURED)
def publish(framework_id: str) -> Any:
    """Publish the confirmed framework as its next version (frac-approver)."""
    version = frac_versions.publish(get_store(), caller(), framework_id)
    return version, 201, {
        "Location": f"/frac/frameworks/{framework_id}/versions/{version['number']}"}


@frac.route("/frameworks/<framework_id>/versions", methods=["GET"])
@frac.response(200, VersionListSchema)
@frac.doc(**OPTIONAL_AUTH)
def list_versions(framework_id: str) -> Any:
    """The published versions, oldest first."""
    return frac_versions.list_versions(get_store(), current_principal(required=False),
                                       framework_id)


@frac.route("/frameworks/<framework_id>/versions/<int:number>", methods=["GET"])
@frac.response(200, VersionSchema)
def get_version(framework_id: str, number: int) -> Any:
    """One published version with every node."""
    return frac_versions.get_version(get_store(), framework_id, number)


@frac.route("/search", methods=["GET"])
@frac.arguments(FracSearchArgs(), location="query")
@frac.response(200, FracSearchResultSchema)
def search(args: dict[str, Any]) -> Any:
    """Nodes of the published frameworks by code, words in any language, type, area, theme."""
    args["lang"] = preferred_language(args)
    return frac_search.search(get_store(), args, _cursor_codec())


@frac.route("/roles/<role_id>/requirements", methods=["GET"])
@frac.arguments(LanguageArgs, location="query")
@frac.response(200, RequirementTreeSchema)
def role_requirements(args: dict[str, Any], role_id: str) -> Any:
    """A published role's position, activities with resources, and required competencies."""
    return frac_search.role_requirements(get_store(), role_id, preferred_language(args))


def blueprints() -> list[HubBlueprint]:
    """The FRAC blueprints, for :func:`marketplace.init_app`."""
    return [frac]
