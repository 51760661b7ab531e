"""Fixtures of the tool side's tests: the hub served over real HTTP on 127.0.0.1 (so that the
development platform, a real LTI 1.3 platform, launches it), an ``lms`` organisation with the
dev platform registered, and published courses to launch.

Import the fixtures into a test module (``from tests.lti.tool_side_fixtures import ...``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lti import links
from lti.devpeers.platform import DevPlatform
from lti.devpeers.wire import ThreadedServer
from lti.platform_registrations import add_registration
from tests.storage.factories import course_doc

COURSE = "course-ext-1"
PACKAGED = "course-xapi-1"


class _LateApp:
    """A WSGI app set after the server is bound: the hub's public URL is the server's own."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


@dataclass
class LiveHub:
    """The hub on a real server, the dev platform registered with it, the LMS organisation."""

    app: Any
    url: str
    platform: DevPlatform
    org_id: str
    registration: dict[str, Any]
    jwks_fetches: list[str]  # one entry per GET of the platform's JWKS

    @property
    def store(self) -> Any:
        """The hub's store."""
        return self.app.extensions["hub.store"]

    def launch_url(self, course_id: str = COURSE, **kw: Any) -> str:
        """The first hop of a launch of ``course_id`` by the dev platform."""
        return self.platform.launch_url(
            target_link_uri=links.course_target_link(self.url, course_id), **kw)


@pytest.fixture
def live_hub(store_url: str, tmp_path: Path) -> Iterator[LiveHub]:
    """The hub served on 127.0.0.1 with the dev platform registered (see the module)."""
    from hub import create_app
    from hub.auth import create_organisation

    late = _LateApp()
    server = ThreadedServer(late, "127.0.0.1", 0)
    app = create_app({
        "TESTING": True, "HUB_STORE_URL": store_url,
        "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}", "HUB_PUBLIC_URL": server.base_url,
        "HUB_OUTBOUND_ALLOW_HOSTS": "127.0.0.1"})
    late.app = app
    server.start()
    platform = DevPlatform()
    fetches: list[str] = []

    @platform.app.before_request
    def count_jwks_fetches() -> None:
        from flask import request

        if request.path == "/jwks":
            fetches.append(request.path)

    platform.start()
    hub_url = server.base_url
    settings = platform.settings
    settings.tool_login_url = links.tool_login_url(hub_url)
    settings.tool_redirect_uris = [links.tool_launch_url(hub_url)]
    settings.tool_jwks_url = links.jwks_url(hub_url)
    settings.target_link_uri = links.course_target_link(hub_url, COURSE)
    store = app.extensions["hub.store"]
    org = create_organisation(store, "Dev LMS", "lms")
    registration = add_registration(store, org["id"], {
        "issuer": platform.issuer, "client_id": settings.client_id,
        "deployment_ids": [settings.deployment_id],
        "auth_login_url": platform.authorize_url, "auth_token_url": platform.token_url,
        "key_set_url": platform.jwks_url, "name": "Dev LMS"}, created_by="test")
    store.courses.add(course_doc(COURSE, "org_provider", title={"en": "External course"}))
    packaged = course_doc(PACKAGED, "org_provider")
    packaged["live"] = {**packaged["live"], "delivery": {"type": "xapi",
                                                          "package": "pkg/course.zip"}}
    store.courses.add(packaged)
    try:
        yield LiveHub(app, hub_url, platform, org["id"], registration, fetches)
    finally:
        platform.stop()
        server.stop()
        store.close()
