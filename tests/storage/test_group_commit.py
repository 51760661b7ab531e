"""Group commit (storage.sqlite.group_commit, how the embedded store runs ``store.write``):
merged writes commit together, and a conflict in one of them stores nothing of that one and
fails none of the others."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from storage import open_store
from storage.errors import DuplicateKey, StoreUnavailable
from storage.ports.xapi import StatementRecord
from storage.sqlite import group_commit
from xapi.index_keys import fingerprint, statement_keys


def _record(sid: str, verb: str = "attempted") -> StatementRecord:
    stmt = {"id": sid, "actor": {"mbox": "mailto:asha@example.org"},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "object": {"id": "http://example.org/a/1"}}
    return StatementRecord(id=sid, statement=stmt, fingerprint=fingerprint(stmt),
                           keys=tuple(statement_keys(stmt)))


def _merged(store: Any, batches: list[list[StatementRecord]]) -> tuple[list[Any], int]:
    """Submit every batch from its own thread while the leader lock is held, so that one
    leader takes them all; returns each thread's outcome and the top-level transactions."""
    top_level = [0]
    original = store.transaction

    @contextlib.contextmanager
    def counting() -> Iterator[Any]:
        if not store.in_transaction:
            top_level[0] += 1
        with original() as conn:
            yield conn

    store.transaction = counting
    group = group_commit._group(store)
    outcomes: list[Any] = [None] * len(batches)

    def submit(i: int) -> None:
        try:
            outcomes[i] = store.write(lambda: store.statements.insert(batches[i])[1])
        except DuplicateKey as exc:
            outcomes[i] = exc

    with group.leader:
        threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(batches))]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 5
        while len(group.pending) < len(batches) and time.monotonic() < deadline:
            time.sleep(0.01)
    for t in threads:
        t.join(timeout=10)
    return outcomes, top_level[0]


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Any]:
    opened = open_store(sqlite_url)
    yield opened
    opened.close()


def test_waiting_writes_commit_in_one_transaction(store: Any) -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    outcomes, transactions = _merged(store, [[_record(sid)] for sid in ids])
    assert outcomes == [[sid] for sid in ids]
    assert transactions == 1
    assert store.statements.count() == 3
    for sid in ids:  # each acknowledged statement is stored with its own stored stamp
        assert store.statements.get(sid)["statement"]["stored"]


def test_a_conflict_fails_only_its_own_request(store: Any) -> None:
    taken = str(uuid.uuid4())
    store.statements.insert([_record(taken)])
    good, other = str(uuid.uuid4()), str(uuid.uuid4())
    batches = [[_record(good)], [_record(other), _record(taken, verb="passed")]]
    outcomes, transactions = _merged(store, batches)
    assert outcomes[0] == [good]
    assert isinstance(outcomes[1], DuplicateKey)
    assert transactions == 3  # the merged one (rolled back), then one per request
    assert store.statements.get(good) is not None
    assert store.statements.get(other) is None  # the rejected batch stored nothing
    assert store.statements.count() == 2


def test_inside_a_transaction_the_write_runs_directly(store: Any) -> None:
    sid = str(uuid.uuid4())
    with store.transaction():
        assert store.write(lambda: store.statements.insert([_record(sid)])[1]) == [sid]
    assert group_commit._group(store).pending == []
    assert store.statements.count() == 1


class _Interrupted(BaseException):
    """Stands for what only the leader's thread should see (e.g. SystemExit)."""


def test_an_interrupted_leader_leaves_no_waiter_without_an_answer(store: Any) -> None:
    """Writes taken by a leader that is interrupted end with an error, never with a silent
    None (which a request would acknowledge as stored). Either thread may win the leader lock
    once the test lets go of it: the interruption is raised in the leader's thread."""
    group = group_commit._group(store)
    outcomes: dict[str, Any] = {}
    sid = str(uuid.uuid4())

    def interrupted() -> Any:
        raise _Interrupted

    def submit(name: str, write: Any) -> None:
        try:
            outcomes[name] = store.write(write)
        except BaseException as exc:  # the outcome under test
            outcomes[name] = exc

    with group.leader:
        threads = [threading.Thread(target=submit, args=("boom", interrupted)),
                   threading.Thread(target=submit, args=(
                       "ok", lambda: store.statements.insert([_record(sid)])[1]))]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 5
        while len(group.pending) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    for t in threads:
        t.join(timeout=10)
    # Whichever thread won the leader lock ran the interrupted write and sees the interruption;
    # the other one's job ends with an error, or with its own commit when it ran alone first.
    assert [name for name, got in outcomes.items() if isinstance(got, _Interrupted)] in (
        ["boom"], ["ok"])
    assert isinstance(outcomes["boom"], _Interrupted | StoreUnavailable)
    if isinstance(outcomes["ok"], list):  # ran before the interruption, in its own commit
        assert store.statements.get(sid) is not None
    else:
        assert isinstance(outcomes["ok"], StoreUnavailable | _Interrupted)
        assert store.statements.get(sid) is None
