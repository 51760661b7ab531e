"""Malformed ``Authorization`` headers on every route: 401 (or 400) problem+json, never 500."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

HOSTILE_AUTHORIZATION = [
    "Basic é",  # not ASCII: base64 refuses it with a ValueError, not binascii.Error
    "Bearer é",
    "Basic " + "é" * 8,
    "Basic %%%%",  # not base64
    "Basic " + base64.b64encode(b"no-colon").decode(),
    "Basic " + base64.b64encode("k_é:sécret".encode("latin-1")).decode(),  # not UTF-8
    "Bearer é:é",
    "Basic",
    "Bearer ",
]


def _routes(app: Any) -> list[tuple[str, str]]:
    """(method, concrete path) of every rule, placeholders filled with a plausible word."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "x", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((method, path))
    return out


@pytest.mark.parametrize("header", HOSTILE_AUTHORIZATION)
def test_hostile_authorization_is_never_a_server_error(app: Any, client: Any,
                                                        header: str) -> None:
    failures = []
    for method, path in _routes(app):
        resp = client.open(path, method=method, data=b"{}", content_type="application/json",
                           headers={"Authorization": header,
                                    "X-Experience-API-Version": "1.0.3"})
        if resp.status_code >= 500 or (
                resp.status_code >= 400 and resp.mimetype != "application/problem+json"):
            failures.append((method, path, resp.status_code))
    assert not failures


@pytest.mark.parametrize("header", HOSTILE_AUTHORIZATION)
@pytest.mark.parametrize("path", ["/me", "/admin/organisations", "/xapi/statements",
                                  "/xapi/forwarding"])
def test_hostile_authorization_is_401_where_a_credential_is_needed(client: Any, path: str,
                                                                    header: str) -> None:
    resp = client.get(path, headers={"Authorization": header,
                                     "X-Experience-API-Version": "1.0.3"})
    assert resp.status_code == 401
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    # malformed: named; well-formed but unknown ("Bearer é:é"): the usual answer
    assert "Authorization" in body.get("errors", {}) or body["detail"] == (
        "unknown key or wrong secret")
