"""HTTP responses for package files: content type, caching, conditional and range requests.

- The ETag is the file's SHA-256, a strong validator (RFC 9110 §8.8.3): the bytes of a path
  under a package's SHA-256 never change, so learners' files are ``public, max-age=31536000,
  immutable`` (RFC 8246) and a revalidation answers 304 (RFC 9110 §13.1.2 If-None-Match).
- ``Range: bytes=...`` answers 206 with ``Content-Range`` (RFC 9110 §14), media players seek
  with it; ``If-Range`` with another validator gets the whole file; an unsatisfiable range gets
  416 (a problem) with ``Content-Range: bytes */<length>`` (§15.5.17). A request for several
  ranges is answered with the whole file (200), which §14.2 allows a server to do.
- ``X-Content-Type-Options: nosniff``: the browser uses the type the hub names, never a guess
  (a package's ``.txt`` must not run as a script).
- With ``HUB_PACKAGE_PRESIGN`` and a blob store that presigns (S3), a 302 to a URL valid for
  :data:`PRESIGN_SECONDS` instead: the bytes then never pass through the hub.
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import parse_range_header
from werkzeug.wrappers import Response

from hub.errors import RangeNotSatisfiable
from marketplace.package_files import ServedFile
from storage.ports.blobs import BlobStore

#: Lifetime of a presigned URL: long enough to start a download or a media stream, short
#: enough that a copied link stops working soon.
PRESIGN_SECONDS = 300
IMMUTABLE = "public, max-age=31536000, immutable"
#: A reviewer's preview of a draft: the next upload replaces it, so always revalidate.
PRIVATE = "private, no-cache"


def _one_range_only(environ: dict[str, Any]) -> dict[str, Any]:
    """The environ without ``Range`` when it asks for several ranges (served whole)."""
    parsed = parse_range_header(environ.get("HTTP_RANGE"))
    if parsed is not None and len(parsed.ranges) > 1:
        return {k: v for k, v in environ.items() if k != "HTTP_RANGE"}
    return environ


def file_response(blobs: BlobStore, served: ServedFile, environ: dict[str, Any],
                  public: bool = True, presign: bool = False) -> Response:
    """The response for ``served`` to the request in ``environ``."""
    cache_control = IMMUTABLE if public else PRIVATE
    if presign:
        url = blobs.url(served.key, PRESIGN_SECONDS)
        if url is not None:
            return Response(status=302, headers={"Location": url, "Cache-Control": "no-store"})
    response = Response(status=200, content_type=served.content_type,
                        direct_passthrough=True)
    response.set_etag(served.sha256)
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.content_length = served.size
    # The blob is opened lazily: a 304 or 416 never touches the store.
    response.response = _LazyBlob(blobs, served.key)
    try:
        response.make_conditional(_one_range_only(environ), accept_ranges=True,
                                  complete_length=served.size)
    except RequestedRangeNotSatisfiable:
        raise RangeNotSatisfiable(
            f"the range is beyond the file's {served.size} bytes",
            headers={"Content-Range": f"bytes */{served.size}"}) from None
    return response


class _LazyBlob:
    """The blob's chunks, opened at the first read (never for 304 and HEAD)."""

    def __init__(self, blobs: BlobStore, key: str) -> None:
        self.blobs = blobs
        self.key = key
        self._chunks: Any = None

    def __iter__(self) -> _LazyBlob:
        return self

    def __next__(self) -> bytes:
        if self._chunks is None:
            self._chunks = self.blobs.open(self.key)
        return next(self._chunks)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Release the blob's file or connection, if it was opened."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
