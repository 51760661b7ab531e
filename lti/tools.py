"""Tool registrations of the platform side: a provider's LTI 1.3 tools that the hub launches.

A provider organisation's ``lti-manager`` registers, changes and removes its own tools; an
``admin`` manages any provider's. Another organisation's registration is *not found* (404), as
everywhere in the hub (DESIGN.md, "Tenancy"). The hub generates the ``client_id`` (LTI 1.3
§5.1.1: the platform issues it) and, unless the provider names one, the ``deployment_id``
(§3.1.3). Each registration is shown with the ``platform`` values the provider enters on its
tool's side: the hub's issuer, client id, deployment id, authorization, token and JWKS URLs.
"""

from __future__ import annotations

import uuid

from catalogue_schemas.lti_tools import key_source_problem
from hub.errors import NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from lti import links
from storage.ports import Document, Store
from storage.timestamps import utcnow


def platform_values(public_url: str, tool: Document) -> Document:
    """What the tool's side is configured with (LTI 1.3 §5.1.1; Security Framework §6)."""
    return {"issuer": public_url, "client_id": tool["client_id"],
            "deployment_id": tool["deployment_id"],
            "authorization_url": links.platform_authorize_url(public_url),
            "token_url": links.platform_token_url(public_url),
            "jwks_url": links.jwks_url(public_url),
            "deep_link_return_url": links.platform_deep_link_return_url(public_url)}


def shown(public_url: str, tool: Document) -> Document:
    """A registration as the API shows it."""
    return {**tool, "platform": platform_values(public_url, tool)}


def _check_manager(principal: Principal) -> None:
    """403 unless the caller manages LTI for a provider organisation (or is an admin)."""
    if principal.acts_for_every_organisation():
        return
    if not (principal.has(Role.LTI_MANAGER) and principal.is_kind(OrgKind.PROVIDER)):
        raise PermissionDenied("only an lti-manager of a provider organisation manages its "
                               "tools")


def _owner(store: Store, principal: Principal, org_id: str | None) -> str:
    """The provider organisation a new registration belongs to."""
    owner = org_id or principal.org_id
    if not principal.acts_for(owner):
        raise PermissionDenied("an lti-manager registers tools of its own organisation")
    org = store.organisations.get(owner)
    if org is None or org["kind"] != OrgKind.PROVIDER:
        raise ValidationError.for_field("org_id", f"no provider organisation {owner!r}")
    return owner


def register_tool(store: Store, principal: Principal, data: Document) -> Document:
    """``POST /lti/tools``: a new registration, ``data`` loaded by the route's schema."""
    _check_manager(principal)
    now = utcnow()
    tool: Document = {
        "id": "tool_" + uuid.uuid4().hex[:16],
        "org_id": _owner(store, principal, data.get("org_id")),
        "name": data["name"].strip(),
        # Unguessable, so a tool's client id says nothing about the others (LTI 1.3 §5.1.1).
        "client_id": "hub-" + uuid.uuid4().hex,
        "initiate_login_url": data["initiate_login_url"],
        "redirect_uris": list(dict.fromkeys(data["redirect_uris"])),
        "key_set_url": data.get("key_set_url"),
        "public_jwk": data.get("public_jwk"),
        "deployment_id": data.get("deployment_id") or "dep-" + uuid.uuid4().hex[:12],
        "scopes": sorted(set(data.get("scopes") or ())),
        "target_link_uri": data.get("target_link_uri"),
        "deep_linking_url": data.get("deep_linking_url"),
        "created_at": now,
        "created_by": principal.key,
        "updated_at": None,
    }
    store.lti_tools.add(tool)
    return tool


def load_tool(store: Store, principal: Principal, tool_id: str) -> Document:
    """The registration if the caller may manage it, else 404 (another provider's too)."""
    _check_manager(principal)
    tool = store.lti_tools.get(tool_id)
    if tool is None or not principal.acts_for(tool["org_id"]):
        raise NotFound(f"no tool registration {tool_id!r}")
    return tool  # type: ignore[no-any-return]


def list_tools(store: Store, principal: Principal, org_id: str | None) -> list[Document]:
    """The caller's organisation's registrations; an admin's: all, or ``org_id``'s."""
    _check_manager(principal)
    if principal.acts_for_every_organisation():
        return store.lti_tools.list(org_id)  # type: ignore[no-any-return]
    if org_id not in (None, principal.org_id):
        return []  # another tenant's list: empty, not an error
    return store.lti_tools.list(principal.org_id)  # type: ignore[no-any-return]


def update_tool(store: Store, principal: Principal, tool_id: str, changes: Document) -> Document:
    """``PATCH /lti/tools/<id>``: change the given fields; the key source stays exactly one of
    a JWKS URL and a public key (Security Framework §6)."""
    tool = load_tool(store, principal, tool_id)
    if "org_id" in changes and changes["org_id"] not in (None, tool["org_id"]):
        raise ValidationError.for_field("org_id", "a registration stays with its organisation")
    fields = {k: v for k, v in changes.items() if k != "org_id"}
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    if "redirect_uris" in fields:
        fields["redirect_uris"] = list(dict.fromkeys(fields["redirect_uris"]))
    if "scopes" in fields:
        fields["scopes"] = sorted(set(fields["scopes"] or ()))
    if fields.get("deployment_id", "") is None:
        fields.pop("deployment_id")  # the deployment id is never unset
    merged = {**tool, **fields}
    problem = key_source_problem(merged)
    if problem:
        raise ValidationError.for_field("key_set_url", problem)
    fields["updated_at"] = utcnow()
    updated = store.lti_tools.update(tool_id, fields)
    if updated is None:  # removed between the read and the write
        raise NotFound(f"no tool registration {tool_id!r}")
    return updated  # type: ignore[no-any-return]


def delete_tool(store: Store, principal: Principal, tool_id: str) -> None:
    """``DELETE /lti/tools/<id>``: courses naming the tool keep naming it; their launches
    answer 404 until the provider names another tool."""
    load_tool(store, principal, tool_id)
    store.lti_tools.delete(tool_id)
