"""hub.outbound: the one guarded client of every fetch the hub makes for someone, against a real
server on 127.0.0.1 (refused unless allow-listed, which is the point of most tests here)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.destinations import AllowList, DestinationGuard, DestinationRefused
from hub.outbound import OutboundClient, OutboundError, OutboundRefused, outbound_client
from tests.serving import StubServer, serving


def client(allow: str = "127.0.0.1", **kw: Any) -> OutboundClient:
    return OutboundClient(DestinationGuard(AllowList.parse(allow)), **kw)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with serving() as server:
        yield server


def test_get_json_answers_status_headers_and_json(stub: StubServer) -> None:
    stub.routes["/jwks"] = (200, {"Cache-Control": "max-age=60"}, {"keys": []})
    answer = client().get_json(stub.url("/jwks"))
    assert (answer.status, answer.ok, answer.json) == (200, True, {"keys": []})
    assert answer.headers["cache-control"] == "max-age=60"
    assert stub.received[0].headers["Accept"] == "application/json"


def test_an_internal_address_is_refused_before_any_connection(stub: StubServer) -> None:
    stub.routes["/jwks"] = (200, {}, {"keys": []})
    with pytest.raises(OutboundRefused, match="loopback"):
        client(allow="").get_json(stub.url("/jwks"))
    assert stub.received == []


def test_a_redirect_inwards_is_refused_at_its_connection(stub: StubServer) -> None:
    # 127.0.0.1 is allowed, 127.0.0.2 is not: the hop is refused by the same guard.
    stub.routes["/jwks"] = (302, {"Location": "http://127.0.0.2:9/metadata"}, b"")
    with pytest.raises(OutboundRefused, match=r"127\.0\.0\.2"):
        client().get_json(stub.url("/jwks"))


def test_redirects_are_followed_for_get_and_drop_credentials_on_another_host() -> None:
    with serving() as first, serving() as second:
        second.routes["/keys"] = (200, {}, {"keys": [1]})
        first.routes["/jwks"] = (307, {"Location": second.url("/keys")}, b"")
        answer = client().get_json(first.url("/jwks"), {"Authorization": "Bearer secret"})
        assert answer.json == {"keys": [1]} and answer.url == second.url("/keys")
        assert first.received[0].headers["Authorization"] == "Bearer secret"
        assert "Authorization" not in second.received[0].headers


def test_redirects_stop_after_the_limit(stub: StubServer) -> None:
    stub.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    answer = client().get_json(stub.url("/loop"))
    assert answer.status == 302 and stub.hits("/loop") == 4  # the request and 3 hops


def test_posts_never_follow_redirects(stub: StubServer) -> None:
    stub.routes["/token"] = (302, {"Location": "/elsewhere"}, b"")
    answer = client().post_form(stub.url("/token"), {"grant_type": "client_credentials"})
    assert answer.status == 302 and stub.hits("/elsewhere") == 0
    assert stub.received[0].body == b"grant_type=client_credentials"
    assert stub.received[0].headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_post_json_sends_its_media_type(stub: StubServer) -> None:
    stub.routes["/scores"] = (204, {}, b"")
    answer = client().post_json(stub.url("/scores"), {"scoreGiven": 1},
                                content_type="application/vnd.ims.lis.v1.score+json")
    assert answer.status == 204 and answer.body == b""
    assert stub.received[0].headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
    assert stub.received[0].body == b'{"scoreGiven":1}'


def test_a_body_over_the_cap_fails_unless_it_is_only_drained(stub: StubServer) -> None:
    stub.routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(OutboundError, match="over 4096 bytes"):
        client(max_bytes=4096).get_json(stub.url("/big"))
    drained = client(max_bytes=4096).request("GET", stub.url("/big"), keep_body=False)
    assert drained.status == 200 and drained.body == b""


def test_a_slow_server_times_out(stub: StubServer) -> None:
    def slow(_request: Any) -> Any:
        time.sleep(1.5)
        return 200, {}, {}

    stub.routes["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(OutboundError, match="could not be reached"):
        client(timeout=0.3).get_json(stub.url("/slow"))
    assert time.monotonic() - started < 1.4


def test_an_answer_that_is_not_json_is_an_outbound_error(stub: StubServer) -> None:
    stub.routes["/html"] = (200, {"Content-Type": "text/html"}, b"<html>")
    answer = client().get_json(stub.url("/html"))
    with pytest.raises(OutboundError, match="not JSON") as caught:
        _ = answer.json
    assert caught.value.status == 502


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://a/"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(OutboundRefused, match="only http and https"):
        client().get_json(url)
    with pytest.raises(DestinationRefused, match="http or https"):
        client().check_url(url)


def _app(tmp_path: Path, **settings: str) -> Any:
    from hub import create_app

    return create_app({"TESTING": True, "HUB_STORE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
                       "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}", **settings})


def test_the_app_client_uses_hub_outbound_allow_hosts_for_every_fetch(tmp_path: Path) -> None:
    from xapi.forwarding_client import client_for

    strict = _app(tmp_path)
    allowing = _app(tmp_path, HUB_OUTBOUND_ALLOW_HOSTS="127.0.0.1")
    try:
        with pytest.raises(DestinationRefused):
            outbound_client(strict).check_url("http://127.0.0.1:1/jwks")
        with pytest.raises(DestinationRefused):
            client_for(strict).guard.check_url("http://127.0.0.1:1/xapi")
        outbound_client(allowing).check_url("http://127.0.0.1:1/jwks")
        client_for(allowing).guard.check_url("http://127.0.0.1:1/xapi")  # forwarding too
        with allowing.app_context():
            assert outbound_client() is outbound_client(allowing)
    finally:
        strict.extensions["hub.store"].close()
        allowing.extensions["hub.store"].close()


def test_the_forwarding_allow_list_does_not_open_other_fetches(tmp_path: Path) -> None:
    from xapi.forwarding_client import client_for

    app = _app(tmp_path, HUB_FORWARDING_ALLOW_HOSTS="127.0.0.1")
    try:
        client_for(app).guard.check_url("http://127.0.0.1:1/xapi")
        with pytest.raises(DestinationRefused):
            outbound_client(app).check_url("http://127.0.0.1:1/jwks")
    finally:
        app.extensions["hub.store"].close()


def test_a_bad_outbound_allow_list_stops_the_hub_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="HUB_OUTBOUND_ALLOW_HOSTS"):
        _app(tmp_path, HUB_OUTBOUND_ALLOW_HOSTS="https://lms.internal/")
