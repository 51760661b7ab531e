"""Publishing a FRAC framework as immutable versions (issue 10 "Versions").

A version is a snapshot of the confirmed framework: every confirmed node whose parent chain is
confirmed, as it is now, without its ``revision``. A node under review again after an edit
(``unverified`` or ``verified``, DESIGN.md "FRAC") keeps the text it had in the previous
version, so a pending typo fix does not take a competency out of the framework; a retired or
rejected node leaves, and the new version lists the nodes of the previous one it no longer has
under ``retired`` (so that course tags to them can be reported, not dropped).

Versions are public: anyone reads them, and only ``frac-approver`` (or ``admin``) of the
framework's organisation publishes.
"""

from __future__ import annotations

from typing import Any

from hub.errors import Conflict, NotFound, PermissionDenied
from hub.principal import Principal, Role
from marketplace.frac_nodes import load_framework, may_act, may_read
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: Working statuses whose node a new version takes from the previous version instead.
UNDER_REVIEW = ("unverified", "verified")


def _candidates(working: list[Document], previous: Document | None) -> dict[str, Document]:
    """id -> the copy a new version would carry: the confirmed working node, or the previous
    version's copy of a node under review again."""
    before = {n["id"]: n for n in (previous or {}).get("nodes") or []}
    chosen: dict[str, Document] = {}
    for node in working:
        if node["status"] == "confirmed":
            chosen[node["id"]] = {k: v for k, v in node.items() if k != "revision"}
        elif node["status"] in UNDER_REVIEW and node["id"] in before:
            chosen[node["id"]] = before[node["id"]]
    return chosen


def _rooted(chosen: dict[str, Document]) -> list[str]:
    """Ids of the candidates whose whole parent chain is in the version (in input order)."""
    verdict: dict[str, bool] = {}

    def ok(node_id: str, depth: int = 0) -> bool:
        if node_id in verdict:
            return verdict[node_id]
        node = chosen.get(node_id)
        parent = node.get("parent") if node else None
        result = node is not None and depth < 50 and (parent is None or ok(parent, depth + 1))
        verdict[node_id] = result
        return result

    return [node_id for node_id in chosen if ok(node_id)]


def _dangling(nodes: list[Document]) -> list[str]:
    """Requirements of roles naming a competency (or level) the version does not have."""
    by_id = {n["id"]: n for n in nodes}
    problems = []
    for node in nodes:
        for req in node.get("requirements") or []:
            target = by_id.get(req["competency"])
            if target is None or str(req["level"]) not in (target.get("levels") or {}):
                problems.append(f"{node.get('code')} requires {req['competency']} at level "
                                f"{req['level']}, which this version would not have")
    return problems


def _by_id(nodes: list[Document]) -> dict[str, Document]:
    return {n["id"]: n for n in nodes}


def _endpoint(value: Any) -> str:
    """The node an association's origin or destination names (an id, or a CASE link)."""
    if isinstance(value, dict):
        return str(value.get("identifier") or value.get("id") or "")
    return str(value)


def publish(store: Store, principal: Principal, framework_id: str) -> Document:
    """``POST /frac/frameworks/<fid>/versions``: publish the next version.

    403 without ``frac-approver``; 409 when nothing is confirmed, when the result would equal
    the latest version, or when a confirmed role requires a competency the version lacks."""
    framework = load_framework(store, principal, framework_id)
    if not may_act(principal, framework["org_id"], Role.FRAC_APPROVER):
        raise PermissionDenied("publishing needs the frac-approver role")
    previous = store.frac.get_version(framework_id)
    chosen = _candidates(store.frac.list_nodes(framework_id), previous)
    nodes = [chosen[node_id] for node_id in _rooted(chosen)]
    if not nodes:
        raise Conflict("nothing to publish: no confirmed node with a confirmed parent chain")
    problems = _dangling(nodes)
    if problems:
        raise Conflict("the version would be inconsistent: " + "; ".join(problems[:10]),
                       errors={"requirements": problems})
    kept = {n["id"] for n in nodes}
    retired = [n["id"] for n in (previous or {}).get("nodes") or [] if n["id"] not in kept]
    meta = {"title": framework["title"], "description": framework.get("description") or {},
            "extensions": framework.get("extensions") or {}}
    if previous is not None and _by_id(previous["nodes"]) == _by_id(nodes) and all(
            previous.get(k) == v for k, v in meta.items()):
        raise Conflict(f"nothing to publish: version {previous['number']} is the same")
    associations = [a for a in (previous or {}).get("associations") or []
                    if _endpoint(a.get("origin")) not in retired
                    and _endpoint(a.get("destination")) not in retired]
    version = {"framework": framework_id, "number": (previous or {"number": 0})["number"] + 1,
               "published_at": utcnow(), "published_by": principal.key, **meta,
               "nodes": nodes, "associations": associations, "retired": retired}
    store.frac.add_version(version)  # DuplicateKey (409) when another publish won the number
    return summary(version)


def summary(version: Document) -> Document:
    """A version without its nodes and associations, with their count."""
    shown = {k: v for k, v in version.items() if k not in ("nodes", "associations")}
    if "nodes" in version:
        shown["node_count"] = len(version["nodes"])
    return shown


def _public_or_visible(store: Store, principal: Principal | None, framework_id: str) -> None:
    """404 unless the framework has a version (public) or the caller reads its working copy."""
    if store.frac.latest_version_numbers().get(framework_id) is not None:
        return
    framework = store.frac.get_framework(framework_id)
    if framework is None or not may_read(principal, framework["org_id"]):
        raise NotFound(f"no framework {framework_id!r}")


def list_versions(store: Store, principal: Principal | None, framework_id: str) -> Document:
    """``GET /frac/frameworks/<fid>/versions``: summaries, oldest first (public)."""
    _public_or_visible(store, principal, framework_id)
    return {"items": store.frac.list_versions(framework_id)}


def get_version(store: Store, framework_id: str, number: int) -> Document:
    """``GET /frac/frameworks/<fid>/versions/<n>``: the whole snapshot (public)."""
    # a number beyond any store's integers is simply not a version (and never reaches one)
    version = store.frac.get_version(framework_id, number) if 0 < number < 2**31 else None
    if version is None:
        raise NotFound(f"framework {framework_id!r} has no version {number}")
    return {**version, "node_count": len(version.get("nodes") or [])}
