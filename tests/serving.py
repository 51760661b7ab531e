"""A real HTTP server on 127.0.0.1 for tests of what the hub fetches (key sets, LMS endpoints):
werkzeug's ``make_server`` in a thread, answering from a table of routes a test changes while
it runs, and recording every request it got."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

#: A route answers a request with (status, headers, body); a dict or list body is sent as JSON.
Answer = tuple[int, dict[str, str], Any]


@dataclass
class Received:
    """One request the server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StubServer:
    """The routes (path -> answer or callable(request) -> answer) and what was received."""

    base_url: str = ""
    routes: dict[str, Answer | Callable[[Request], Answer]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def hits(self, path: str) -> int:
        """How many requests reached ``path``."""
        return sum(1 for r in self.received if r.path == path)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.received.append(Received(request.method, request.path, dict(request.headers),
                                      request.get_data()))
        route = self.routes.get(request.path)
        if route is None:
            return Response("not found", 404)(environ, start_response)
        status, headers, body = route(request) if callable(route) else route
        if isinstance(body, dict | list):
            body = orjson.dumps(body)
            headers = {"Content-Type": "application/json", **headers}
        return Response(body, status, headers)(environ, start_response)


@contextmanager
def served_app(app: Any) -> Iterator[str]:
    """Serve a WSGI app (the hub, a stub) on a free port of 127.0.0.1, a thread per request,
    until the block ends; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serving(stub: StubServer | None = None) -> Iterator[StubServer]:
    """Serve ``stub`` (a new one by default) on a free port of 127.0.0.1 until the block ends."""
    stub = stub or StubServer()
    with served_app(stub) as base_url:
        stub.base_url = base_url
        yield stub
