"""``/lti/tools``: a provider's registrations of its LTI 1.3 tools with the hub as platform
(:mod:`lti.tools`), a documented JSON API (``admin`` for any provider; ``lti-manager`` of a
provider organisation for its own).

- ``POST /lti/tools`` registers a tool; 201 with the registration and the ``platform`` values
  to enter on the tool's side (issuer, client id, deployment id, authorization/token/JWKS URLs).
- ``GET /lti/tools``, ``GET /lti/tools/<id>``, ``PATCH /lti/tools/<id>``,
  ``DELETE /lti/tools/<id>``.

``require_roles`` sits right under ``route`` so that a caller without the role gets 403, not a
400 describing the schema.
"""

from __future__ import annotations

from typing import Any

from catalogue_schemas.lti_tools import (
    ToolRegistrationChangesSchema,
    ToolRegistrationInSchema,
    ToolRegistrationListArgs,
    ToolRegistrationListSchema,
    ToolRegistrationSchema,
)
from hub.auth import current_principal, require_roles
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.principal import Principal, Role
from lti import tools

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

blueprint = HubBlueprint("lti_tools", __name__, url_prefix="/lti/tools",
                         description="Providers' LTI 1.3 tools that the hub launches as a "
                                     "platform (admin, or a provider's lti-manager).")


def _caller() -> Principal:
    principal = current_principal(required=True)
    assert principal is not None
    return principal


def _shown(tool: dict[str, Any]) -> dict[str, Any]:
    return tools.shown(get_config().public_url, tool)


@blueprint.route("", methods=["POST"])
@require_roles(Role.LTI_MANAGER)
@blueprint.arguments(ToolRegistrationInSchema)
@blueprint.response(201, ToolRegistrationSchema)
@blueprint.doc(**SECURED)
def post_tool(body: dict[str, Any]) -> Any:
    """Register a provider's tool; the hub generates its client id."""
    tool = tools.register_tool(get_store(), _caller(), body)
    return _shown(tool), 201, {"Location": f"/lti/tools/{tool['id']}"}


@blueprint.route("", methods=["GET"])
@require_roles(Role.LTI_MANAGER)
@blueprint.arguments(ToolRegistrationListArgs, location="query")
@blueprint.response(200, ToolRegistrationListSchema)
@blueprint.doc(**SECURED)
def get_tools(args: dict[str, Any]) -> Any:
    """The caller's organisation's tools (an admin's: every provider's, or ``org_id``'s)."""
    found = tools.list_tools(get_store(), _caller(), args["org_id"])
    return {"items": [_shown(t) for t in found]}


@blueprint.route("/<tool_id>", methods=["GET"])
@require_roles(Role.LTI_MANAGER)
@blueprint.response(200, ToolRegistrationSchema)
@blueprint.doc(**SECURED)
def get_tool(tool_id: str) -> Any:
    """One registration."""
    return _shown(tools.load_tool(get_store(), _caller(), tool_id))


@blueprint.route("/<tool_id>", methods=["PATCH"])
@require_roles(Role.LTI_MANAGER)
@blueprint.arguments(ToolRegistrationChangesSchema)
@blueprint.response(200, ToolRegistrationSchema)
@blueprint.doc(**SECURED)
def patch_tool(body: dict[str, Any], tool_id: str) -> Any:
    """Change a registration (URLs, keys, scopes, name); its client id never changes."""
    return _shown(tools.update_tool(get_store(), _caller(), tool_id, body))


@blueprint.route("/<tool_id>", methods=["DELETE"])
@require_roles(Role.LTI_MANAGER)
@blueprint.response(204)
@blueprint.doc(**SECURED)
def delete_tool(tool_id: str) -> None:
    """Remove a registration."""
    tools.delete_tool(get_store(), _caller(), tool_id)
