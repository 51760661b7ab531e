"""``hub lti try-launch`` against the hub's own tool side (``/lti/login``, ``/lti/launch``) served
on real HTTP: the command launches a catalogue course end to end and reports the hub's refusal.

The hub's tool side and its ``live_hub`` fixture come from the tool side's branch; until that is
merged these tests are skipped (they run, and can fail, as soon as it is)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hub.context import STORE

_fixtures = pytest.importorskip("tests.lti.tool_side_fixtures")
COURSE = _fixtures.COURSE
live_hub = _fixtures.live_hub


def _try(hub: Any, tmp_path: Path, *extra: str) -> Any:
    """try-launch on the port of the registered dev platform (stopped first: the command runs
    its own platform at that issuer, with its own key, which the hub fetches from its JWKS)."""
    port = hub.platform.issuer.rsplit(":", 1)[1]
    hub.platform.stop()
    return hub.app.test_cli_runner().invoke(args=[
        "lti", "try-launch", COURSE, "--hub", hub.url, "--port", port,
        "--key-file", str(tmp_path / "platform-key.json"), *extra])


def test_try_launch_launches_a_course_on_the_hub(live_hub: Any, tmp_path: Path) -> None:
    result = _try(live_hub, tmp_path)
    assert result.exit_code == 0, result.output
    hops = [line for line in result.output.splitlines() if line[:1].isdigit()]
    assert hops[0].split()[2].startswith(f"{live_hub.url}/lti/login?")
    assert hops[-1].split()[:3] == ["3.", "POST", f"{live_hub.url}/lti/launch"]
    # The hub sent the learner on to the course's delivery (an external URL), not followed.
    course = live_hub.app.extensions[STORE].courses.get(COURSE)
    delivery_url = course["live"]["delivery"]["url"]
    assert f"launched: the hub answered 302, sending the learner to {delivery_url}" in (
        result.output)


def test_try_launch_reports_the_hubs_refusal(live_hub: Any, tmp_path: Path) -> None:
    result = _try(live_hub, tmp_path, "--client-id", "not-registered")
    assert result.exit_code == 1
    assert "not launched: 400" in result.output
    assert "no platform registration" in result.output  # the hub's problem+json detail
