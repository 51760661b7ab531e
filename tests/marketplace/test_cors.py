"""Browsers on other sites read the public catalogue (CORS, Fetch standard §3.2)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace.conftest import Cast

ORIGIN = {"Origin": "https://widgets.example"}


@pytest.mark.parametrize("path", ["/catalogue/search?q=x", "/catalogue/courses/{id}",
                                  "/catalogue/courses/{id}.jsonld",
                                  "/catalogue/courses/{id}/reviews"])
def test_preflight_on_the_public_catalogue(cast: Cast, client: Any, path: str) -> None:
    cid = cast.publish()["id"]
    resp = client.options(path.format(id=cid), headers={
        **ORIGIN, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept-language"})
    assert resp.status_code in (200, 204)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]
    assert "accept-language" in resp.headers["Access-Control-Allow-Headers"].lower()
    # Public and without credentials: a wildcard origin must not come with credentials.
    assert "Access-Control-Allow-Credentials" not in resp.headers


def test_catalogue_responses_allow_any_origin(cast: Cast, client: Any) -> None:
    cid = cast.publish()["id"]
    for path in ("/catalogue/search", f"/catalogue/courses/{cid}",
                 f"/catalogue/courses/{cid}.jsonld", "/catalogue/courses/crs_nope"):
        resp = client.get(path, headers=ORIGIN)
        assert resp.headers["Access-Control-Allow-Origin"] == "*", path
        assert "ETag" in resp.headers["Access-Control-Expose-Headers"]


def test_private_api_is_not_opened_to_other_origins(cast: Cast, client: Any) -> None:
    for resp in (client.get("/courses", headers={**ORIGIN, **cast.a["headers"]}),
                 client.options("/courses", headers={**ORIGIN,
                                                     "Access-Control-Request-Method": "POST"}),
                 client.get("/xapi/forwarding", headers={**ORIGIN, **cast.a["headers"]})):
        assert "Access-Control-Allow-Origin" not in resp.headers
