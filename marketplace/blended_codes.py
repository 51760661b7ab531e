"""Check-in codes of blended sessions: how they are made, compared and guarded against
guessing (issue 11, "Attendance").

A code is :data:`CODE_LENGTH` characters of :data:`ALPHABET` (no 0/O, 1/I/L, 2/Z, 5/S, 8/B:
read aloud in a hall or copied off a projector, it cannot be mistaken), drawn by
:mod:`secrets`: 25**6, about 2.4e8 codes. It is compared in constant time
(:func:`hmac.compare_digest`), and each (session, learner) may get :data:`FAILURES_ALLOWED`
codes wrong within :data:`FAILURE_WINDOW` before every try answers 429 for the rest of the
window, the right code included (as :mod:`hub.throttle` does for secrets: answering the right
code would let a guesser recognise it). The windows are in process memory, per gunicorn
worker, like the authentication throttle's.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from hub.errors import TooManyRequests

#: The session field holding its code.
CODE_FIELD = "check_in_code"
#: Characters a code is made of.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
#: Characters in a code.
CODE_LENGTH = 6
#: Wrong codes a (session, learner) may send per :data:`FAILURE_WINDOW`.
FAILURES_ALLOWED = 5
FAILURE_WINDOW = "15 minutes"


def new_code() -> str:
    """A fresh random code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def codes_match(given: str, expected: str) -> bool:
    """Whether ``given`` (any case, spaces and dashes ignored) is ``expected``, in time
    independent of where they differ."""
    cleaned = given.upper().replace(" ", "").replace("-", "")
    # A session without a code (written before codes existed) takes none, not "".
    return bool(expected) and hmac.compare_digest(cleaned.encode(), expected.encode())


class CheckInThrottle:
    """Moving windows of wrong codes, one per (session, learner organisation, learner)."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: str = FAILURE_WINDOW) -> None:
        self.item = parse(f"{allowed} per {window}")
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, *who: str) -> None:
        """429 with ``Retry-After`` when ``who`` has used up its wrong codes."""
        if not self.limiter.test(self.item, "check-in", *who):
            reset = self.limiter.get_window_stats(self.item, "check-in", *who).reset_time
            retry_after = max(1, math.ceil(reset - time.time()))
            raise TooManyRequests(f"too many wrong check-in codes; retry in {retry_after} s",
                                  headers={"Retry-After": str(retry_after)},
                                  retry_after=retry_after)

    def failed(self, *who: str) -> None:
        """Count one wrong code of ``who``."""
        self.limiter.hit(self.item, "check-in", *who)
