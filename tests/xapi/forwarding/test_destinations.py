"""Forwarding cannot be turned inwards (a registration must not make the hub send requests into
its own network): destinations are checked at registration (POST and PATCH) and again when the
hub connects, after name resolution; the operator's ``HUB_FORWARDING_ALLOW_HOSTS`` lets named
internal hosts through."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from hub.destinations import AllowList, forbidden_reason
from tests.conftest import Tenants
from tests.xapi.forwarding.support import (
    PUBLIC,
    Downstream,
    FakeDNS,
    create_app_like,
    deliver,
    ingest,
    register,
    statement,
    status,
)
from xapi.forwarding_worker import stop_worker

#: Inward destinations (loopback, private, shared, link-local and cloud-metadata addresses, in
#: the decimal, octal, hex and IPv6-mapped spellings URL parsers accept), refused without an
#: allow list.
INWARD = [
    "http://127.0.0.1:8080/admin/xapi",
    "http://169.254.169.254/latest/meta-data",
    "http://[fd00:ec2::254]/xapi",
    "http://metadata.google.internal/computeMetadata/v1",
    "http://10.0.0.5/xapi",
    "http://172.16.3.4/xapi",
    "http://192.168.1.10/xapi",
    "http://100.64.0.1/xapi",
    "http://[fc00::1]/xapi",
    "http://[::1]:8000/xapi",
    "http://0.0.0.0:8000/xapi",
    "http://0/xapi",
    "http://127.1/xapi",
    "http://2130706433/xapi",
    "http://0x7f000001/xapi",
    "http://0177.0.0.1/xapi",
    "http://[::ffff:127.0.0.1]/xapi",
    "http://[::ffff:a9fe:a9fe]/xapi",
    "http://[64:ff9b::a9fe:a9fe]/xapi",
    "http://[2002:7f00:1::1]/xapi",
    "http://[fe80::1]/xapi",
    "http://224.0.0.1/xapi",
    "http://240.0.0.1/xapi",
    "http://localhost:8000/xapi",
    "http://lrs.localhost/xapi",
    "http://intranet.example.org/xapi",  # a name that resolves to a private address
    "http://mixed.example.org/xapi",  # one public and one private address
    "http://nowhere.example.org/xapi",  # does not resolve
    "https://user:pw@lrs.example.org/xapi",
    "https://lrs.example.org@127.0.0.1/xapi",
    "https://lrs.example.org:99999/xapi",
    f"https://{'a' * 64}.example.org/xapi",  # a DNS label is at most 63 octets
    "https://lrs_state.example.org/xapi",
]


def _refused(response: Any) -> None:
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert "url" in response.get_json()["errors"]


@pytest.mark.parametrize("url", INWARD)
def test_inward_destinations_are_refused_at_registration(strict_hub: Any, url: str) -> None:
    writer = Tenants(strict_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    client = strict_hub.test_client()
    _refused(client.post("/xapi/forwarding", json={"url": url}, headers=writer["headers"]))
    assert client.get("/xapi/forwarding", headers=writer["headers"]).get_json() == {
        "forwarders": []}


@pytest.mark.parametrize("url", INWARD)
def test_inward_destinations_are_refused_by_patch(strict_hub: Any, url: str) -> None:
    writer = Tenants(strict_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    client = strict_hub.test_client()
    fid = register(client, writer["headers"], url="https://lrs.example.org/xapi")["id"]
    _refused(client.patch(f"/xapi/forwarding/{fid}", json={"url": url},
                          headers=writer["headers"]))
    assert status(client, writer["headers"], fid)["url"] == "https://lrs.example.org/xapi"


@pytest.mark.parametrize("url", ["https://lrs.example.org/xapi", f"http://{PUBLIC}:8080/xapi",
                                 "https://v6.example.org/xapi", "https://LRS.example.org./xapi"])
def test_public_destinations_are_accepted(strict_hub: Any, url: str) -> None:
    writer = Tenants(strict_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    register(strict_hub.test_client(), writer["headers"], url=url)


def test_the_stub_downstream_on_loopback_needs_the_allow_list(
        hub: Any, strict_hub: Any, downstream: Downstream) -> None:
    """The delivery tests' downstream is on 127.0.0.1: accepted by ``hub`` (allowed),
    refused by the same hub without the allow list, at registration and at connection time
    (a registration stored before the rules, or allowed by an operator who later removed it)."""
    strict_writer = Tenants(strict_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    _refused(strict_hub.test_client().post("/xapi/forwarding", json={"url": downstream.url},
                                           headers=strict_writer["headers"]))

    writer = Tenants(hub).make("Other LMS", "lms", ("lrs-writer",))
    fid = register(hub.test_client(), writer["headers"], url=downstream.url)["id"]
    ingest(hub, writer["org"]["id"], [statement()])
    assert deliver(strict_hub)["errors"] == 1
    assert downstream.requests == 0
    shown = status(hub.test_client(), writer["headers"], fid)
    assert shown["last_error"] == "refused: 127.0.0.1 is a loopback address"
    assert shown["pending"] == 1 and shown["attempts"] == 1

    hub.extensions["hub.store"].forwarding.update(fid, {"next_attempt_at": None})
    assert deliver(hub)["sent"] == 1  # the allow list lets the same downstream through


def test_a_name_that_resolves_inwards_at_send_time_is_refused(
        hub: Any, strict_hub: Any, dns: FakeDNS, downstream: Downstream) -> None:
    """DNS rebinding: public when registered, 127.0.0.1 when the worker connects."""
    client = strict_hub.test_client()
    writer = Tenants(strict_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    url = f"http://rebind.example.org:{downstream.port}/xapi"
    fid = register(client, writer["headers"], url=url, username="u", password="pw")["id"]
    ingest(strict_hub, writer["org"]["id"], [statement(), statement()])
    dns.names["rebind.example.org"] = ["127.0.0.1"]

    assert deliver(strict_hub) == {"forwarders": 1, "sent": 0, "dead": 0, "errors": 1}
    assert downstream.requests == 0  # nothing sent, credentials included
    shown = status(client, writer["headers"], fid)
    assert shown["last_error"] == ("refused: rebind.example.org resolves to 127.0.0.1, which "
                                   "is a loopback address")
    assert shown["pending"] == 2 and shown["next_attempt_at"] is not None

    # Where 127.0.0.1 is allowed, the worker connects to the address it checked (the stub),
    # by name: the same registration delivers.
    hub.extensions["hub.store"].forwarding.update(fid, {"next_attempt_at": None})
    assert deliver(hub)["sent"] == 2
    assert downstream.headers[0]["Host"] == f"rebind.example.org:{downstream.port}"


def test_https_connections_are_checked_too(strict_hub: Any, dns: FakeDNS,
                                          downstream: Downstream) -> None:
    """The TLS connection class goes through the same guard, before any handshake."""
    client = strict_hub.test_client()
    writer = Tenants(strict_hub).make("Ministry LMS", "lms", ("lrs-writer",))
    url = f"https://rebind.example.org:{downstream.port}/xapi"
    fid = register(client, writer["headers"], url=url)["id"]
    ingest(strict_hub, writer["org"]["id"], [statement()])
    dns.names["rebind.example.org"] = ["::1", "127.0.0.1"]
    assert deliver(strict_hub)["errors"] == 1
    assert downstream.peers == []  # not even a TCP connection
    assert status(client, writer["headers"], fid)["last_error"] == (
        "refused: rebind.example.org resolves to ::1, which is a loopback address")


def test_the_allow_list_names_hosts_addresses_and_networks(hub: Any) -> None:
    allowing = create_app_like(hub, HUB_FORWARDING_ALLOW_HOSTS=(
        "intranet.example.org, 10.9.0.0/16 ,fd00:ec2::254,localhost"))
    try:
        writer = Tenants(allowing).make("State", "department", ("lrs-writer",))
        client = allowing.test_client()
        for url in ("https://intranet.example.org/xapi", "http://10.9.1.2/xapi",
                    "http://[fd00:ec2::254]/xapi", "http://localhost:8000/xapi"):
            register(client, writer["headers"], url=url)
        for url in ("http://10.10.0.1/xapi", "http://[fd00:ec2::255]/xapi",
                    "http://169.254.169.254/", "http://metadata.google.internal/"):
            _refused(client.post("/xapi/forwarding", json={"url": url},
                                 headers=writer["headers"]))
    finally:
        stop_worker(allowing)
        allowing.extensions["hub.store"].close()


def test_a_bad_allow_list_stops_the_hub_at_start_up(hub: Any) -> None:
    with pytest.raises(ValueError, match="HUB_FORWARDING_ALLOW_HOSTS"):
        create_app_like(hub, HUB_FORWARDING_ALLOW_HOSTS="http://lrs.internal/xapi")


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    ("0.0.0.0", "an unspecified address"),
    ("169.254.169.254", "a link-local address"),
    ("fd00:ec2::254", "a private address"),
    ("100.64.0.1", "a shared (carrier-grade NAT) address"),
    ("224.0.0.251", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("192.0.2.1", "a private address"),  # documentation range
    ("::ffff:10.0.0.1", f"a private address (inside {ipaddress.ip_address('::ffff:10.0.0.1')})"),
    (PUBLIC, None),
    ("2606:2800:220:1:248:1893:25c8:1946", None),
])
def test_forbidden_reason(address: str, reason: str | None) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) == reason


def test_allow_list_parsing() -> None:
    allow = AllowList.parse(" LRS.State.Internal. , 10.0.0.0/8,127.0.0.1 ,, [::1]")
    assert allow.allows_name("lrs.state.internal") and not allow.allows_name("state.internal")
    assert allow.allows_address(ipaddress.ip_address("10.200.0.1"))
    assert allow.allows_address(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert allow.allows_address(ipaddress.ip_address("::1"))
    assert not allow.allows_address(ipaddress.ip_address("127.0.0.2"))
    assert AllowList.parse(None) == AllowList.parse("") == AllowList()
    with pytest.raises(ValueError, match="not a host name"):
        AllowList.parse("lrs_state")
