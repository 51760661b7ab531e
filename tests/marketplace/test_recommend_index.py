"""The in-process catalogue index of recommendations on both store adapters: built once,
kept while the catalogue generation stands still, rebuilt when it moves, and never a wait
for a caller while another thread rebuilds."""

from __future__ import annotations

import threading
from typing import Any

from marketplace import recommend_index
from marketplace.recommend_index import catalogue_index
from tests.marketplace.recommend_support import publish, store_of
from tests.role_support import competency


def test_built_once_and_rebuilt_when_the_catalogue_moves(app: Any) -> None:
    store = store_of(app)
    publish(store, "crs_a", {1: 2})
    publish(store, "crs_draft", {1: 2}, state="draft")
    first = catalogue_index(store)
    assert set(first.items) == {"crs_a"}
    assert catalogue_index(store) is first  # nothing changed: the same index, no read
    assert [c.item_id for c in first.above(competency(1), 1)] == ["crs_a"]
    assert first.above(competency(1), 2) == ()

    publish(store, "crs_b", {1: 3, 2: 1})
    second = catalogue_index(store)
    assert second is not first and set(second.items) == {"crs_a", "crs_b"}
    assert [c.item_id for c in second.candidates(competency(1))] == ["crs_a", "crs_b"]

    store.courses.set_rating("crs_b", 4.5, 2)  # only a rating: kept a while
    assert catalogue_index(store) is second
    assert catalogue_index(store) is second  # the content key is not read again
    retired = store.courses.get("crs_a")
    store.courses.replace({**retired, "state": "retired", "live": None},
                          retired["row_version"])
    third = catalogue_index(store)  # a content change: rebuilt, with the new rating too
    assert set(third.items) == {"crs_b"} and third.items["crs_b"].rating == 4.5


def test_ratings_refresh_after_a_while(app: Any, monkeypatch: Any) -> None:
    store = store_of(app)
    publish(store, "crs_a", {1: 2})
    first = catalogue_index(store)
    monkeypatch.setattr(recommend_index, "RATING_REFRESH_SECONDS", 0.0)
    store.courses.set_rating("crs_a", 2.5, 1)
    fresh = catalogue_index(store)
    assert fresh is not first and fresh.items["crs_a"].rating == 2.5
    assert fresh.items["crs_a"].shares[0] == 0.5


def test_callers_keep_the_previous_index_while_one_rebuilds(app: Any) -> None:
    store = store_of(app)
    publish(store, "crs_a", {1: 2})
    first = catalogue_index(store)
    publish(store, "crs_b", {1: 3})
    holder = recommend_index._holder(store)
    holder.building.acquire()  # another thread is rebuilding
    try:
        seen: list[Any] = []
        caller = threading.Thread(target=lambda: seen.append(catalogue_index(store)))
        caller.start()
        caller.join(timeout=10)
        assert seen == [first]  # answered at once, from the previous index
    finally:
        holder.building.release()
    assert set(catalogue_index(store).items) == {"crs_a", "crs_b"}


def test_a_catalogue_larger_than_one_page_is_read_whole(app: Any, monkeypatch: Any) -> None:
    store = store_of(app)
    monkeypatch.setattr(recommend_index, "PAGE", 2)
    for n in range(5):
        publish(store, f"crs_{n}", {1 + n % 2: 2})
    index = catalogue_index(store)
    assert len(index.items) == 5
    assert len(index.candidates(competency(1))) == 3


def test_a_large_catalogue_is_rebuilt_beside_the_requests(app: Any, monkeypatch: Any) -> None:
    # Rebuilding 50,000 items takes seconds: the request that sees a publication answers from
    # the previous index and the rebuild runs in the background.
    store = store_of(app)
    monkeypatch.setattr(recommend_index, "BACKGROUND_FROM", 1)
    publish(store, "crs_a", {1: 2})
    first = catalogue_index(store)  # the first build of a store is waited for
    publish(store, "crs_b", {1: 3})
    holder = recommend_index._holder(store)
    assert catalogue_index(store) is first  # answered at once, the rebuild started
    for _ in range(200):
        if holder.index is not first:
            break
        threading.Event().wait(0.05)
    assert set(catalogue_index(store).items) == {"crs_a", "crs_b"}
    assert holder.building.acquire(blocking=False)  # the background build released its lock
    holder.building.release()
