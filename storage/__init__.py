"""Storage ports and adapters, chosen by URL scheme from a small registry.

``open_store("sqlite:///var/hub.db")`` or ``open_store("mongodb://host/db")`` gives a
:class:`storage.ports.Store`; ``open_blobs("file:///var/blobs")`` or
``open_blobs("s3://bucket/p")`` a :class:`storage.ports.blobs.BlobStore`. Drivers are imported
lazily so that the embedded default needs nothing extra, and an unknown scheme fails at
start-up with :class:`storage.errors.UnknownScheme`.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any
from urllib.parse import urlsplit

from storage.errors import UnknownScheme
from storage.ports import Store
from storage.ports.blobs import BlobStore

#: scheme -> "module:function" returning the adapter for a URL.
STORE_ADAPTERS: dict[str, str] = {
    "sqlite": "storage.sqlite:open_store",
    "mongodb": "storage.mongodb:open_store",
    "mongodb+srv": "storage.mongodb:open_store",
}

BLOB_ADAPTERS: dict[str, str] = {
    "file": "storage.blobs.files:open_blobs",
    "s3": "storage.blobs.s3:open_blobs",
}

#: scheme -> (driver module, the install extra that brings it): the embedded default needs no
#: driver, so the others are optional (``pip install 'karmayogi-hub[mongodb]'``).
DRIVERS: dict[str, tuple[str, str]] = {
    "mongodb": ("pymongo", "mongodb"),
    "mongodb+srv": ("pymongo", "mongodb"),
    "s3": ("boto3", "s3"),
}


def _resolve(registry: dict[str, str], url: str, what: str) -> Any:
    scheme = urlsplit(url).scheme.lower()
    target = registry.get(scheme)
    if target is None:
        known = ", ".join(f"{s}://" for s in registry)
        raise UnknownScheme(f"{what} URL {url!r}: unknown scheme {scheme!r}; use one of {known}")
    driver, extra = DRIVERS.get(scheme, ("", ""))
    if driver and importlib.util.find_spec(driver) is None:
        raise UnknownScheme(f"{what} URL {url!r}: {scheme}:// needs {driver}, which is not "
                            f"installed; pip install 'karmayogi-hub[{extra}]'")
    module_name, func = target.split(":")
    return getattr(importlib.import_module(module_name), func)


def open_store(url: str, **options: Any) -> Store:
    """Open the document store named by ``url``."""
    return _resolve(STORE_ADAPTERS, url, "store")(url, **options)  # type: ignore[no-any-return]


def open_blobs(url: str, **options: Any) -> BlobStore:
    """Open the blob store named by ``url`` (``endpoint_url``/``region`` for S3)."""
    return _resolve(BLOB_ADAPTERS, url, "blob")(url, **options)  # type: ignore[no-any-return]


def check_url(url: str, kind: str = "store") -> None:
    """Fail fast on an unknown scheme without opening anything."""
    _resolve(STORE_ADAPTERS if kind == "store" else BLOB_ADAPTERS, url, kind)
