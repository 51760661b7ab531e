"""Uploading a cmi5 or xAPI package onto a course's working revision (API and CLI alike).

The rules are the catalogue's (:mod:`marketplace.service`): only the provider's publishers,
with the ETag of the version they read (If-Match), on an editable revision; a published course
gets a new draft revision while ``live`` keeps serving the package learners have.

Nothing is written unless everything passes: the zip is inflated into a temporary directory and
checked (:mod:`marketplace.package_zip`), its manifest read and every AU URL checked
(:mod:`marketplace.package_manifest`), and only then are the blobs written, then the revision.
When writing blobs or the revision fails, the blobs of this upload are removed again, unless the
course already uses that very package (an identical zip uploaded twice has the same prefix).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, BinaryIO

from hub.destinations import AllowList
from hub.errors import Conflict, HubError, PermissionDenied
from hub.principal import Principal, Role
from marketplace import package_manifest, program_items, service, vetting
from marketplace.package_zip import PackageFile, PackageLimits, extract, open_zip, refuse
from marketplace.packages import (
    file_key,
    manifest_key,
    package_of,
    package_prefix,
    zip_key,
)
from storage.errors import StorageError
from storage.ports import Document, Store
from storage.ports.blobs import BlobStore
from storage.timestamps import utcnow

_CHUNK = 64 * 1024


#: An upload stays in memory up to this size, then goes to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def spooled(stream: IO[bytes]) -> Any:
    """A seekable copy of ``stream`` (a request body): in memory up to :data:`SPOOL_BYTES`,
    then on disk, so a large package is never held in memory whole. Close it when done."""
    upload = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        while chunk := stream.read(_CHUNK):
            upload.write(chunk)
    except BaseException:
        upload.close()
        raise
    upload.seek(0)
    return upload


def sha256_of(stream: BinaryIO) -> tuple[str, int]:
    """(SHA-256 hex, size) of a seekable stream, read from the start; left at the start."""
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def editable_course(store: Store, principal: Principal, course_id: str,
                    if_match: str | None) -> Document:
    """The course, once the caller may change its revision from the version it read."""
    course = service.load_visible(store, principal, course_id)
    if program_items.is_program(course):
        raise Conflict(f"{course_id} is a curated program: programs have no package")
    if not principal.holds_in(course["provider_id"], Role.PUBLISHER):
        raise PermissionDenied("only the provider's publishers upload a course's package")
    service.check_if_match(course, if_match)
    vetting.check_editable(course["state"])
    return course


def read_package(files: dict[str, PackageFile], allow: AllowList | None
                 ) -> tuple[str, dict[str, Any]]:
    """(type, course structure) of the inflated package; AU URLs checked."""
    if "cmi5.xml" in files:
        kind = "cmi5"
        structure = package_manifest.cmi5_structure(files["cmi5.xml"].local.read_bytes())
    elif "tincan.xml" in files:
        kind = "xapi"
        structure = package_manifest.xapi_structure(files["tincan.xml"].local.read_bytes())
    else:
        raise refuse("neither cmi5.xml nor tincan.xml at the root of the package")
    package_manifest.check_au_urls(structure, files, allow)
    return kind, structure


def _manifest(files: dict[str, PackageFile]) -> bytes:
    return json.dumps({"files": [
        {"path": f.path, "size": f.size, "sha256": f.sha256, "content_type": f.content_type}
        for f in files.values()]}, ensure_ascii=False).encode()


def _write_blobs(blobs: BlobStore, prefix: str, stream: BinaryIO,
                 files: dict[str, PackageFile], written: list[str],
                 progress: Callable[[int], None] | None) -> None:
    for item in files.values():
        key = file_key(prefix, item.path)
        written.append(key)
        with item.local.open("rb") as data:
            blobs.put(key, data, item.content_type)
        if progress:
            progress(item.compressed)
    stream.seek(0)
    written.append(zip_key(prefix))
    blobs.put(zip_key(prefix), stream, "application/zip")
    # The manifest last: a prefix with a manifest has all its files.
    written.append(manifest_key(prefix))
    blobs.put(manifest_key(prefix), _manifest(files), "application/json")


def _remove_unused(store: Store, blobs: BlobStore, course_id: str, prefix: str,
                   keys: list[str]) -> None:
    """Remove this upload's blobs unless the course (working or live) uses the prefix."""
    course = store.courses.get(course_id) or {}
    used = {(package_of(course.get(part)) or {}).get("key") for part in ("revision", "live")}
    if prefix in used:
        return
    for key in keys:
        with contextlib.suppress(StorageError):
            blobs.delete(key)


def upload_package(store: Store, blobs: BlobStore, principal: Principal, course_id: str,
                   stream: BinaryIO, if_match: str | None, limits: PackageLimits,
                   allow: AllowList | None = None,
                   progress: Callable[[int], None] | None = None) -> Document:
    """``PUT /courses/<id>/package`` and ``hub package upload``: check the zip in ``stream``
    (seekable), store it and make it the delivery of the course's working revision; the
    course. ``progress`` is called with zipped byte counts of each file as it is inflated,
    then as it is stored (twice the zip's size in all, less its headers)."""
    course = editable_course(store, principal, course_id, if_match)
    sha, _ = sha256_of(stream)
    archive = open_zip(stream)
    prefix = package_prefix(course["provider_id"], course_id, sha)
    written: list[str] = []
    with archive, tempfile.TemporaryDirectory(prefix="hub-package-") as work:
        files = extract(archive, Path(work), limits, progress)
        kind, structure = read_package(files, allow)
        package = {
            "type": kind, "key": prefix, "sha256": sha,
            "size": sum(f.size for f in files.values()), "files": len(files),
            "uploaded_at": utcnow(), "uploaded_by": principal.key, "structure": structure,
        }
        content = copy.deepcopy(course["revision"])
        content["delivery"] = {"type": kind, "package": prefix}
        content["package"] = package
        try:
            _write_blobs(blobs, prefix, stream, files, written, progress)
            return service.save_revision(store, principal, course, content)
        except (HubError, StorageError, OSError):
            _remove_unused(store, blobs, course_id, prefix, written)
            raise
