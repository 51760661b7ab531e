"""Fixtures of the storage contract suite: a fresh store of every adapter, through the port."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    """A fresh, empty store for each adapter (``store_url`` is parametrised over them)."""
    from storage import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()
