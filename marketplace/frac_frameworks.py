"""FRAC frameworks: create, change, and read them (DESIGN.md "FRAC").

A framework belongs to one organisation: its curators (and admins) create and change it, anyone
of the organisation reads the working copy; everyone else (no credential needed) sees the
frameworks that have a published version, as the summary of their latest version, and
nothing of the others (404, DESIGN.md "Tenancy").
"""

from __future__ import annotations

import uuid

from hub.errors import NotFound
from hub.principal import Principal
from marketplace.frac_nodes import check_curator, load_framework, may_read
from storage.ports import Document, Store
from storage.timestamps import utcnow


def create_framework(store: Store, principal: Principal, body: Document) -> Document:
    """``POST /frac/frameworks``: a new, empty framework of the caller's organisation."""
    check_curator(principal, principal.org_id)
    now = utcnow()
    framework = {"id": str(uuid.uuid4()), "org_id": principal.org_id, "title": body["title"],
                 "description": body.get("description") or {}, "creator": principal.key,
                 "created_at": now, "updated_at": now,
                 "extensions": body.get("extensions") or {}}
    store.frac.add_framework(framework)
    return {**framework, "latest_version": None}


def update_framework(store: Store, principal: Principal, framework_id: str,
                     changes: Document) -> Document:
    """``PATCH /frac/frameworks/<fid>``: title, description or extensions (the next published
    version carries them)."""
    framework = load_framework(store, principal, framework_id)
    check_curator(principal, framework["org_id"])
    updated = store.frac.update_framework(framework_id, {**changes, "updated_at": utcnow()})
    if updated is None:
        raise NotFound(f"no framework {framework_id!r}")
    return with_latest(store, updated)


def with_latest(store: Store, framework: Document) -> Document:
    """The framework with the number of its latest published version (None before one)."""
    return {**framework, "latest_version": store.frac.latest_version_numbers().get(
        framework["id"])}


def public_framework(store: Store, framework_id: str, number: int) -> Document:
    """What another organisation (or anyone) sees of a framework: its latest version's
    title and description, not the working copy."""
    summary = next((v for v in store.frac.list_versions(framework_id) if v["number"] == number),
                   None) or {}
    framework = store.frac.get_framework(framework_id) or {}
    return {"id": framework_id, "org_id": framework.get("org_id", ""),
            "title": summary.get("title") or {}, "description": summary.get("description") or {},
            "extensions": summary.get("extensions") or {},
            "created_at": framework.get("created_at", ""), "latest_version": number}


def get_framework(store: Store, principal: Principal | None, framework_id: str) -> Document:
    """``GET /frac/frameworks/<fid>``: the working framework for its organisation, the
    published summary for everyone else, 404 when neither."""
    framework = store.frac.get_framework(framework_id)
    if framework is not None and may_read(principal, framework["org_id"]):
        return with_latest(store, framework)
    number = store.frac.latest_version_numbers().get(framework_id)
    if framework is None or number is None:
        raise NotFound(f"no framework {framework_id!r}")
    return public_framework(store, framework_id, number)


def list_frameworks(store: Store, principal: Principal | None) -> Document:
    """``GET /frac/frameworks``: the caller's organisation's frameworks (every one for an
    admin), then every other published one as its public summary."""
    latest = store.frac.latest_version_numbers()
    own: list[Document] = []
    if principal is not None:
        org = None if principal.acts_for_every_organisation() else principal.org_id
        own = [{**f, "latest_version": latest.get(f["id"])}
               for f in store.frac.list_frameworks(org)]
    seen = {f["id"] for f in own}
    others = [public_framework(store, fid, number) for fid, number in sorted(latest.items())
              if fid not in seen]
    return {"items": own + others}
