"""Fixtures of the statement-forwarding tests: a stub downstream LRS, the app with the
forwarding routes, and no background worker unless a test starts one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.xapi.forwarding.support import Downstream
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


@pytest.fixture
def hub(app: Any) -> Iterator[Any]:
    """The app with the forwarding routes (registered by ``xapi.init_app`` once the LRS calls
    ``forwarding_routes.init_app``; registered here otherwise) and its worker stopped after."""
    forwarding_routes.init_app(app)
    yield app
    stop_worker(app)
