"""The S3 blob store (AWS S3 or an S3-compatible server: MinIO, Ceph, moto).

URL (``HUB_BLOB_URL``): ``s3://bucket/prefix`` -- blobs live under ``prefix/`` in ``bucket`` (the
prefix may be empty or several segments). ``HUB_S3_ENDPOINT_URL`` points the client at an
S3-compatible server, which is then addressed path-style (``http://host:port/bucket/key``) because
such servers rarely have wildcard DNS for virtual-hosted buckets. Credentials come from boto3's
usual chain (environment, shared config, instance role); the hub never stores them.

One boto3 client per process per (endpoint, region) is kept in a module cache: boto3 clients are
thread-safe and own a connection pool, so sharing one keeps connections warm across requests and
threads. The cache is emptied in a child after ``fork`` (gunicorn workers) so no two processes
share a socket.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from storage.blobs import DEFAULT_CONTENT_TYPE, BlobChunks, reader_of, validate_key
from storage.errors import BlobNotFound, StorageError, StoreUnavailable

#: Files of this size or more go up as a multipart upload in parts of this size: S3 needs parts of
#: at least 5 MB, and 8 MB parts keep a retry cheap and memory bounded (parts are buffered).
MULTIPART_BYTES = 8 * 1024 * 1024
#: Parallel part uploads per put; with as many parts buffered, a put holds at most 32 MB.
UPLOAD_CONCURRENCY = 4

#: S3 error codes meaning "no such object" (HEAD answers a bare 404 without a body to name it).
_NOT_FOUND_CODES = {"NoSuchKey", "404", "NotFound"}
#: Codes meaning the bucket itself is missing or closed to us: the store is unusable.
_UNAVAILABLE_CODES = {"NoSuchBucket", "AccessDenied", "403", "InvalidAccessKeyId",
                      "SignatureDoesNotMatch", "SlowDown", "ServiceUnavailable",
                      "InternalError", "RequestTimeout"}

_clients: dict[tuple[str | None, str | None], Any] = {}
_clients_lock = threading.Lock()


def _forget_clients() -> None:
    _clients.clear()


if hasattr(os, "register_at_fork"):  # POSIX; a forked worker must not reuse the parent's sockets
    os.register_at_fork(after_in_child=_forget_clients)


def client_for(endpoint_url: str | None, region: str | None) -> Any:
    """The process's boto3 S3 client for ``(endpoint_url, region)``, created on first use."""
    cache_key = (endpoint_url, region)
    client = _clients.get(cache_key)
    if client is not None:
        return client
    with _clients_lock:
        client = _clients.get(cache_key)
        if client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                signature_version="s3v4",  # presigned URLs must be SigV4 on every region
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=5,
                read_timeout=60,
                max_pool_connections=16,
            )
            client = boto3.session.Session().client(
                "s3", endpoint_url=endpoint_url, region_name=region, config=config
            )
            _clients[cache_key] = client
    return client


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def translate(exc: Exception, what: str) -> StorageError:
    """The storage error for a botocore/boto3 exception."""
    from boto3.exceptions import S3UploadFailedError
    from botocore.exceptions import (
        ClientError,
        ConnectionError,
        HTTPClientError,
        NoCredentialsError,
        PartialCredentialsError,
    )

    if isinstance(exc, ClientError):
        code = _error_code(exc)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if code in _NOT_FOUND_CODES:
            return BlobNotFound(f"no blob {what}")
        if code in _UNAVAILABLE_CODES or status >= 500:
            return StoreUnavailable(f"S3 {code or status} on {what}: {exc}")
        return StorageError(f"S3 {code or status} on {what}: {exc}")
    if isinstance(exc, (ConnectionError, HTTPClientError, NoCredentialsError,
                        PartialCredentialsError, S3UploadFailedError)):
        return StoreUnavailable(f"S3 unreachable ({what}): {exc}")
    return StorageError(f"S3 failure on {what}: {exc}")


@contextlib.contextmanager
def _translated(what: str) -> Iterator[None]:
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (ClientError, BotoCoreError, Boto3Error) as exc:
        raise translate(exc, what) from exc


class _CountingReader:
    """A read-only view of a binary file that counts the bytes read (the size ``put`` returns).

    It has no ``seek``, so s3transfer treats it as a stream and reads it once, part by part."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.inner.read(size)
        self.size += len(chunk)
        return chunk


class S3BlobStore:
    """:class:`storage.ports.blobs.BlobStore` on an S3 bucket, under a key prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def _key(self, key: str) -> str:
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def put(self, key: str, data: bytes | BinaryIO,
            content_type: str = DEFAULT_CONTENT_TYPE) -> int:
        """Stream ``data`` up; 8 MB or more goes as a multipart upload of 8 MB parts."""
        from boto3.s3.transfer import TransferConfig

        s3_key = self._key(key)
        reader = _CountingReader(reader_of(data))
        transfer = TransferConfig(
            multipart_threshold=MULTIPART_BYTES,
            multipart_chunksize=MULTIPART_BYTES,
            max_concurrency=UPLOAD_CONCURRENCY,
            max_io_queue=UPLOAD_CONCURRENCY,
        )
        # s3transfer buffers this many parts of a non-seekable stream (memory bound).
        transfer.max_in_memory_upload_chunks = UPLOAD_CONCURRENCY
        with _translated(self._describe(key)):
            self.client.upload_fileobj(
                reader, self.bucket, s3_key,
                ExtraArgs={"ContentType": content_type or DEFAULT_CONTENT_TYPE},
                Config=transfer,
            )
        return reader.size

    def get(self, key: str) -> bytes:
        """The whole blob."""
        with self.open(key) as chunks:
            return b"".join(chunks)

    def open(self, key: str) -> BlobChunks:
        """The blob in 64 KB chunks straight from the HTTP body; ``BlobNotFound`` now if absent."""
        what = self._describe(key)
        with _translated(what):
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]

        def read(size: int) -> bytes:
            with _translated(what):
                return bytes(body.read(size))

        return BlobChunks(read, body.close)

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            with _translated(self._describe(key)):
                return dict(self.client.head_object(Bucket=self.bucket, Key=self._key(key)))
        except BlobNotFound:
            return None

    def exists(self, key: str) -> bool:
        """True when an object is stored under ``key``."""
        return self._head(key) is not None

    def content_type(self, key: str) -> str:
        """The object's Content-Type."""
        head = self._head(key)
        if head is None:
            raise BlobNotFound(f"no blob {self._describe(key)}")
        return str(head.get("ContentType") or DEFAULT_CONTENT_TYPE)

    def delete(self, key: str) -> bool:
        """Delete the object; False when there was none (S3's DELETE does not say, so HEAD)."""
        if self._head(key) is None:
            return False
        with _translated(self._describe(key)):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        return True

    def url(self, key: str, expires: int = 3600) -> str | None:
        """A presigned GET URL valid for ``expires`` seconds (signed locally, no request)."""
        with _translated(self._describe(key)):
            return str(self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": self._key(key)},
                ExpiresIn=int(expires),
            ))

    def ping(self) -> None:
        """``StoreUnavailable`` unless the bucket answers HEAD."""
        try:
            with _translated(f"s3://{self.bucket}"):
                self.client.head_bucket(Bucket=self.bucket)
        except StoreUnavailable:
            raise
        except StorageError as exc:  # a bucket that is absent is as bad as one unreachable
            raise StoreUnavailable(str(exc)) from exc

    def __repr__(self) -> str:
        return f"S3BlobStore(s3://{self.bucket}/{self.prefix})"


def parse_url(url: str) -> tuple[str, str]:
    """``(bucket, prefix)`` of an ``s3://bucket/prefix`` URL."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "s3" or not parts.netloc:
        raise ValueError(f"blob URL {url!r}: expected s3://bucket/prefix")
    return parts.netloc, unquote(parts.path).strip("/")


def open_blobs(url: str, endpoint_url: str | None = None,
               region: str | None = None) -> S3BlobStore:
    """The S3 store of an ``s3://bucket/prefix`` URL. Nothing is sent until first use, so a
    server that is down shows in ``/health`` rather than stopping the hub from starting."""
    bucket, prefix = parse_url(url)
    return S3BlobStore(client_for(endpoint_url, region), bucket, prefix)
