"""Group commit: how the embedded store runs :meth:`storage.ports.Store.write`.

Each write transaction of the embedded store rewrites in the WAL every page it dirtied (the
interior pages of every index, the tails of the hot key ranges) and, since another connection
committed in between, re-reads those pages first. Request threads of one process that wait for
the write lock at the same time are therefore merged: one of them (the leader) runs all the
waiting writes in one transaction, each inside its own savepoint. A request is answered only
after the transaction holding its write committed (no acknowledgement before commit). When the
merged transaction raises (a 409 conflict of one request, any error), it is rolled back and every
write is run again in its own transaction, so a failing request stores nothing and does not fail
the others.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from storage.errors import StoreUnavailable

_GROUPS: weakref.WeakKeyDictionary[Any, _Group] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


class _Job:
    """One request's write and its outcome."""

    __slots__ = ("done", "error", "result", "write")

    def __init__(self, write: Callable[[], Any]) -> None:
        self.write = write
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


class _Group:
    """The pending writes of one store in this process and the lock of their leader."""

    def __init__(self) -> None:
        self.pending: list[_Job] = []
        self.pending_lock = threading.Lock()
        self.leader = threading.Lock()


def _group(store: Any) -> _Group:
    group = _GROUPS.get(store)
    if group is None:
        with _GROUPS_LOCK:
            group = _GROUPS.setdefault(store, _Group())
    return group


def run_grouped(store: Any, write: Callable[[], Any]) -> Any:
    """Run ``write`` (which opens its own ``store.transaction()``) in a transaction, possibly
    merged with other threads' writes; returns its result or raises its error.

    A caller already inside a transaction runs it directly: merging needs one rollback
    covering every merged write."""
    if store.in_transaction:
        return write()
    group = _group(store)
    job = _Job(write)
    with group.pending_lock:
        group.pending.append(job)
    # The leader lock is held while a leader runs the writes it took, so whoever gets it next
    # finds its job either done (merged by the previous leader) or still pending (leads now).
    with group.leader:
        if not job.done:
            with group.pending_lock:
                jobs, group.pending = group.pending, []
            _run(store, jobs)
    if job.error is not None:
        raise job.error
    return job.result


def _run(store: Any, jobs: list[_Job]) -> None:
    """Run the jobs merged (or one by one after a failure); every job ends ``done``, even when
    the leader is interrupted (its waiters then raise the interruption's error)."""
    try:
        if len(jobs) > 1 and _run_merged(store, jobs):
            return
        for job in jobs:
            try:
                job.result = job.write()
            except Exception as exc:  # handed to the request's own thread
                job.error = exc
            job.done = True
    finally:
        for job in jobs:
            if not job.done:
                job.error = StoreUnavailable("the write was interrupted before it committed")
                job.done = True


def _run_merged(store: Any, jobs: list[_Job]) -> bool:
    """All jobs in one transaction, each in its own savepoint; False (nothing stored) when
    any of them, or the commit, raised."""
    results = []
    try:
        with store.transaction():
            for job in jobs:
                results.append(job.write())  # a SAVEPOINT inside the merged transaction
    except Exception:  # any failure: the caller runs each write on its own
        return False
    for job, result in zip(jobs, results, strict=True):
        job.result, job.done = result, True
    return True
