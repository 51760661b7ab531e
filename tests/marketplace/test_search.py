"""Public catalogue search: response shape, full text in every language, filters, facets,
sort orders, signed cursors (stable under inserts, tamper-proof, bound to their query)."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from catalogue_schemas.search import PublicCourseSchema, SearchResultSchema
from tests.frac_support import node_id
from tests.marketplace.conftest import Cast


@pytest.fixture
def catalogue(cast: Cast, tag_framework: Any) -> dict[str, str]:
    """Six published courses (A: 4, B: 2) and one draft, tagged against the test framework
    (tests.frac_support); returns name -> id."""
    specs = {
        "finance": (cast.a, dict(title={"en": "Public Financial Management",
                                        "hi": "सार्वजनिक वित्तीय प्रबंधन"},
                                 duration="PT45M", level="beginner", mode="self-paced",
                                 competencies=[{"id": "COMSUBTHEME-1", "level": 1}])),
        "rti": (cast.a, dict(title={"en": "Right to Information", "ta": "தகவல் உரிமை"},
                             description={"en": "Transparency law"}, keywords=["rti"],
                             duration="PT3H", level="intermediate", category="assessment",
                             mode="classroom")),
        "cyber": (cast.a, dict(title={"en": "Cyber Security Awareness"},
                               description={"en": "Phishing and passwords"},
                               keywords=["security"], duration="PT8H", level="advanced",
                               mode="instructor-led",
                               competencies=[{"id": "COMSUBTHEME-6", "level": 3}])),
        "admin": (cast.a, dict(title={"en": "Administrative Law"},
                               description={"en": "Rules of administration"},
                               keywords=["law"], duration="PT20H", level="advanced")),
        "ethics": (cast.b, dict(title={"en": "Ethics in Public Service",
                                       "bn": "জনসেবায় নৈতিকতা"},
                                description={"en": "Integrity"}, keywords=["ethics"],
                                duration="PT50H", category="program")),
        "budget": (cast.b, dict(title={"en": "Outcome Budgeting", "hi": "परिणाम बजट"},
                                description={"en": "Budget monitoring"}, keywords=["budget"],
                                duration="PT1H30M",
                                competencies=[{"id": "COMSUBTHEME-1", "level": 2}])),
    }
    ids = {name: cast.publish(who, **kw)["id"] for name, (who, kw) in specs.items()}
    ids["draft"] = cast.create(title={"en": "Secret Draft Finance"})["id"]
    return ids


def _search(client: Any, **params: Any) -> dict[str, Any]:
    res = client.get("/catalogue/search", query_string=params)
    assert res.status_code == 200, res.json
    return res.json  # type: ignore[no-any-return]


def test_response_shape_and_facets(client: Any, catalogue: dict[str, str],
                                   cast: Cast) -> None:
    body = _search(client)
    assert list(body) == ["total", "items", "facets", "next"]
    assert SearchResultSchema().validate(body) == {}
    assert body["total"] == 6 and body["next"] is None
    item = body["items"][0]
    assert set(item) == set(PublicCourseSchema().fields)
    assert item["url"] == f"http://hub.test/catalogue/courses/{item['id']}"
    assert "revision" not in item and "tool.example.org" not in orjson.dumps(item).decode()
    assert set(body["facets"]) == {"provider", "language", "category", "mode", "level",
                                   "duration", "rating", "competency", "competency_area",
                                   "competency_theme", "competency_level", "program_items",
                                   "blended"}
    providers = {f["value"]: f for f in body["facets"]["provider"]}
    assert providers[cast.a["org"]["id"]] == {"value": cast.a["org"]["id"], "count": 4,
                                              "label": "Provider A"}
    assert providers[cast.b["org"]["id"]]["count"] == 2
    levels = {f["value"]: f["count"] for f in body["facets"]["level"]}
    assert levels == {"beginner": 3, "intermediate": 1, "advanced": 2}
    durations = {f["value"]: f["count"] for f in body["facets"]["duration"]}
    assert durations == {"lt1h": 1, "1-4h": 2, "4-10h": 1, "10-40h": 1, "gt40h": 1}
    competencies = {f["value"]: f["count"] for f in body["facets"]["competency"]}
    assert competencies == {node_id("COMSUBTHEME-1"): 2, node_id("COMSUBTHEME-6"): 1}
    assert item["provider"]["name"] in ("Provider A", "Provider B")


def test_full_text_in_every_language_and_drafts_hidden(client: Any,
                                                       catalogue: dict[str, str]) -> None:
    assert {i["id"] for i in _search(client, q="finan")["items"]} == {catalogue["finance"]}
    assert {i["id"] for i in _search(client, q="वित्तीय")["items"]} == {catalogue["finance"]}
    assert {i["id"] for i in _search(client, q="தகவல்")["items"]} == {catalogue["rti"]}
    assert {i["id"] for i in _search(client, q="নৈতিকতা")["items"]} == {catalogue["ethics"]}
    assert {i["id"] for i in _search(client, q="law")["items"]} == {catalogue["rti"],
                                                                    catalogue["admin"]}
    assert {i["id"] for i in _search(client, q="administrative law")["items"]} == {
        catalogue["admin"]}
    assert _search(client, q="secret")["total"] == 0


def test_filters_or_within_and_across_fields(client: Any, catalogue: dict[str, str],
                                             cast: Cast) -> None:
    def ids(**params: Any) -> set[str]:
        return {i["id"] for i in _search(client, **params)["items"]}

    assert ids(provider=cast.b["org"]["id"]) == {catalogue["ethics"], catalogue["budget"]}
    assert ids(level=["advanced", "intermediate"]) == {catalogue["rti"], catalogue["cyber"],
                                                       catalogue["admin"]}
    assert ids(level="advanced", mode="instructor-led") == {catalogue["cyber"]}
    assert ids(language="hi") == {catalogue["finance"], catalogue["budget"]}
    assert ids(language="HI") == {catalogue["finance"], catalogue["budget"]}
    assert ids(category=["assessment", "program"]) == {catalogue["rti"], catalogue["ethics"]}
    assert ids(competency="COMSUBTHEME-1") == {catalogue["finance"], catalogue["budget"]}
    assert ids(competency=node_id("COMSUBTHEME-1")) == {catalogue["finance"], catalogue["budget"]}
    assert ids(duration=["lt1h", "gt40h"]) == {catalogue["finance"], catalogue["ethics"]}
    assert ids(min_minutes=90, max_minutes=480) == {catalogue["rti"], catalogue["cyber"],
                                                    catalogue["budget"]}
    # Disjunctive facets: the level facet ignores the level filter, the others apply it.
    body = _search(client, level="advanced")
    assert {f["value"] for f in body["facets"]["level"]} == {"beginner", "intermediate",
                                                             "advanced"}
    assert sum(f["count"] for f in body["facets"]["provider"]) == 2


def test_sort_orders(client: Any, catalogue: dict[str, str]) -> None:
    by_duration = [i["duration_minutes"] for i in _search(client, sort="duration")["items"]]
    assert by_duration == sorted(by_duration)
    titles = [i["title"]["en"].casefold() for i in _search(client, sort="title")["items"]]
    assert titles == sorted(titles)
    newest = [i["published_at"] for i in _search(client, sort="newest")["items"]]
    assert newest == sorted(newest, reverse=True)


@pytest.mark.parametrize("sort", ["relevance", "newest", "title", "duration", "rating"])
def test_cursor_pages_are_complete_and_stable_under_inserts(
        client: Any, catalogue: dict[str, str], cast: Cast, sort: str) -> None:
    first = _search(client, sort=sort, limit=2)
    assert len(first["items"]) == 2 and first["next"]
    # A course published after the first page must not shift or join the later pages.
    cast.publish(title={"en": "Aaa Newcomer"}, duration="PT1M")
    seen = [i["id"] for i in first["items"]]
    cursor = first["next"]
    while cursor:
        page = _search(client, sort=sort, limit=2, cursor=cursor, facets="false")
        assert page["facets"] == {}
        assert page["total"] == 6
        seen += [i["id"] for i in page["items"]]
        cursor = page["next"]
    assert len(seen) == len(set(seen)) == 6
    assert set(seen) == {v for k, v in catalogue.items() if k != "draft"}
    assert _search(client, sort=sort)["total"] == 7  # a new first page sees the newcomer


def test_cursor_tampering_and_reuse_with_another_query(client: Any,
                                                       catalogue: dict[str, str]) -> None:
    cursor = _search(client, limit=2, sort="title")["next"]
    body, tag = cursor.split(".")
    data = orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["k"] = ["a", "crs_0"]
    forged = base64.urlsafe_b64encode(orjson.dumps(data)).rstrip(b"=").decode() + "." + tag
    for bad in (forged, body + ".AAAA", "garbage", cursor + "x"):
        res = client.get("/catalogue/search", query_string={"limit": 2, "sort": "title",
                                                            "cursor": bad})
        assert res.status_code == 400 and "cursor" in res.json["errors"], bad
    other = client.get("/catalogue/search", query_string={"sort": "newest", "cursor": cursor})
    assert other.status_code == 400 and "different query" in other.json["detail"]
    # limit may change between pages; the query is the same
    ok = client.get("/catalogue/search", query_string={"sort": "title", "limit": 3,
                                                       "cursor": cursor})
    assert ok.status_code == 200


def test_cursor_from_another_hub_secret_is_refused(client: Any, app: Any,
                                                   catalogue: dict[str, str]) -> None:
    from marketplace.search import CursorCodec, fingerprint

    args = {"q": None, "provider": [], "language": [], "category": [], "mode": [],
            "level": [], "competency": [], "duration": [], "min_minutes": None,
            "max_minutes": None, "min_rating": None, "sort": "title", "limit": 2}
    stranger = CursorCodec(b"another hub's key").encode(["a", "crs_x"], 10, fingerprint(args))
    res = client.get("/catalogue/search", query_string={"sort": "title", "cursor": stranger})
    assert res.status_code == 400


@pytest.mark.parametrize("params", [{"sort": "bogus"}, {"limit": 0}, {"limit": 101},
                                    {"language": "xx-INVALID"}, {"duration": "forever"},
                                    {"min_minutes": 100, "max_minutes": 10},
                                    {"category": "webinar"}, {"min_rating": 6}])
def test_bad_search_arguments_are_400(client: Any, params: dict[str, Any]) -> None:
    res = client.get("/catalogue/search", query_string=params)
    assert res.status_code == 400 and res.mimetype == "application/problem+json"
    named = {field.split(".")[0] for field in res.json["errors"]}
    assert named & set(params), res.json


def _second_app(app: Any, **settings: Any) -> Any:
    """Another hub process on the same store and blob store."""
    from hub import create_app

    config = app.extensions["hub.config"]
    return create_app({"TESTING": True, "HUB_STORE_URL": config.store_url,
                       "HUB_BLOB_URL": config.blob_url, "HUB_PUBLIC_URL": "http://hub.test",
                       **settings})


def test_cursors_work_across_processes_without_a_configured_secret(
        client: Any, app: Any, catalogue: dict[str, str]) -> None:
    cursor = _search(client, sort="title", limit=2)["next"]
    other = _second_app(app)
    try:
        res = other.test_client().get("/catalogue/search",
                                      query_string={"sort": "title", "cursor": cursor})
        assert res.status_code == 200 and len(res.json["items"]) == 4
    finally:
        other.extensions["hub.store"].close()


def test_configured_secret_signs_cursors(client: Any, app: Any,
                                         catalogue: dict[str, str]) -> None:
    first = _second_app(app, HUB_SECRET_KEY="s3cret")
    second = _second_app(app, HUB_SECRET_KEY="s3cret")
    stranger = _second_app(app, HUB_SECRET_KEY="other")
    try:
        cursor = first.test_client().get("/catalogue/search",
                                         query_string={"limit": 2}).json["next"]
        assert second.test_client().get("/catalogue/search",
                                        query_string={"cursor": cursor}).status_code == 200
        assert stranger.test_client().get("/catalogue/search",
                                          query_string={"cursor": cursor}).status_code == 400
        assert client.get("/catalogue/search", query_string={"cursor": cursor}).status_code \
            == 400
    finally:
        for extra in (first, second, stranger):
            extra.extensions["hub.store"].close()
