"""``/lti/platforms``: the JSON API of the LMSes registered to launch the hub (documented in
``/openapi.json``). ``admin`` manages every organisation's; an ``lti-manager`` of an ``lms``
organisation its own (another organisation's registration answers 404).

- ``POST /lti/platforms`` registers an LMS by hand (what the LMS shows its administrator when
  the hub is added as an LTI 1.3 tool); ``GET`` lists, ``GET|PATCH|DELETE /lti/platforms/<id>``;
- ``POST /lti/platforms/registration-links`` mints a one-time Dynamic Registration link
  (:mod:`lti.dynamic_registration`).

Every answer carries ``tool``: the hub's URLs to enter in the LMS.
"""

from __future__ import annotations

from typing import Any

from catalogue_schemas.lti_platforms import (
    PlatformRegistrationInSchema,
    PlatformRegistrationListSchema,
    PlatformRegistrationPatchSchema,
    PlatformRegistrationSchema,
    RegistrationLinkInSchema,
    RegistrationLinkSchema,
)
from hub.auth import current_principal, require_roles
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.principal import Principal, Role
from lti.dynamic_registration import mint_link
from lti.platform_registrations import (
    delete_platform,
    get_platform,
    list_platforms,
    register_platform,
    tool_endpoints,
    update_platform,
)

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

blueprint = HubBlueprint("lti_platforms", __name__, url_prefix="/lti/platforms",
                         description="LMSes (LTI 1.3 platforms) registered to launch the hub "
                         "(admin, or lti-manager of an lms organisation).")


def _caller() -> Principal:
    principal = current_principal()
    assert principal is not None  # require_roles authenticated the request
    return principal


def _shown(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "tool": tool_endpoints(get_config().public_url)}


@blueprint.route("", methods=["POST"])
@require_roles(Role.LTI_MANAGER)
@blueprint.arguments(PlatformRegistrationInSchema)
@blueprint.response(201, PlatformRegistrationSchema)
@blueprint.doc(**SECURED)
def post_platform(body: dict[str, Any]) -> Any:
    """Register an LMS (409 when its issuer and client id are registered already)."""
    doc = register_platform(get_store(), _caller(), body)
    return _shown(doc), 201, {"Location": f"/lti/platforms/{doc['id']}"}


@blueprint.route("", methods=["GET"])
@require_roles(Role.LTI_MANAGER)
@blueprint.response(200, PlatformRegistrationListSchema)
@blueprint.doc(**SECURED)
def get_platforms() -> Any:
    """The caller's organisation's LMS registrations (every one for an admin)."""
    return {"items": [_shown(d) for d in list_platforms(get_store(), _caller())],
            "tool": tool_endpoints(get_config().public_url)}


@blueprint.route("/<registration_id>", methods=["GET"])
@require_roles(Role.LTI_MANAGER)
@blueprint.response(200, PlatformRegistrationSchema)
@blueprint.doc(**SECURED)
def get_one_platform(registration_id: str) -> Any:
    """One LMS registration."""
    return _shown(get_platform(get_store(), _caller(), registration_id))


@blueprint.route("/<registration_id>", methods=["PATCH"])
@require_roles(Role.LTI_MANAGER)
@blueprint.arguments(PlatformRegistrationPatchSchema(partial=True))
@blueprint.response(200, PlatformRegistrationSchema)
@blueprint.doc(**SECURED)
def patch_platform(body: dict[str, Any], registration_id: str) -> Any:
    """Change an LMS registration (e.g. add a deployment id)."""
    return _shown(update_platform(get_store(), _caller(), registration_id, body))


@blueprint.route("/<registration_id>", methods=["DELETE"])
@require_roles(Role.LTI_MANAGER)
@blueprint.response(204)
@blueprint.doc(**SECURED)
def delete_one_platform(registration_id: str) -> None:
    """Remove an LMS registration: that LMS can no longer launch the hub."""
    delete_platform(get_store(), _caller(), registration_id)


@blueprint.route("/registration-links", methods=["POST"])
@require_roles(Role.LTI_MANAGER)
@blueprint.arguments(RegistrationLinkInSchema)
@blueprint.response(201, RegistrationLinkSchema)
@blueprint.doc(**SECURED)
def post_registration_link(body: dict[str, Any]) -> Any:
    """A one-time LTI Dynamic Registration link for an lms organisation, valid one day."""
    return mint_link(get_store(), _caller(), get_config().public_url, body["org_id"],
                     body["name"])
