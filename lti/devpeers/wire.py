"""HTTP plumbing of the development peers: outbound JSON and form requests (urllib3), the
OIDC ``form_post`` page (OAuth 2.0 Form Post Response Mode §2) and a reader for it, and a
threaded server on 127.0.0.1 for tests.

The peers fetch whatever URL they are configured with, with no address guard: they are
development tools that talk to a hub on 127.0.0.1, never part of a deployed hub.
"""

from __future__ import annotations

import errno
import html
import json
import threading
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import urllib3
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from lti.devpeers.signing import Refused

_HTTP = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5.0, read=15.0), retries=False)


def request(method: str, url: str, *, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> urllib3.BaseHTTPResponse:
    """One HTTP request, redirects not followed (each hop of a flow is a step to see); an
    unreachable URL is Refused (502), not an exception the peer answers with 500."""
    try:
        return _HTTP.request(method, url, headers=headers or {}, body=body, redirect=False)
    except (urllib3.exceptions.HTTPError, ValueError) as exc:
        raise Refused(f"{method} {url} failed: {exc}", status=502, error="unreachable") from None


def get_json(url: str, headers: dict[str, str] | None = None) -> Any:
    """GET a JSON document; Refused when the answer is not 200 JSON."""
    resp = request("GET", url, headers={"Accept": "application/json", **(headers or {})})
    if resp.status != 200:
        raise Refused(f"GET {url} answered {resp.status}", status=502)
    try:
        return json.loads(resp.data)
    except ValueError:
        raise Refused(f"GET {url} did not answer JSON", status=502) from None


def post_form(url: str, fields: dict[str, str],
              headers: dict[str, str] | None = None) -> urllib3.BaseHTTPResponse:
    """POST an ``application/x-www-form-urlencoded`` body."""
    return request("POST", url, body=urlencode(fields).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def send_json(method: str, url: str, value: Any, content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> urllib3.BaseHTTPResponse:
    """Send a JSON body with ``content_type`` (AGS and Dynamic Registration media types)."""
    return request(method, url, body=json.dumps(value).encode(),
                   headers={"Content-Type": content_type, **(headers or {})})


def form_post_page(action: str, fields: dict[str, str], title: str = "Continuing") -> str:
    """An HTML page that posts ``fields`` to ``action`` on load (OIDC form_post, Deep Linking
    §4.3 auto-post back to the platform)."""
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in fields.items())
    return (f"<!doctype html><html><head><title>{html.escape(title)}</title></head>"
            f'<body onload="document.forms[0].submit()"><form method="post" '
            f'action="{html.escape(action)}">{inputs}<noscript><button>Continue</button>'
            "</noscript></form></body></html>")


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = found.get("action") or ""
        elif tag == "input" and found.get("name"):
            self.fields[str(found["name"])] = found.get("value") or ""


def read_form_post(page: str | bytes) -> tuple[str, dict[str, str]]:
    """The action and fields of the first form of an auto-posting page (what a browser would
    post next); Refused when the page has no form."""
    reader = _FormReader()
    reader.feed(page.decode() if isinstance(page, bytes) else page)
    if not reader.action:
        raise Refused("the page has no form to post")
    return reader.action, reader.fields


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Tests read the ledger, not an access log."""


class ThreadedServer:
    """A WSGI app served on ``host:port`` (port 0: a free one) in a daemon thread; ``quiet``
    drops the access log (tests). The port is bound at construction and :attr:`app` may be set
    afterwards, so an app that must know its own URL (the hub's ``HUB_PUBLIC_URL``) can be
    made from :attr:`base_url`."""

    def __init__(self, app: Any = None, host: str = "127.0.0.1", port: int = 0,
                 quiet: bool = True) -> None:
        self.app = app
        try:
            self._server: BaseWSGIServer = make_server(
                host, port, self._serve, threaded=True,
                request_handler=_QuietHandler if quiet else None)
        except SystemExit:  # werkzeug exits the process when the port is taken: raise instead
            raise OSError(errno.EADDRINUSE, f"{host}:{port} is in use") from None
        self.base_url = f"http://{host}:{self._server.server_port}"
        # A short poll: shutdown() waits for the loop to notice, and tests stop servers often.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True, name=f"devpeer-{self._server.server_port}")

    def _serve(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)

    def start(self) -> ThreadedServer:
        """Start serving; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the CLI commands)."""
        self._server.serve_forever()
