"""Shared fixtures: the app factory on a fresh store, parametrised over every adapter.

- ``store_url``: a fresh store per test, ``sqlite`` (a real file under tmp_path) and ``mongodb``
  (mongomock, or a real server when ``MONGODB_URI`` is set; mark ``mongodb`` so that
  ``-m "not mongodb"`` works).
- ``blob_url``: ``file`` (a tmp directory) and ``s3`` (a bucket on the moto server that the session
  starts on 127.0.0.1 and talks to over real HTTP).
- ``app``/``client``/``runner``: flaskr-style fixtures built by ``create_app`` on those URLs.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mongo_support import mongo_store_url

MOTO_REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto S3 server process on 127.0.0.1 for the whole session (real HTTP)."""
    port = _free_port()
    exe = Path(sys.executable).with_name("moto_server")
    cmd = [str(exe) if exe.exists() else "moto_server", "-H", "127.0.0.1", "-p", str(port)]
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("moto_server exited at start-up") from None
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("moto_server did not start in 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may pick up real AWS credentials."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", MOTO_REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture(params=["sqlite", pytest.param("mongodb", marks=pytest.mark.mongodb)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL for each adapter."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
    else:
        with mongo_store_url() as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An embedded store only (for tests that are about SQLite itself)."""
    return f"sqlite:///{tmp_path / 'hub.db'}"


def make_bucket(endpoint: str) -> str:
    """Create a fresh bucket on the moto server."""
    import boto3

    bucket = "hub-" + uuid.uuid4().hex[:12]
    boto3.client("s3", endpoint_url=endpoint, region_name=MOTO_REGION).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(params=["file", pytest.param("s3", marks=pytest.mark.s3)])
def blob_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    """(blob URL, S3 endpoint or None) for each blob adapter."""
    if request.param == "file":
        yield f"file://{tmp_path / 'blobs'}", None
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        yield f"s3://{make_bucket(endpoint)}/hub", endpoint


@pytest.fixture
def app(store_url: str, tmp_path: Path) -> Any:
    """The hub on a fresh store of each adapter, blobs in a tmp directory."""
    from hub import create_app

    app = create_app({
        "TESTING": True,
        "HUB_STORE_URL": store_url,
        "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
        "HUB_PUBLIC_URL": "http://hub.test",
    })
    yield app
    app.extensions["hub.store"].close()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


def basic(key: str, secret: str) -> dict[str, str]:
    """HTTP Basic header for a credential."""
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class Tenants:
    """Makes organisations and credentials in the app's store; returns auth headers."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def make(self, name: str, kind: str = "provider", roles: tuple[str, ...] = ("publisher",),
             ) -> dict[str, Any]:
        """An organisation (created once by name) and a new credential; returns
        ``{"org": {...}, "headers": {...}, "key": ..., "secret": ...}``."""
        from hub.auth import create_credential, create_organisation

        store = self.app.extensions["hub.store"]
        org = store.organisations.get_by_name(name) or create_organisation(store, name, kind)
        cred = create_credential(store, org["id"], roles)
        return {"org": org, "headers": basic(cred["key"], cred["secret"]), **cred}


@pytest.fixture
def tenants(app: Any) -> Tenants:
    return Tenants(app)
