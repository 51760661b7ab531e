"""Where the hub may connect on someone else's behalf: public addresses only, unless the
operator allows a host.

A forwarding URL, an LMS's JWKS or token endpoint, a tool's key set: each is registered by an
organisation but fetched by the hub, from inside the hub's network: left unchecked it reaches
the loopback admin port, the cloud metadata service
(``169.254.169.254``, ``[fd00:ec2::254]``, ``metadata.google.internal``) or any private host
(server-side request forgery). So a destination is refused when it is, or resolves to, an
address that is not globally routable: loopback, link-local, private (RFC 1918, fc00::/7),
shared (100.64/10, RFC 6598), unspecified, multicast or reserved, also when an IPv6 address
embeds such an IPv4 address (``::ffff:127.0.0.1``, 6to4, NAT64). Every spelling of an IPv4
address that the system resolver accepts (``127.1``, ``2130706433``, ``0x7f000001``) is caught
because the check runs on what :func:`socket.getaddrinfo` answers, never on the text.

The same :meth:`DestinationGuard.resolve` runs at registration (a 400 naming ``url``) and at
connection time (:mod:`hub.outbound` connects to exactly the addresses it checked, so a name
that resolves elsewhere between check and connect, DNS rebinding, gains nothing).

``HUB_OUTBOUND_ALLOW_HOSTS`` (every outbound fetch) and ``HUB_FORWARDING_ALLOW_HOSTS``
(statement forwarding only), comma-separated host names, IP addresses or CIDR networks, let an
operator reach named internal hosts, such as a state LRS or an LMS on an internal network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Names that are internal by definition, refused without asking DNS (they may not resolve
#: where the check runs, and resolve inwards where it matters): RFC 6761 ``localhost``, the
#: ``internal`` TLD reserved for private use (ICANN 2024; ``metadata.google.internal``),
#: multicast DNS ``local`` (RFC 6762) and ``home.arpa`` (RFC 8375).
INTERNAL_NAMES = ("localhost", "internal", "local", "home.arpa")

#: RFC 6598 shared address space (carrier-grade NAT): not global, yet not ``is_private``.
SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")
#: RFC 6052 NAT64 well-known prefix: the last 32 bits are an IPv4 address.
NAT64 = ipaddress.ip_network("64:ff9b::/96")

_HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


class DestinationRefused(ValueError):
    """The destination is not one the hub connects to; the message says why, for people."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why the hub must not connect to ``ip`` (``"a loopback address"``), or None when it is a
    globally routable unicast address."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        reason = forbidden_reason(inner)
        return f"{reason} (inside {ip})" if reason else None
    for test, reason in (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip in SHARED_SPACE, "a shared (carrier-grade NAT) address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a globally routable address"),
    ):
        if test:
            return reason
    return None


@dataclass(frozen=True)
class AllowList:
    """Hosts the operator lets the hub connect to although they are internal: names (matched
    exactly, case-insensitively) and networks (an address alone is a /32 or /128)."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = field(default=())

    @classmethod
    def parse(cls, text: str | None, setting: str = "HUB_OUTBOUND_ALLOW_HOSTS") -> AllowList:
        """Parse an allow-list setting; ``ValueError`` naming the setting and the bad entry (the
        hub then stops at start-up rather than connecting somewhere unintended)."""
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in (text or "").split(","):
            entry = raw.strip().lower().rstrip(".")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if not _HOST_NAME.fullmatch(entry):
                raise ValueError(f"{setting}: {raw.strip()!r} is not a host "
                                 "name, an IP address or a CIDR network")
            names.add(entry)
        return cls(frozenset(names), tuple(networks))

    def union(self, other: AllowList) -> AllowList:
        """Both lists' hosts (forwarding's list adds to the one every fetch has)."""
        return AllowList(self.names | other.names, self.networks + other.networks)

    def allows_name(self, host: str) -> bool:
        """Is this host name named by the operator?"""
        return host.lower().rstrip(".") in self.names

    def allows_address(self, ip: IPAddress) -> bool:
        """Is this address inside a network the operator allows (IPv4-mapped counts as IPv4)?"""
        candidates: Iterable[IPAddress] = (ip, *filter(None, [_embedded_ipv4(ip)]))
        return any(c in net for c in candidates for net in self.networks
                   if c.version == net.version)


def _internal_name(host: str) -> bool:
    return any(host == name or host.endswith("." + name) for name in INTERNAL_NAMES)


class DestinationGuard:
    """Applies the destination rules with an operator's :class:`AllowList`."""

    def __init__(self, allow: AllowList | None = None) -> None:
        self.allow = allow or AllowList()

    def check_url(self, url: str) -> None:
        """Registration-time check of a URL the hub will fetch: http or https, no user info
        (credentials travel in their own fields, and ``user@host`` hides the real host from a
        reader), a valid host, and every address it resolves to allowed. Raises
        :class:`DestinationRefused` (``socket.gaierror`` when the name does not resolve)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise DestinationRefused("must be an http or https URL")
        if "@" in parts.netloc:
            raise DestinationRefused("must not contain user info (use username and password)")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise DestinationRefused("has an invalid port") from None
        self.resolve(parts.hostname or "", port)

    def resolve(self, host: str, port: int) -> list[tuple[int, tuple[str, int]]]:
        """(family, (address, port)) for each address ``host`` resolves to, every one checked.

        Used at registration and right before connecting: the caller connects to these
        addresses, never resolving again. A name that resolves to several addresses is refused
        when any of them is refused (an attacker's name can mix a public and a private one).
        ``socket.gaierror`` when the name does not resolve at all."""
        host = host.strip("[]").lower().rstrip(".")
        if not host:
            raise DestinationRefused("has no host")
        named = self.allow.allows_name(host)
        if not named and _internal_name(host):
            raise DestinationRefused(f"{host} is an internal name")
        if not named and not _HOST_NAME.fullmatch(host):
            try:  # an IPv6 literal (the brackets are gone) or nothing the hub accepts
                ipaddress.ip_address(host)
            except ValueError:
                raise DestinationRefused(f"{host!r} is not a valid host name") from None
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except UnicodeError:  # IDNA: an empty label or one over 63 characters
            raise DestinationRefused(f"{host!r} is not a valid host name") from None
        checked: list[tuple[int, tuple[str, int]]] = []
        for family, _type, _proto, _name, sockaddr in answers:
            address = str(sockaddr[0])
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            reason = forbidden_reason(ip)
            if reason and not named and not self.allow.allows_address(ip):
                shown = host if host == address else f"{host} resolves to {address}, which"
                raise DestinationRefused(f"{shown} is {reason}")
            if (family, (address, port)) not in checked:
                checked.append((family, (address, port)))
        if not checked:
            raise DestinationRefused(f"{host} has no address")
        return checked
