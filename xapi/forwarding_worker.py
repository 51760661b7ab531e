"""Delivery of forwarded statements (:mod:`xapi.forwarding` has registration and the outbox).

:func:`forward_once` drains every due downstream's outbox: oldest first, in batches POSTed to
the downstream's Statements resource, with exponential back-off per downstream after a failure
and dead letters for statements refused for good. :class:`ForwardingWorker` runs it in a daemon
thread of each hub process, started lazily (:func:`wake_worker` on enqueue,
:func:`resume_pending` on a process's first request); ``hub xapi forward`` runs it from cron.
Each downstream is leased to one process at a time, so several hubs can run workers. The HTTP
side (destination rules, pooled connections, no redirects, sealed passwords) is the process's
:class:`~xapi.forwarding_client.DownstreamClient`.
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
from storage.ports import Store
from storage.timestamps import format_timestamp, utcnow
from xapi.forwarding_client import DownstreamClient, client_for

log = logging.getLogger(__name__)

#: Downstream answers that will not change on retry: the batch (or one statement of it) is bad.
PERMANENT_STATUSES = frozenset({400, 409, 413})


@dataclass(frozen=True)
class ForwardingPolicy:
    """How the worker sends: batch size, HTTP timeout, back-off and lease lengths."""

    batch_size: int = 100
    timeout: float = 10.0
    backoff_base: float = 1.0  # seconds before the first retry
    backoff_max: float = 900.0  # never wait more than 15 minutes between attempts
    lease_seconds: float = 120.0  # one process owns a downstream this long per round
    batches_per_round: int = 20  # then let other downstreams have a turn

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after ``attempts`` consecutive failures: exponential, capped, with
        jitter (x0.5..1) so that many hubs retrying one downstream do not march in step."""
        delay = min(self.backoff_max, self.backoff_base * 2 ** max(0, attempts - 1))
        return delay * (0.5 + random.random() / 2)


@dataclass
class DownstreamRound:
    """One downstream's turn in a pass: drain its outbox until it is empty, it fails, the round
    is over, or the worker is asked to stop (checked between batches)."""

    store: Store
    client: DownstreamClient
    forwarder: dict[str, Any]
    policy: ForwardingPolicy
    tally: dict[str, int]
    owner: str
    stop: threading.Event | None = None

    @property
    def repo(self) -> Any:
        """The store's forwarding repository."""
        return self.store.forwarding

    @property
    def fid(self) -> str:
        """The forwarder's id."""
        return str(self.forwarder["id"])

    def post(self, entries: list[dict[str, Any]]) -> tuple[int, str]:
        """Send some outbox entries."""
        return self.client.post(self.forwarder, [e["statement"] for e in entries],
                                self.policy.timeout)

    def run(self) -> None:
        """The lease is renewed before each batch, so a long round against a slow downstream
        keeps it; a lost lease ends the round."""
        policy = self.policy
        for _ in range(policy.batches_per_round):
            if self.stop is not None and self.stop.is_set():
                return
            now = datetime.now(UTC)
            if not self.repo.lease(self.fid, self.owner, format_timestamp(now),
                                   format_timestamp(now + timedelta(seconds=policy.lease_seconds))):
                return
            entries = self.repo.pending(self.fid, policy.batch_size)
            if not entries:
                return
            status, error = self.post(entries)
            if 200 <= status < 300:
                self.delivered(entries, {"attempts": 0, "next_attempt_at": None})
            elif status in PERMANENT_STATUSES and len(entries) > 1:
                self.isolate(entries)
            elif status in PERMANENT_STATUSES:  # one statement, refused for good
                self.bury(entries[0], error)
            else:
                self.back_off(error)
                return

    def delivered(self, entries: list[dict[str, Any]], changes: dict[str, Any]) -> None:
        """Entries the downstream accepted leave the outbox."""
        self.repo.remove(self.fid, [e["seq"] for e in entries])
        self.repo.update(self.fid, {**changes, "last_sent_at": utcnow()},
                         inc={"sent": len(entries)})
        self.tally["sent"] += len(entries)

    def isolate(self, entries: list[dict[str, Any]]) -> None:
        """The downstream refused a batch for good: send its statements one by one so that only
        the ones it rejects become dead letters and the others still get through."""
        for entry in entries:
            status, error = self.post([entry])
            if 200 <= status < 300:
                self.delivered([entry], {})
            elif status in PERMANENT_STATUSES:
                self.bury(entry, error)
            else:  # the downstream went away in the middle: the rest waits for the next round
                return

    def bury(self, entry: dict[str, Any], error: str) -> None:
        """Make one entry a dead letter and count it as failed."""
        self.repo.bury(self.fid, entry["seq"], error)
        self.repo.update(self.fid, {"last_error": error, "last_error_at": utcnow()},
                         inc={"failed": 1})
        self.tally["dead"] += 1

    def back_off(self, error: str) -> None:
        """A failure that may pass (network, 5xx, a redirect, 401 or a refused destination or
        unreadable password until someone fixes the registration): wait, longer each time."""
        attempts = int((self.repo.get(self.fid) or {}).get("attempts") or 0) + 1
        retry_at = datetime.now(UTC) + timedelta(seconds=self.policy.backoff(attempts))
        self.repo.update(self.fid, {"attempts": attempts, "last_error": error,
                                    "last_error_at": utcnow(),
                                    "next_attempt_at": format_timestamp(retry_at)})
        self.tally["errors"] += 1


def forward_once(store: Store, client: DownstreamClient, policy: ForwardingPolicy | None = None,
                 owner: str | None = None, stop: threading.Event | None = None) -> dict[str, int]:
    """One pass over every downstream that is due; returns ``{"forwarders", "sent", "dead",
    "errors"}``. Safe to run from several processes at once: each downstream is leased to one
    of them for ``policy.lease_seconds``. ``client`` is the process's
    :class:`~xapi.forwarding_client.DownstreamClient` (its pooled connections outlive the
    pass); ``stop`` ends the pass early (worker shutdown)."""
    policy = policy or ForwardingPolicy()
    owner = owner or f"{os.getpid()}-{threading.get_ident()}"
    tally = {"forwarders": 0, "sent": 0, "dead": 0, "errors": 0}
    now = datetime.now(UTC)
    for fid in store.forwarding.due(format_timestamp(now)):
        until = format_timestamp(now + timedelta(seconds=policy.lease_seconds))
        if not store.forwarding.lease(fid, owner, format_timestamp(now), until):
            continue  # another process is sending to this downstream
        try:
            forwarder = store.forwarding.get(fid)
            if forwarder is not None and forwarder.get("active"):
                tally["forwarders"] += 1
                DownstreamRound(store, client, forwarder, policy, tally, owner, stop).run()
        finally:
            store.forwarding.release(fid, owner)
    return tally


# --------------------------------------------------------------------------------------------
# The background worker
# --------------------------------------------------------------------------------------------


class ForwardingWorker(PollingThread):
    """A daemon thread that runs :func:`forward_once` whenever something was enqueued in this
    process, and every ``poll`` seconds anyway (other processes enqueue too, and back-offs
    expire)."""

    def __init__(self, store: Store, client: DownstreamClient,
                 policy: ForwardingPolicy | None = None, poll: float = 2.0) -> None:
        super().__init__("xapi-forwarding", poll)
        self.store = store
        self.client = client
        self.policy = policy or ForwardingPolicy()

    def run_pass(self, stop: threading.Event) -> None:
        """Forward what the outbox holds."""
        forward_once(self.store, self.client, self.policy, stop=stop)


_workers_lock = threading.Lock()


def wake_worker() -> None:
    """Start (lazily) or wake the current app's forwarding worker, when the app runs one.

    Outside a request or CLI context, or with ``HUB_FORWARDING_WORKER=off``, it does nothing:
    ``hub xapi forward --once`` from cron does the work then."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = app.extensions.get("xapi.forwarding_worker")
    if worker is None:
        if not worker_enabled(app):
            return
        with _workers_lock:
            worker = app.extensions.get("xapi.forwarding_worker")
            if worker is None:
                worker = ForwardingWorker(app.extensions["hub.store"],
                                          client_for(app)).start()
                app.extensions["xapi.forwarding_worker"] = worker
    worker.wake()


#: Later than any ``next_attempt_at``: ``due(END_OF_TIME)`` lists every forwarder with pending
#: entries, back-off or not.
END_OF_TIME = "9999-12-31T23:59:59.999999Z"


def resume_pending(app: Any) -> None:
    """Once per process, on its first request: start the worker when statements are waiting in
    an outbox (the hub restarted while a downstream was down, say), since otherwise only the
    next ingested statement would start it. One indexed query; nothing when none are waiting,
    so apps that never forward never run a thread."""
    if app.extensions.get("xapi.forwarding_resumed"):
        return
    app.extensions["xapi.forwarding_resumed"] = True
    repo = getattr(app.extensions["hub.store"], "forwarding", None)
    if repo is not None and worker_enabled(app) and repo.due(END_OF_TIME):
        wake_worker()


def worker_enabled(app: Any) -> bool:
    """The app runs a worker thread (``HUB_FORWARDING_WORKER``, read by :mod:`hub.config`)."""
    return bool(app.extensions["hub.config"].forwarding_worker)


def stop_worker(app: Any) -> None:
    """Stop the app's worker if one runs (tests, shutdown hooks)."""
    worker = app.extensions.pop("xapi.forwarding_worker", None)
    if worker is not None:
        worker.stop()
