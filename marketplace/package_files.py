"""Reading a stored package: its file list, and which file a content URL names.

Learners' browsers get files of a course's LIVE (published) package only, by the package's
SHA-256 (``/content/<course>/<sha>/<path>``): a draft's package, an old package or a retired
course's answers 404 exactly like a path that does not exist. Owners and reviewers preview the
working revision's package with their credential.

A package's manifest never changes (its prefix is its SHA-256), so each process keeps the last
few it read rather than fetching a blob per request.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from hub.errors import NotFound
from hub.principal import Principal
from marketplace import service
from marketplace.packages import file_key, manifest_key, package_of
from storage.errors import BlobNotFound
from storage.ports import Document, Store
from storage.ports.blobs import BlobStore

#: Manifests kept per process (one per package; a few KB to a few hundred KB each).
CACHED_MANIFESTS = 64

_manifests: OrderedDict[tuple[str, str], dict[str, Document]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class ServedFile:
    """A package file to send: its blob key and what the response says of it."""

    key: str
    path: str
    size: int
    sha256: str
    content_type: str


def manifest(blobs: BlobStore, prefix: str) -> dict[str, Document]:
    """The files of the package at ``prefix`` by path (404 when it is not stored)."""
    cache_key = (repr(blobs), prefix)
    with _lock:
        if cache_key in _manifests:
            _manifests.move_to_end(cache_key)
            return _manifests[cache_key]
    try:
        files = json.loads(blobs.get(manifest_key(prefix)))["files"]
    except BlobNotFound:
        raise NotFound("the package's files are not stored") from None
    by_path = {f["path"]: f for f in files}
    with _lock:
        _manifests[cache_key] = by_path
        while len(_manifests) > CACHED_MANIFESTS:
            _manifests.popitem(last=False)
    return by_path


def _file(blobs: BlobStore, package: Document | None, path: str) -> ServedFile:
    if not package:
        raise NotFound("no such package file")
    entry = manifest(blobs, package["key"]).get(path)
    if entry is None:
        raise NotFound(f"no file {path!r} in the package")
    return ServedFile(file_key(package["key"], path), path, int(entry["size"]),
                      str(entry["sha256"]), str(entry["content_type"]))


def live_file(store: Store, blobs: BlobStore, course_id: str, sha256: str,
              path: str) -> ServedFile:
    """The file of the course's published package with that SHA-256 (404 for anything else)."""
    course = store.courses.get(course_id)
    package = package_of((course or {}).get("live"))
    if package is None or package.get("sha256") != sha256:
        raise NotFound("no such package file")
    return _file(blobs, package, path)


def preview_file(store: Store, blobs: BlobStore, principal: Principal, course_id: str,
                 path: str) -> ServedFile:
    """A file of the working revision's package, for the course's owner and reviewers."""
    course = service.load_visible(store, principal, course_id)
    return _file(blobs, package_of(course), path)


def package_view(store: Store, blobs: BlobStore, principal: Principal,
                 course_id: str) -> dict[str, Any]:
    """``GET /courses/<id>/package``: the working revision's package with its file list."""
    course = service.load_visible(store, principal, course_id)
    package = package_of(course)
    if package is None:
        raise NotFound(f"course {course_id!r} has no package")
    files = sorted(manifest(blobs, package["key"]).values(), key=lambda f: f["path"])
    return {**package, "file_list": files}
