"""The cast of the whole LTI chain, for ``test_full_chain``: the hub served on 127.0.0.1 (its
public URL is that address), the development platform (an LMS) registered with the hub's tool
side by its organisation's ``lti-manager``, the development tool registered with the hub's
platform side by a provider's ``lti-manager``, and a published catalogue course of that provider
whose delivery is the tool. Everything is registered through the hub's JSON API, the way an LMS
administrator and a provider would (README "LTI 1.3").

The score sender's thread is off (``HUB_LTI_SCORE_WORKER=off``): a test runs its one pass
(:meth:`Chain.send_scores`) when it wants the outbox sent, so nothing waits on a timer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lti import links
from lti.devpeers.platform import DevPlatform
from lti.devpeers.tool import DevTool
from lti.devpeers.wire import ThreadedServer
from lti.platform_services import SERVICE_SCOPES
from tests.conftest import Tenants, basic
from tests.lti.platform_support import publish_lti_course

XAPI = {"X-Experience-API-Version": "1.0.3"}


@dataclass
class Chain:
    """The hub, its two peers and the organisations of the chain."""

    app: Any
    url: str
    lms: DevPlatform
    tool: DevTool
    lms_org: dict[str, Any]  # the LMS's organisation: ``lti-manager`` and ``lrs-reader``
    provider: dict[str, Any]  # the provider: ``publisher`` and ``lti-manager``
    platform_registration: dict[str, Any]  # the LMS as the hub's tool side knows it
    tool_registration: dict[str, Any]  # the dev tool as the hub's platform side knows it
    course_id: str

    @property
    def store(self) -> Any:
        """The hub's store."""
        return self.app.extensions["hub.store"]

    def launch_url(self) -> str:
        """The first hop of the LMS's launch of the course (its OIDC login initiation)."""
        return self.lms.launch_url(target_link_uri=links.course_target_link(self.url,
                                                                            self.course_id))

    def add_org(self, name: str, kind: str) -> str:
        """The id of a new organisation."""
        from hub.auth import create_organisation

        return str(create_organisation(self.store, name, kind)["id"])

    def reader(self, org_id: str) -> dict[str, str]:
        """Headers of a new ``lrs-reader`` credential of ``org_id``."""
        from hub.auth import create_credential

        cred = create_credential(self.store, org_id, ["lrs-reader"])
        return {**XAPI, **basic(cred["key"], cred["secret"])}

    def statements(self, headers: dict[str, str], **params: str) -> Any:
        """``GET /xapi/statements`` with ``headers`` and query ``params``: the response."""
        return self.app.test_client().get("/xapi/statements", headers=headers,
                                          query_string=params)

    def send_scores(self) -> dict[str, int]:
        """One pass of the score sender (what its thread or ``hub lti send-scores --once``
        runs), with the app's token cache; the tally of the pass."""
        from lti.score_sender import ScorePolicy, access_tokens, send_scores

        with self.app.app_context():
            tokens = access_tokens(self.app)
            return send_scores(self.store, tokens.http, tokens,
                               ScorePolicy(backoff_base=0.0))


def _created(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 201, answer.get_json()
    body: dict[str, Any] = answer.get_json()
    return body


@pytest.fixture
def chain(store_url: str, tmp_path: Path, dev_platform: DevPlatform,
          dev_tool: DevTool) -> Iterator[Chain]:
    """The whole chain, ready for the LMS to launch the course (see the module)."""
    from hub import create_app

    server = ThreadedServer()  # bound first: the hub must know its own public URL
    app = create_app({
        "TESTING": True, "HUB_STORE_URL": store_url,
        "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}", "HUB_PUBLIC_URL": server.base_url,
        "HUB_FORWARDING_WORKER": "off", "HUB_LTI_SCORE_WORKER": "off",
        # the peers run on 127.0.0.1, which the guarded outbound client refuses otherwise
        "HUB_OUTBOUND_ALLOW_HOSTS": "127.0.0.1"})
    server.app = app
    server.start()
    hub, client = server.base_url, app.test_client()
    try:
        tenants = Tenants(app)
        lms_org = tenants.make("State LMS", "lms", ("lti-manager", "lrs-reader"))
        provider = tenants.make("Quiz Provider", "provider", ("publisher", "lti-manager"))

        # The LMS administrator registers the hub in the LMS (the dev platform's settings)
        # and tells the hub what the LMS gave it (manual registration).
        settings = dev_platform.settings
        settings.tool_login_url = links.tool_login_url(hub)
        settings.tool_redirect_uris = [links.tool_launch_url(hub)]
        settings.tool_jwks_url = links.jwks_url(hub)
        platform_registration = _created(client.post(
            "/lti/platforms", headers=lms_org["headers"], json={
                "issuer": dev_platform.issuer, "client_id": settings.client_id,
                "deployment_ids": [settings.deployment_id],
                "auth_login_url": dev_platform.authorize_url,
                "auth_token_url": dev_platform.token_url,
                "key_set_url": dev_platform.jwks_url, "name": "State LMS"}))

        # The provider registers its tool with the hub and enters the hub's values in it.
        tool_registration = _created(client.post(
            "/lti/tools", headers=provider["headers"], json={
                "name": "Dev quiz tool", "initiate_login_url": dev_tool.login_url,
                "redirect_uris": [dev_tool.launch_url], "key_set_url": dev_tool.jwks_url,
                "target_link_uri": dev_tool.target_link_uri, "scopes": list(SERVICE_SCOPES)}))
        given = tool_registration["platform"]
        dev_tool.trust(given["issuer"], given["client_id"],
                       authorize_url=given["authorization_url"], jwks_url=given["jwks_url"],
                       token_url=given["token_url"], deployment_id=given["deployment_id"])

        course_id = publish_lti_course(app.extensions["hub.store"], provider["org"]["id"],
                                       tool_registration["id"],
                                       target_link_uri=dev_tool.target_link_uri)
        yield Chain(app, hub, dev_platform, dev_tool, lms_org, provider,
                    platform_registration, tool_registration, course_id)
    finally:
        server.stop()
        app.extensions["hub.store"].close()
