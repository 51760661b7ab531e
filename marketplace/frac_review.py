"""The two-level review of FRAC nodes (issue 10, DESIGN.md "FRAC").

::

    unverified --level 1 accept--> verified --level 2 accept--> confirmed
      |   ^     (frac-reviewer)        |      (frac-approver)
      |   +--level 2 reject "returned"-+
      +--level 1 reject--> rejected (final)

    An edit (marketplace.frac_nodes) puts any live node back to unverified.

Four eyes, as a mature review process has them: nobody reviews a node they created or edited
last (their own work), and the level-2 approver is not the level-1 reviewer who verified it in
this round, so that a confirmed node has been seen by two people besides its author. People are
told apart by credential key (the audit trail's ``by``). Every step is an audit event with its
comment, written in the same atomic write as the status (``store.frac.replace_node``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from hub.errors import Conflict, PermissionDenied, ValidationError
from hub.principal import Principal, Role
from marketplace.frac_nodes import check_if_match, load_node, may_act, node_event, replace_checked
from storage.ports import Document, Store
from storage.timestamps import utcnow


@dataclass(frozen=True)
class Step:
    """One level of the review: who takes it, from which status, and where each decision
    leads (target status, audit action)."""

    level: int
    source: str
    role: str
    accept: tuple[str, str]
    reject: tuple[str, str]


STEPS: dict[int, Step] = {
    1: Step(1, "unverified", Role.FRAC_REVIEWER, ("verified", "verified"),
            ("rejected", "rejected")),
    2: Step(2, "verified", Role.FRAC_APPROVER, ("confirmed", "confirmed"),
            ("unverified", "returned")),
}

#: Audit actions that make a credential an author of the node's current text.
AUTHORING = ("created", "imported", "updated")


def authors(events: list[Document]) -> set[str]:
    """Who wrote the node's current text: its creator (or importer) and its last editor."""
    who: set[str] = set()
    creation = next((e for e in events if e["action"] in ("created", "imported")), None)
    if creation is not None:
        who.add(creation["by"])
    last_edit = next((e for e in reversed(events) if e["action"] == "updated"), None)
    if last_edit is not None:
        who.add(last_edit["by"])
    return who


def verifier(events: list[Document]) -> str | None:
    """Who verified the node in the current round (the last ``verified`` after the last edit
    or return), or None."""
    for event in reversed(events):
        if event["action"] == "verified":
            return str(event["by"])
        if event["action"] in AUTHORING or event["action"] == "returned":
            return None
    return None


def check_four_eyes(principal: Principal, step: Step, events: list[Document]) -> None:
    """403 when the caller wrote the node, or (level 2) verified it themselves."""
    if principal.key in authors(events):
        raise PermissionDenied("four eyes: a reviewer does not review a node they created or "
                               "edited last")
    if step.level == 2 and verifier(events) == principal.key:
        raise PermissionDenied("four eyes: the level-2 approver is not the level-1 reviewer "
                               "who verified the node")


def review_node(store: Store, principal: Principal, node_id: str, level: int, decision: str,
                comment: str, if_match: str | None = None) -> Document:
    """``POST /frac/nodes/<id>/review``: take one review step.

    404 for a node of another organisation; 409 naming ``status`` when the node is not in the
    status this level reviews; 403 without the level's role or against the four-eyes rule;
    400 naming ``comment`` for a rejection without a reason; 412 when the node changed."""
    node, framework = load_node(store, principal, node_id)
    step = STEPS[level]
    if node["status"] != step.source:
        message = (f"a level-{level} review takes a {step.source} node; this one is "
                   f"{node['status']}")
        raise Conflict(f"status: {message}", errors={"status": [message]},
                       node_status=node["status"])
    if not may_act(principal, framework["org_id"], step.role):
        raise PermissionDenied(f"a level-{level} review needs the {step.role} role in the "
                               "framework's organisation")
    check_if_match(node, if_match)
    comment = comment.strip()
    if decision == "reject" and not comment:
        raise ValidationError.for_field("comment", "a rejection says why")
    check_four_eyes(principal, step, store.frac.list_node_events(node_id))
    target, action = step.accept if decision == "accept" else step.reject
    now = utcnow()
    updated = {**copy.deepcopy(node), "status": target, "updated_at": now}
    event = node_event(node, principal, action, node["status"], target, comment, now)
    return replace_checked(store, node, updated, event)
