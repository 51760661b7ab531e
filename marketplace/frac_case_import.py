"""Importing a CASE 1.1 ``CFPackage`` as a FRAC framework version, through ``store.frac``.

The package is read and checked in full first (:func:`marketplace.frac_case_read.read_package`);
a bad package is one 400 listing every problem and nothing is written. A good one becomes:

- a framework (the CFDocument identifier is its id) owned by the importing organisation,
- its nodes, ``confirmed`` (a published framework has been reviewed where it came from), each
  with an ``imported`` audit event,
- one published version: numbered as the CFDocument's ``version`` when that is a positive
  integer (so a package the hub exported keeps its number), else 1; dated by the CFDocument's
  ``lastChangeDateTime``.

Importing a framework the hub already has (same identifier, same owner): when the content equals
the latest version's, nothing changes (``unchanged``); otherwise its nodes are updated (compare-
and-set, an ``imported`` event each), nodes of the latest version that the package no longer has
are retired, and a new version is published, numbered max(latest + 1, the package's number).
Another organisation's framework is a 409.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.errors import Conflict, ValidationError
from marketplace.frac_case_read import PackagePlan, read_package
from storage.errors import DuplicateKey
from storage.ports import Store
from storage.timestamps import utcnow

Document = dict[str, Any]

#: Members of a node that are not its content (compared when deciding "unchanged").
NOT_CONTENT = ("revision", "created_at", "updated_at", "status", "framework")


def _content(nodes: list[Document]) -> list[Document]:
    return sorted(({k: v for k, v in n.items() if k not in NOT_CONTENT} for n in nodes),
                  key=lambda n: n["id"])


def _event(node: Document, org_id: str, actor: str, now: str, from_status: str | None,
           to_status: str = "confirmed", action: str = "imported") -> Document:
    return {"node": node["id"], "framework": node["framework"], "at": now, "by": actor,
            "org_id": org_id, "action": action, "from": from_status, "to": to_status,
            "comment": "CASE 1.1 package import"}


class PackageImport:
    """One import: a checked plan written for an organisation by an actor."""

    def __init__(self, store: Store, plan: PackagePlan, org_id: str, actor: str) -> None:
        self.store = store
        self.frac = store.frac  # type: ignore[attr-defined]
        self.plan = plan
        self.org_id = org_id
        self.actor = actor
        self.now = utcnow()

    def nodes(self) -> list[Document]:
        """The plan's nodes as stored node documents (without ``revision``)."""
        out = []
        for node in self.plan.nodes:
            doc = {**node, "framework": self.plan.document_id, "status": "confirmed",
                   "created_at": node["updated_at"]}
            out.append(doc)
        return out

    def check_store(self) -> None:
        """What only the store can tell, checked before anything is written: node ids are
        global (one of another framework is refused), and a code the package gives a node
        must not be held by another node of the framework (one the package does not have,
        e.g. a working node created since)."""
        problems = []
        holders = {n["code"]: n["id"] for n in self.frac.list_nodes(self.plan.document_id)}
        for node in self.plan.nodes:
            found = self.frac.get_node(node["id"])
            if found is not None and found["framework"] != self.plan.document_id:
                problems.append({"item": node["id"], "field": "CFItems.identifier",
                                 "message": "this identifier is a node of another framework"})
            if holders.get(node["code"], node["id"]) != node["id"]:
                problems.append({"item": node["id"], "field": "CFItems.humanCodingScheme",
                                 "message": f"{node['code']} is the code of another node of "
                                 "this framework"})
        if problems:
            errors: dict[str, list[str]] = {}
            for problem in problems:
                errors.setdefault(problem["field"], []).append(problem["message"])
            raise ValidationError(f"{len(problems)} CFItem(s) clash with stored nodes",
                                  errors=errors, item_errors=problems)

    def version(self, number: int, nodes: list[Document], retired: list[str]) -> Document:
        """The version document published by the import."""
        return {"framework": self.plan.document_id, "number": number,
                "published_at": self.plan.published_at, "published_by": self.actor,
                "title": self.plan.title, "description": self.plan.description,
                "extensions": self.plan.extensions,
                "nodes": [{k: v for k, v in n.items() if k != "revision"} for n in nodes],
                "associations": self.plan.associations, "retired": retired}

    def create(self) -> Document:
        """A framework the hub does not have yet."""
        nodes = [{**n, "revision": 1} for n in self.nodes()]
        events = [_event(n, self.org_id, self.actor, self.now, None) for n in nodes]
        framework = {"id": self.plan.document_id, "org_id": self.org_id,
                     "title": self.plan.title, "description": self.plan.description,
                     "creator": self.plan.creator, "created_at": self.now,
                     "updated_at": self.now, "extensions": self.plan.extensions}
        number = self.plan.number_hint or 1
        try:
            self.frac.add_framework(framework)
            self.frac.add_nodes(nodes, events)
            self.frac.add_version(self.version(number, nodes, []))
        except DuplicateKey as exc:  # a concurrent import of the same package
            raise Conflict(f"the framework is being imported concurrently: {exc}") from None
        return {"framework": self.plan.document_id, "version": number, "status": "created",
                "nodes": len(nodes), "associations_kept": len(self.plan.associations)}

    def update(self, framework: Document) -> Document:
        """A new version of a framework the hub has (or nothing when the content is equal)."""
        if framework.get("org_id") != self.org_id:
            raise Conflict("this framework belongs to another organisation")
        latest = self.frac.get_version(self.plan.document_id)
        nodes = self.nodes()
        if latest is not None and _content(latest["nodes"]) == _content(nodes) and all(
                latest.get(k) == v for k, v in (
                    ("title", self.plan.title), ("description", self.plan.description),
                    ("extensions", self.plan.extensions),
                    ("associations", self.plan.associations))):
            return {"framework": self.plan.document_id, "version": latest["number"],
                    "status": "unchanged", "nodes": len(nodes),
                    "associations_kept": len(self.plan.associations)}
        latest_number = latest["number"] if latest else 0
        number = max(latest_number + 1, self.plan.number_hint or 0)
        fresh, stored = [], []
        for node in nodes:
            current = self.frac.get_node(node["id"])
            if current is None:
                fresh.append({**node, "revision": 1})
                continue
            new = {**node, "created_at": current.get("created_at", node["created_at"]),
                   "revision": current["revision"] + 1}
            if not self.frac.replace_node(new, expected_revision=current["revision"],
                                          event=_event(new, self.org_id, self.actor,
                                                       self.now, current.get("status"))):
                raise Conflict(f"node {node['id']} changed during the import; try again")
            stored.append(new)
        if fresh:
            try:
                self.frac.add_nodes(fresh, [_event(n, self.org_id, self.actor, self.now, None)
                                            for n in fresh])
            except DuplicateKey as exc:  # a node created concurrently took a code or id
                raise Conflict(f"the framework changed during the import: {exc}") from None
        in_package = {n["id"] for n in nodes}
        retired = sorted(n["id"] for n in (latest["nodes"] if latest else [])
                         if n["id"] not in in_package)
        for node_id in retired:
            current = self.frac.get_node(node_id)
            if current is not None and current.get("status") != "retired":
                self.frac.replace_node(
                    {**current, "status": "retired", "updated_at": self.now,
                     "revision": current["revision"] + 1},
                    expected_revision=current["revision"],
                    event=_event(current, self.org_id, self.actor, self.now,
                                 current.get("status"), "retired", "retired"))
        self.frac.update_framework(self.plan.document_id, {
            "title": self.plan.title, "description": self.plan.description,
            "creator": self.plan.creator, "extensions": self.plan.extensions,
            "updated_at": self.now})
        self.frac.add_version(self.version(number, stored + fresh, retired))
        return {"framework": self.plan.document_id, "version": number, "status": "updated",
                "nodes": len(nodes), "associations_kept": len(self.plan.associations)}


def count_items(package: Any) -> int:
    """How many CFItems a package has (the progress bar's total)."""
    items = package.get("CFItems") if isinstance(package, dict) else None
    return len(items) if isinstance(items, list) else 0


def import_package(store: Store, package: Any, *, org_id: str, actor: str,
                   progress: Callable[[int], object] | None = None) -> Document:
    """Import a CFPackage for organisation ``org_id``; returns ``{"framework", "version",
    "status": "created" | "updated" | "unchanged", "nodes", "associations_kept"}``."""
    plan = read_package(package, progress)
    job = PackageImport(store, plan, org_id, actor)
    job.check_store()
    existing = store.frac.get_framework(plan.document_id)  # type: ignore[attr-defined]
    return job.create() if existing is None else job.update(existing)
