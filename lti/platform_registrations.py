"""The LMSes registered to launch the hub (the tool side's platform registrations): the rules
of ``/lti/platforms`` and of Dynamic Registration, on ``store.lti_platforms``.

An LMS is registered by its ``lms`` organisation (credential role ``lti-manager``) or by an
``admin`` for any ``lms`` organisation. ``(issuer, client_id)`` names one registration
(LTI 1.3 §5.1.2); the same LMS may hold several client ids (one per site or tenant).
Another organisation's registration answers 404, as if it did not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from hub.errors import Conflict, NotFound, PermissionDenied
from hub.principal import OrgKind, Principal
from lti import links
from storage.errors import DuplicateKey
from storage.ports import Store
from storage.timestamps import utcnow

#: Fields a caller may set; the rest (id, org, created) are the hub's.
FIELDS = ("issuer", "client_id", "deployment_ids", "auth_login_url", "auth_token_url",
          "key_set_url", "name")


def tool_endpoints(public_url: str) -> dict[str, str]:
    """What an LMS administrator enters when registering the hub by hand (LTI 1.3 §5.1.1,
    §6.1): login initiation URL, redirect (launch) URL, JWKS URL, and the Dynamic Registration
    URL for LMSes that support it."""
    return {"login_url": links.tool_login_url(public_url),
            "launch_url": links.tool_launch_url(public_url),
            "jwks_url": links.jwks_url(public_url),
            "registration_url": links.tool_registration_url(public_url)}


def owning_org(store: Store, principal: Principal, org_id: str | None) -> str:
    """The ``lms`` organisation a new registration belongs to: the caller's own, or any named
    one for an ``admin``. A platform registration belongs to an LMS (DESIGN.md, "Tenancy")."""
    if org_id is None or org_id == principal.org_id:
        org_id = principal.org_id
    elif not principal.acts_for_every_organisation():
        raise NotFound(f"no organisation {org_id!r}")
    org = store.organisations.get(org_id)
    if org is None:
        raise NotFound(f"no organisation {org_id!r}")
    if org.get("kind") != OrgKind.LMS:
        raise PermissionDenied(f"organisation {org_id!r} is not an lms organisation: only an "
                               "LMS registers the hub as a tool", errors={
                                   "org_id": ["must be an lms organisation"]})
    return org_id


def _unique(fn: Any) -> Any:
    try:
        return fn()
    except DuplicateKey:
        raise Conflict("this issuer and client_id are already registered", errors={
            "client_id": ["already registered for this issuer"]}) from None


def register_platform(store: Store, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """Store a new registration for the caller's (or, for an admin, the named) ``lms``
    organisation; 409 when ``(issuer, client_id)`` is taken."""
    org_id = owning_org(store, principal, data.get("org_id"))
    return add_registration(store, org_id, data, created_by=principal.key)


def add_registration(store: Store, org_id: str, data: dict[str, Any],
                     created_by: str) -> dict[str, Any]:
    """Store a registration of ``org_id`` (API, Dynamic Registration, demo data)."""
    deployments = list(dict.fromkeys(data.get("deployment_ids") or ()))
    doc = {"id": f"plt_{uuid.uuid4().hex[:16]}", "org_id": org_id,
           **{k: data.get(k) for k in FIELDS}, "deployment_ids": deployments,
           "created_at": utcnow(), "created_by": created_by}
    doc["name"] = doc["name"] or doc["issuer"]
    _unique(lambda: store.lti_platforms.add(doc))
    return doc


def get_platform(store: Store, principal: Principal, registration_id: str) -> dict[str, Any]:
    """One registration the caller may see (its organisation's; any for an admin)."""
    doc = store.lti_platforms.get(registration_id)
    if doc is None or not principal.acts_for(doc["org_id"]):
        raise NotFound(f"no platform registration {registration_id!r}")
    return doc


def list_platforms(store: Store, principal: Principal) -> list[dict[str, Any]]:
    """The caller's organisation's registrations (every one for an admin)."""
    scope = None if principal.acts_for_every_organisation() else principal.org_id
    return store.lti_platforms.list(scope)


def update_platform(store: Store, principal: Principal, registration_id: str,
                    changes: dict[str, Any]) -> dict[str, Any]:
    """Change the registration's fields (not its organisation); 409 on an
    ``(issuer, client_id)`` clash."""
    get_platform(store, principal, registration_id)
    fields = {k: v for k, v in changes.items() if k in FIELDS}
    if "deployment_ids" in fields:
        fields["deployment_ids"] = list(dict.fromkeys(fields["deployment_ids"]))
    if not _unique(lambda: store.lti_platforms.update(registration_id, fields)):
        raise NotFound(f"no platform registration {registration_id!r}")
    return get_platform(store, principal, registration_id)


def delete_platform(store: Store, principal: Principal, registration_id: str) -> None:
    """Remove a registration: its LMS can no longer launch the hub."""
    get_platform(store, principal, registration_id)
    store.lti_platforms.delete(registration_id)

