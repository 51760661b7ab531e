"""A minimal browser for LTI flows: follows redirects and auto-posting forms (the OIDC
``form_post`` and Deep Linking return pages) across real HTTP servers, keeping cookies, and
reports every hop. Tests use it to run a whole launch; ``hub lti try-launch`` prints the hops."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests

from lti.devpeers.signing import Refused
from lti.devpeers.wire import read_form_post


@dataclass
class Hop:
    """One request of a flow and its answer."""

    method: str
    url: str
    status: int
    fields: dict[str, str] = field(default_factory=dict)  # what was posted
    location: str | None = None
    body: str = ""


class Browser:
    """Follows a flow from a first URL until a page that neither redirects nor auto-posts."""

    def __init__(self, on_hop: Callable[[Hop], None] | None = None, max_hops: int = 12) -> None:
        self.session = requests.Session()
        self.on_hop = on_hop
        self.max_hops = max_hops
        self.hops: list[Hop] = []

    def close(self) -> None:
        """Close the connections."""
        self.session.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, url: str, method: str = "GET", fields: dict[str, str] | None = None,
            stop: Callable[[Hop], bool] | None = None) -> Hop:
        """Follow the flow from ``url``; the last hop (the page the user would see, or the
        first hop for which ``stop`` is true)."""
        for _ in range(self.max_hops):
            resp = self.session.request(method, url, data=fields, allow_redirects=False,
                                        timeout=30)
            hop = Hop(method, url, resp.status_code, dict(fields or {}),
                      resp.headers.get("Location"), resp.text)
            self.hops.append(hop)
            if self.on_hop is not None:
                self.on_hop(hop)
            if stop is not None and stop(hop):
                return hop
            if resp.is_redirect and hop.location:
                method, url, fields = "GET", urljoin(url, hop.location), None
                continue
            if resp.status_code == 200 and "text/html" in resp.headers.get("Content-Type", "") \
                    and ".submit()" in resp.text:
                action, fields = read_form_post(resp.text)
                method, url = "POST", urljoin(url, action)
                continue
            return hop
        raise Refused(f"more than {self.max_hops} hops")
