"""Fixtures of the development peers, for any test module (``from tests.lti.devpeer_fixtures
import dev_platform, dev_tool, dev_pair``): real servers on 127.0.0.1, stopped after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lti.devpeers.pairing import connect
from lti.devpeers.platform import DevPlatform
from lti.devpeers.signing import PeerKey
from lti.devpeers.tool import DevTool

# RSA key generation is the slow part of a peer: the tests of one process share two keys.
_KEYS: dict[str, PeerKey] = {}


def _key(role: str) -> PeerKey:
    return _KEYS.setdefault(role, PeerKey())


@pytest.fixture
def dev_platform() -> Iterator[DevPlatform]:
    """A running development platform (not yet pointed at any tool)."""
    with DevPlatform(key=_key("platform")) as platform:
        yield platform


@pytest.fixture
def dev_tool() -> Iterator[DevTool]:
    """A running development tool (not yet pointed at any platform)."""
    with DevTool(key=_key("tool")) as tool:
        yield tool


@pytest.fixture
def dev_pair(dev_platform: DevPlatform, dev_tool: DevTool) -> tuple[DevPlatform, DevTool]:
    """The two peers registered with each other."""
    connect(dev_platform, dev_tool)
    return dev_platform, dev_tool
