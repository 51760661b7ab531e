"""Dynamic Registration of the hub with the development platform over real HTTP: an LMS
organisation's lti-manager mints a one-time link, the platform opens it with its OpenID
configuration and a registration token, the hub registers itself and stores the client id and
deployment for that organisation; then the platform launches the hub with them."""

from __future__ import annotations

from lti import links
from lti.devpeers.browser import Browser
from tests.conftest import basic
from tests.lti.tool_side_fixtures import PACKAGED, LiveHub


def mint(hub: LiveHub) -> str:
    """A registration link minted by the LMS organisation's lti-manager."""
    from hub.auth import create_credential

    cred = create_credential(hub.store, hub.org_id, ["lti-manager"])
    answer = hub.app.test_client().post("/lti/platforms/registration-links",
                                        json={"name": "Dev LMS (dynamic)"},
                                        headers=basic(cred["key"], cred["secret"]))
    assert answer.status_code == 201, answer.json
    return str(answer.json["url"])


def test_dynamic_registration_then_launch(live_hub: LiveHub) -> None:
    hub = live_hub
    hub.store.lti_platforms.delete(hub.registration["id"])
    link = mint(hub)
    with Browser() as browser:
        last = browser.run(hub.platform.registration_start_url(link))
    assert last.status == 200 and "org.imsglobal.lti.close" in last.body
    [registration] = hub.store.lti_platforms.list(hub.org_id)
    settings = hub.platform.settings
    assert (registration["issuer"], registration["client_id"],
            registration["deployment_ids"], registration["name"]) == (
        hub.platform.issuer, settings.client_id, [settings.deployment_id], "Dev LMS (dynamic)")
    assert registration["key_set_url"] == hub.platform.jwks_url
    [sent] = [r for r in hub.platform.received.all() if r.get("kind") == "registration"]
    body = sent["body"]
    assert body["initiate_login_uri"] == links.tool_login_url(hub.url)
    assert body["redirect_uris"] == [links.tool_launch_url(hub.url)]
    assert body["jwks_uri"] == links.jwks_url(hub.url)
    tool = body["https://purl.imsglobal.org/spec/lti-tool-configuration"]
    assert {m["type"] for m in tool["messages"]} == {"LtiDeepLinkingRequest"}
    with Browser() as browser:
        browser.run(hub.launch_url(PACKAGED))
    posted = next(h for h in browser.hops if h.url.endswith("/lti/launch"))
    assert posted.status == 302 and posted.location.startswith(
        links.player_url(hub.url, PACKAGED) + "?ticket=")


def test_a_registration_link_is_used_once(live_hub: LiveHub) -> None:
    hub = live_hub
    link = mint(hub)
    with Browser() as browser:
        assert browser.run(hub.platform.registration_start_url(link)).status == 200
        again = browser.run(hub.platform.registration_start_url(link))
    assert again.status == 400 and "ticket" in again.body
    assert len(hub.store.lti_platforms.list(hub.org_id)) == 2  # the fixture's and this one


def test_forged_or_missing_ticket_registers_nothing(live_hub: LiveHub) -> None:
    hub = live_hub
    for url in (links.tool_registration_url(hub.url) + "?ticket=forged",
                links.tool_registration_url(hub.url)):
        with Browser() as browser:
            answer = browser.run(hub.platform.registration_start_url(url))
        assert answer.status == 400 and "ticket" in answer.body
    assert [r for r in hub.platform.received.all() if r.get("kind") == "registration"] == []
    assert len(hub.store.lti_platforms.list()) == 1


def test_configuration_whose_issuer_is_not_its_origin_is_refused(live_hub: LiveHub) -> None:
    hub = live_hub
    hub.platform.settings.issuer = "https://impostor.example"
    with Browser() as browser:
        answer = browser.run(hub.platform.registration_start_url(mint(hub)))
    assert answer.status == 400 and "openid_configuration" in answer.body
    assert [r for r in hub.platform.received.all() if r.get("kind") == "registration"] == []
    assert len(hub.store.lti_platforms.list()) == 1

