"""An LMS's launch keeps the learner's record current (issue 13): real launches over HTTP by
the development platform with real signed id_tokens; the record lands in the LMS's
organisation with the name, the custom claim's designation / position / languages and the
launch locale as the languages' fallback. A bad custom value is ignored, never a failed
launch."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from lti.devpeers.browser import Browser
from tests.conftest import basic
from tests.frac_support import node_id, publish_test_framework
from tests.lti.tool_side_fixtures import PACKAGED, LiveHub

LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def launch(hub: LiveHub, **kw: Any) -> str:
    """One launch of the packaged course (a redirect to the player); where it went."""
    with Browser() as browser:
        browser.run(hub.launch_url(PACKAGED, **kw))
    hop = next(h for h in browser.hops if h.url.endswith("/lti/launch"))
    assert hop.status == 302, hop
    return str(hop.location)


def record(hub: LiveHub) -> dict[str, Any]:
    """The only learner record of the LMS's organisation."""
    [only] = hub.store.department_learners.list(hub.org_id)
    return dict(only)


def with_locale(locale: Any) -> Any:
    """A jwt_hook setting the id_token's launch_presentation.locale (LTI 1.3 §5.4.4)."""
    def hook(kind: str, claims: dict[str, Any], headers: dict[str, Any]) -> None:
        if kind == "id_token":
            claims[f"{LTI}launch_presentation"] = {
                **claims.get(f"{LTI}launch_presentation", {}), "locale": locale}
    return hook


@pytest.fixture
def hub(live_hub: LiveHub) -> LiveHub:
    publish_test_framework(live_hub.store)
    return live_hub


def test_a_launch_creates_the_record_in_the_lms_organisation(hub: LiveHub) -> None:
    launch(hub, custom={"designation": "Section Officer", "position": "POS-1",
                        "languages": "hi, en-IN"})
    learner = record(hub)
    resolved = hub.store.learners.get(learner["learner_id"])  # the hub learner id
    assert resolved["subject"] == "dev-learner-1"
    assert {k: learner[k] for k in ("org_id", "name", "designation", "position", "languages",
                                    "home_page", "source")} == {
        "org_id": hub.org_id, "name": "Asha Learner", "designation": "Section Officer",
        "position": node_id("POS-1"), "languages": ["hi", "en-IN"], "home_page": hub.url,
        "source": "lti"}
    # The learner is visible through the launching LMS (its readers).
    from hub.auth import create_credential

    cred = create_credential(hub.store, hub.org_id, ["lrs-reader"])
    answer = hub.app.test_client().get(f"/learners/{learner['learner_id']}",
                                       headers=basic(cred["key"], cred["secret"]))
    assert answer.status_code == 200 and answer.json["position"] == node_id("POS-1")


def test_bad_custom_values_are_ignored_and_logged_not_a_failed_launch(
        hub: LiveHub, caplog: pytest.LogCaptureFixture) -> None:
    hub.platform.jwt_hook = with_locale("en_US")  # a POSIX locale, as some LMSes send
    with caplog.at_level(logging.WARNING, logger="marketplace.learner_launches"):
        launch(hub, custom={"designation": "x" * 500, "position": "ROLE-1",
                            "languages": "hi;xx-INVALID"})
    learner = record(hub)
    assert (learner["designation"], learner["position"]) == (None, None)
    assert learner["languages"] == ["en-US"]  # the locale, as the languages were refused
    logged = " ".join(r.getMessage() for r in caplog.records)
    for key in ("designation", "position", "languages"):
        assert f"custom {key}" in logged


def test_a_relaunch_updates_what_it_says_and_keeps_the_rest(hub: LiveHub) -> None:
    launch(hub, custom={"designation": "Section Officer", "languages": "ta"})
    first = record(hub)
    hub.platform.jwt_hook = with_locale("hi")
    hub.platform.settings.user = {"sub": "dev-learner-1", "roles": []}  # no name this time
    launch(hub, custom={"position": "POS-1"})
    second = record(hub)
    assert second["learner_id"] == first["learner_id"]
    assert (second["name"], second["designation"], second["position"],
            second["languages"]) == ("Asha Learner", "Section Officer", node_id("POS-1"),
                                     ["ta"])  # the locale does not replace languages
    assert second["created_at"] == first["created_at"] and second["updated_at"]
    # An imported record (a department's HR data on the LMS's learner) is updated in place.
    hub.store.department_learners.put({**second, "source": "import"})
    launch(hub, custom={"designation": "Under Secretary"})
    third = record(hub)
    assert (third["source"], third["designation"]) == ("import", "Under Secretary")


def test_a_launch_without_custom_values_or_locale(hub: LiveHub) -> None:
    hub.platform.jwt_hook = with_locale(["not", "a", "string"])
    launch(hub)
    learner = record(hub)
    assert (learner["designation"], learner["position"], learner["languages"]) == (
        None, None, [])
