"""A daemon thread that runs one pass of background work when woken and every ``poll`` seconds:
the xAPI forwarding worker and the LTI score sender are both one of these."""

from __future__ import annotations

import logging
import threading
from typing import Self

from storage.errors import StoreClosed

log = logging.getLogger(__name__)


class PollingThread:
    """Runs :meth:`run_pass` in a daemon thread named ``name``, again when :meth:`wake` is called
    and at least every ``poll`` seconds, until :meth:`stop`. A pass that raises is logged and
    retried at the next poll: the thread outlives a store or network hiccup."""

    def __init__(self, name: str, poll: float) -> None:
        self.poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def run_pass(self, stop: threading.Event) -> None:
        """One pass of the work; return early when ``stop`` is set."""
        raise NotImplementedError

    def start(self) -> Self:
        """Start the thread (once)."""
        if not self._thread.is_alive() and not self._stop.is_set():
            self._thread.start()
        return self

    def wake(self) -> None:
        """Run a pass now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its pass and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """True while the thread is alive."""
        return self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_pass(self._stop)
            except StoreClosed:  # its app was torn down (tests, shutdown): nothing left to do
                log.info("%s stops: its store is closed", self._thread.name)
                return
            except Exception:  # the thread must outlive a store or network hiccup
                log.exception("%s pass failed; retrying in %.1f s", self._thread.name, self.poll)
            self._wake.wait(self.poll)

    def _run(self) -> None:
        self._loop()
