"""The conformance runner's own plumbing (``benchmarks.conformance``, ``benchmarks.server``),
without Node.js."""

from __future__ import annotations

import secrets
import urllib.request
from pathlib import Path

import pytest

from benchmarks.conformance import provision
from benchmarks.server import serve
from hub import create_app
from hub.auth import authenticate


def test_provisioned_secret_never_reads_as_a_command_line_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A secret starting with "-" is parsed by the suite's command line as flags (``-o`` turns
    on OAuth, an unknown letter exits): the runner must hand over one that cannot be."""
    real = secrets.token_urlsafe
    drawn = iter(["-oAuthFlagsLookAlike0123456789abcdefghijk"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n=None: next(drawn, None) or real(n))
    store_url = f"sqlite:///{tmp_path / 'hub.db'}"
    blob_url = f"file://{tmp_path / 'blobs'}"

    key, secret = provision(store_url, blob_url)

    assert not secret.startswith("-")
    store = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url}
                       ).extensions["hub.store"]
    try:
        assert authenticate(store, key, secret) is not None
    finally:
        store.close()


def test_conformance_server_log_lists_every_request(tmp_path: Path) -> None:
    """A run that ends early must show what the server answered last: the hub the runner
    starts logs one line per request (status, bytes, milliseconds) beside its errors."""
    store_url = f"sqlite:///{tmp_path / 'hub.db'}"
    blob_url = f"file://{tmp_path / 'blobs'}"
    provision(store_url, blob_url)
    log = tmp_path / "server.log"
    env = {"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url, "HUB_LOG_LEVEL": "WARNING"}
    with serve(env, threads=2, log=log, access_log=True) as (base, _), \
            urllib.request.urlopen(f"{base}/health?probe=1", timeout=10) as response:
        assert response.status == 200
    assert '"GET /health?probe=1 HTTP/1.1" 200' in log.read_text(encoding="utf-8")
