"""``hub lti try-launch``: the standard LTI 1.3 launch flow driven from the command line, here
against the dev tool standing in for the hub's tool side (it speaks the same protocol), so the
command is proven hop by hop: a launch that succeeds, and refusals that exit 1 with the reason."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from hub import create_app
from lti.devpeers.tool import DevTool
from tests.lti.devpeer_fixtures import dev_tool

__all__ = ["dev_tool"]  # a fixture, imported for pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[FlaskCliRunner]:
    app = create_app({"HUB_STORE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_FORWARDING_WORKER": "off", "TESTING": True})
    yield app.test_cli_runner()


def _try(runner: FlaskCliRunner, tool: DevTool, tmp_path: Path, *extra: str) -> Any:
    """try-launch with the dev tool as the "hub", the platform on a fresh port it trusts."""
    port = _free_port()
    platform_url = f"http://127.0.0.1:{port}"
    tool.trust(platform_url, "dev-tool-client", authorize_url=f"{platform_url}/authorize",
               jwks_url=f"{platform_url}/jwks", token_url=f"{platform_url}/token",
               deployment_id="dev-deployment-1")
    return runner.invoke(args=[
        "lti", "try-launch", "--port", str(port), "--login-url", tool.login_url,
        "--launch-url", tool.launch_url, "--target-link-uri", tool.target_link_uri,
        "--key-file", str(tmp_path / "platform-key.json"), *extra])


def test_try_launch_prints_every_hop_and_launches(runner: FlaskCliRunner, dev_tool: DevTool,
                                                  tmp_path: Path) -> None:
    result = _try(runner, dev_tool, tmp_path, "--role", "instructor", "--user", "u-42")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    hops = [line for line in lines if line[:1].isdigit()]
    # the "hub"'s login -> the platform's authorization endpoint -> the "hub"'s launch
    assert [h.split()[1] for h in hops] == ["GET", "GET", "POST"]
    assert hops[0].split()[2].startswith(dev_tool.login_url) and hops[0].endswith("-> 302")
    assert "/authorize?" in hops[1] and hops[1].endswith("-> 200")
    assert hops[2].split()[2] == dev_tool.launch_url and hops[2].endswith("-> 200")
    assert "     id_token sub: u-42" in lines
    assert any(line.startswith("launched: the hub answered 200") for line in lines)
    claims = dev_tool.received.last("launch")["claims"]  # type: ignore[index]
    assert claims["sub"] == "u-42"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/roles"] == [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


def test_the_platform_key_is_kept_between_tries(runner: FlaskCliRunner, dev_tool: DevTool,
                                                tmp_path: Path) -> None:
    assert _try(runner, dev_tool, tmp_path).exit_code == 0
    first = (tmp_path / "platform-key.json").read_text()
    assert _try(runner, dev_tool, tmp_path).exit_code == 0
    assert (tmp_path / "platform-key.json").read_text() == first
    kids = {e["claims"]["iss"] for e in dev_tool.received.all("launch")}
    assert len(kids) == 2  # two ports, two issuers, one key: both launches verified


def test_a_refused_launch_exits_1_with_the_reason(runner: FlaskCliRunner, dev_tool: DevTool,
                                                  tmp_path: Path) -> None:
    result = _try(runner, dev_tool, tmp_path, "--client-id", "not-registered")
    assert result.exit_code == 1
    assert "not launched: 400" in result.output and "unknown client_id" in result.output
    assert dev_tool.received.all("launch") == []


def test_a_hub_that_is_not_running_is_a_clear_error(runner: FlaskCliRunner,
                                                    tmp_path: Path) -> None:
    result = runner.invoke(args=["lti", "try-launch", "c-1", "--hub", "http://127.0.0.1:9",
                                 "--port", str(_free_port()),
                                 "--key-file", str(tmp_path / "k.json")])
    assert result.exit_code == 1
    assert "cannot reach the hub" in result.output


def test_a_busy_port_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(args=["lti", "try-launch", "c-1", "--port", str(port),
                                     "--key-file", str(tmp_path / "k.json")])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_try_launch_can_send_a_deep_linking_request(runner: FlaskCliRunner, dev_tool: DevTool,
                                                    tmp_path: Path) -> None:
    result = _try(runner, dev_tool, tmp_path, "--deep-link")
    assert result.exit_code == 0, result.output
    assert "     id_token message_type: LtiDeepLinkingRequest" in result.output.splitlines()
    assert dev_tool.received.last("launch")["message_type"] == (  # type: ignore[index]
        "LtiDeepLinkingRequest")
