"""The platform side's services against the shipped development tool over real HTTP: the tool
(its own key, its JWKS served on 127.0.0.1) gets an access token from the hub's token endpoint
with private_key_jwt, posts a score on the line item its launch was offered and reads the
roster; the hub fetches the tool's JWKS through its guarded outbound client, and the score
lands in the launching organisation's LRS as statements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lti.devpeers.signing import Refused
from lti.devpeers.tool import DevTool
from lti.devpeers.wire import ThreadedServer
from lti.platform_services import AGS_CLAIM, SERVICE_SCOPES, enrol
from tests.conftest import Tenants
from tests.lti.devpeer_fixtures import dev_tool  # noqa: F401 (a fixture)
from tests.lti.platform_services_support import launch, register_tool, tokens_stored

VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def served_hub(sqlite_url: str, tmp_path: Path) -> Iterator[Any]:
    """The hub served over HTTP on 127.0.0.1, its public URL the server's own address."""
    from hub import create_app

    server = ThreadedServer()  # binds a free port first: the hub must know its own URL
    app = create_app({"TESTING": True, "HUB_STORE_URL": sqlite_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}",
                      "HUB_PUBLIC_URL": server.base_url, "HUB_FORWARDING_WORKER": "off",
                      "HUB_OUTBOUND_ALLOW_HOSTS": "127.0.0.1"})
    server.app = app
    server.start()
    yield app
    server.stop()
    app.extensions["hub.store"].close()


def test_dev_tool_gets_a_token_posts_a_score_and_reads_the_roster(
        served_hub: Any, dev_tool: DevTool) -> None:  # noqa: F811 (the fixture above)
    app = served_hub
    public_url = app.extensions["hub.config"].public_url
    store = app.extensions["hub.store"]
    tenants = Tenants(app)
    lms = tenants.make("State LMS", "lms", ("lrs-reader",))
    provider = tenants.make("Quiz Provider", "provider", ("lti-manager",))
    tool = register_tool(store, provider["org"]["id"], None, key_set_url=dev_tool.jwks_url,
                         scopes=SERVICE_SCOPES)
    with app.app_context():
        claims = enrol(store, launch(tool, lms["org"]["id"], "learner-1", name="Asha"),
                       public_url)
        enrol(store, launch(tool, lms["org"]["id"], "learner-2"), public_url)
    # The tool holds the launch as its id_token would have carried it.
    dev_tool.settings.client_id = tool["client_id"]
    dev_tool.settings.token_url = f"{public_url}/lti/platform/token"
    dev_tool.launches["launch-1"] = {"sub": "learner-1", **claims}

    sent = dev_tool.post_score("launch-1", 9, 10, comment="good")
    assert sent["status"] == 204 and sent["lineitem"] == claims[AGS_CLAIM]["lineitem"]
    members = dev_tool.fetch_members("launch-1")
    assert sorted(m["user_id"] for m in members) == ["learner-1", "learner-2"]
    assert tokens_stored(store) == 2  # one per service call, each only as its hash

    got = app.test_client().get("/xapi/statements", headers={
        **lms["headers"], "X-Experience-API-Version": "1.0.3"})
    by_verb = {s["verb"]["id"][len(VERB):]: s for s in got.get_json()["statements"]}
    assert set(by_verb) == {"scored", "completed", "passed"}
    assert by_verb["passed"]["result"]["score"]["scaled"] == 0.9
    assert by_verb["passed"]["actor"]["account"] == {"homePage": public_url,
                                                     "name": "learner-1"}
    assert by_verb["passed"]["authority"]["name"] == "Karmayogi Hub"


def test_the_dev_tool_signing_with_a_key_not_in_its_jwks_gets_nothing(
        served_hub: Any, dev_tool: DevTool) -> None:  # noqa: F811 (the fixture above)
    app = served_hub
    public_url = app.extensions["hub.config"].public_url
    store = app.extensions["hub.store"]
    tenants = Tenants(app)
    lms = tenants.make("State LMS", "lms", ("lrs-reader",))
    provider = tenants.make("Quiz Provider", "provider", ("lti-manager",))
    tool = register_tool(store, provider["org"]["id"], None, key_set_url=dev_tool.jwks_url)
    with app.app_context():
        claims = enrol(store, launch(tool, lms["org"]["id"], "learner-1"), public_url)
    dev_tool.settings.client_id = tool["client_id"]
    dev_tool.settings.token_url = f"{public_url}/lti/platform/token"
    dev_tool.launches["launch-1"] = {"sub": "learner-1", **claims}
    dev_tool.sign_with_rogue_key = True
    with pytest.raises(Refused, match="token endpoint answered 401"):
        dev_tool.post_score("launch-1", 9, 10)
    assert tokens_stored(store) == 0
