"""The platform administrators' API (role ``admin``) and ``GET /me`` (any credential).

Admins create organisations and hand out credentials; the secret of a new credential is in the
201 response only (its hash is stored), so listings never carry secrets or hashes. The service
functions below take the store (a port) and are what the views call; the CLI's ``hub org`` and
``hub credential`` commands go through the same :mod:`hub.auth` functions.

``require_roles`` sits right under ``route`` so that it wraps the argument parsing: a caller
without the role gets 401/403, not a 400 that would describe the admin schema to them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from catalogue_schemas.organisation import (
    CredentialInSchema,
    CredentialListSchema,
    MeSchema,
    NewCredentialSchema,
    OrganisationInSchema,
    OrganisationListArgs,
    OrganisationListSchema,
    OrganisationSchema,
)
from hub.auth import create_credential, create_organisation, current_principal, require_roles
from hub.context import get_store
from hub.docs import HubBlueprint
from hub.errors import Conflict, NotFound
from hub.principal import Role
from storage.errors import LastAdminCredential
from storage.ports import Store

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

admin = HubBlueprint("admin", __name__, url_prefix="/admin",
                  description="Organisations and credentials (platform admins, role admin).")
me = HubBlueprint("me", __name__, url_prefix="", description="Who the caller is (any credential).")


# --- service ----------------------------------------------------------------------------------


def get_organisation(store: Store, org_id: str) -> dict[str, Any]:
    """The organisation, or ``NotFound``."""
    org = store.organisations.get(org_id)
    if org is None:
        raise NotFound(f"no organisation {org_id!r}")
    return dict(org)


def list_organisations(store: Store, kind: str | None) -> dict[str, Any]:
    """Every organisation (of ``kind`` when given), ordered by name."""
    return {"items": store.organisations.list(kind)}


def issue_credential(store: Store, org_id: str, roles: list[str],
                     label: str | None) -> dict[str, Any]:
    """A new credential of an existing organisation (``NotFound`` otherwise), with its secret."""
    get_organisation(store, org_id)
    created = create_credential(store, org_id, roles, label=label)
    stored = store.credentials.get(created["key"]) or {}
    return {**public_credential(stored), "secret": created["secret"]}


def public_credential(credential: dict[str, Any]) -> dict[str, Any]:
    """A credential without its secret hash (the listing form)."""
    return {k: v for k, v in credential.items() if k != "secret_hash"}


def list_credentials(store: Store, org_id: str) -> dict[str, Any]:
    """The credentials of an organisation (``NotFound`` when it does not exist)."""
    get_organisation(store, org_id)
    return {"items": [public_credential(c) for c in store.credentials.list_for_org(org_id)]}


def revoke_credential(store: Store, key: str) -> None:
    """Revoke a credential at once (its next request is 401); ``NotFound`` for an unknown key.

    409 when it is the platform's last active admin credential (the caller's own included):
    nobody could then administer the platform through the API. The store checks and revokes
    in one atomic step, so two admins revoking each other at once leave one of them."""
    try:
        revoked = store.credentials.revoke(key, keep_last_admin=True)
    except LastAdminCredential:
        raise Conflict(f"credential {key!r} is the last active admin credential; issue "
                       "another admin credential before revoking it") from None
    if not revoked:
        raise NotFound(f"no credential {key!r}")


def whoami(store: Store) -> dict[str, Any]:
    """The caller's credential key, roles and organisation."""
    principal = current_principal(required=True)
    assert principal is not None
    return {"key": principal.key, "roles": sorted(principal.roles),
            "organisation": get_organisation(store, principal.org_id)}


# --- routes -----------------------------------------------------------------------------------


@admin.route("/organisations", methods=["POST"])
@require_roles(Role.ADMIN)
@admin.arguments(OrganisationInSchema)
@admin.response(201, OrganisationSchema)
@admin.doc(**SECURED)
def post_organisation(body: dict[str, Any]) -> Any:
    """Create an organisation (409 when the name is taken)."""
    org = create_organisation(get_store(), body["name"], body["kind"], country=body["country"],
                              contact=body["contact"])
    return org, 201, {"Location": f"/admin/organisations/{org['id']}"}


@admin.route("/organisations", methods=["GET"])
@require_roles(Role.ADMIN)
@admin.arguments(OrganisationListArgs, location="query")
@admin.response(200, OrganisationListSchema)
@admin.doc(**SECURED)
def get_organisations(args: dict[str, Any]) -> Any:
    """Every organisation, ordered by name (``?kind=provider`` for one kind)."""
    return list_organisations(get_store(), args["kind"])


@admin.route("/organisations/<org_id>", methods=["GET"])
@require_roles(Role.ADMIN)
@admin.response(200, OrganisationSchema)
@admin.doc(**SECURED)
def get_one_organisation(org_id: str) -> Any:
    """One organisation."""
    return get_organisation(get_store(), org_id)


@admin.route("/organisations/<org_id>/credentials", methods=["POST"])
@require_roles(Role.ADMIN)
@admin.arguments(CredentialInSchema)
@admin.response(201, NewCredentialSchema)
@admin.doc(**SECURED)
def post_credential(body: dict[str, Any], org_id: str) -> Any:
    """Issue a credential; the response is the only place its secret ever appears."""
    return issue_credential(get_store(), org_id, body["roles"], body["label"])


@admin.route("/organisations/<org_id>/credentials", methods=["GET"])
@require_roles(Role.ADMIN)
@admin.response(200, CredentialListSchema)
@admin.doc(**SECURED)
def get_credentials(org_id: str) -> Any:
    """The organisation's credentials, revoked ones included; never secrets or hashes."""
    return list_credentials(get_store(), org_id)


@admin.route("/credentials/<key>", methods=["DELETE"])
@require_roles(Role.ADMIN)
@admin.response(204)
@admin.doc(**SECURED)
def delete_credential(key: str) -> None:
    """Revoke a credential; it stops working on its next request (409 for the last admin)."""
    revoke_credential(get_store(), key)


@me.route("/me", methods=["GET"])
@me.response(200, MeSchema)
@me.doc(**SECURED)
def get_me() -> Any:
    """The caller's organisation and roles."""
    return whoami(get_store())


def init_app(app: Flask) -> None:
    """Register the admin and ``/me`` blueprints on the app's flask-smorest ``Api``."""
    api = app.extensions["hub.api"]
    api.register_blueprint(admin)
    api.register_blueprint(me)
