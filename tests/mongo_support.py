"""How tests reach MongoDB: mongomock by default, a real server when ``MONGODB_URI`` is set.

``mongo_store_url()`` yields a store URL naming a fresh database and drops it afterwards. Without
``MONGODB_URI`` the adapter's :data:`storage.mongodb.CLIENT_FACTORY` is swapped for
``mongomock.MongoClient`` (each mongomock client is its own in-memory server, so every test's
URL gets an empty one); the adapter's code is the same in both cases.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

#: Host named in mongomock URLs (nothing listens there; mongomock never connects).
MOCK_BASE = "mongodb://mongomock.invalid:27017"


def _patch_mongomock_bulk_write() -> None:
    """mongomock 4.3 predates pymongo 4.11, whose ``UpdateOne``/``ReplaceOne`` pass a ``sort``
    argument to the bulk builder: ``bulk_write`` fails with ``TypeError: add_update() got an
    unexpected keyword argument 'sort'``. Accept it (and refuse a real sort, which mongomock
    cannot honour) so that ``bulk_write`` works as on a server."""
    from mongomock.collection import BulkOperationBuilder

    if getattr(BulkOperationBuilder, "_hub_sort_patch", False):
        return
    add_update, add_replace = BulkOperationBuilder.add_update, BulkOperationBuilder.add_replace

    def _no_sort(sort: Any) -> None:
        if sort is not None:
            raise NotImplementedError("mongomock cannot sort the target of an update")

    def patched_update(self: Any, *args: Any, sort: Any = None, **kwargs: Any) -> Any:
        _no_sort(sort)
        return add_update(self, *args, **kwargs)

    def patched_replace(self: Any, *args: Any, sort: Any = None, **kwargs: Any) -> Any:
        _no_sort(sort)
        return add_replace(self, *args, **kwargs)

    BulkOperationBuilder.add_update = patched_update
    BulkOperationBuilder.add_replace = patched_replace
    BulkOperationBuilder._hub_sort_patch = True


#: Collection methods a MongoDB server runs atomically per document (each of them, a filter
#: and a write, is one step there); mongomock runs them as Python code that threads interleave.
_ATOMIC_ON_A_SERVER = ("find_one_and_update", "find_one_and_replace", "find_one_and_delete",
                       "update_one", "update_many", "replace_one", "insert_one", "insert_many",
                       "delete_one", "delete_many", "bulk_write")


def _patch_mongomock_atomic_writes() -> None:
    """Make each mongomock write one step, as on a server: a compare-and-set such as
    ``find_one_and_update({"_id": x, "row_version": 3}, ...)`` could otherwise let two racing
    threads both match version 3 and both win (seen as two winners of a racing-edits test),
    which no real server allows. One re-entrant lock for every collection (mongomock's methods
    call each other)."""
    import threading

    from mongomock.collection import Collection

    if getattr(Collection, "_hub_atomic_patch", False):
        return
    lock = threading.RLock()

    def atomic(method: Any) -> Any:
        def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(self, *args, **kwargs)

        locked.__name__ = method.__name__
        return locked

    for name in _ATOMIC_ON_A_SERVER:
        setattr(Collection, name, atomic(getattr(Collection, name)))
    Collection._hub_atomic_patch = True


def _with_database(uri: str, db: str) -> str:
    """``uri`` naming database ``db``; a database already in ``uri`` stays its authSource."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(uri)
    query = parts.query
    old = parts.path.strip("/")
    if old and "authsource=" not in query.lower():
        query = "&".join(q for q in (query, f"authSource={old}") if q)
    return urlunsplit((parts.scheme, parts.netloc, "/" + db, query, ""))


def using_real_server() -> bool:
    """True when the tests talk to the server named by ``MONGODB_URI``."""
    return bool(os.environ.get("MONGODB_URI"))


@contextlib.contextmanager
def mongo_store_url() -> Iterator[str]:
    """A URL naming a fresh, empty database, dropped (and its client closed) afterwards."""
    import storage.mongodb as adapter

    db = "hubtest_" + uuid.uuid4().hex[:12]
    real = os.environ.get("MONGODB_URI")
    saved_factory = adapter.CLIENT_FACTORY
    if real:
        url = _with_database(real, db)
    else:
        import mongomock

        _patch_mongomock_bulk_write()
        _patch_mongomock_atomic_writes()
        adapter.CLIENT_FACTORY = mongomock.MongoClient
        url = f"{MOCK_BASE}/{db}"
    try:
        yield url
    finally:
        try:
            adapter.get_client(url).drop_database(db)
        finally:
            adapter.close_client(url)
            adapter.CLIENT_FACTORY = saved_factory
