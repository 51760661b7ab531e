"""The published-frameworks cache over a real store of every adapter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from marketplace.frac_catalog import published


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    """A fresh store for each adapter."""
    from storage import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()


def version(fid: str, number: int, *codes: str) -> dict[str, Any]:
    """A version holding one sub-theme per code (ids ``<fid>-<code>``)."""
    nodes = [{"id": f"{fid}-{code}", "framework": fid, "type": "subtheme", "code": code,
              "name": {"en": code}, "parent": None, "status": "confirmed",
              "levels": {"1": {"en": "Knows"}}} for code in codes]
    return {"framework": fid, "number": number, "published_at": "2026-12-01T00:00:00.000000Z",
            "published_by": "key_1", "title": {"en": fid}, "description": {},
            "extensions": {}, "nodes": nodes, "associations": [], "retired": []}


class CountingFrac:
    """A store whose ``frac`` counts version reads (the rest of the store is the real one)."""

    def __init__(self, store: Any) -> None:
        self.frac = self
        self._real = store.frac
        self.reads = 0

    def latest_version_numbers(self) -> dict[str, int]:
        return dict(self._real.latest_version_numbers())

    def get_version(self, framework_id: str, number: int | None = None) -> Any:
        self.reads += 1
        return self._real.get_version(framework_id, number)


def test_empty_store_has_nothing_published(store: Any) -> None:
    catalogue = published(store)
    assert catalogue.versions() == [] and catalogue.resolve("COMSUBTHEME-1") is None


def test_resolve_by_id_or_code_in_the_latest_versions(store: Any) -> None:
    store.frac.add_version(version("fw1", 1, "COMSUBTHEME-1"))
    store.frac.add_version(version("fw1", 2, "COMSUBTHEME-1", "COMSUBTHEME-2"))
    store.frac.add_version(version("fw2", 1, "COMSUBTHEME-2", "ROLE-1"))
    catalogue = published(store)
    assert [(v.framework, v.number) for v in catalogue.versions()] == [("fw1", 2), ("fw2", 1)]
    found = catalogue.resolve("fw1-COMSUBTHEME-2")
    assert found is not None
    assert (found[0].framework, found[1]["code"]) == ("fw1", "COMSUBTHEME-2")
    by_code = catalogue.resolve("COMSUBTHEME-1")
    assert by_code is not None and by_code[0].number == 2
    assert by_code[1]["id"] == "fw1-COMSUBTHEME-1"
    assert catalogue.resolve("ROLE-1")[1]["id"] == "fw2-ROLE-1"
    # Two frameworks use COMSUBTHEME-2: only naming the framework resolves it.
    assert catalogue.resolve("COMSUBTHEME-2") is None
    assert catalogue.resolve("COMSUBTHEME-2", "fw2")[1]["id"] == "fw2-COMSUBTHEME-2"
    assert catalogue.resolve("fw1-COMSUBTHEME-2", "fw2") is None
    assert catalogue.resolve("unknown") is None


def test_older_versions_by_number(store: Any) -> None:
    store.frac.add_version(version("fw1", 1, "COMSUBTHEME-1"))
    store.frac.add_version(version("fw1", 2, "COMSUBTHEME-2"))
    catalogue = published(store)
    assert catalogue.version("fw1", 1).by_code("COMSUBTHEME-1") is not None
    assert catalogue.version("fw1", 1).by_code("COMSUBTHEME-2") is None
    assert catalogue.version("fw1").number == 2 and catalogue.version("fw1", 2).number == 2
    assert catalogue.version("fw1", 7) is None and catalogue.version("fw9") is None
    assert catalogue.latest("fw1").number == 2 and catalogue.latest("fw9") is None


def test_cache_is_refreshed_only_when_a_version_is_published(store: Any) -> None:
    counting = CountingFrac(store)
    store.frac.add_version(version("fw1", 1, "COMSUBTHEME-1"))
    first = published(counting)
    assert published(counting) is first and counting.reads == 1
    first.version("fw1", 1)
    assert counting.reads == 1  # the latest version is already built
    store.frac.add_version(version("fw1", 2, "COMSUBTHEME-2"))
    second = published(counting)
    assert second is not first and counting.reads == 2
    assert second.resolve("COMSUBTHEME-2") is not None and second.resolve("COMSUBTHEME-1") is None
    assert second.version("fw1", 1) is first.latest("fw1") and counting.reads == 2
    store.frac.add_version(version("fw2", 1, "POS-1"))
    third = published(counting)
    assert third.latest("fw1") is second.latest("fw1") and counting.reads == 3


def test_each_store_has_its_own_cache(store: Any, tmp_path: Any) -> None:
    from storage import open_store

    store.frac.add_version(version("fw1", 1, "COMSUBTHEME-1"))
    assert published(store).resolve("COMSUBTHEME-1") is not None
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert published(other).versions() == []
        assert published(other).resolve("COMSUBTHEME-1") is None
    finally:
        other.close()
