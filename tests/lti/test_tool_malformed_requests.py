"""Malformed requests to the tool side's browser endpoints are 400 problem+json naming the
parameter, never 500, and store nothing."""

from __future__ import annotations

from typing import Any

import pytest

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("method, url, data, field", [
    ("get", "/lti/login", None, "iss"),
    ("post", "/lti/login", {"iss": "https://lms.example"}, "login_hint"),
    ("get", "/lti/login?iss=https://lms.example&login_hint=u", None, "target_link_uri"),
    ("get", "/lti/login?iss=https://lms.example&login_hint=u"
            "&target_link_uri=http://hub.test/lti/courses/c1", None, "iss"),
    ("post", "/lti/launch", {}, "state"),
    ("post", "/lti/launch", {"state": "not-sealed", "id_token": "a.b.c"}, "state"),
    ("post", "/lti/launch", {"state": "x" * 5000}, "state"),
    ("get", "/lti/register", None, "ticket"),
    ("get", "/lti/register?ticket=forged&openid_configuration=file:///etc/passwd", None,
     "ticket"),
])
def test_malformed_tool_side_requests_are_400(client: Any, method: str, url: str,
                                              data: dict[str, str] | None, field: str) -> None:
    answer = getattr(client, method)(url, data=data)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert answer.content_type == PROBLEM and field in answer.json["errors"]


def test_launch_with_a_json_body_is_400(client: Any) -> None:
    answer = client.post("/lti/launch", json={"id_token": "a.b.c", "state": "s"})
    assert answer.status_code == 400 and answer.content_type == PROBLEM
