"""Satisfaction of a cmi5 registration (cmi5 §9.3.9, §10 moveOn, §13 blocks) and the LMS's own
statements about it: ``satisfied``, ``waived`` (§9.3.8) and ``abandoned`` (§9.3.7).

Where it runs: :func:`on_statements` is a statement listener of the LRS
(:func:`xapi.statements.add_statement_listener`, registered by :func:`lti.init_app`), called
inside the write that stores a batch. When the batch holds an AU's ``completed`` or ``passed``
(cheap verb filter first, so ordinary ingest costs a set test per statement), the registration
is evaluated and the ``satisfied`` statements it newly earns are written in the same write: an
AU's statement and the satisfaction it earns commit together or not at all. The player
(:mod:`lti.player`) evaluates at each launch, before the ``launched`` statement (cmi5
§9.6.1.1: moveOn is evaluated at the time of registration, so a course of ``NotApplicable`` AUs
is satisfied before anything is launched), and after a waiver. Only blocks and the course get
``satisfied`` statements (§9.3.9); an AU's state is in the registration's view.

What a registration is evaluated against: its course id, learner and organisation come from its
sessions (``store.cmi5``, written at every launch), the structure from the snapshot its first
launch kept (:func:`keep_snapshot`: live version, package and structure, a State document of the
course activity), so a new revision of the course does not move a started registration.

Each ``satisfied`` statement is written once: the registration's stored statements are looked up
first, and its id is derived from (registration, activity) (UUID v5), so a repeat is the same
statement. The course's ``satisfied`` carries the best passed score of the registration in
``result.score`` (cmi5 does not restrict ``result`` on LMS statements, §9.5 is about AU
statements): the AGS pass-back (:func:`lti.tool_services.enqueue_scores`) turns it into the one
score the launching LMS gets.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from hub.errors import PreconditionFailed
from lti.cmi5_launch import au_activity_id
from lti.links import course_activity_id
from marketplace.packages import package_of, structure_of
from storage.ports import Document, Store
from storage.ports.xapi import DocumentKey, StatementQuery
from storage.timestamps import format_timestamp, utcnow
from xapi import documents
from xapi.cmi5_rules import au_progress, is_cmi5_defined, parse_launch_data
from xapi.cmi5_vocabulary import (
    BLOCK_TYPE,
    CATEGORY,
    COURSE_TYPE,
    MOVEON_CATEGORY,
    SESSION_ID,
    VERBS,
)
from xapi.hub_statements import record
from xapi.index_keys import agent_key

#: The AU verbs that can satisfy an AU (cmi5 §10 moveOn): the listener looks at nothing else.
_TRIGGERS = frozenset({VERBS["completed"], VERBS["passed"]})
_TERMINATED = VERBS["terminated"]
#: cmi5 §9.3.8: after "terminated" the LMS waits "a specified period" and then rejects
#: statements of any kind for the session: its token stops authenticating this long after.
TERMINATED_GRACE = timedelta(seconds=60)
_SATISFIED = VERBS["satisfied"]
_PAGE = 500
#: The State id of a registration's structure snapshot (:func:`keep_snapshot`).
SNAPSHOT_ID = "hub.cmi5.registration"


@dataclass
class Registration:
    """What one registration is evaluated against (see the module docstring)."""

    org_id: str
    registration: str
    course_id: str
    learner_id: str
    public_url: str
    structure: dict[str, Any]

    @property
    def agent(self) -> dict[str, Any]:
        """The learner (cmi5 §9.2)."""
        return {"objectType": "Agent",
                "account": {"homePage": self.public_url, "name": self.learner_id}}


@dataclass
class State:
    """The registration's state: per AU its progress and moveOn, per block and for the course
    whether satisfied, and which ``satisfied`` statements are stored already."""

    aus: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    satisfied: bool = False
    recorded: set[str] = field(default_factory=set)  # activity ids with a stored satisfied
    best_scaled: float | None = None


def snapshot_key(org_id: str, public_url: str, course_id: str, learner_id: str,
                 registration: str) -> DocumentKey:
    """Where the registration's structure snapshot lives: a State document of the course
    activity, the learner and the registration (an AU's token reaches only its AU's State)."""
    agent = {"objectType": "Agent", "account": {"homePage": public_url, "name": learner_id}}
    return DocumentKey("state", SNAPSHOT_ID, course_activity_id(public_url, course_id),
                       agent_key(agent) or "", registration.lower(), org_id=org_id)


def keep_snapshot(store: Store, key: DocumentKey, course: Document) -> None:
    """At the registration's first launch: the live version, package and structure it is
    evaluated against from then on (a later revision of the course does not change what a
    started registration must satisfy)."""
    if store.xapi_documents.get(key) is not None:
        return
    package = package_of(course.get("live")) or {}
    snapshot = {"course_id": course["id"], "live_version": course.get("live_version"),
                "package_sha256": package.get("sha256"), "structure": package.get("structure")}
    with contextlib.suppress(PreconditionFailed):  # a concurrent first launch kept it
        documents.put_document(store, key, orjson.dumps(snapshot), documents.JSON_TYPE,
                               documents.Preconditions(if_none_match="*"))


def registration_of(store: Store, org_id: str, registration: str) -> Registration | None:
    """The registration of ``org_id`` as its sessions and its structure snapshot tell it
    (the course's live structure for a registration from before snapshots); None when it has
    no session or no structure."""
    sessions = store.cmi5.sessions(org_id, registration.lower())
    if not sessions:
        return None
    first = sessions[0]
    account = (first.get("agent") or {}).get("account") or {}
    learner, public_url = str(account.get("name") or ""), str(account.get("homePage") or "")
    return registration_for(store, org_id, registration, str(first["course_id"]), learner,
                            public_url)


def registration_for(store: Store, org_id: str, registration: str, course_id: str,
                     learner: str, public_url: str) -> Registration | None:
    """The registration from what a launch knows, before any session of it exists (cmi5
    §9.6.1.1: moveOn is evaluated at the time of registration); None without a structure."""
    snapshot = parse_launch_data(store.xapi_documents.get(
        snapshot_key(org_id, public_url, course_id, learner, registration)))
    structure = (snapshot or {}).get("structure")
    if not isinstance(structure, dict):
        structure = structure_of((store.courses.get(course_id) or {}).get("live"))
    if structure is None:
        return None
    return Registration(org_id, registration.lower(), course_id, learner, public_url,
                        structure)


def block_activity_id(public_url: str, course_id: str, block_id: str) -> str:
    """The LMS's activity id of a block (like an AU's, cmi5 §8.1.5): under the course's IRI."""
    name = uuid.uuid5(uuid.NAMESPACE_URL, f"{course_id} block {block_id}")
    return f"{course_activity_id(public_url, course_id)}/block/{name}"


def moved_on(move_on: str, completed: bool, passed: bool, waived: bool, launched: bool) -> bool:
    """cmi5 §10 (moveOn) and §9.3.8: whether an AU's criteria are met (a waived AU's are, and
    a ``NotApplicable`` AU's from the registration on, launched or not: cmi5 §9.6.1.1, the
    LMS evaluates moveOn at the time of registration)."""
    if waived:
        return True
    return {"Passed": passed, "Completed": completed, "CompletedAndPassed": completed and passed,
            "CompletedOrPassed": completed or passed}.get(move_on, True)


def _scan(store: Store, reg: Registration, state: State) -> None:
    """One pass over the registration's statements: stored ``satisfied`` objects and the best
    scaled score of a ``passed``."""
    cursor: str | None = None
    while True:
        page = store.statements.query(StatementQuery(
            keys=("reg|" + reg.registration,), ascending=True, limit=_PAGE, cursor=cursor,
            org_id=reg.org_id))
        for stmt in page.statements:
            if not is_cmi5_defined(stmt):
                continue
            verb = stmt["verb"]["id"]
            if verb == _SATISFIED:
                state.recorded.add(str(stmt["object"].get("id")))
            elif verb == VERBS["passed"]:
                scaled = ((stmt.get("result") or {}).get("score") or {}).get("scaled")
                if isinstance(scaled, int | float) and not isinstance(scaled, bool):
                    state.best_scaled = max(state.best_scaled or 0.0, float(scaled))
        if page.cursor is None:
            return
        cursor = page.cursor


def evaluate(store: Store, reg: Registration) -> State:
    """The registration's :class:`State` (nothing written)."""
    state = State()
    _scan(store, reg, state)
    done: dict[str, bool] = {}
    for au in reg.structure.get("aus", ()):
        activity = au_activity_id(reg.public_url, reg.course_id, au["id"])
        progress = au_progress(store, reg.org_id, reg.registration, activity)
        launched = any("launched" in s.verbs for s in progress.sessions.values())
        move_on = au.get("move_on") or "NotApplicable"
        satisfied = moved_on(move_on, progress.completed, progress.passed, progress.waived,
                             launched)
        done[au["id"]] = satisfied
        state.aus.append({"au_id": au["id"], "activity_id": activity, "title": au.get("title"),
                          "launch_method": au.get("launch_method") or "AnyWindow",
                          "completed": progress.completed, "passed": progress.passed,
                          "failed": progress.failed, "waived": progress.waived,
                          "satisfied": satisfied, "move_on": move_on, "progress": progress})
    blocks = {b["id"]: b for b in reg.structure.get("blocks", ())}

    def settled(ident: str) -> bool:
        # cmi5 §13: a block is satisfied when all its children (AUs and blocks) are.
        if ident not in done:
            done[ident] = all(settled(c) for c in blocks.get(ident, {}).get("children", ()))
        return done[ident]

    for block in reg.structure.get("blocks", ()):
        state.blocks.append({"id": block["id"], "satisfied": settled(block["id"]),
                             "activity_id": block_activity_id(reg.public_url, reg.course_id,
                                                              block["id"])})
    children = reg.structure.get("children") or [au["id"] for au in reg.structure["aus"]]
    state.satisfied = all(settled(c) for c in children)
    return state


def lms_statement(reg: Registration, verb: str, activity: dict[str, Any], session_id: str,
                  grouping: str | None = None, result: dict[str, Any] | None = None,
                  statement_id: str | None = None) -> dict[str, Any]:
    """An LMS statement of the registration (cmi5 §9.3, context §9.6: registration, the cmi5
    category, the session id; the publisher's id in ``grouping`` for an AU, §9.6.2.3)."""
    category = [{"id": CATEGORY, "objectType": "Activity"}]
    if result and ("success" in result or "completion" in result):
        category.append({"id": MOVEON_CATEGORY, "objectType": "Activity"})  # §9.6.2.2
    context: dict[str, Any] = {
        "registration": reg.registration,
        "contextActivities": {"category": category},
        "extensions": {SESSION_ID: session_id}}
    if grouping:
        context["contextActivities"]["grouping"] = [{"id": grouping, "objectType": "Activity"}]
    stmt: dict[str, Any] = {
        "id": statement_id or str(uuid.uuid4()), "actor": reg.agent,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", **activity}, "context": context,
        "timestamp": utcnow()}
    if result:
        stmt["result"] = result
    return stmt


def _satisfied_id(reg: Registration, activity_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"satisfied {reg.registration} {activity_id}"))


def newly_satisfied(reg: Registration, state: State, session_id: str) -> list[dict[str, Any]]:
    """The ``satisfied`` statements (cmi5 §9.3.9) the state earns and the store lacks: blocks,
    then the course (object: the block or course activity, the publisher's id in ``grouping``).
    An AU gets none: §9.3.9 "satisfied" is a block's or the course's; an AU's criteria show in
    its own completed/passed or the LMS's waived."""
    out: list[dict[str, Any]] = []
    for block in state.blocks:
        if block["satisfied"] and block["activity_id"] not in state.recorded:
            out.append(lms_statement(
                reg, "satisfied", {"id": block["activity_id"],
                                   "definition": {"type": BLOCK_TYPE}},
                session_id, block["id"],
                statement_id=_satisfied_id(reg, block["activity_id"])))
    course = course_activity_id(reg.public_url, reg.course_id)
    if state.satisfied and course not in state.recorded:
        result = ({"score": {"scaled": state.best_scaled}}
                  if state.best_scaled is not None else None)
        out.append(lms_statement(reg, "satisfied", {"id": course,
                                                    "definition": {"type": COURSE_TYPE}},
                                 session_id, reg.structure.get("id"), result,
                                 _satisfied_id(reg, course)))
    return out


def settle(store: Store, blobs: Any, reg: Registration, session_id: str) -> State:
    """Evaluate the registration and write what it newly earns (in the caller's write)."""
    state = evaluate(store, reg)
    earned = newly_satisfied(reg, state, session_id)
    if earned:
        record(store, blobs, reg.public_url, reg.org_id, earned)
        state.recorded.update(s["object"]["id"] for s in earned)
    return state


def on_statements(store: Store, org_id: str, statements: list[dict[str, Any]]) -> None:
    """The statement listener (see the module docstring): settle each registration whose AU
    reported ``completed`` or ``passed`` in the batch."""
    seen: set[str] = set()
    for stmt in statements:
        verb = (stmt.get("verb") or {}).get("id")
        if verb == _TERMINATED and is_cmi5_defined(stmt):
            _close_after_grace(store, org_id, stmt)
        if verb not in _TRIGGERS or not is_cmi5_defined(stmt):
            continue
        registration = stmt["context"].get("registration")
        if not isinstance(registration, str) or registration.lower() in seen:
            continue
        seen.add(registration.lower())
        reg = registration_of(store, org_id, registration)
        if reg is not None:
            session_id = str((stmt["context"].get("extensions") or {}).get(SESSION_ID) or "")
            settle(store, None, reg, session_id)


def _close_after_grace(store: Store, org_id: str, stmt: dict[str, Any]) -> None:
    """A terminated session is closed :data:`TERMINATED_GRACE` from now: then its token no
    longer authenticates (cmi5 §9.3.8), and the sweeper never abandons it."""
    session_id = (stmt["context"].get("extensions") or {}).get(SESSION_ID)
    session = store.cmi5.session_by_id(org_id, str(session_id)) if session_id else None
    if session is not None:
        later = datetime.now(UTC) + TERMINATED_GRACE
        store.cmi5.close_session(session["key"], format_timestamp(later))


def registration_view(reg: Registration, state: State) -> Document:
    """The registration as ``GET /player/registrations/{registration}`` shows it."""
    return {"registration": reg.registration, "course_id": reg.course_id,
            "learner_id": reg.learner_id, "satisfied": state.satisfied,
            "aus": [{k: au[k] for k in ("au_id", "activity_id", "completed", "passed", "failed",
                                        "waived", "satisfied", "move_on")}
                    for au in state.aus],
            "blocks": [{"id": b["id"], "satisfied": b["satisfied"]} for b in state.blocks]}
