"""``HUB_MAX_BODY_BYTES`` caps every body read on every route, before parsing and before
authentication: 413 problem+json, with or without ``Content-Length``, form bodies and the
xAPI Alternate Request Syntax (which is rewritten at the WSGI level, before Flask) included."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

LIMIT = 1000


class CountingStream(io.BytesIO):
    """A request body that records how many bytes the server read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        """Read, counting."""
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        """Read a line, counting."""
        chunk = super().readline(size)
        self.taken += len(chunk)
        return chunk


@pytest.fixture
def small_app(store_url: str, tmp_path: Path) -> Iterator[Any]:
    from hub import create_app

    app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_MAX_BODY_BYTES": str(LIMIT)})
    yield app
    app.extensions["hub.store"].close()


def _send(app: Any, path: str, body: bytes, content_type: str, *, chunked: bool) -> Any:
    stream = CountingStream(body)
    headers = {"Content-Type": content_type, "X-Experience-API-Version": "1.0.3"}
    environ: dict[str, Any] = {}
    if chunked:  # as gunicorn hands over a chunked request: no length, input terminated
        headers["Transfer-Encoding"] = "chunked"
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = str(len(body))
    resp = app.test_client().post(path, input_stream=stream, headers=headers,
                                  environ_overrides=environ)
    return resp, stream


FORM = "application/x-www-form-urlencoded"
CASES = [
    ("/xapi/statements?method=PUT", b"content=" + b"x" * 5000, FORM),
    ("/xapi/statements?method=GET", b"limit=1&" + b"x" * 5000, FORM),
    ("/xapi/statements", b"[" + b" " * 5000 + b"]", "application/json"),
    ("/courses", b"{" + b" " * 5000 + b"}", "application/json"),
    ("/admin/organisations", b"{" + b" " * 5000 + b"}", "application/json"),
    ("/courses/import", b"--b\r\n" + b"x" * 5000 + b"\r\n--b--\r\n",
     "multipart/form-data; boundary=b"),
    ("/xapi/activities/state", b"x" * 5000, FORM),
]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path,body,ctype", CASES)
def test_bodies_over_the_cap_are_413_before_anything_reads_them(
        small_app: Any, path: str, body: bytes, ctype: str, chunked: bool) -> None:
    resp, stream = _send(small_app, path, body, ctype, chunked=chunked)
    assert resp.status_code == 413, resp.data[:300]
    assert resp.mimetype == "application/problem+json"
    assert resp.get_json()["type"].endswith("payload-too-large")
    assert stream.taken <= LIMIT + 1


def test_alternate_syntax_within_the_cap_still_works(small_app: Any) -> None:
    resp, _ = _send(small_app, "/xapi/statements?method=GET",
                    b"X-Experience-API-Version=1.0.3&limit=1", FORM, chunked=False)
    assert resp.status_code == 401  # read, rewritten, and then asked for a credential
