"""Sending the score outbox (``store.lti_grades``) to the LMSes, once each.

:func:`send_scores` claims due entries (a lease per entry, so several hub processes can send
at once without sending one twice), and for each: an access token of the launching platform
registration, the line item (found or created once, then remembered on the target), the score.
A failure that may pass (network, 5xx, 401) is retried with exponential back-off up to
:attr:`ScorePolicy.max_attempts`; one that cannot (the LMS refuses the request, the registration
is gone) makes the entry a dead letter with its error. Delivery is at least once: a crash after
the LMS took a score and before the entry is settled resends it, which AGS 2.0 §3.4.1.1 makes
harmless (the LMS keeps the score with the latest ``timestamp``; the same timestamp twice is the
same score).

:class:`ScoreSender` runs it in a daemon thread, woken when a completion is enqueued in this
process and polling for the others; ``hub lti send-scores`` runs it from cron.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.background import PollingThread
from hub.errors import HubError
from lti.ags_client import (
    FULL_MARKS,
    AccessTokens,
    find_or_create_line_item,
    post_score,
    scopes_for,
)
from lti.lms_http import LmsHttp, LmsServiceError
from storage.ports import Store
from storage.timestamps import format_timestamp, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScorePolicy:
    """Batch size, lease length and back-off of the sender."""

    batch_size: int = 50
    lease_seconds: float = 120.0
    backoff_base: float = 2.0
    backoff_max: float = 3600.0
    max_attempts: int = 12  # about a day of retries with the caps above

    def backoff(self, attempts: int) -> float:
        """Exponential, capped, with jitter (x0.5..1)."""
        delay = min(self.backoff_max, self.backoff_base * 2 ** max(0, attempts - 1))
        return delay * (0.5 + random.random() / 2)


def _label(store: Store, course_id: str) -> str:
    """A line item's label: the course's live English title (or any), else its id."""
    course = store.courses.get(course_id) or {}
    title = (course.get("live") or {}).get("title") or {}
    if isinstance(title, dict) and title:
        return str(title.get("en") or next(iter(title.values())))
    return course_id


def send_entry(store: Store, http: LmsHttp, tokens: AccessTokens,
               entry: dict[str, Any]) -> None:
    """Send one outbox entry; raises :class:`LmsServiceError` or a hub error on failure."""
    target = store.lti_grades.get_target(entry["target_id"])
    if target is None:
        raise LmsServiceError("the launch this score belongs to is gone", permanent=True)
    registration = store.lti_platforms.get(target["registration_id"])
    if registration is None:
        raise LmsServiceError("the platform registration is gone", permanent=True)
    try:
        token = tokens.token(registration, scopes_for(target))
        lineitem = find_or_create_line_item(http, token, target,
                                            _label(store, target["course_id"]), FULL_MARKS)
        if lineitem != target.get("lineitem"):
            store.lti_grades.update_target(target["id"], {"lineitem": lineitem})
        post_score(http, token, lineitem, entry["score"])
    except LmsServiceError as exc:
        if exc.status == 401:  # the LMS revoked our token early: ask for a new one next time
            tokens.forget(registration)
        raise


def send_scores(store: Store, http: LmsHttp, tokens: AccessTokens,
                policy: ScorePolicy | None = None, owner: str | None = None,
                stop: threading.Event | None = None) -> dict[str, int]:
    """One pass over the entries due when it starts; returns ``{"sent", "retry", "dead"}``.
    Claims are made as of the pass's start, so an entry retried in this pass waits for the
    next one even when its back-off is over at once."""
    policy = policy or ScorePolicy()
    owner = owner or f"{os.getpid()}-{threading.get_ident()}"
    tally = {"sent": 0, "retry": 0, "dead": 0}
    start = datetime.now(UTC)
    while stop is None or not stop.is_set():
        until = datetime.now(UTC) + timedelta(seconds=policy.lease_seconds)
        claimed = store.lti_grades.claim(owner, format_timestamp(start),
                                         format_timestamp(until), policy.batch_size)
        if not claimed:
            break
        for entry in claimed:
            tally[_settle(store, http, tokens, policy, owner, entry)] += 1
    return tally


def _settle(store: Store, http: LmsHttp, tokens: AccessTokens, policy: ScorePolicy,
            owner: str, entry: dict[str, Any]) -> str:
    try:
        send_entry(store, http, tokens, entry)
    except (LmsServiceError, HubError) as exc:  # hub.outbound's errors are hub errors
        attempts = int(entry.get("attempts") or 0) + 1
        permanent = isinstance(exc, LmsServiceError) and exc.permanent
        if permanent or attempts >= policy.max_attempts:
            store.lti_grades.settle(entry["key"], owner, {
                "status": "dead", "attempts": attempts, "last_error": str(exc)})
            return "dead"
        retry_at = datetime.now(UTC) + timedelta(seconds=policy.backoff(attempts))
        store.lti_grades.settle(entry["key"], owner, {
            "status": "pending", "attempts": attempts, "last_error": str(exc),
            "next_attempt_at": format_timestamp(retry_at)})
        return "retry"
    store.lti_grades.settle(entry["key"], owner, {"status": "sent", "sent_at": utcnow(),
                                                  "last_error": None})
    return "sent"


class ScoreSender(PollingThread):
    """A daemon thread running :func:`send_scores` for an app when woken and every ``poll``
    seconds. The thread makes the app's token cache itself (in the app's context), so waking
    it from inside an ingest write signs and fetches nothing there."""

    def __init__(self, app: Any, policy: ScorePolicy | None = None, poll: float = 5.0) -> None:
        super().__init__("lti-scores", poll)
        self.app = app
        self.policy = policy or ScorePolicy()

    def run_pass(self, stop: threading.Event) -> None:
        """Send what the outbox holds, with the app's token cache."""
        tokens = access_tokens(self.app)
        send_scores(self.app.extensions["hub.store"], tokens.http, tokens, self.policy,
                    stop=stop)

    def _run(self) -> None:
        with self.app.app_context():  # the keys that sign client assertions are the app's
            self._loop()


_lock = threading.RLock()  # access_tokens is called with it held


def access_tokens(app: Any) -> AccessTokens:
    """The app's token cache, signing with the hub's keys through its guarded client (in an
    app context: the keys are the current app's)."""
    tokens = app.extensions.get("lti.access_tokens")
    if tokens is None:
        from hub.outbound import outbound_client
        from lti.keys import hub_keys

        with _lock:
            tokens = app.extensions.get("lti.access_tokens")
            if tokens is None:
                keys = hub_keys()
                tokens = AccessTokens(outbound_client(app), lambda claims: keys.sign(claims))
                app.extensions["lti.access_tokens"] = tokens
    return tokens  # type: ignore[no-any-return]


def wake_sender() -> None:
    """Start (lazily) or wake the current app's sender; nothing outside an app context or with
    ``HUB_LTI_SCORE_WORKER=off`` (``hub lti send-scores`` from cron does the work then)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sender = app.extensions.get("lti.score_sender")
    if sender is None:
        if not app.extensions["hub.config"].lti_score_worker:
            return
        with _lock:
            sender = app.extensions.get("lti.score_sender")
            if sender is None:
                sender = ScoreSender(app).start()
                app.extensions["lti.score_sender"] = sender
    sender.wake()


def stop_sender(app: Any) -> None:
    """Stop the app's sender if one runs (tests, shutdown)."""
    sender = app.extensions.pop("lti.score_sender", None)
    if sender is not None:
        sender.stop()
