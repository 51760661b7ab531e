"""The port of blended programs: batches of a program, their sessions, and learners'
enrolments with the audit trail of every step (issue 11, "Blended programs").

Shapes:

- a batch: ``{"id", "org_id" (who runs it), "program_id" (a catalogue item id), "title"
  (language map), "starts_at", "ends_at", "enrolment_deadline" (ISO 8601 UTC instants),
  "capacity", "mode": "open" | "invite-only", "invitees": [{"org_id", "learner_id"}],
  "coordinator": {"name", "email"}, "coordinator_approval": bool, "seats_taken",
  "seat_holders": [enrolment id, ...], "created_at", "created_by", "updated_at"}``;
- a session: ``{"id", "batch_id", "org_id", "date", "start_time", "end_time", "timezone"
  (IANA), "starts_at", "ends_at" (the UTC instants the service derives, for ordering and
  overlap), "venue" | None, "online_url" | None, "facilitators": [...], "handouts":
  [{"name", "key", "content_type", "size"}], "created_at"}``;
- an enrolment: ``{"id", "batch_id", "batch_org_id", "learner_org_id", "learner_id", "state",
  "reason" | None, "events": [{"at", "by", "action", "state", "reason"}], "created_at",
  "updated_at"}``;
- an attendance record (one per session and seated learner, kept on the session's sheet):
  ``{"session_id", "batch_id", "learner_org_id", "learner_id", "status": "present" |
  "absent", "method": "coordinator" | "check-in", "at", "by", "statement_id" | None}``.

A session's sheet has a ``revision`` (0 before its first record) that every write bumps:
:meth:`BlendedRepository.save_attendance` is a compare-and-set on it, so a write computed from
a sheet somebody changed since writes nothing (the statements the service wrote for it can then
be voided, :mod:`marketplace.blended_attendance`).

A seat is held by exactly the enrolments listed in the batch's ``seat_holders``; ``seats_taken``
is their number and never exceeds ``capacity``: :meth:`BlendedRepository.transition` with
``seat=+1`` takes one atomically with the enrolment's state change (the seat race of the issue).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from storage.errors import StorageError
from storage.ports.document import Document

#: States in which an enrolment occupies the learner's place in its batch: a learner has at
#: most one such enrolment per batch (a second request is a ``DuplicateKey``).
ACTIVE_STATES = ("requested", "department-approved", "approved")

#: Fields of a batch that name it or that only seat changes write.
BATCH_FIXED = ("id", "org_id", "program_id", "seats_taken", "seat_holders")
#: Fields of a session that name it.
SESSION_FIXED = ("id", "batch_id", "org_id")


def learner_key(record: Document) -> tuple[str, str]:
    """``(learner_org_id, learner_id)`` of an attendance record or an enrolment."""
    return record["learner_org_id"], record["learner_id"]


def merged_records(current: Iterable[Document], changes: Iterable[Document]
                   ) -> builtins.list[Document]:
    """A sheet's records with ``changes`` put in (one record per learner, a change replacing
    the learner's record), ordered by learner: what every adapter stores."""
    by_learner = {learner_key(r): r for r in current}
    by_learner.update({learner_key(r): r for r in changes})
    return [by_learner[k] for k in sorted(by_learner)]


class BatchFull(StorageError):
    """No seat is left in the batch (or a capacity below the seats already taken)."""


def active_slot(enrolment: Document) -> str:
    """The key that is unique over enrolments: the learner's place in the batch while the
    enrolment is active, the enrolment's own id once it is not (refused or withdrawn
    enrolments stay, any number of them, for the audit trail)."""
    if enrolment["state"] in ACTIVE_STATES:
        return "|".join((enrolment["batch_id"], enrolment["learner_org_id"],
                         enrolment["learner_id"]))
    return "done|" + enrolment["id"]


@runtime_checkable
class BlendedRepository(Protocol):
    """``store.blended``: batches, sessions and enrolments (shapes in the module docstring)."""

    def add_batch(self, batch: Document) -> None:
        """Insert; ``DuplicateKey`` when the id is taken."""
        ...

    def get_batch(self, batch_id: str) -> Document | None:
        """One batch, or None."""
        ...

    def list_batches(self, org_id: str | None = None,
                     program_id: str | None = None) -> builtins.list[Document]:
        """Batches (of one organisation, of one program), by start then id."""
        ...

    def update_batch(self, batch_id: str, changes: Document) -> Document | None:
        """Set ``changes`` (never :data:`BATCH_FIXED`); ``BatchFull`` when a new capacity is
        below the seats taken at that moment; None when absent."""
        ...

    def add_session(self, session: Document) -> None:
        """Insert; ``DuplicateKey`` when the id is taken."""
        ...

    def get_session(self, session_id: str) -> Document | None:
        """One session, or None."""
        ...

    def list_sessions(self, batch_ids: Sequence[str]) -> builtins.list[Document]:
        """The sessions of these batches, by start instant then id."""
        ...

    def update_session(self, session_id: str, changes: Document) -> Document | None:
        """Set ``changes`` (never :data:`SESSION_FIXED`); None when absent."""
        ...

    def delete_session(self, session_id: str) -> bool:
        """Remove a session; False when absent."""
        ...

    def add_enrolment(self, enrolment: Document) -> None:
        """Insert; ``DuplicateKey`` when the id is taken or the learner already has an active
        enrolment in the batch (:func:`active_slot`)."""
        ...

    def get_enrolment(self, enrolment_id: str) -> Document | None:
        """One enrolment, or None."""
        ...

    def list_enrolments(self, batch_id: str | None = None,
                        learner: tuple[str, str] | None = None,
                        states: Sequence[str] | None = None,
                        learner_org_id: str | None = None) -> builtins.list[Document]:
        """Enrolments of a batch and/or of a learner ``(org id, learner id)`` and/or of every
        learner of one organisation, in some ``states`` (all when None), oldest first."""
        ...

    def transition(self, enrolment_id: str, from_states: Sequence[str], changes: Document,
                   event: Document, seat: int = 0) -> Document | None:
        """Compare-and-set: when the enrolment is in one of ``from_states``, set ``changes``
        and append ``event`` in one atomic write and return the updated enrolment; None when it
        is absent or in another state (someone else moved it first).

        ``seat=+1`` also takes a seat of its batch (``BatchFull``, and nothing written, when
        none is left); ``seat=-1`` gives its seat back. Seats are never over-allocated, however
        many approvals race (threads, processes, replicas)."""
        ...

    def attendance(self, session_id: str) -> tuple[int, builtins.list[Document]]:
        """The session's sheet: its revision (0 when nothing was ever recorded) and its
        records ordered by ``(learner_org_id, learner_id)``."""
        ...

    def save_attendance(self, session_id: str, batch_id: str, revision: int,
                        records: Sequence[Document]) -> bool:
        """Compare-and-set: when the sheet is still at ``revision``, put ``records`` in it (a
        learner's record replaces the one it had, :func:`merged_records`) and bump the
        revision, all or nothing; False, and nothing written, when someone wrote first."""
        ...

    def batch_attendance(self, batch_id: str) -> builtins.list[Document]:
        """Every attendance record of every session of a batch."""
        ...
