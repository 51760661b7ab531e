"""The polling thread every background worker is built on (forwarding, scores, cmi5 sweeps)."""

from __future__ import annotations

import threading
from pathlib import Path

from hub.background import PollingThread
from lti.player import AbandonSweeper
from storage import open_store


class _Counting(PollingThread):
    def __init__(self, error: Exception | None) -> None:
        super().__init__("test-poller", poll=0.01)
        self.error, self.passes = error, 0
        self.ran = threading.Event()

    def run_pass(self, stop: threading.Event) -> None:
        self.passes += 1
        self.ran.set()
        if self.error is not None:
            raise self.error


def test_a_failing_pass_is_retried() -> None:
    poller = _Counting(RuntimeError("a hiccup")).start()
    try:
        for _ in range(200):
            if poller.passes >= 3:
                break
            poller.ran.wait(0.05)
            poller.ran.clear()
        assert poller.passes >= 3 and poller.running
    finally:
        poller.stop()


def test_a_sweeper_of_a_closed_store_stops_instead_of_retrying(tmp_path: Path) -> None:
    # A worker outliving its app (a test's, or at shutdown) must not go on logging failures.
    store = open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    store.close()
    sweeper = AbandonSweeper(store, "https://hub.example", 60, poll=0.01).start()
    sweeper._thread.join(5)
    assert not sweeper.running
