"""The blob store contract, run over every adapter (``blob_url``: a tmp directory, and a bucket on
the moto S3 server over real HTTP), plus what is particular to each adapter."""

from __future__ import annotations

import os
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import storage
from storage.blobs import CHUNK_SIZE
from storage.errors import BlobNotFound, InvalidBlobKey, StoreUnavailable, UnknownScheme
from storage.ports.blobs import BlobStore
from tests.conftest import MOTO_REGION

MB = 1024 * 1024


@pytest.fixture
def blobs(blob_url: tuple[str, str | None]) -> BlobStore:
    url, endpoint = blob_url
    return storage.open_blobs(url, endpoint_url=endpoint, region=MOTO_REGION)


@pytest.fixture
def s3_blobs(moto_endpoint: str) -> tuple[BlobStore, tuple[str, str]]:
    """An S3 store on a fresh moto bucket, with its (URL, endpoint)."""
    from tests.conftest import make_bucket

    url = f"s3://{make_bucket(moto_endpoint)}/hub"
    return storage.open_blobs(url, endpoint_url=moto_endpoint, region=MOTO_REGION), (
        url, moto_endpoint)


def _s3_object(blob_url: tuple[str, str | None], key: str) -> dict[str, Any]:
    """HEAD the object behind ``key`` with a separate client, as an outside observer would."""
    import boto3

    url, endpoint = blob_url
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    client = boto3.client("s3", endpoint_url=endpoint, region_name=MOTO_REGION)
    return dict(client.head_object(Bucket=bucket, Key=f"{prefix}/{key}"))


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _FailingReader:
    """A stream that dies after ``good`` bytes, like a client hanging up mid-upload."""

    def __init__(self, good: int) -> None:
        self.left = good

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            raise RuntimeError("client went away")
        n = self.left if size < 0 else min(size, self.left)
        self.left -= n
        return b"x" * n


# --- the port, on every adapter --------------------------------------------------------------


def test_implements_the_port(blobs: BlobStore) -> None:
    assert isinstance(blobs, BlobStore)


def test_round_trip(blobs: BlobStore) -> None:
    assert not blobs.exists("courses/c1/package.zip")
    assert blobs.put("courses/c1/package.zip", b"PK\x03\x04 zip", "application/zip") == 8
    assert blobs.exists("courses/c1/package.zip")
    assert blobs.get("courses/c1/package.zip") == b"PK\x03\x04 zip"
    assert b"".join(blobs.open("courses/c1/package.zip")) == b"PK\x03\x04 zip"
    assert blobs.content_type("courses/c1/package.zip") == "application/zip"
    assert blobs.delete("courses/c1/package.zip") is True
    assert not blobs.exists("courses/c1/package.zip")
    assert blobs.delete("courses/c1/package.zip") is False


def test_default_content_type(blobs: BlobStore) -> None:
    blobs.put("a", b"1")
    assert blobs.content_type("a") == "application/octet-stream"


def test_binary_data_survives(blobs: BlobStore) -> None:
    data = bytes(range(256)) * 4 + os.urandom(4096) + b"\r\n\x00\x1a"
    assert blobs.put("bin/all-bytes", data) == len(data)
    assert blobs.get("bin/all-bytes") == data


def test_empty_blob(blobs: BlobStore) -> None:
    assert blobs.put("empty", b"") == 0
    assert blobs.exists("empty")
    assert blobs.get("empty") == b""
    assert list(blobs.open("empty")) == []


def test_overwrite_replaces_data_and_type(blobs: BlobStore) -> None:
    blobs.put("doc", b"first version", "text/plain")
    blobs.put("doc", b"second", "application/json")
    assert blobs.get("doc") == b"second"
    assert blobs.content_type("doc") == "application/json"


def test_put_streams_a_file_object(blobs: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "upload.bin"
    source.write_bytes(os.urandom(300_000))
    with source.open("rb") as fh:
        assert blobs.put("up/file.bin", fh) == 300_000
    assert blobs.get("up/file.bin") == source.read_bytes()


def test_open_streams_64k_chunks(blobs: BlobStore) -> None:
    data = os.urandom(3 * CHUNK_SIZE + 17)
    blobs.put("big/chunked", data)
    with blobs.open("big/chunked") as chunks:
        sizes = [len(c) for c in chunks]
    assert CHUNK_SIZE == 64 * 1024
    assert sizes == [CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, 17]


def test_open_releases_its_handle_unread(blobs: BlobStore) -> None:
    # Warnings are errors: a leaked file or socket would fail this test with a ResourceWarning.
    blobs.put("k", b"data")
    chunks = blobs.open("k")
    chunks.close()
    assert list(chunks) == []
    blobs.open("k")  # dropped unread


@pytest.mark.slow
def test_large_file_goes_multipart(blobs: BlobStore, blob_url: tuple[str, str | None],
                                   tmp_path: Path) -> None:
    size = 9 * MB + 123  # over the 8 MB threshold: two parts of 8 MB + 1 MB
    source = tmp_path / "large.bin"
    source.write_bytes(os.urandom(size))
    with source.open("rb") as fh:
        assert blobs.put("packages/large.bin", fh, "application/zip") == size
    assert blobs.get("packages/large.bin") == source.read_bytes()
    if blob_url[0].startswith("s3://"):
        head = _s3_object(blob_url, "packages/large.bin")
        # A multipart upload's ETag is md5-of-part-md5s followed by "-<number of parts>".
        assert head["ETag"].strip('"').endswith("-2")
        assert head["ContentLength"] == size
        assert head["ContentType"] == "application/zip"


@pytest.mark.s3
def test_s3_small_file_is_a_single_put(s3_blobs: tuple[BlobStore, tuple[str, str]]) -> None:
    blobs, blob_url = s3_blobs
    blobs.put("small", b"x" * MB)
    assert "-" not in _s3_object(blob_url, "small")["ETag"]


def test_presigned_url(blobs: BlobStore, blob_url: tuple[str, str | None]) -> None:
    data = os.urandom(5000)
    blobs.put("attachments/sig.bin", data, "application/octet-stream")
    url = blobs.url("attachments/sig.bin", expires=60)
    if blob_url[0].startswith("file://"):
        assert url is None
        return
    assert url is not None and url.startswith(blob_url[1] or "")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url, timeout=10) as resp:  # real HTTP to the moto server
        assert resp.status == 200
        assert resp.read() == data


@pytest.mark.s3
def test_s3_presigned_url_for_another_key_is_refused(
    s3_blobs: tuple[BlobStore, tuple[str, str]],
) -> None:
    blobs = s3_blobs[0]
    blobs.put("secret", b"s3cr3t")
    url = blobs.url("secret")
    assert url is not None
    tampered = url.replace("/secret?", "/secreT?")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(tampered, timeout=10)
    info.value.close()
    assert info.value.code in (403, 404)


def test_missing_key(blobs: BlobStore) -> None:
    with pytest.raises(BlobNotFound):
        blobs.get("no/such/blob")
    with pytest.raises(BlobNotFound):
        blobs.open("no/such/blob")
    with pytest.raises(BlobNotFound):
        blobs.content_type("no/such/blob")
    assert blobs.exists("no/such/blob") is False
    assert blobs.delete("no/such/blob") is False


BAD_KEYS = ["", "/abs", "a/../b", "..", "../x", "a//b", "a/", "./a", "a/./b", ".hidden",
            "a/.meta", "a\\b", "a\nb", "a\x00b", "x" * 1025]


@pytest.mark.parametrize("key", BAD_KEYS, ids=[repr(k)[:12] for k in BAD_KEYS])
def test_bad_keys_rejected(blobs: BlobStore, key: str) -> None:
    for call in (lambda: blobs.put(key, b"x"), lambda: blobs.get(key),
                 lambda: blobs.open(key), lambda: blobs.exists(key),
                 lambda: blobs.delete(key), lambda: blobs.url(key)):
        with pytest.raises(InvalidBlobKey) as info:
            call()
        assert isinstance(info.value, ValueError)  # callers may treat it as plain bad input


def test_unicode_key(blobs: BlobStore) -> None:
    blobs.put("पाठ्यक्रम/परिचय.txt", "नमस्ते".encode(), "text/plain; charset=utf-8")
    assert blobs.get("पाठ्यक्रम/परिचय.txt").decode() == "नमस्ते"


def test_failed_upload_keeps_the_old_blob(blobs: BlobStore, tmp_path: Path) -> None:
    blobs.put("pkg", b"old and whole", "application/zip")
    with pytest.raises(RuntimeError, match="client went away"):
        blobs.put("pkg", _FailingReader(200_000), "text/plain")  # type: ignore[arg-type]
    assert blobs.get("pkg") == b"old and whole"
    assert blobs.content_type("pkg") == "application/zip"


def test_ping(blobs: BlobStore) -> None:
    blobs.ping()


# --- the directory store ---------------------------------------------------------------------


def test_file_url_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.blobs.files import root_of

    assert root_of("file:///srv/hub/blobs") == Path("/srv/hub/blobs")
    assert root_of("file://var/blobs") == Path("var/blobs")  # relative to the working directory
    assert root_of("file:///my%20blobs") == Path("/my blobs")
    monkeypatch.chdir(tmp_path)
    rel = storage.open_blobs("file://var/blobs")
    rel.put("k", b"v")
    assert (tmp_path / "var" / "blobs" / "k").read_bytes() == b"v"


def test_file_layout_and_no_leftovers(tmp_path: Path) -> None:
    store = storage.open_blobs(f"file://{tmp_path / 'b'}")
    store.put("courses/c1/pkg.zip", b"zip", "application/zip")
    store.put("courses/c1/pkg.zip", b"zip2", "application/zip")
    with pytest.raises(RuntimeError):
        store.put("courses/c1/pkg.zip", _FailingReader(100_000))  # type: ignore[arg-type]
    folder = tmp_path / "b" / "courses" / "c1"
    # the blob is an ordinary file; its type sits in a dot-sidecar; no temp file is left behind
    assert sorted(p.name for p in folder.iterdir()) == [".pkg.zip.meta.json", "pkg.zip"]
    assert (folder / "pkg.zip").read_bytes() == b"zip2"
    store.delete("courses/c1/pkg.zip")
    assert list(folder.iterdir()) == []


def test_file_key_cannot_be_blob_and_folder(tmp_path: Path) -> None:
    store = storage.open_blobs(f"file://{tmp_path / 'b'}")
    store.put("a", b"blob")
    with pytest.raises(InvalidBlobKey):
        store.put("a/b", b"under a blob")
    with pytest.raises(BlobNotFound):
        store.get("a/b")
    assert store.exists("a/b") is False
    store.put("x/y", b"1")
    with pytest.raises(InvalidBlobKey):
        store.put("x", b"over a folder")
    assert store.exists("x") is False
    assert store.delete("x") is False


def test_file_ping_fails_when_directory_is_unusable(tmp_path: Path) -> None:
    root = tmp_path / "b"
    store = storage.open_blobs(f"file://{root}")
    store.ping()
    root.rmdir()
    root.write_bytes(b"now a file, not a directory")  # unwritable even for root, unlike chmod
    with pytest.raises(StoreUnavailable, match="not writable"):
        store.ping()
    with pytest.raises(StoreUnavailable):
        store.put("k", b"v")


def test_file_directory_that_cannot_be_created_fails_at_open(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(StoreUnavailable, match="cannot create directory"):
        storage.open_blobs(f"file://{tmp_path / 'f' / 'blobs'}")


def test_file_url_without_directory_is_refused() -> None:
    with pytest.raises(ValueError):
        storage.open_blobs("file:///")


# --- the S3 store ----------------------------------------------------------------------------


def test_unknown_blob_scheme() -> None:
    with pytest.raises(UnknownScheme, match="ftp"):
        storage.open_blobs("ftp://host/x")


def test_s3_url_parsing() -> None:
    from storage.blobs.s3 import parse_url

    assert parse_url("s3://bucket/hub/blobs/") == ("bucket", "hub/blobs")
    assert parse_url("s3://bucket") == ("bucket", "")
    with pytest.raises(ValueError):
        parse_url("s3:///no-bucket")


def test_s3_one_client_per_endpoint_and_region() -> None:
    from storage.blobs import s3

    a = storage.open_blobs("s3://b1/p", endpoint_url="http://127.0.0.1:9", region="us-east-1")
    b = storage.open_blobs("s3://b2/q", endpoint_url="http://127.0.0.1:9", region="us-east-1")
    c = storage.open_blobs("s3://b1/p", endpoint_url="http://127.0.0.1:9", region="eu-west-1")
    assert isinstance(a, s3.S3BlobStore) and isinstance(c, s3.S3BlobStore)
    assert a.client is b.client
    assert a.client is not c.client


@pytest.mark.s3
def test_s3_prefixes_isolate_stores(moto_endpoint: str) -> None:
    from tests.conftest import make_bucket

    bucket = make_bucket(moto_endpoint)
    one = storage.open_blobs(f"s3://{bucket}/one", endpoint_url=moto_endpoint, region=MOTO_REGION)
    two = storage.open_blobs(f"s3://{bucket}/two/deep", endpoint_url=moto_endpoint,
                             region=MOTO_REGION)
    bare = storage.open_blobs(f"s3://{bucket}", endpoint_url=moto_endpoint, region=MOTO_REGION)
    one.put("k", b"1")
    two.put("k", b"2")
    assert one.get("k") == b"1" and two.get("k") == b"2"
    assert bare.get("one/k") == b"1" and bare.get("two/deep/k") == b"2"


@pytest.mark.s3
def test_s3_missing_bucket_is_unavailable(moto_endpoint: str) -> None:
    store = storage.open_blobs("s3://no-such-bucket-here/p", endpoint_url=moto_endpoint,
                               region=MOTO_REGION)
    with pytest.raises(StoreUnavailable):
        store.ping()
    with pytest.raises(StoreUnavailable):
        store.put("k", b"v")


def test_s3_unreachable_endpoint_is_unavailable() -> None:
    store = storage.open_blobs("s3://bucket/p", endpoint_url=f"http://127.0.0.1:{_unused_port()}",
                               region=MOTO_REGION)
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.ping()
    with pytest.raises(StoreUnavailable):
        store.get("k")
    with pytest.raises(StoreUnavailable):
        store.put("k", b"v")
