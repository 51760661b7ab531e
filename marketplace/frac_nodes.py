"""The editable FRAC framework's nodes, and who may read and write a framework (DESIGN.md "FRAC").

A framework belongs to one organisation. Its ``curator`` credentials (and ``admin``) create
and edit it; anyone of the organisation reads the working copy; another organisation gets 404
(DESIGN.md "Tenancy") and sees only the published versions (:mod:`marketplace.frac_versions`).

Every node starts ``unverified`` and goes through the two-level review
(:mod:`marketplace.frac_review`); an edit puts it back to ``unverified`` (the published versions
keep what was confirmed). Every write of a node appends an audit event in the same atomic write
(``store.frac.add_nodes`` / ``replace_node``), like the course workflow's.

Shapes are checked by :mod:`catalogue_schemas.frac`; this module checks what needs the store:
the parent's type (theme under area, sub-theme under theme, role under position, activity
under role), the required competencies (sub-themes of the same framework, at a level they
define), the resources (published catalogue courses), and code uniqueness.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from hub.errors import Conflict, NotFound, PermissionDenied, PreconditionFailed, ValidationError
from hub.principal import Principal, Role
from marketplace.frac_model import CODE_PREFIX, PARENT_TYPE
from storage.errors import DuplicateKey
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: Node types that carry a competency area.
TAXONOMY = ("area", "theme", "subtheme")
#: Statuses in which a node may still be edited, reviewed or retired. A level-1 rejection is
#: final and a retired node stays retired (DESIGN.md "FRAC").
LIVE_STATUSES = ("unverified", "verified", "confirmed")
#: Fields a curator writes (everything else is the hub's).
CONTENT_FIELDS = ("code", "name", "description", "parent", "area", "levels", "keywords",
                  "requirements", "resources", "extensions")


# --- who may do what --------------------------------------------------------------------------


def may_read(principal: Principal | None, org_id: str) -> bool:
    """The working framework is its organisation's (any credential of it) and admins'."""
    return principal is not None and principal.acts_for(org_id)


def may_act(principal: Principal, org_id: str, role: str) -> bool:
    """Whether the caller holds ``role`` for organisation ``org_id`` (``admin`` for any)."""
    return principal.acts_for(org_id) and principal.has(role)


def load_framework(store: Store, principal: Principal | None, framework_id: str) -> Document:
    """The working framework, or 404 when absent or of another organisation."""
    framework = store.frac.get_framework(framework_id)
    if framework is None or not may_read(principal, framework["org_id"]):
        raise NotFound(f"no framework {framework_id!r}")
    return framework  # type: ignore[no-any-return]


def load_node(store: Store, principal: Principal, node_id: str) -> tuple[Document, Document]:
    """(node, its framework), or 404 when absent or of another organisation."""
    node = store.frac.get_node(node_id)
    framework = store.frac.get_framework(node["framework"]) if node else None
    if node is None or framework is None or not may_read(principal, framework["org_id"]):
        raise NotFound(f"no node {node_id!r}")
    return node, framework


def check_curator(principal: Principal, org_id: str) -> None:
    """403 unless the caller is a curator of the organisation (or an admin)."""
    if not may_act(principal, org_id, Role.CURATOR):
        raise PermissionDenied("only a curator of the framework's organisation writes it")


def node_event(node: Document, principal: Principal, action: str, source: str | None,
               target: str, comment: str = "", at: str | None = None) -> Document:
    """One audit event of a node (FRAC_PLAN "Node event"): who, when, from, to, why."""
    return {"node": node["id"], "framework": node["framework"], "at": at or utcnow(),
            "by": principal.key, "org_id": principal.org_id, "action": action,
            "from": source, "to": target, "comment": comment}


def etag(node: Document) -> str:
    """The ETag of a working node: its quoted ``revision``."""
    return f'"{node["revision"]}"'


def check_if_match(node: Document, if_match: str | None) -> None:
    """RFC 9110 §13.1.1: when the client sends If-Match, the node must still be the revision it
    read (412 otherwise). Without it the write still cannot lose another one: it is a
    compare-and-set on the revision this request read."""
    if if_match is None or if_match.strip() == "*":
        return
    candidates = [c.strip().removeprefix("W/") for c in if_match.split(",")]
    if etag(node) not in candidates:
        raise PreconditionFailed(f"the node changed (ETag now {etag(node)}); fetch it again",
                                 current_etag=etag(node))


def replace_checked(store: Store, read: Document, updated: Document, event: Document) -> Document:
    """``store.frac.replace_node`` as a compare-and-set on the revision read; 412 when another
    write landed in between, 409 naming ``code`` when the new code was taken meanwhile."""
    try:
        done = store.frac.replace_node(updated, expected_revision=read["revision"], event=event)
    except DuplicateKey:
        raise _code_taken(updated.get("code")) from None
    if not done:
        raise PreconditionFailed("the node changed while this request was applied; fetch it "
                                 "again and retry")
    return store.frac.get_node(read["id"]) or updated  # type: ignore[no-any-return]


# --- nodes ------------------------------------------------------------------------------------


def _code_taken(code: Any) -> Conflict:
    message = f"code {code!r} is already used in this framework"
    return Conflict(f"code: {message}", errors={"code": [message]})


def assign_code(store: Store, framework_id: str, node_type: str, taken: set[str]) -> str:
    """The next free ``PREFIX-n`` of the type (COMAREA-1, ROLE-7, ...) from the framework's
    atomic sequence; a number a curator already used by hand is skipped."""
    prefix = CODE_PREFIX.get(node_type)
    if prefix is None:
        raise ValidationError.for_field("code", f"a {node_type} node needs an explicit code")
    while True:
        code = f"{prefix}-{store.frac.next_code_number(framework_id, prefix)}"
        if code not in taken:
            return code


def _check_parent(node: Document, nodes: dict[str, Document]) -> None:
    """The parent exists in the framework with the type the node's type needs, and the
    node's area is its parent's (themes and sub-themes take their area from above)."""
    wanted = PARENT_TYPE.get(node["type"])
    parent_id = node.get("parent")
    if node["type"] == "other":
        if parent_id is not None and parent_id not in nodes:
            raise ValidationError.for_field("parent", f"no node {parent_id!r} in the framework")
        return
    if wanted is None:
        if parent_id is not None:
            raise ValidationError.for_field("parent", f"a {node['type']} has no parent")
    else:
        parent = nodes.get(parent_id or "")
        if parent is None or parent["type"] != wanted or parent["status"] not in LIVE_STATUSES:
            raise ValidationError.for_field(
                "parent", f"a {node['type']} sits under a {wanted} of the same framework "
                          f"(not rejected or retired); {parent_id!r} is not one")
        if node["type"] in TAXONOMY:
            if node.get("area") not in (None, parent.get("area")):
                raise ValidationError.for_field(
                    "area", f"a {node['type']} has its {wanted}'s area {parent.get('area')!r}")
            node["area"] = parent.get("area")
    if node["type"] == "area" and not node.get("area"):
        raise ValidationError.for_field("area", "an area node names its area (behavioural, "
                                                "functional or domain)")
    if node["type"] not in TAXONOMY and node.get("area") is not None:
        raise ValidationError.for_field("area", f"a {node['type']} has no competency area")


def _check_fields_of_type(node: Document) -> None:
    """Levels belong to sub-themes, requirements to roles, resources to activities."""
    for name, owner in (("levels", "subtheme"), ("requirements", "role"),
                        ("resources", "activity")):
        if node.get(name) and node["type"] not in (owner, "other"):
            raise ValidationError.for_field(name, f"only a {owner} has {name}")


def _check_requirements(node: Document, nodes: dict[str, Document]) -> None:
    """Each requirement names a live sub-theme of the framework, once, at a level it defines."""
    seen: set[str] = set()
    for i, req in enumerate(node.get("requirements") or []):
        target = nodes.get(req["competency"])
        if target is None or target["type"] != "subtheme" \
                or target["status"] not in LIVE_STATUSES:
            raise ValidationError.for_field(
                f"requirements.{i}.competency",
                f"{req['competency']!r} is not a sub-theme of this framework")
        if req["competency"] in seen:
            raise ValidationError.for_field(f"requirements.{i}.competency",
                                            "the competency is required twice")
        seen.add(req["competency"])
        if str(req["level"]) not in (target.get("levels") or {}):
            raise ValidationError.for_field(
                f"requirements.{i}.level",
                f"{target.get('code')} defines levels {sorted(target.get('levels') or {})}, "
                f"not {req['level']}")


def _check_resources(store: Store, node: Document) -> None:
    """A course resource is a course of the public catalogue (published, with a live version)."""
    for i, resource in enumerate(node.get("resources") or []):
        if "course" in resource:
            course = store.courses.get(resource["course"])
            if course is None or not course.get("live"):
                raise ValidationError.for_field(
                    f"resources.{i}.course",
                    f"{resource['course']!r} is not a published catalogue course")


def check_node(store: Store, node: Document, nodes: dict[str, Document]) -> None:
    """Every rule of a node that needs its framework (``nodes``: id -> node) or the store."""
    _check_fields_of_type(node)
    _check_parent(node, nodes)
    _check_requirements(node, nodes)
    _check_resources(store, node)


def create_node(store: Store, principal: Principal, framework_id: str,
                body: Document) -> Document:
    """``POST /frac/frameworks/<fid>/nodes``: a new ``unverified`` node and its ``created``
    event, written together; the code is assigned when the body has none."""
    framework = load_framework(store, principal, framework_id)
    check_curator(principal, framework["org_id"])
    existing = store.frac.list_nodes(framework_id)
    nodes = {n["id"]: n for n in existing}
    now = utcnow()
    node: Document = {
        "id": str(uuid.uuid4()), "framework": framework_id, "type": body["type"],
        "code": body.get("code"), "name": body["name"],
        "description": body.get("description") or {}, "parent": body.get("parent"),
        "status": "unverified", "revision": 1, "created_at": now, "updated_at": now,
        "extensions": body.get("extensions") or {},
    }
    for name in ("area", "levels", "keywords", "requirements", "resources"):
        if body.get(name) is not None:
            node[name] = body[name]
    check_node(store, node, nodes)
    taken = {n["code"] for n in existing if n.get("code")}
    if node["code"] is None:
        node["code"] = assign_code(store, framework_id, node["type"], taken)
    elif node["code"] in taken:
        raise _code_taken(node["code"])
    try:
        store.frac.add_nodes([node], [node_event(node, principal, "created", None,
                                                 "unverified", at=now)])
    except DuplicateKey:  # another request took the code between our read and our write
        raise _code_taken(node["code"]) from None
    return node


def _check_stays_consistent(node: Document, updated: Document,
                            existing: list[Document]) -> None:
    """An edit must not break the nodes that point at it: the area of a taxonomy node is
    fixed (its themes and sub-themes carry it: a move stays within the area), and a sub-theme
    keeps every level a live role requires of it."""
    if node["type"] in TAXONOMY and updated.get("area") != node.get("area"):
        field = "area" if node["type"] == "area" else "parent"
        raise ValidationError.for_field(field, f"the {node['type']} stays in the "
                                               f"{node.get('area')} area")
    if node["type"] != "subtheme":
        return
    levels = updated.get("levels") or {}
    for other in existing:
        if other["type"] != "role" or other["status"] not in LIVE_STATUSES:
            continue
        for req in other.get("requirements") or []:
            if req["competency"] == node["id"] and str(req["level"]) not in levels:
                raise ValidationError.for_field(
                    "levels", f"role {other.get('code')} requires level {req['level']}")


def update_node(store: Store, principal: Principal, node_id: str, changes: Document,
                if_match: str | None) -> Document:
    """``PATCH /frac/nodes/<id>``: change some fields. The node goes back to ``unverified``
    (the change has not been reviewed; published versions keep the confirmed text). A change
    that changes nothing writes nothing."""
    node, framework = load_node(store, principal, node_id)
    check_curator(principal, framework["org_id"])
    check_if_match(node, if_match)
    if node["status"] not in LIVE_STATUSES:
        raise Conflict(f"status: a {node['status']} node cannot be edited",
                       errors={"status": [f"a {node['status']} node cannot be edited"]})
    updated = copy.deepcopy(node)
    updated.update({k: v for k, v in changes.items() if k in CONTENT_FIELDS})
    if updated.get("code") is None:
        updated["code"] = node.get("code")
    if all(updated.get(k) == node.get(k) for k in CONTENT_FIELDS):
        return node
    existing = store.frac.list_nodes(node["framework"])
    nodes = {n["id"]: n for n in existing}
    nodes[node_id] = updated
    check_node(store, updated, nodes)
    _check_stays_consistent(node, updated, existing)
    if updated["code"] != node.get("code") and any(
            n.get("code") == updated["code"] for n in existing if n["id"] != node_id):
        raise _code_taken(updated["code"])
    now = utcnow()
    updated.update(status="unverified", updated_at=now)
    event = node_event(node, principal, "updated", node["status"], "unverified", at=now)
    return replace_checked(store, node, updated, event)


def retire_node(store: Store, principal: Principal, node_id: str, comment: str) -> Document:
    """``POST /frac/nodes/<id>/retire``: the node leaves the next published version (which
    lists it under ``retired``). 409 while live nodes sit under it or a live role requires it:
    they would silently fall out of the framework."""
    node, framework = load_node(store, principal, node_id)
    check_curator(principal, framework["org_id"])
    if node["status"] not in LIVE_STATUSES:
        raise Conflict(f"status: a {node['status']} node cannot be retired",
                       errors={"status": [f"a {node['status']} node cannot be retired"]})
    live = store.frac.list_nodes(node["framework"], statuses=LIVE_STATUSES)
    children = [n["code"] or n["id"] for n in live if n.get("parent") == node_id]
    if children:
        raise Conflict(f"retire or move its children first: {', '.join(children)}",
                       errors={"children": children})
    roles = [n["code"] or n["id"] for n in live if n["type"] == "role" and any(
        r["competency"] == node_id for r in n.get("requirements") or [])]
    if roles:
        raise Conflict(f"roles still require it: {', '.join(roles)}", errors={"roles": roles})
    now = utcnow()
    updated = {**copy.deepcopy(node), "status": "retired", "updated_at": now}
    event = node_event(node, principal, "retired", node["status"], "retired", comment, now)
    return replace_checked(store, node, updated, event)


def list_nodes(store: Store, principal: Principal, framework_id: str,
               types: list[str], statuses: list[str]) -> Document:
    """``GET /frac/frameworks/<fid>/nodes``: the working nodes in code order."""
    load_framework(store, principal, framework_id)
    return {"items": store.frac.list_nodes(framework_id, types=tuple(types) or None,
                                           statuses=tuple(statuses) or None)}


def node_events(store: Store, principal: Principal, node_id: str) -> Document:
    """``GET /frac/nodes/<id>/events``: the node's audit trail, oldest first."""
    load_node(store, principal, node_id)
    return {"items": store.frac.list_node_events(node_id)}
