"""Learner ratings and reviews: who may post, once per learner (update 200), only published
courses, averages in search items, the rating facet, min_rating and sort=rating."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace.conftest import Cast


def _rate(client: Any, who: dict[str, Any], cid: str, learner: str, rating: int,
          text: str | None = None) -> Any:
    return client.post(f"/catalogue/courses/{cid}/reviews",
                       json={"learner_id": learner, "rating": rating, "text": text},
                       headers=who["headers"])


def test_one_review_per_learner_with_update(cast: Cast, client: Any) -> None:
    cid = cast.publish()["id"]
    first = _rate(client, cast.lms, cid, "learner-1", 5, "Great")
    assert first.status_code == 201
    assert first.json["course_rating"] == {"average": 5.0, "count": 1}
    assert first.json["learner_id"] == "learner-1"
    assert _rate(client, cast.lms, cid, "learner-2", 2).status_code == 201
    again = _rate(client, cast.lms, cid, "learner-1", 3, "On reflection, fine")
    assert again.status_code == 200
    assert again.json["course_rating"] == {"average": 2.5, "count": 2}

    public = client.get(f"/catalogue/courses/{cid}").json
    assert public["rating"] == {"average": 2.5, "count": 2}
    page = client.get(f"/catalogue/courses/{cid}/reviews").json
    assert [r["rating"] for r in page["items"]] == [3, 2]  # newest first
    assert page["items"][0]["text"] == "On reflection, fine"
    assert all("learner_id" not in r for r in page["items"])  # learner ids stay private
    # The same learner id from another organisation is another learner.
    other = _make(cast, "City Institute", "institution", ("curator",))
    assert _rate(client, other, cid, "learner-1", 4).status_code == 201


def _make(cast: Cast, name: str, kind: str, roles: tuple[str, ...]) -> dict[str, Any]:
    from tests.conftest import Tenants

    return Tenants(cast.client.application).make(name, kind, roles)


def test_review_pages(cast: Cast, client: Any) -> None:
    cid = cast.publish()["id"]
    for n in range(5):
        assert _rate(client, cast.lms, cid, f"l{n}", 1 + n % 5).status_code == 201
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"/catalogue/courses/{cid}/reviews", query_string=params).json
        seen += [r["rating"] for r in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert sorted(seen) == [1, 2, 3, 4, 5] and len(seen) == 5


@pytest.mark.parametrize("body,field", [({"learner_id": "x", "rating": 0}, "rating"),
                                        ({"learner_id": "x", "rating": 6}, "rating"),
                                        ({"learner_id": "x", "rating": "5"}, "rating"),
                                        ({"rating": 4}, "learner_id")])
def test_bad_reviews_are_400(cast: Cast, client: Any, body: dict[str, Any],
                             field: str) -> None:
    cid = cast.publish()["id"]
    res = client.post(f"/catalogue/courses/{cid}/reviews", json=body,
                      headers=cast.lms["headers"])
    assert res.status_code == 400 and field in res.json["errors"]


def test_who_may_review_and_what(cast: Cast, client: Any) -> None:
    draft = cast.create()["id"]
    assert _rate(client, cast.lms, draft, "l", 4).status_code == 404
    assert client.get(f"/catalogue/courses/{draft}/reviews").status_code == 404
    cid = cast.publish()["id"]
    assert client.post(f"/catalogue/courses/{cid}/reviews",
                       json={"learner_id": "l", "rating": 4}).status_code == 401
    reader = _make(cast, "Reader LMS", "lms", ("lrs-reader",))
    assert _rate(client, reader, cid, "l", 4).status_code == 403
    assert _rate(client, cast.reviewer, cid, "l", 4).status_code == 403
    dept = _make(cast, "Dept of Revenue", "department", ("lrs-writer",))
    assert _rate(client, dept, cid, "l", 4).status_code == 201


def test_ratings_feed_search(cast: Cast, client: Any) -> None:
    good = cast.publish(title={"en": "Good"})["id"]
    fair = cast.publish(title={"en": "Fair"})["id"]
    unrated = cast.publish(title={"en": "Unrated"})["id"]
    for learner, stars in (("a", 5), ("b", 4)):
        _rate(client, cast.lms, good, learner, stars)
    _rate(client, cast.lms, fair, "a", 3)
    body = client.get("/catalogue/search", query_string={"sort": "rating"}).json
    assert [i["id"] for i in body["items"]] == [good, fair, unrated]
    assert body["items"][0]["rating"] == {"average": 4.5, "count": 2}
    facet = {f["value"]: f["count"] for f in body["facets"]["rating"]}
    assert facet == {"4+": 1, "3+": 2, "2+": 2, "1+": 2}
    high = client.get("/catalogue/search", query_string={"min_rating": 4}).json
    assert [i["id"] for i in high["items"]] == [good]
