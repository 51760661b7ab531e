"""The port of the cmi5 runtime: content sessions (their fetch URL and token) and registrations.

A content session is one launch of an assignable unit (cmi5 §8): the LMS mints a one-time
``fetch`` URL (§8.2) that hands out the session's token once; the token then authenticates the
AU's LRS calls, scoped to one learner, registration and AU. A registration is a learner's
enrolment in a course (cmi5 §9.6.1), reused by every launch of the course's AUs.
"""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class Cmi5Repository(Protocol):
    """``store.cmi5``: content sessions and course registrations (``xapi/cmi5_sessions``).

    A session: ``{"key", "fetch_hash", "secret_hash": None | str, "org_id", "agent": {...},
    "agent_key", "registration", "activity_id", "au_id", "course_id", "session_id",
    "launch_mode", "created_at", "expires_at", "fetched_at": None | str, "closed_at"?: str}``.
    ``key`` names the token (stored plainly, like a credential key); the fetch id and the token
    secret are stored only as hashes. ``secret_hash`` stays None until the fetch URL is used.
    """

    def add_session(self, session: Document) -> None:
        """Insert (``DuplicateKey`` when the key or the fetch hash exists)."""
        ...

    def claim_fetch(self, fetch_hash: str, secret_hash: str, now: str) -> Document | None:
        """Compare-and-set, once per session: when the session of ``fetch_hash`` has no secret
        yet and expires after ``now``, set ``secret_hash`` and ``fetched_at`` = ``now`` and
        return the session as changed; otherwise change nothing and return None."""
        ...

    def get_by_fetch(self, fetch_hash: str) -> Document | None:
        """The session of a fetch hash, used or not."""
        ...

    def get_session(self, key: str) -> Document | None:
        """The session of a token key."""
        ...

    def sessions(self, org_id: str, registration: str) -> builtins.list[Document]:
        """The sessions of one registration, oldest first (abandoning a session that never
        terminated needs them, cmi5 §9.3.6)."""
        ...

    def session_by_id(self, org_id: str, session_id: str) -> Document | None:
        """The session whose cmi5 session id (§9.6.3.1) is ``session_id`` in ``org_id``."""
        ...

    def stale_sessions(self, created_before: str, limit: int) -> builtins.list[Document]:
        """Up to ``limit`` sessions created before ``created_before`` and not closed (no
        ``closed_at``), oldest first: the abandon sweeper's work (cmi5 §9.3.7)."""
        ...

    def note_preferences_read(self, key: str, at: str) -> None:
        """Record, once, that the session's AU read its learner's preferences (cmi5 §11: an AU
        reads them before it sends ``initialized``)."""
        ...

    def close_session(self, key: str, closed_at: str) -> bool:
        """Set ``closed_at`` on an open session (the player has settled it: terminated, or
        abandoned written); False when it was closed already (of racing callers one wins)."""
        ...

    def registration(self, org_id: str, learner_id: str, course_id: str, new: str) -> str:
        """The learner's registration for the course: the stored one, else ``new``, stored now
        (of racing callers, the first one's value wins and every caller gets it)."""
        ...
