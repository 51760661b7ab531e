"""The conformance runner's own plumbing (``benchmarks.conformance``), without Node.js."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from benchmarks.conformance import provision
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
