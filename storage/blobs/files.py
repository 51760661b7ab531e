"""The directory blob store: one file per blob under a root directory (the embedded default).

URLs (``HUB_BLOB_URL``):

- ``file:///abs/path`` -- an absolute directory (``/abs/path``);
- ``file://rel/path`` -- a directory relative to the working directory (``rel/path``). What RFC
  8089 calls the host is read as the first segment of a relative path, so ``file://var/blobs`` is
  ``./var/blobs``. Percent-escapes are decoded (``file:///my%20blobs``).

Layout: the blob ``a/b/c.zip`` is the file ``<root>/a/b/c.zip``, readable by an operator with
``ls``. Its content type sits beside it in a JSON sidecar ``<root>/a/b/.c.zip.meta.json``. Keys
never have a segment starting with a dot (:func:`storage.blobs.validate_key`), so sidecars and
temp files can never collide with a blob. Because blobs are files, a key cannot be both a blob
and a "folder" of other blobs (``a`` and ``a/b``); such a put is refused as an invalid key.

Writes are atomic: data goes to a temp file in the blob's own directory (same file system), is
fsynced, then ``os.replace``-d over the target and the directory is fsynced, so a crash leaves
either the old blob or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from storage.blobs import (
    CHUNK_SIZE,
    DEFAULT_CONTENT_TYPE,
    BlobChunks,
    reader_of,
    validate_key,
)
from storage.errors import BlobNotFound, InvalidBlobKey, StoreUnavailable

#: errnos that mean "this key runs into another blob" (a file where a directory must be, or the
#: reverse): bad input, not an unavailable store.
_CLASH_ERRNOS = {errno.ENOTDIR, errno.EISDIR, errno.EEXIST}


def root_of(url: str) -> Path:
    """The directory named by a ``file://`` URL (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise ValueError(f"not a file:// URL: {url!r}")
    path = unquote(parts.netloc + parts.path)
    if not path or path == "/":
        raise ValueError(f"blob URL {url!r} names no directory")
    return Path(path)


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX: the directory entry lives in the directory)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _translated(key: str, writing: bool = False) -> Iterator[None]:
    """Turn OS errors into storage errors at the adapter's boundary.

    A key that runs into another blob is not found when reading and an invalid key when writing.
    """
    try:
        yield
    except FileNotFoundError:
        raise BlobNotFound(f"no blob {key!r}") from None
    except OSError as exc:
        if exc.errno in _CLASH_ERRNOS and not writing:
            raise BlobNotFound(f"no blob {key!r}") from None
        if exc.errno in _CLASH_ERRNOS:
            raise InvalidBlobKey(
                f"blob key {key!r} clashes with another blob (a key cannot be both a blob and "
                "a prefix of other blobs in the directory store)"
            ) from None
        raise StoreUnavailable(f"blob directory: {exc.strerror or exc}") from exc


class DirectoryBlobStore:
    """:class:`storage.ports.blobs.BlobStore` on a local (or mounted) directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # --- paths ---------------------------------------------------------------------------------

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*validate_key(key).split("/"))

    @staticmethod
    def _sidecar(path: Path) -> Path:
        return path.with_name(f".{path.name}.meta.json")

    @staticmethod
    def _write_temp(target: Path, reader: BinaryIO) -> tuple[str, int]:
        """Copy ``reader`` to a fsynced temp file beside ``target``; returns (its name, size).

        The temp file is removed if anything fails, so no half blob is ever left behind."""
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK_SIZE):
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
        return tmp_name, size

    # --- the port ------------------------------------------------------------------------------

    def put(self, key: str, data: bytes | BinaryIO,
            content_type: str = DEFAULT_CONTENT_TYPE) -> int:
        """Store ``data`` under ``key`` atomically; returns the size in bytes."""
        path = self._path(key)
        meta = json.dumps({"content_type": content_type or DEFAULT_CONTENT_TYPE}).encode()
        if not self.root.is_dir():  # the root itself gone bad is an unavailable store, not a clash
            self.ping()
        with _translated(key, writing=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
            # The data (the slow part, which a client can break off) goes to a temp file first;
            # only once it is whole do the two renames run, sidecar first: a crash between them
            # leaves the old data with the new type, never a new blob without its type.
            data_tmp, size = self._write_temp(path, reader_of(data))
            try:
                meta_tmp, _ = self._write_temp(self._sidecar(path), reader_of(meta))
                os.replace(meta_tmp, self._sidecar(path))
                os.replace(data_tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(data_tmp)
                raise
            _fsync_dir(path.parent)
        return size

    def get(self, key: str) -> bytes:
        """The whole blob."""
        path = self._path(key)
        with _translated(key):
            return path.read_bytes()

    def open(self, key: str) -> BlobChunks:
        """The blob in 64 KB chunks; ``BlobNotFound`` now (not at the first chunk) if absent."""
        path = self._path(key)
        with _translated(key):
            handle = path.open("rb")

        def read(size: int) -> bytes:
            with _translated(key):
                return handle.read(size)

        return BlobChunks(read, handle.close)

    def exists(self, key: str) -> bool:
        """True when a blob is stored under ``key``."""
        path = self._path(key)
        with _translated(key):
            return path.is_file()

    def content_type(self, key: str) -> str:
        """The content type given at ``put`` (``application/octet-stream`` if none was kept)."""
        path = self._path(key)
        with _translated(key):
            if not path.is_file():
                raise FileNotFoundError(errno.ENOENT, "no blob", str(path))
            try:
                meta: dict[str, Any] = json.loads(self._sidecar(path).read_bytes())
            except (FileNotFoundError, ValueError):
                return DEFAULT_CONTENT_TYPE
        return str(meta.get("content_type") or DEFAULT_CONTENT_TYPE)

    def delete(self, key: str) -> bool:
        """Remove the blob and its sidecar; False when there was none."""
        path = self._path(key)
        with _translated(key):
            try:
                path.unlink()
            except (FileNotFoundError, NotADirectoryError):
                return False
            except IsADirectoryError:  # a "folder" of other blobs is not a blob
                return False
            with contextlib.suppress(FileNotFoundError):
                self._sidecar(path).unlink()
        return True

    def url(self, key: str, expires: int = 3600) -> str | None:
        """None: a directory has no direct download URL; the hub streams the blob itself."""
        validate_key(key)
        return None

    def ping(self) -> None:
        """``StoreUnavailable`` unless a file can be created in the root directory."""
        try:
            fd, name = tempfile.mkstemp(dir=self.root, prefix=".ping.", suffix=".tmp")
            os.close(fd)
            os.unlink(name)
        except OSError as exc:
            raise StoreUnavailable(
                f"blob directory {str(self.root)!r} is not writable: {exc.strerror or exc}"
            ) from exc

    def __repr__(self) -> str:
        return f"DirectoryBlobStore({str(self.root)!r})"


def open_blobs(url: str, endpoint_url: str | None = None,
               region: str | None = None) -> DirectoryBlobStore:
    """The directory store of a ``file://`` URL, creating the directory if needed.

    ``endpoint_url`` and ``region`` are S3 settings, accepted and ignored so that every adapter
    has the same signature. A directory that cannot be created fails here, at start-up.
    """
    root = root_of(url)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(
            f"blob URL {url!r}: cannot create directory {str(root)!r}: {exc.strerror or exc}"
        ) from exc
    return DirectoryBlobStore(root)
