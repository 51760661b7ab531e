"""A learner's completion of a curated or blended program (issue 11: "Completion of a blended
program counts its attended sessions and its required items").

:func:`program_state` derives it on every read; nothing about a program is stored:

- each **required catalogue item** of the program's live version has the learner's state from
  their statements in the learner's organisation's LRS (:func:`marketplace.learner_states.
  item_state`; a program listed as an item is followed the same way, recursively, a cycle
  counted as not started). Optional items are not listed and do not count.
- **external resources** (a URL outside the catalogue) send no statements the hub could read:
  they are listed with state ``untracked`` when required and never hold completion back (a
  curator who needs one done makes it a catalogue item).
- a **blended** program also needs, in the learner's approved batch of it, attended sessions
  ``>= ceil(sessions * min_attendance / 100)`` (``min_attendance``, percent, default 100).
  Without an approved batch it cannot be completed.

The state is ``completed`` when both hold, ``in-progress`` when any item has been started or
any session attended, ``not-started`` otherwise. Plans read a program item this way too
(:func:`activity_state`), rather than by statements naming the program's IRI, which nobody
writes: the state is then never stale and the LRS holds only what learners did.
"""

from __future__ import annotations

import math

from catalogue_schemas.links import catalogue_item_url, is_program_id
from hub.errors import PermissionDenied
from hub.principal import Principal, Role
from marketplace.blended_enrolment import visible_enrolment
from marketplace.learner_states import item_state
from storage.ports import Document, Store

NOT_STARTED, IN_PROGRESS, COMPLETED = "not-started", "in-progress", "completed"


def activity_state(store: Store, org_id: str, learner: Document, public_url: str,
                   item_id: str, seen: frozenset[str] = frozenset()) -> str:
    """The learner's state in a catalogue item: a program's by :func:`program_state`, any
    other item's by its statements."""
    if is_program_id(item_id):
        program = store.courses.get(item_id)
        if program is None or item_id in seen:
            return NOT_STARTED
        return str(program_state(store, org_id, learner, public_url, program, seen)["state"])
    return item_state(store, org_id, learner, catalogue_item_url(public_url, item_id))


def _approved_batch(store: Store, learner: tuple[str, str], program_id: str
                    ) -> Document | None:
    for enrolment in store.blended.list_enrolments(learner=learner, states=["approved"]):
        batch = store.blended.get_batch(enrolment["batch_id"])
        if batch is not None and batch["program_id"] == program_id:
            return batch
    return None


def session_counts(store: Store, learner: tuple[str, str], program_id: str) -> Document:
    """``{"attended", "total", "required", "batch_id"}`` in the learner's approved batch of the
    program (``required`` None without one)."""
    batch = _approved_batch(store, learner, program_id)
    if batch is None:
        return {"attended": 0, "total": 0, "required": None, "batch_id": None}
    sessions = {s["id"] for s in store.blended.list_sessions([batch["id"]])}
    attended = sum(1 for r in store.blended.batch_attendance(batch["id"])
                   if (r["learner_org_id"], r["learner_id"]) == learner
                   and r["status"] == "present" and r["session_id"] in sessions)
    required = math.ceil(len(sessions) * batch.get("min_attendance", 100) / 100)
    return {"attended": attended, "total": len(sessions), "required": required,
            "batch_id": batch["id"]}


def program_state(store: Store, org_id: str, learner: Document, public_url: str,
                  program: Document, seen: frozenset[str] = frozenset()) -> Document:
    """``{"state", "required_items": [{"item", "kind", "required", "state"}], "sessions"}``
    of ``learner`` (``{"learner_id", "home_page"}``, of organisation ``org_id``) in a stored
    program; ``sessions`` is None for a curated program that is not blended."""
    part = ((program.get("live") or program.get("revision") or {}).get("program")) or {}
    seen = seen | {program["id"]}
    items: list[Document] = []
    for item in part.get("items") or []:
        if not item.get("required", True):
            continue
        if item.get("course"):
            state = activity_state(store, org_id, learner, public_url, str(item["course"]),
                                   seen)
            items.append({"item": item["course"], "kind": item.get("kind"), "required": True,
                          "state": state})
        else:
            items.append({"item": item.get("url"), "kind": item.get("kind"), "required": True,
                          "state": "untracked"})
    tracked = [i["state"] for i in items if i["state"] != "untracked"]
    done = all(state == COMPLETED for state in tracked)
    started = any(state != NOT_STARTED for state in tracked)
    sessions = None
    if part.get("blended"):
        sessions = session_counts(store, (org_id, learner["learner_id"]), program["id"])
        done = done and sessions["required"] is not None and (
            sessions["attended"] >= sessions["required"])
        started = started or sessions["attended"] > 0
    state = COMPLETED if done else IN_PROGRESS if started else NOT_STARTED
    return {"state": state, "required_items": items, "sessions": sessions}


def enrolment_completion(store: Store, principal: Principal, public_url: str,
                         enrolment_id: str) -> Document:
    """``GET /blended/enrolments/<id>/completion``: :func:`program_state` of the enrolment's
    learner in its batch's program, for the learner's organisation or a coordinator of the
    batch's (404 for other organisations, 403 for the batch's other credentials)."""
    enrolment = visible_enrolment(store, principal, enrolment_id)
    if not principal.acts_for(enrolment["learner_org_id"]) and not principal.has(
            Role.COORDINATOR):
        raise PermissionDenied("only the learner's organisation or the batch's coordinators")
    batch = store.blended.get_batch(enrolment["batch_id"]) or {}
    program = store.courses.get(batch.get("program_id", "")) or {
        "id": batch.get("program_id", ""), "live": None, "revision": {}}
    learner = {"learner_id": enrolment["learner_id"], "home_page": public_url}
    state = program_state(store, enrolment["learner_org_id"], learner, public_url, program)
    return {"program_id": program["id"], "learner_org_id": enrolment["learner_org_id"],
            "learner_id": enrolment["learner_id"], **state}
