"""MongoDB repository of blended programs (:class:`storage.ports.blended.BlendedRepository`).

Three collections (``_id`` = the document's id). Without multi-document transactions a seat is
taken by a conditional single-document update of the batch (``capacity`` unchanged, fewer seat
holders than it, this enrolment not among them) and then the enrolment's compare-and-set on its
state; when that second write loses a race the seat is given back. So the batch's seat count
can never pass its capacity; the worst a crash between the two writes leaves is a seat held for
an enrolment that is not approved (``seat_holders`` names it, for repair).

Attendance: one document per session's sheet, so its rows change together in one
single-document write, conditional on the revision read.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from storage.mongodb.errors import translate_errors
from storage.ports import Document
from storage.ports.blended import (
    BATCH_FIXED,
    SESSION_FIXED,
    BatchFull,
    active_slot,
    merged_records,
)

if TYPE_CHECKING:
    from storage.mongodb import MongoStore

NO_ID = {"_id": 0}
ENROLMENT_FIELDS = {"_id": 0, "slot": 0}
#: Seat takers retry a conditional update that another writer beat; each retry re-reads the
#: batch, so a full batch ends the loop at once.
SEAT_ATTEMPTS = 1000


def ensure_indexes(db: Database[Any]) -> None:
    """Listings by organisation, program, batch and learner; one active enrolment per learner
    and batch (the unique ``slot``)."""
    db.blended_batches.create_index([("org_id", 1), ("starts_at", 1)], name="org_start")
    db.blended_batches.create_index("program_id", name="program")
    db.blended_sessions.create_index([("batch_id", 1), ("starts_at", 1)], name="batch_start")
    db.blended_enrolments.create_index("slot", name="slot", unique=True)
    db.blended_enrolments.create_index("batch_id", name="batch")
    db.blended_enrolments.create_index([("learner_org_id", 1), ("learner_id", 1)],
                                       name="learner")
    db.blended_attendance.create_index("batch_id", name="batch")


class MongoBlendedRepository:
    """Batches, sessions and enrolments on three collections."""

    def __init__(self, db: Database[Any]) -> None:
        self.batches = db.blended_batches
        self.sessions = db.blended_sessions
        self.enrolments = db.blended_enrolments
        #: One document per session's sheet: ``{_id: session id, batch_id, revision,
        #: records}``, so a sheet's rows change together in one single-document write.
        self.attendance_sheets = db.blended_attendance

    @translate_errors
    def add_batch(self, batch: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        self.batches.insert_one({"_id": batch["id"], **batch})

    @translate_errors
    def get_batch(self, batch_id: str) -> Document | None:
        """One batch, or None."""
        return self.batches.find_one({"_id": batch_id}, NO_ID)

    @translate_errors
    def list_batches(self, org_id: str | None = None,
                     program_id: str | None = None) -> builtins.list[Document]:
        """Batches by start then id."""
        query = {k: v for k, v in (("org_id", org_id), ("program_id", program_id))
                 if v is not None}
        return list(self.batches.find(query, NO_ID).sort([("starts_at", 1), ("_id", 1)]))

    @translate_errors
    def update_batch(self, batch_id: str, changes: Document) -> Document | None:
        """One ``$set``; a new capacity only while the seats taken fit in it."""
        fields = {k: v for k, v in changes.items() if k not in BATCH_FIXED}
        query: Document = {"_id": batch_id}
        if "capacity" in fields:
            query["seats_taken"] = {"$lte": fields["capacity"]}
        if not fields:
            return self.get_batch(batch_id)
        doc = self.batches.find_one_and_update(query, {"$set": fields}, NO_ID,
                                               return_document=ReturnDocument.AFTER)
        if doc is None and self.get_batch(batch_id) is not None:
            raise BatchFull(f"batch {batch_id}: more seats are taken than {fields['capacity']}")
        return doc

    @translate_errors
    def add_session(self, session: Document) -> None:
        """Insert (``DuplicateKey`` when the id exists)."""
        self.sessions.insert_one({"_id": session["id"], **session})

    @translate_errors
    def get_session(self, session_id: str) -> Document | None:
        """One session, or None."""
        return self.sessions.find_one({"_id": session_id}, NO_ID)

    @translate_errors
    def list_sessions(self, batch_ids: Sequence[str]) -> builtins.list[Document]:
        """Sessions of these batches by start instant then id."""
        found = self.sessions.find({"batch_id": {"$in": list(batch_ids)}}, NO_ID)
        return list(found.sort([("starts_at", 1), ("_id", 1)]))

    @translate_errors
    def update_session(self, session_id: str, changes: Document) -> Document | None:
        """One ``$set``."""
        fields = {k: v for k, v in changes.items() if k not in SESSION_FIXED}
        if not fields:
            return self.get_session(session_id)
        return self.sessions.find_one_and_update({"_id": session_id}, {"$set": fields}, NO_ID,
                                                 return_document=ReturnDocument.AFTER)

    @translate_errors
    def delete_session(self, session_id: str) -> bool:
        """Remove one session."""
        return self.sessions.delete_one({"_id": session_id}).deleted_count == 1

    @translate_errors
    def add_enrolment(self, enrolment: Document) -> None:
        """Insert (``DuplicateKey`` on the id or on the learner's active slot)."""
        self.enrolments.insert_one({"_id": enrolment["id"], "slot": active_slot(enrolment),
                                    **enrolment})

    @translate_errors
    def get_enrolment(self, enrolment_id: str) -> Document | None:
        """One enrolment, or None."""
        return self.enrolments.find_one({"_id": enrolment_id}, ENROLMENT_FIELDS)

    @translate_errors
    def list_enrolments(self, batch_id: str | None = None,
                        learner: tuple[str, str] | None = None,
                        states: Sequence[str] | None = None,
                        learner_org_id: str | None = None) -> builtins.list[Document]:
        """Enrolments by batch, learner, learner organisation and states, oldest first."""
        query: Document = {}
        if learner_org_id is not None:
            query["learner_org_id"] = learner_org_id
        if batch_id is not None:
            query["batch_id"] = batch_id
        if learner is not None:
            query["learner_org_id"], query["learner_id"] = learner
        if states is not None:
            query["state"] = {"$in": list(states)}
        found = self.enrolments.find(query, ENROLMENT_FIELDS)
        return list(found.sort([("created_at", 1), ("_id", 1)]))

    @translate_errors
    def transition(self, enrolment_id: str, from_states: Sequence[str], changes: Document,
                   event: Document, seat: int = 0) -> Document | None:
        """Seat first (conditional update of the batch), then the enrolment's compare-and-set;
        a lost compare-and-set gives the seat back."""
        current = self.get_enrolment(enrolment_id)
        if current is None or current["state"] not in from_states:
            return None
        fields = {k: v for k, v in changes.items() if k not in ("id", "batch_id")}
        fields["slot"] = active_slot({**current, **fields})
        if seat > 0:
            self._take_seat(current["batch_id"], enrolment_id)
        # Projection {"slot": 0} alone: mongomock answers None to a find_one_and_update that
        # also leaves out _id, which is dropped here instead.
        done = self.enrolments.find_one_and_update(
            {"_id": enrolment_id, "state": {"$in": list(from_states)}},
            {"$set": fields, "$push": {"events": event}}, {"slot": 0},
            return_document=ReturnDocument.AFTER)
        if done is not None:
            del done["_id"]
        if done is not None and seat < 0:
            self._give_back(current["batch_id"], enrolment_id)
        elif done is None and seat > 0:
            # Lost the compare-and-set. A racer that approved the same enrolment holds the
            # seat under the same id: give it back only when nobody moved the enrolment into
            # the state this call wanted.
            now = self.get_enrolment(enrolment_id)
            if now is None or now["state"] != fields.get("state", current["state"]):
                self._give_back(current["batch_id"], enrolment_id)
        return done

    def _take_seat(self, batch_id: str, enrolment_id: str) -> None:
        for _ in range(SEAT_ATTEMPTS):
            batch = self.get_batch(batch_id)
            if batch is None:
                raise BatchFull(f"batch {batch_id} is gone")
            if enrolment_id in batch["seat_holders"]:
                return
            if batch["seats_taken"] >= batch["capacity"]:
                raise BatchFull(f"batch {batch_id}: all {batch['capacity']} seats are taken")
            taken = self.batches.update_one(
                {"_id": batch_id, "capacity": batch["capacity"],
                 "seats_taken": {"$lt": batch["capacity"]}, "seat_holders": {"$ne": enrolment_id}},
                {"$inc": {"seats_taken": 1}, "$push": {"seat_holders": enrolment_id}})
            if taken.modified_count == 1:
                return
        raise BatchFull(f"batch {batch_id}: no seat could be taken under contention")

    def _give_back(self, batch_id: str, enrolment_id: str) -> None:
        self.batches.update_one({"_id": batch_id, "seat_holders": enrolment_id},
                                {"$inc": {"seats_taken": -1},
                                 "$pull": {"seat_holders": enrolment_id}})

    @translate_errors
    def attendance(self, session_id: str) -> tuple[int, builtins.list[Document]]:
        """The sheet's revision and records."""
        sheet = self.attendance_sheets.find_one({"_id": session_id})
        return (sheet["revision"], sheet["records"]) if sheet else (0, [])

    @translate_errors
    def save_attendance(self, session_id: str, batch_id: str, revision: int,
                        records: Sequence[Document]) -> bool:
        """The first sheet is an insert (a racer's duplicate ``_id`` loses); later ones a
        single-document update conditional on the revision read."""
        sheet = self.attendance_sheets.find_one({"_id": session_id})
        if (sheet["revision"] if sheet else 0) != revision:
            return False
        merged = merged_records(sheet["records"] if sheet else [], records)
        if sheet is None:
            try:
                self.attendance_sheets.insert_one({"_id": session_id, "batch_id": batch_id,
                                                   "revision": 1, "records": merged})
            except DuplicateKeyError:
                return False
            return True
        done = self.attendance_sheets.update_one({"_id": session_id, "revision": revision},
                                                 {"$set": {"records": merged},
                                                  "$inc": {"revision": 1}})
        return done.modified_count == 1

    @translate_errors
    def batch_attendance(self, batch_id: str) -> builtins.list[Document]:
        """The records of every sheet of the batch."""
        sheets = self.attendance_sheets.find({"batch_id": batch_id}).sort("_id", 1)
        return [record for sheet in sheets for record in sheet["records"]]


def attach(store: MongoStore) -> None:
    """``store.blended``."""
    store.blended = MongoBlendedRepository(store.db)
