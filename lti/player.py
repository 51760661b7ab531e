"""The hub's player: launching a published cmi5 or xAPI course for a learner, the registration's
state, waiving an AU and abandoning sessions (cmi5 §8, §9.3.7, §9.3.8; the routes are
:mod:`lti.player_routes`).

A learner is (caller's organisation, learner id): an LMS or a department launches its own
learners, and another organisation's registrations and sessions answer 404.

Abandoning (cmi5 §9.3.7, "the LMS MUST record abandoned" for a session that ended without
``terminated``) happens three ways: the abandon route, the next launch of the same
registration and AU (:func:`launch`), and the sweeper (:func:`sweep`, run by
:class:`AbandonSweeper`) for sessions older than ``HUB_CMI5_ABANDON_AFTER`` seconds. A session
is closed (``store.cmi5.close_session``) once settled, so each is abandoned at most once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

from catalogue_schemas.player import WAIVE_REASONS
from hub.background import PollingThread
from hub.errors import Conflict, NotFound, ValidationError
from lti import cmi5_satisfaction as sat
from lti.cmi5_launch import prepare_au_launch, prepare_xapi_package_launch
from lti.links import player_url
from marketplace.packages import package_of, structure_of
from storage.ports import Document, Store
from storage.timestamps import format_timestamp, utcnow
from xapi.cmi5_rules import au_progress
from xapi.hub_statements import record

REASON_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/reason"


def published_package(store: Store, course_id: str) -> tuple[Document, dict[str, Any]]:
    """The published course and its live structure, when its delivery is cmi5 or xapi (404
    otherwise: unknown, unpublished, or not packaged content)."""
    course = store.courses.get(course_id)
    live = (course or {}).get("live")
    structure = structure_of(live)
    if course is None or not live or structure is None or (
            (live.get("delivery") or {}).get("type") not in ("cmi5", "xapi")):
        raise NotFound(f"no published cmi5 or xAPI course {course_id!r}")
    return course, structure


def _content_base(public_url: str, course: Document) -> str:
    package = package_of(course["live"]) or {}
    return f"{public_url}/content/{quote(str(course['id']), safe='')}/{package.get('sha256')}"


def _iso_duration(start: str, end: str) -> str:
    seconds = (datetime.fromisoformat(end.replace("Z", "+00:00"))
               - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
    return f"PT{max(0.0, seconds):.2f}S"


def abandon_session(store: Store, public_url: str, session: Document) -> bool:
    """Write ``abandoned`` for ``session`` (cmi5 §9.3.7: ``result.duration`` from its launch to
    now) unless it terminated or was abandoned; close it either way. True when written."""
    progress = au_progress(store, session["org_id"], session["registration"],
                           session["activity_id"])
    ended = progress.sessions.get(session["session_id"])
    if ended is not None and (ended.terminated or ended.abandoned):
        store.cmi5.close_session(session["key"], utcnow())
        return False
    if not store.cmi5.close_session(session["key"], utcnow()):
        return False  # settled by a racing caller
    account = (session.get("agent") or {}).get("account") or {}
    reg = sat.Registration(session["org_id"], session["registration"], session["course_id"],
                           str(account.get("name") or ""), public_url, {})
    stmt = sat.lms_statement(reg, "abandoned", {"id": session["activity_id"]},
                             session["session_id"], session["au_id"],
                             {"duration": _iso_duration(session["created_at"], utcnow())})
    record(store, None, public_url, session["org_id"], [stmt])
    return True


def _choose_au(store: Store, org_id: str, registration: str | None, course_id: str,
               structure: dict[str, Any], au_id: str | None) -> dict[str, Any]:
    aus = list(structure.get("aus", ()))
    if au_id is not None:
        for au in aus:
            if au["id"] == au_id:
                return au
        raise ValidationError.for_field("au_id", "is not an AU of the course")
    if not aus:
        raise ValidationError.for_field("au_id", "the course has no AU")
    reg = sat.registration_of(store, org_id, registration) if registration else None
    if reg is not None:  # the first AU, in structure order, not satisfied yet
        done = {seen["au_id"] for seen in sat.evaluate(store, reg).aus if seen["satisfied"]}
        for au in aus:
            if au["id"] not in done:
                return au
    return aus[0]


def launch(store: Store, config: Any, org_id: str, body: dict[str, Any],
           registration: str | None = None) -> Document:
    """``POST /player/launches``: launch an AU (cmi5) or the package (xAPI) of a published
    course for the learner ``(org_id, body["learner_id"])``; ``registration`` proposes the
    registration's value the first time (an LTI launch's attempt). One write."""
    course_id, learner_id = body["course_id"], body["learner_id"]
    course, structure = published_package(store, course_id)
    public_url = config.public_url
    return_url = body.get("return_url") or player_url(public_url, course_id)
    kind = course["live"]["delivery"]["type"]
    base = _content_base(public_url, course)
    if body.get("au_id") is not None and not any(
            au["id"] == body["au_id"] for au in structure.get("aus", ())):
        # checked before the write: a refused launch stores nothing, on every store
        raise ValidationError.for_field("au_id", "is not an AU of the course")

    def write() -> Document:
        reg_id = store.cmi5.registration(org_id, learner_id, course_id,
                                         registration or str(uuid.uuid4())).lower()
        sat.keep_snapshot(store, sat.snapshot_key(org_id, public_url, course_id, learner_id,
                                                  reg_id), course)
        au = _choose_au(store, org_id, reg_id, course_id, structure, body.get("au_id"))
        if kind == "xapi":
            done = prepare_xapi_package_launch(
                store, org_id, learner_id, course_id, str(au["url"]), str(au["id"]), reg_id,
                public_url=public_url, token_ttl=config.cmi5_token_ttl, content_base=base)
            done["activity_id"] = au["id"]
        else:
            # cmi5 §9.3.7: a previous session of this AU that never terminated is abandoned
            for old in store.cmi5.sessions(org_id, reg_id):
                if old["au_id"] == au["id"] and not old.get("closed_at"):
                    abandon_session(store, public_url, old)
            reg = sat.registration_for(store, org_id, reg_id, course_id, learner_id, public_url)
            if reg is not None:
                # cmi5 §9.6.1.1: moveOn is evaluated at the time of registration (NotApplicable
                # AUs are satisfied from then), before the launch, in an LMS session of its own
                # (§9.3.9: a satisfied outside an AU session gets a new session id).
                sat.settle(store, None, reg, str(uuid.uuid4()))
            done = prepare_au_launch(
                store, org_id, learner_id, course_id, structure, au, reg_id, return_url,
                body.get("launch_mode") or "Normal", public_url=public_url,
                token_ttl=config.cmi5_token_ttl, content_base=base)
        return {"url": done["url"], "registration": done["registration"],
                "session_id": done["session"], "au_id": au["id"],
                "activity_id": done["activity_id"],
                "launch_method": au.get("launch_method") or "AnyWindow",
                "course_id": course_id}

    result: Document = store.write(write)
    return result


def load_registration(store: Store, org_id: str, registration: str) -> sat.Registration:
    """The caller's organisation's registration (404 otherwise)."""
    reg = sat.registration_of(store, org_id, registration)
    if reg is None:
        raise NotFound(f"no registration {registration!r}")
    return reg


def registration_state(store: Store, org_id: str, registration: str) -> Document:
    """``GET /player/registrations/{registration}``."""
    reg = load_registration(store, org_id, registration)
    return sat.registration_view(reg, sat.evaluate(store, reg))


def waive(store: Store, org_id: str, registration: str, au_id: str, reason: str) -> Document:
    """Waive an AU (cmi5 §9.3.8: ``waived`` with success and completion true and the reason,
    §9.5.4.2), then settle the registration; 409 when the AU is satisfied already."""
    if reason not in WAIVE_REASONS:
        raise ValidationError.for_field("reason", f"must be one of {WAIVE_REASONS}")

    def write() -> Document:
        reg = load_registration(store, org_id, registration)
        state = sat.evaluate(store, reg)
        au = next((a for a in state.aus if a["au_id"] == au_id), None)
        if au is None:
            raise ValidationError.for_field("au_id", "is not an AU of the course")
        if au["satisfied"]:
            raise Conflict(f"AU {au_id!r} is satisfied already in this registration")
        session_id = str(uuid.uuid4())  # the LMS's own session (cmi5 §9.6.3.1)
        stmt = sat.lms_statement(reg, "waived", {"id": au["activity_id"]}, session_id, au_id,
                                 {"success": True, "completion": True,
                                  "extensions": {REASON_EXTENSION: reason}})
        record(store, None, reg.public_url, org_id, [stmt])
        return sat.registration_view(reg, sat.settle(store, None, reg, session_id))

    result: Document = store.write(write)
    return result


def abandon(store: Store, public_url: str, org_id: str, session_id: str) -> Document:
    """``POST /player/sessions/{session_id}/abandon``: 404 for another organisation's, 409
    when the session terminated or was abandoned already."""
    session = store.cmi5.session_by_id(org_id, session_id)
    if session is None or not session.get("activity_id"):
        raise NotFound(f"no cmi5 session {session_id!r}")

    def write() -> bool:
        return abandon_session(store, public_url, session)

    if not store.write(write):
        raise Conflict(f"session {session_id!r} has ended already (terminated or abandoned)")
    return {"session_id": session_id, "registration": session["registration"],
            "abandoned": True}


def sweep(store: Store, public_url: str, abandon_after: int, limit: int = 200) -> int:
    """Abandon the open sessions launched more than ``abandon_after`` seconds ago (cmi5
    §9.3.7); returns how many got ``abandoned``. xAPI package sessions are only closed."""
    cutoff = format_timestamp(datetime.now(UTC) - timedelta(seconds=abandon_after))
    written = 0
    for session in store.cmi5.stale_sessions(cutoff, limit):
        if not session.get("activity_id"):
            store.cmi5.close_session(session["key"], utcnow())
            continue
        written += bool(store.write(partial(abandon_session, store, public_url, session)))
    return written


class AbandonSweeper(PollingThread):
    """:func:`sweep` in a daemon thread, every ``poll`` seconds."""

    def __init__(self, store: Store, public_url: str, abandon_after: int,
                 poll: float = 60.0) -> None:
        super().__init__("cmi5-abandon-sweeper", poll)
        self.store, self.public_url, self.abandon_after = store, public_url, abandon_after

    def run_pass(self, stop: Any) -> None:
        """One sweep."""
        sweep(self.store, self.public_url, self.abandon_after)

    def _run(self) -> None:
        # The first pass after one poll, not at start: nothing launched since the process
        # started is stale yet, and the first launch is not slowed by a sweep beside it.
        if not self._stop.wait(self.poll):
            self._loop()


def start_sweeper(app: Any) -> None:
    """Start the app's :class:`AbandonSweeper` once (from the first launch of this process),
    unless ``HUB_CMI5_ABANDON_AFTER`` is 0; ``hub lti sweep-sessions`` runs one pass."""
    config = app.extensions["hub.config"]
    if config.cmi5_abandon_after <= 0 or "lti.abandon_sweeper" in app.extensions:
        return
    app.extensions["lti.abandon_sweeper"] = AbandonSweeper(
        app.extensions["hub.store"], config.public_url, config.cmi5_abandon_after,
        poll=min(300.0, max(1.0, config.cmi5_abandon_after / 10))).start()
