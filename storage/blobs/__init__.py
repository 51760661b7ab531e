"""Blob store adapters: a directory (:mod:`storage.blobs.files`) and S3 (:mod:`storage.blobs.s3`).

Both implement :class:`storage.ports.blobs.BlobStore` and share the rules here, so that a key
accepted by one is accepted by the other and a blob written through one reads back the same
through the other.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from storage.errors import InvalidBlobKey

#: Size of the chunks ``open()`` yields: large enough to keep per-chunk overhead small, small enough
#: that streaming a package to a client never holds more than this in memory.
CHUNK_SIZE = 64 * 1024

#: S3's own limit on key length (bytes of UTF-8); the directory store keeps the same limit so that a
#: key valid on one backend is valid on the other.
MAX_KEY_BYTES = 1024

DEFAULT_CONTENT_TYPE = "application/octet-stream"


def validate_key(key: str) -> str:
    """Return ``key`` if it is a safe blob key, else raise :class:`storage.errors.InvalidBlobKey`
    (a ``ValueError``; the app shell answers 400 naming ``key``).

    A key is ``/``-separated segments: no leading ``/``, no empty segment (``a//b``, trailing
    ``/``), no ``.`` or ``..`` segment (path traversal on the directory store), no segment that
    starts with a dot (the directory store keeps its temp files and content-type sidecars under
    dot names, so they can never collide with a blob), no backslash or control character, at most
    1024 bytes of UTF-8.
    """
    if not isinstance(key, str) or not key:
        raise InvalidBlobKey("blob key must be a non-empty string")
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        raise InvalidBlobKey(f"blob key is longer than {MAX_KEY_BYTES} bytes")
    if key.startswith("/"):
        raise InvalidBlobKey(f"blob key {key!r} must not start with '/'")
    if "\\" in key or any(ord(c) < 0x20 or ord(c) == 0x7F for c in key):
        raise InvalidBlobKey(f"blob key {key!r} must not contain a backslash or control character")
    for segment in key.split("/"):
        if not segment:
            raise InvalidBlobKey(f"blob key {key!r} has an empty segment")
        if segment in (".", ".."):
            raise InvalidBlobKey(f"blob key {key!r} must not contain '.' or '..' segments")
        if segment.startswith("."):
            raise InvalidBlobKey(f"blob key {key!r}: a segment must not start with '.'")
    return key


def reader_of(data: bytes | bytearray | memoryview | BinaryIO) -> BinaryIO:
    """A binary file object over ``data`` (bytes are wrapped; file objects pass through)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(data))
    if not hasattr(data, "read"):
        raise TypeError("blob data must be bytes or a binary file object")
    return data


class BlobChunks(Iterator[bytes]):
    """What ``BlobStore.open()`` returns: the blob in chunks of ``CHUNK_SIZE`` bytes.

    Not a generator on purpose: the store opens the blob eagerly (so a missing key raises
    ``BlobNotFound`` at ``open()``, not at the first ``next()``), and the underlying file or HTTP
    body is released when the chunks run out, on ``close()`` (which werkzeug calls on a response
    iterable) or when used as a context manager -- even if the caller never iterates.
    """

    def __init__(self, read: Callable[[int], bytes], close: Callable[[], None],
                 chunk_size: int = CHUNK_SIZE) -> None:
        self._read = read
        self._close: Callable[[], None] | None = close
        self._chunk_size = chunk_size

    def __iter__(self) -> BlobChunks:
        return self

    def __next__(self) -> bytes:
        if self._close is None:
            raise StopIteration
        try:
            chunk = self._read(self._chunk_size)
        except BaseException:
            self.close()
            raise
        if not chunk:
            self.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        """Release the file or connection (idempotent)."""
        close, self._close = self._close, None
        if close is not None:
            close()

    def __enter__(self) -> BlobChunks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()
