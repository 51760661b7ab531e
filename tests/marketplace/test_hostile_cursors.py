"""Catalogue and review cursors: tampering is a 400 naming ``cursor``; review cursors are
sealed, so a learner id never shows in one."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.marketplace.conftest import Cast

TAMPERED = ["a.é", "é", "a.b.c", ".", "a.", ".b", "x" * 999, "\x00.\x00", "Zm9v.é",
            "eyJrIjpbXSwicyI6MCwiZiI6IiJ9.AAAAAAAAAAAAAAAAAAAAAA"]


@pytest.mark.parametrize("cursor", TAMPERED)
def test_tampered_search_cursors_are_400(client: Any, cursor: str) -> None:
    res = client.get("/catalogue/search", query_string={"cursor": cursor})
    assert res.status_code == 400, res.data[:300]
    assert res.mimetype == "application/problem+json"
    assert "cursor" in res.json["errors"]


def _rate(client: Any, who: dict[str, Any], cid: str, learner: str) -> None:
    res = client.post(f"/catalogue/courses/{cid}/reviews",
                      json={"learner_id": learner, "rating": 4}, headers=who["headers"])
    assert res.status_code == 201


def _decoded(cursor: str) -> bytes:
    """Every base64url reading of every dot-separated piece of the cursor, concatenated."""
    out = b""
    for piece in cursor.split("."):
        for start in range(4):
            chunk = piece[start:]
            out += base64.urlsafe_b64decode(chunk[:len(chunk) - len(chunk) % 4])
    return out + cursor.encode()


def test_review_cursor_hides_the_learner_and_the_organisation(cast: Cast, client: Any) -> None:
    cid = cast.publish()["id"]
    for n in range(3):
        _rate(client, cast.lms, cid, f"learner-{n}-private")
    page = client.get(f"/catalogue/courses/{cid}/reviews", query_string={"limit": 1}).json
    cursor = page["next"]
    decoded = _decoded(cursor)
    assert b"private" not in decoded and b"learner" not in decoded
    assert cast.lms["org"]["id"].encode() not in decoded
    nxt = client.get(f"/catalogue/courses/{cid}/reviews",
                     query_string={"limit": 1, "cursor": cursor})
    assert nxt.status_code == 200 and len(nxt.json["items"]) == 1


@pytest.mark.parametrize("cursor", [
    *TAMPERED, "2030-01-01T00:00:00.000000Z|org_x:learner",  # the old plain form
])
def test_tampered_review_cursors_are_400(cast: Cast, client: Any, cursor: str) -> None:
    cid = cast.publish()["id"]
    _rate(client, cast.lms, cid, "l1")
    res = client.get(f"/catalogue/courses/{cid}/reviews", query_string={"cursor": cursor})
    assert res.status_code == 400, res.data[:300]
    assert "cursor" in res.json["errors"]


def test_a_search_cursor_is_not_a_review_cursor(cast: Cast, client: Any) -> None:
    for _ in range(3):
        cast.publish()
    cid = cast.publish()["id"]
    search_cursor = client.get("/catalogue/search", query_string={"limit": 1}).json["next"]
    res = client.get(f"/catalogue/courses/{cid}/reviews", query_string={"cursor": search_cursor})
    assert res.status_code == 400
