"""The blob port: content packages and xAPI attachments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol, runtime_checkable


@runtime_checkable
class BlobStore(Protocol):
    """Immutable-by-convention blobs under string keys (``a/b/c``; no leading slash, no ``..``)."""

    def put(
        self, key: str, data: bytes | BinaryIO, content_type: str = "application/octet-stream"
    ) -> int:
        """Store; returns the size in bytes. Streams large files (S3 multipart over 8 MB)."""
        ...

    def get(self, key: str) -> bytes:
        """The whole blob, ``BlobNotFound`` if absent."""
        ...

    def open(self, key: str) -> Iterator[bytes]:
        """Stream the blob in chunks, ``BlobNotFound`` if absent."""
        ...

    def exists(self, key: str) -> bool: ...
    def content_type(self, key: str) -> str:
        """The content type given at ``put``, ``BlobNotFound`` if absent."""
        ...

    def delete(self, key: str) -> bool: ...
    def url(self, key: str, expires: int = 3600) -> str | None:
        """A time-limited direct download URL (presigned GET on S3); None for directory stores."""
        ...

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the store cannot be reached."""
        ...
