"""The published FRAC frameworks as the rest of the hub reads them: the latest version of every
framework, cached per store.

Tags, search, the CASE export and suggestions read only published versions, which never
change once written, so a :class:`~marketplace.frac_model.FrameworkVersion` of a (framework,
number) is built once per store and kept. What can change is which version is the latest:
each :func:`published` call asks ``store.frac.latest_version_numbers()`` (one index-only
query) and rebuilds the set of latest versions only when that answer differs from the one it
was built from.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from marketplace.frac_model import FrameworkVersion
from storage.ports import Document, Store


class _StoreCache:
    """Everything cached for one store: built versions, and the latest set."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.versions: dict[tuple[str, int], FrameworkVersion] = {}
        self.latest: PublishedFrameworks | None = None


# Keyed by the store object itself: each store (a test's fresh one, the app's) has its own
# frameworks, and a closed, dropped store takes its cache with it.
_caches: weakref.WeakKeyDictionary[Any, _StoreCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache(store: Store) -> _StoreCache:
    with _caches_lock:
        found = _caches.get(store)
        if found is None:
            found = _caches[store] = _StoreCache()
        return found


def _version(store: Store, cache: _StoreCache, framework_id: str,
             number: int) -> FrameworkVersion | None:
    key = (framework_id, number)
    with cache.lock:
        built = cache.versions.get(key)
    if built is not None:
        return built
    doc = store.frac.get_version(framework_id, number)
    if doc is None:
        return None
    built = FrameworkVersion(doc)
    with cache.lock:
        return cache.versions.setdefault(key, built)


class PublishedFrameworks:
    """The latest published version of every framework at one moment (immutable), with an
    index of their nodes by id and by code."""

    def __init__(self, store: Store, cache: _StoreCache, numbers: Mapping[str, int],
                 latest: Mapping[str, FrameworkVersion]) -> None:
        self._store = store
        self._cache = cache
        self.numbers: Mapping[str, int] = MappingProxyType(dict(numbers))
        self._latest = dict(latest)
        self._by_id: dict[str, FrameworkVersion] = {}
        self._by_code: dict[str, list[FrameworkVersion]] = {}
        for framework_id in sorted(self._latest):
            version = self._latest[framework_id]
            for node in version.nodes():
                self._by_id.setdefault(node["id"], version)
                if node.get("code") is not None:
                    self._by_code.setdefault(node["code"], []).append(version)

    def versions(self) -> list[FrameworkVersion]:
        """The latest version of every framework, by framework id."""
        return [self._latest[k] for k in sorted(self._latest)]

    def latest(self, framework_id: str) -> FrameworkVersion | None:
        """The latest version of one framework, or None when it has none."""
        return self._latest.get(framework_id)

    def version(self, framework_id: str, number: int | None = None) -> FrameworkVersion | None:
        """Version ``number`` of a framework (the latest when None), or None; an older version
        is read from the store once and then kept (versions are immutable)."""
        if number is None or self.numbers.get(framework_id) == number:
            return self._latest.get(framework_id)
        return _version(self._store, self._cache, framework_id, number)

    def resolve(self, id_or_code: str, framework_id: str | None = None
                ) -> tuple[FrameworkVersion, Document] | None:
        """The latest version holding a node and the node, found by id or else by reference
        code (``COMSUBTHEME-12``); None when unknown. Codes are unique within a framework
        only: a code that several frameworks use resolves only with ``framework_id``."""
        version = self._by_id.get(id_or_code)
        if version is not None and framework_id in (None, version.framework):
            node = version.node(id_or_code)
            assert node is not None  # the index was built from this version's nodes
            return version, node
        holders = self._by_code.get(id_or_code, [])
        if framework_id is not None:
            holders = [v for v in holders if v.framework == framework_id]
        if len(holders) != 1:
            return None
        node = holders[0].by_code(id_or_code)
        assert node is not None
        return holders[0], node


def published(store: Store) -> PublishedFrameworks:
    """The latest version of every framework of ``store``, rebuilt only when
    ``store.frac.latest_version_numbers()`` changed since the last call."""
    cache = _cache(store)
    numbers = store.frac.latest_version_numbers()
    current = cache.latest
    if current is not None and current.numbers == numbers:
        return current
    latest: dict[str, FrameworkVersion] = {}
    for framework_id, number in numbers.items():
        version = _version(store, cache, framework_id, number)
        if version is not None:
            latest[framework_id] = version
    fresh = PublishedFrameworks(store, cache, numbers, latest)
    with cache.lock:
        cache.latest = fresh
    return fresh
