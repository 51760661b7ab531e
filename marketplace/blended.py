"""Batches and sessions of blended programs (issue 11, "Blended programs").

A batch runs one published blended program (a catalogue item whose live version's ``program``
part says ``blended``, :mod:`marketplace.programs`) for learners of any organisation, and
learners complete it by attending at least ``min_attendance`` percent of its sessions
(:mod:`marketplace.program_progress`): it belongs to
the organisation that runs it, whose ``coordinator`` credentials write it and its sessions.
Batches and their sessions are readable by every authenticated caller (departments and LMSes
must see what their learners can ask for); who asked for a seat is not (the roster,
:mod:`marketplace.blended_roster`), nor who is invited to an invite-only batch.

The enrolment rules are in :mod:`marketplace.blended_enrolment`; attendance, keyed by session
id and the approved enrolments' ``(learner_org_id, learner_id)``, in
:mod:`marketplace.blended_attendance`. Each session gets a check-in code when it is created
(:func:`marketplace.blended_codes.new_code`), shown to its coordinators only.
"""

from __future__ import annotations

import uuid
from typing import Any

from catalogue_schemas.links import is_program_id
from hub.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hub.principal import Principal, Role
from marketplace.blended_codes import CODE_FIELD, new_code
from marketplace.blended_times import instant, session_interval
from storage.errors import DuplicateKey
from storage.ports import Document, Store
from storage.ports.blended import BatchFull
from storage.timestamps import utcnow

#: Fields only the batch's own organisation reads.
PRIVATE_FIELDS = ("invitees", "seat_holders")


def _owner_view(batch: Document, principal: Principal) -> Document:
    if principal.acts_for(batch["org_id"]):
        return batch
    return {k: v for k, v in batch.items() if k not in PRIVATE_FIELDS}


def visible_batch(store: Store, batch_id: str) -> Document:
    """The batch, or 404."""
    batch = store.blended.get_batch(batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    return batch


def coordinated_batch(store: Store, principal: Principal, batch_id: str) -> Document:
    """The batch when the caller coordinates it (a ``coordinator`` of its organisation, or an
    admin); 404 when it belongs to another organisation (tenancy), 403 without the role."""
    batch = visible_batch(store, batch_id)
    if not principal.acts_for(batch["org_id"]):
        raise NotFound(f"no batch {batch_id}")
    if not principal.has(Role.COORDINATOR):
        raise _forbidden()
    return batch


def _forbidden() -> PermissionDenied:
    return PermissionDenied("only a coordinator of the batch's organisation may do this")


def _check_program(store: Store, program_id: str) -> None:
    """400 naming ``program_id`` unless it names a published blended program (its live
    version, the one learners see, says so; a draft revision turning blended does not)."""
    item = store.courses.get(program_id) if is_program_id(program_id) else None
    live = (item or {}).get("live") or {}
    if not (live.get("program") or {}).get("blended"):
        raise ValidationError.for_field("program_id", "is not a published blended program")


def _instants(data: Document) -> Document:
    out: Document = {}
    for field in ("starts_at", "ends_at", "enrolment_deadline"):
        if field in data:
            out[field] = instant(data[field], field)
    return out


def _check_order(batch: Document) -> None:
    if not batch["enrolment_deadline"] <= batch["starts_at"] < batch["ends_at"]:
        raise ValidationError.for_field(
            "starts_at", "needs enrolment_deadline <= starts_at < ends_at")


def create_batch(store: Store, principal: Principal, data: Document) -> Document:
    """A new batch of the caller's organisation (``coordinator``), no seat taken."""
    if not principal.has(Role.COORDINATOR):
        raise _forbidden()
    _check_program(store, data["program_id"])
    now = utcnow()
    batch: Document = {
        "id": "bat_" + uuid.uuid4().hex[:16], "org_id": principal.org_id,
        "program_id": data["program_id"], "title": data["title"],
        "capacity": data["capacity"], "mode": data["mode"],
        "invitees": _invitees(data.get("invitees", [])),
        "coordinator": data["coordinator"],
        "coordinator_approval": data["coordinator_approval"],
        "min_attendance": data["min_attendance"], **_instants(data),
        "seats_taken": 0, "seat_holders": [], "created_at": now, "created_by": principal.key,
        "updated_at": None}
    _check_order(batch)
    store.blended.add_batch(batch)
    return batch


def _invitees(invitees: list[Document]) -> list[Document]:
    seen: dict[tuple[str, str], Document] = {}
    for who in invitees:
        seen[(who["org_id"], who["learner_id"])] = {"org_id": who["org_id"],
                                                    "learner_id": who["learner_id"]}
    return list(seen.values())


def update_batch(store: Store, principal: Principal, batch_id: str, changes: Document
                 ) -> Document:
    """Change a batch's dates, capacity, mode, invitees, coordinator or approval rule; 409
    when the new capacity is below the seats already taken."""
    batch = coordinated_batch(store, principal, batch_id)
    fields: Document = {k: v for k, v in changes.items()
                        if k in ("title", "capacity", "mode", "coordinator",
                                 "coordinator_approval", "min_attendance")}
    fields.update(_instants(changes))
    if "invitees" in changes:
        fields["invitees"] = _invitees(changes["invitees"])
    _check_order({**batch, **fields})
    fields.update(updated_at=utcnow(), updated_by=principal.key)
    try:
        updated = store.blended.update_batch(batch_id, fields)
    except BatchFull as exc:
        raise Conflict(f"capacity: {exc}", reason="seats-taken") from exc
    if updated is None:
        raise NotFound(f"no batch {batch_id}")
    return updated


def session_view(session: Document, principal: Principal) -> Document:
    """A session as the caller sees it: the check-in code only for a coordinator of its
    organisation (learners get it in the room, not from the API)."""
    if principal.acts_for(session["org_id"]) and principal.has(Role.COORDINATOR):
        return session
    return {k: v for k, v in session.items() if k != CODE_FIELD}


def get_batch(store: Store, principal: Principal, batch_id: str) -> Document:
    """A batch with its sessions (invitees and seat holders only for its organisation)."""
    batch = _owner_view(visible_batch(store, batch_id), principal)
    return {**batch, "sessions": [session_view(s, principal)
                                  for s in store.blended.list_sessions([batch_id])]}


def list_batches(store: Store, principal: Principal, org_id: str | None = None,
                 program_id: str | None = None) -> list[Document]:
    """Batches, of one organisation and/or program, by start."""
    return [_owner_view(b, principal)
            for b in store.blended.list_batches(org_id=org_id, program_id=program_id)]


def _session_fields(data: Document, batch: Document) -> Document:
    starts_at, ends_at = session_interval(data["date"], data["start_time"], data["end_time"],
                                          data["timezone"])
    if starts_at < batch["starts_at"] or ends_at > batch["ends_at"]:
        raise ValidationError.for_field("date", "the session must fall within the batch")
    if not data.get("venue") and not data.get("online_url"):
        raise ValidationError.for_field("venue", "a session needs a venue or an online_url")
    return {"date": data["date"].isoformat(), "start_time": data["start_time"].strftime("%H:%M"),
            "end_time": data["end_time"].strftime("%H:%M"), "timezone": data["timezone"],
            "starts_at": starts_at, "ends_at": ends_at, "venue": data.get("venue"),
            "online_url": data.get("online_url"), "facilitators": data.get("facilitators", [])}


def add_session(store: Store, principal: Principal, batch_id: str, data: Document
                ) -> Document:
    """A session of a batch the caller coordinates."""
    batch = coordinated_batch(store, principal, batch_id)
    session: Document = {"id": "ses_" + uuid.uuid4().hex[:16], "batch_id": batch_id,
                         "org_id": batch["org_id"], **_session_fields(data, batch),
                         "handouts": [], CODE_FIELD: new_code(), "created_at": utcnow()}
    try:
        store.blended.add_session(session)
    except DuplicateKey as exc:  # pragma: no cover - a random id never repeats
        raise Conflict(str(exc)) from exc
    return session


def coordinated_session(store: Store, principal: Principal, session_id: str
                        ) -> tuple[Document, Document]:
    """(batch, session) when the caller coordinates the session's batch; 404/403 as
    :func:`coordinated_batch`."""
    session = store.blended.get_session(session_id)
    if session is None:
        raise NotFound(f"no session {session_id}")
    return coordinated_batch(store, principal, session["batch_id"]), session


def replace_session(store: Store, principal: Principal, session_id: str, data: Document
                    ) -> Document:
    """Move or change a session (date, times, zone, venue, link, facilitators)."""
    batch, _ = coordinated_session(store, principal, session_id)
    updated = store.blended.update_session(session_id, _session_fields(data, batch))
    if updated is None:
        raise NotFound(f"no session {session_id}")
    return updated


def delete_session(store: Store, principal: Principal, session_id: str) -> None:
    """Remove a session."""
    coordinated_session(store, principal, session_id)
    store.blended.delete_session(session_id)


def get_session(store: Store, session_id: str) -> Any:
    """One session, or 404."""
    session = store.blended.get_session(session_id)
    if session is None:
        raise NotFound(f"no session {session_id}")
    return session

