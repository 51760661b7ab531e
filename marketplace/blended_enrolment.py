"""Enrolment in blended batches: request, approvals, refusals, withdrawal, each step audited
on the enrolment (issue 11, "Enrolment").

The flow: a department or LMS credential asks for a seat for one of its learners
(``requested``); a ``department-approver`` of that organisation approves (``approved``, or
``department-approved`` when the batch wants its coordinator's word too, and then a
``coordinator`` of the batch's organisation approves). Either may refuse with a reason; the
learner's organisation may withdraw while the enrolment is active, giving its seat back.

A request or an approval that the batch's rules forbid answers 409 with a ``reason`` (a
problem extension member, RFC 9457 §3.2) and writes nothing: ``not-invited``, ``started``,
``deadline-passed`` (requests only: an approver may still approve a request made in time),
``full`` and ``overlap`` (the learner holds an approved seat in another batch with a session
at the same time). The seat itself is taken by the store's atomic compare-and-set
(:meth:`storage.ports.blended.BlendedRepository.transition`), so ``full`` is decided there and
racing approvals never over-allocate. The overlap check reads the learner's other approved
seats first: two approvals of one learner in two clashing batches at the same instant are not
excluded by the store (a rare case an approver sees on the roster).
"""

from __future__ import annotations

import uuid
from typing import Any

from hub.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from marketplace.blended import visible_batch
from marketplace.blended_times import overlapping
from storage.errors import DuplicateKey
from storage.ports import Document, Store
from storage.ports.blended import ACTIVE_STATES, BatchFull
from storage.timestamps import utcnow

#: Why a request or approval is refused, as the problem's ``reason`` says it.
REASONS = {
    "not-invited": "the batch is invite-only and the learner is not invited",
    "started": "the batch has started",
    "deadline-passed": "the enrolment deadline has passed",
    "full": "every seat of the batch is taken",
    "overlap": "the learner holds an approved seat in another batch whose session overlaps",
    "already-enrolled": "the learner already has an active enrolment in this batch",
}


class EnrolmentRefused(Conflict):
    """A request or approval the batch's rules forbid (409, with ``reason``)."""

    type = "enrolment-refused"
    title = "Enrolment refused"

    def __init__(self, reason: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or REASONS[reason], reason=reason, **extra)


def _clash(store: Store, batch: Document, learner: tuple[str, str]) -> Document | None:
    others = [e["batch_id"] for e in store.blended.list_enrolments(learner=learner,
                                                                   states=["approved"])
              if e["batch_id"] != batch["id"]]
    if not others:
        return None
    ours = store.blended.list_sessions([batch["id"]])
    return overlapping(ours, store.blended.list_sessions(others))


def _check(store: Store, batch: Document, learner: tuple[str, str], now: str,
           requesting: bool) -> None:
    if requesting and batch["mode"] == "invite-only" and {
            "org_id": learner[0], "learner_id": learner[1]} not in batch["invitees"]:
        raise EnrolmentRefused("not-invited")
    if now >= batch["starts_at"]:
        raise EnrolmentRefused("started")
    if requesting and now > batch["enrolment_deadline"]:
        raise EnrolmentRefused("deadline-passed")
    if requesting and batch["seats_taken"] >= batch["capacity"]:
        raise EnrolmentRefused("full")
    clash = _clash(store, batch, learner)
    if clash is not None:
        raise EnrolmentRefused("overlap", batch_id=clash["batch_id"], session_id=clash["id"])


def _event(principal: Principal, action: str, state: str, reason: str | None) -> Document:
    return {"at": utcnow(), "by": principal.key, "by_org": principal.org_id, "action": action,
            "state": state, "reason": reason}


def request_enrolment(store: Store, principal: Principal, batch_id: str, learner_id: str,
                      now: str | None = None) -> Document:
    """A department's or LMS's request of a seat for its learner ``learner_id``."""
    if not principal.is_kind(OrgKind.DEPARTMENT, OrgKind.LMS):
        raise PermissionDenied("only a department or an LMS asks for its learners' seats")
    batch = visible_batch(store, batch_id)
    learner = (principal.org_id, learner_id)
    _check(store, batch, learner, now or utcnow(), requesting=True)
    created = utcnow()
    enrolment: Document = {
        "id": "enr_" + uuid.uuid4().hex[:16], "batch_id": batch_id,
        "batch_org_id": batch["org_id"], "learner_org_id": principal.org_id,
        "learner_id": learner_id, "state": "requested", "reason": None,
        "events": [_event(principal, "request", "requested", None)],
        "created_at": created, "updated_at": created}
    try:
        store.blended.add_enrolment(enrolment)
    except DuplicateKey as exc:
        raise EnrolmentRefused("already-enrolled") from exc
    return enrolment


def visible_enrolment(store: Store, principal: Principal, enrolment_id: str) -> Document:
    """The enrolment, for its learner's organisation or the batch's; 404 for the others."""
    enrolment = store.blended.get_enrolment(enrolment_id)
    if enrolment is None or not (principal.acts_for(enrolment["learner_org_id"])
                                 or principal.acts_for(enrolment["batch_org_id"])):
        raise NotFound(f"no enrolment {enrolment_id}")
    return enrolment


def _approver_step(principal: Principal, enrolment: Document) -> str:
    """Which approval the caller gives: ``department`` or ``coordinator``; 403 otherwise."""
    if enrolment["state"] == "requested":
        if principal.acts_for(enrolment["learner_org_id"]) and principal.has(
                Role.DEPARTMENT_APPROVER):
            return "department"
        raise PermissionDenied("a department-approver of the learner's organisation approves")
    if enrolment["state"] == "department-approved":
        if principal.acts_for(enrolment["batch_org_id"]) and principal.has(Role.COORDINATOR):
            return "coordinator"
        raise PermissionDenied("a coordinator of the batch's organisation approves")
    raise Conflict(f"an enrolment in state {enrolment['state']} cannot be approved")


def approve(store: Store, principal: Principal, enrolment_id: str,
            now: str | None = None) -> Document:
    """The department's or the coordinator's approval; the final one takes a seat."""
    enrolment = visible_enrolment(store, principal, enrolment_id)
    step = _approver_step(principal, enrolment)
    batch = visible_batch(store, enrolment["batch_id"])
    final = step == "coordinator" or not batch["coordinator_approval"]
    state = "approved" if final else "department-approved"
    _check(store, batch, (enrolment["learner_org_id"], enrolment["learner_id"]),
           now or utcnow(), requesting=False)
    try:
        done = store.blended.transition(
            enrolment_id, [enrolment["state"]], {"state": state, "updated_at": utcnow()},
            _event(principal, f"{step}-approve", state, None), seat=1 if final else 0)
    except BatchFull as exc:
        raise EnrolmentRefused("full") from exc
    return _moved(done, enrolment_id)


def _moved(done: Document | None, enrolment_id: str) -> Document:
    if done is None:
        raise Conflict(f"enrolment {enrolment_id} changed meanwhile; read it again")
    return done


def refuse(store: Store, principal: Principal, enrolment_id: str, reason: str | None
           ) -> Document:
    """An approver's refusal, with the reason the learner is told."""
    if not reason:
        raise ValidationError.for_field("reason", "a refusal says why")
    enrolment = visible_enrolment(store, principal, enrolment_id)
    coordinator = principal.acts_for(enrolment["batch_org_id"]) and principal.has(
        Role.COORDINATOR)
    if enrolment["state"] not in ("requested", "department-approved"):
        raise Conflict(f"an enrolment in state {enrolment['state']} cannot be refused")
    if not coordinator:
        _approver_step(principal, enrolment)  # the department refuses what it may approve
    done = store.blended.transition(
        enrolment_id, [enrolment["state"]],
        {"state": "refused", "reason": reason, "updated_at": utcnow()},
        _event(principal, "refuse", "refused", reason))
    return _moved(done, enrolment_id)


def withdraw(store: Store, principal: Principal, enrolment_id: str, reason: str | None
             ) -> Document:
    """The learner's organisation withdraws an active enrolment; an approved seat is freed."""
    enrolment = visible_enrolment(store, principal, enrolment_id)
    if not principal.acts_for(enrolment["learner_org_id"]):
        raise PermissionDenied("the learner's organisation withdraws its request")
    if enrolment["state"] not in ACTIVE_STATES:
        raise Conflict(f"an enrolment in state {enrolment['state']} cannot be withdrawn")
    done = store.blended.transition(
        enrolment_id, [enrolment["state"]],
        {"state": "withdrawn", "reason": reason, "updated_at": utcnow()},
        _event(principal, "withdraw", "withdrawn", reason),
        seat=-1 if enrolment["state"] == "approved" else 0)
    return _moved(done, enrolment_id)


def act(store: Store, principal: Principal, enrolment_id: str, action: str,
        reason: str | None = None) -> Document:
    """One step named by ``action``: ``approve``, ``refuse`` or ``withdraw``."""
    if action == "approve":
        return approve(store, principal, enrolment_id)
    if action == "refuse":
        return refuse(store, principal, enrolment_id, reason)
    return withdraw(store, principal, enrolment_id, reason)


def list_enrolments(store: Store, principal: Principal, learner_id: str | None,
                    states: list[str] | None) -> list[Document]:
    """The caller's organisation's learners' enrolments (of one learner when named)."""
    if learner_id is not None:
        return store.blended.list_enrolments(learner=(principal.org_id, learner_id),
                                             states=states)
    return store.blended.list_enrolments(learner_org_id=principal.org_id, states=states)
