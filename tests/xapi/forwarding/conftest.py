"""Fixtures of the statement-forwarding tests: a stub downstream LRS, the app with the
forwarding routes, and no background worker unless a test starts one.

The stub downstreams listen on 127.0.0.1, which forwarding refuses unless the operator allows it:
the ``hub`` here is configured with ``HUB_FORWARDING_ALLOW_HOSTS=127.0.0.1`` (so every delivery
test also exercises the allow list), ``strict_hub`` is the same hub without it. Host names
resolve through :class:`FakeDNS` (no test reaches the network)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.xapi.forwarding.support import Downstream, FakeDNS, create_app_like
from xapi import forwarding_routes
from xapi.forwarding_worker import stop_worker


@pytest.fixture
def downstream() -> Iterator[Downstream]:
    server = Downstream()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _no_background_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests drive the worker with ``forward_once`` unless they start it themselves."""
    monkeypatch.setenv("HUB_FORWARDING_WORKER", "off")


@pytest.fixture(autouse=True)
def _allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator's allow list of every app these tests build (autouse fixtures run before
    ``app``): the stub downstreams are on 127.0.0.1."""
    monkeypatch.setenv("HUB_FORWARDING_ALLOW_HOSTS", "127.0.0.1")


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """Name resolution without the network; tests change ``dns.names`` to move a name."""
    fake = FakeDNS()
    monkeypatch.setattr("socket.getaddrinfo", fake)
    return fake


@pytest.fixture
def strict_hub(hub: Any) -> Iterator[Any]:
    """``hub``'s store and blobs, served by a hub whose operator allows no internal host."""
    strict = create_app_like(hub, HUB_FORWARDING_ALLOW_HOSTS="")
    yield strict
    stop_worker(strict)
    strict.extensions["hub.store"].close()


@pytest.fixture
def hub(app: Any) -> Iterator[Any]:
    """The app with the forwarding routes (registered by ``xapi.init_app`` once the LRS calls
    ``forwarding_routes.init_app``; registered here otherwise) and its worker stopped after."""
    forwarding_routes.init_app(app)
    yield app
    stop_worker(app)
