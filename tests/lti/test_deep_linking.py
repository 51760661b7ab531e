"""Deep Linking 2.0 on the tool side: the picker over the catalogue search, its sealed state,
and the response's claims (the signed round trip with an LMS is in test_tool_services_http)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from hub.errors import ValidationError
from lti.deep_linking import (
    DL_DATA,
    DL_ITEMS,
    PICKER_SECONDS,
    PickerState,
    PickerStates,
    response_claims,
    start,
)
from tests.conftest import Tenants
from tests.lti.services_support import add_registration, tool_launch
from tests.storage.factories import course_doc

RETURN_URL = "https://lms.example.org/deep-link/return"


def settings(**extra: Any) -> dict[str, Any]:
    """The deep_linking_settings claim of a request."""
    return {"deep_link_return_url": RETURN_URL, "accept_types": ["ltiResourceLink", "link"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "accept_multiple": True, "data": "opaque-csrf-123", **extra}


@pytest.fixture
def catalogue(app: Any, tenants: Tenants) -> dict[str, Any]:
    """Three published courses (one assessment, one with a certificate), one draft, and an LMS
    registration."""
    store = app.extensions["hub.store"]
    provider = tenants.make("Institute of Public Finance")["org"]["id"]
    store.courses.add(course_doc("c-budget", provider, title={"en": "Budgeting basics"},
                                 category="course"))
    store.courses.add(course_doc("c-quiz", provider, title={"en": "Budgeting assessment"},
                                 category="assessment"))
    store.courses.add(course_doc("c-ethics", provider, title={"en": "Public ethics"}))
    store.courses.add(course_doc("c-draft", provider, title={"en": "Budgeting draft"},
                                 state="draft"))
    lms = tenants.make("District LMS", "lms", ("lti-manager",))
    return {"store": store, "registration": add_registration(store, lms["org"]["id"])}


def dl_launch(catalogue: dict[str, Any], **extra: Any) -> Any:
    return tool_launch(catalogue["registration"], message_type="LtiDeepLinkingRequest",
                       course_id=None, resource_link_id=None, dl_settings=settings(**extra))


def state_of(html: str) -> str:
    return unescape(re.search(r'name="state" value="([^"]+)"', html).group(1))  # type: ignore[union-attr]


def test_start_opens_a_picker_over_the_published_catalogue(app: Any,
                                                           catalogue: dict[str, Any]) -> None:
    with app.test_request_context("/lti/launch", method="POST"):
        resp = start(dl_launch(catalogue))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "Budgeting basics" in html and "Public ethics" in html
    assert "Budgeting draft" not in html  # drafts are not in the catalogue
    assert 'type="checkbox"' in html  # accept_multiple


def test_the_picker_searches_and_keeps_its_state(app: Any, client: Any,
                                                 catalogue: dict[str, Any]) -> None:
    with app.test_request_context("/lti/launch", method="POST"):
        html = start(dl_launch(catalogue, accept_multiple=False)).get_data(as_text=True)
    resp = client.post("/lti/deep-linking/picker", data={"state": state_of(html),
                                                         "q": "budgeting"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Budgeting basics" in page and "Budgeting assessment" in page
    assert "Public ethics" not in page
    assert 'type="radio"' in page  # one item at a time
    assert "graded" in page  # the assessment is scored


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 5000])
def test_a_forged_state_is_refused(client: Any, catalogue: dict[str, Any], token: str) -> None:
    for path in ("/lti/deep-linking/picker", "/lti/deep-linking/pick"):
        resp = client.post(path, data={"state": token, "course_id": "c-budget"})
        assert resp.status_code == 400
        assert resp.mimetype == "application/problem+json"
        assert "state" in resp.get_json()["errors"]


def test_a_state_expires(app: Any, catalogue: dict[str, Any]) -> None:
    states = PickerStates(app.extensions["hub.token_key"])
    state = PickerState.of(dl_launch(catalogue), now=1_000_000.0)
    token = states.seal(state)
    assert states.open(token, now=1_000_000.0 + PICKER_SECONDS - 1) == state
    with pytest.raises(ValidationError, match="expired"):
        states.open(token, now=1_000_000.0 + PICKER_SECONDS + 1)
    other = PickerStates(b"another hub's key" * 2)
    with pytest.raises(ValidationError):
        other.open(token, now=1_000_000.0)


@pytest.mark.parametrize(("extra", "field"), [
    ({"deep_link_return_url": "javascript:alert(1)"}, "deep_link_return_url"),
    ({"deep_link_return_url": None}, "deep_link_return_url"),
    ({"accept_types": ["file", "html"]}, "accept_types"),
    ({"accept_types": "ltiResourceLink"}, "accept_types"),
])
def test_bad_deep_linking_settings_are_refused(catalogue: dict[str, Any],
                                               extra: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PickerState.of(dl_launch(catalogue, **extra))
    assert any(field in name for name in caught.value.errors or {})


def test_a_resource_link_launch_is_not_a_deep_linking_request(catalogue: dict[str, Any]
                                                              ) -> None:
    with pytest.raises(ValidationError):
        PickerState.of(tool_launch(catalogue["registration"], dl_settings=settings()))


def test_response_claims(catalogue: dict[str, Any]) -> None:
    store = catalogue["store"]
    state = PickerState.of(dl_launch(catalogue))
    courses = [store.courses.get("c-budget"), store.courses.get("c-quiz")]
    claims = response_claims(state, courses, "http://hub.test", now=1_000_000.0)
    registration = catalogue["registration"]
    assert (claims["iss"], claims["aud"]) == (registration["client_id"], registration["issuer"])
    assert claims["exp"] - claims["iat"] == 300 and claims["nonce"]
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == \
        "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == "dep-1"
    assert claims[DL_DATA] == "opaque-csrf-123"
    plain, quiz = claims[DL_ITEMS]
    assert plain == {"type": "ltiResourceLink", "title": "Budgeting basics",
                     "url": "http://hub.test/lti/courses/c-budget",
                     "custom": {"course_id": "c-budget"}, "text": "A course."}
    assert quiz["lineItem"] == {"scoreMaximum": 100, "label": "Budgeting assessment",
                                "resourceId": "c-quiz"}
    single = PickerState.of(dl_launch(catalogue, accept_multiple=False, data=None))
    with pytest.raises(ValidationError):
        response_claims(single, courses, "http://hub.test")
    assert DL_DATA not in response_claims(single, courses[:1], "http://hub.test")
    assert response_claims(single, [], "http://hub.test")[DL_ITEMS] == []  # cancelled


def test_picking_a_course_that_is_not_published_is_404(app: Any, client: Any,
                                                       catalogue: dict[str, Any]) -> None:
    with app.test_request_context("/lti/launch", method="POST"):
        html = start(dl_launch(catalogue)).get_data(as_text=True)
    for course_id in ("c-draft", "c-missing"):
        resp = client.post("/lti/deep-linking/pick",
                           data={"state": state_of(html), "course_id": course_id})
        assert resp.status_code == 404
