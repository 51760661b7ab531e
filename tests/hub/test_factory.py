"""The app factory: backends chosen by URL, unknown schemes refused at start-up, ``/health``."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from storage.errors import UnknownScheme
from tests.conftest import MOTO_REGION, make_bucket


def _make(tmp_path: Path, **settings: str) -> Any:
    from hub import create_app

    config = {"TESTING": True, "HUB_STORE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
              "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}", **settings}
    return create_app(config)


@pytest.mark.parametrize(("setting", "url", "scheme"), [
    ("HUB_STORE_URL", "postgresql://db/hub", "postgresql"),
    ("HUB_STORE_URL", "/var/hub.db", ""),
    ("HUB_BLOB_URL", "ftp://files/blobs", "ftp"),
    ("HUB_BLOB_URL", "gs://bucket/p", "gs"),
])
def test_unknown_scheme_fails_at_start_up(tmp_path: Path, setting: str, url: str,
                                          scheme: str) -> None:
    with pytest.raises(UnknownScheme) as info:
        _make(tmp_path, **{setting: url})
    message = str(info.value)
    assert url in message and f"unknown scheme {scheme!r}" in message
    assert ("sqlite://" in message) if setting == "HUB_STORE_URL" else ("s3://" in message)
    # refused before anything was opened or created
    assert not (tmp_path / "hub.db").exists() and not (tmp_path / "blobs").exists()


@pytest.mark.parametrize(("setting", "url", "driver", "extra"), [
    ("HUB_STORE_URL", "mongodb://db.example/hub", "pymongo", "mongodb"),
    ("HUB_BLOB_URL", "s3://bucket/hub", "boto3", "s3"),
])
def test_a_missing_driver_fails_at_start_up_naming_its_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, url: str, driver: str,
        extra: str) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == driver else real(name, *a))
    with pytest.raises(UnknownScheme) as info:
        _make(tmp_path, **{setting: url})
    assert f"karmayogi-hub[{extra}]" in str(info.value) and driver in str(info.value)
    assert not (tmp_path / "hub.db").exists()


def test_extensions_are_the_configured_backends(app: Any) -> None:
    from storage.blobs.files import DirectoryBlobStore
    from storage.ports.blobs import BlobStore

    assert isinstance(app.extensions["hub.blobs"], DirectoryBlobStore)
    assert isinstance(app.extensions["hub.blobs"], BlobStore)
    assert app.extensions["hub.config"].public_url == "http://hub.test"
    assert app.extensions["hub.api"] is not None


def test_health_ok(client: Any) -> None:
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json["status"] == "ok"
    assert set(resp.json["checks"]) == {"store", "blobs"}
    assert all(c["status"] == "ok" for c in resp.json["checks"].values())


def test_health_503_when_blob_directory_is_unwritable(app: Any, client: Any,
                                                      tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    assert client.get("/health").status_code == 200
    root.rmdir()
    # A file where the directory was: unwritable even when the tests run as root (chmod isn't).
    root.write_bytes(b"")
    resp = client.get("/health")
    assert resp.status_code == 503
    assert resp.json["status"] == "unavailable"
    assert resp.json["checks"]["store"]["status"] == "ok"
    assert resp.json["checks"]["blobs"] == {"status": "unavailable"}
    assert resp.json["failed"] == ["blobs"]


def test_health_503_names_the_failing_check_and_logs_the_error(
        app: Any, client: Any, caplog: pytest.LogCaptureFixture) -> None:
    # Anyone may call /health: the driver's text (hosts, paths) goes to the log, not to them.
    from storage.errors import StoreUnavailable

    store = app.extensions["hub.store"]

    def down() -> None:
        raise StoreUnavailable("database at 10.0.0.7:/srv/hub.db is on fire")

    store.ping = down
    with caplog.at_level(logging.ERROR, logger="hub.health"):
        resp = client.get("/health")
    assert resp.status_code == 503
    assert resp.json == {"status": "unavailable", "failed": ["store"],
                         "checks": {"store": {"status": "unavailable"},
                                    "blobs": resp.json["checks"]["blobs"]}}
    assert resp.json["checks"]["blobs"]["status"] == "ok"
    assert b"10.0.0.7" not in resp.data and b"fire" not in resp.data
    assert "10.0.0.7:/srv/hub.db is on fire" in caplog.text


def test_health_is_in_the_openapi_document(client: Any) -> None:
    from tests.openapi_support import conforms, documented_schema

    spec = client.get("/openapi.json").json
    ok = documented_schema(spec, "/health", "get", "200", "application/json")
    down = documented_schema(spec, "/health", "get", "503", "application/json")
    assert conforms(spec, ok, client.get("/health").json) == []
    body = {"status": "unavailable", "checks": {"store": {"status": "unavailable"}},
            "failed": ["store"]}
    assert conforms(spec, down, body) == []


@pytest.mark.s3
def test_health_with_s3_blobs(tmp_path: Path, moto_endpoint: str) -> None:
    bucket = make_bucket(moto_endpoint)
    app = _make(tmp_path, HUB_BLOB_URL=f"s3://{bucket}/hub", HUB_S3_ENDPOINT_URL=moto_endpoint,
                HUB_S3_REGION=MOTO_REGION)
    resp = app.test_client().get("/health")
    assert resp.status_code == 200, resp.json
    assert app.extensions["hub.blobs"].bucket == bucket
    app.extensions["hub.store"].close()


def test_health_503_when_s3_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # S3 is contacted lazily: the hub starts, and /health says what is wrong.
    app = _make(tmp_path, HUB_BLOB_URL="s3://bucket/hub",
                HUB_S3_ENDPOINT_URL=f"http://127.0.0.1:{port}")
    resp = app.test_client().get("/health")
    assert resp.status_code == 503
    assert resp.json["checks"]["blobs"]["status"] == "unavailable"
    assert resp.json["checks"]["store"]["status"] == "ok"
    app.extensions["hub.store"].close()
