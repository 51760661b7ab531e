"""schema.org Course JSON-LD of published courses."""

from __future__ import annotations

from typing import Any

import orjson

from tests.marketplace.conftest import Cast


def test_jsonld_by_suffix_and_by_accept(cast: Cast, client: Any, tag_framework: Any) -> None:
    cid = cast.publish(price={"amount": "499.00", "currency": "INR"},
                       competencies=[{"id": "COMSUBTHEME-1", "level": 2}])["id"]
    client.post(f"/catalogue/courses/{cid}/reviews", json={"learner_id": "l", "rating": 4},
                headers=cast.lms["headers"])
    by_suffix = client.get(f"/catalogue/courses/{cid}.jsonld")
    assert by_suffix.status_code == 200 and by_suffix.mimetype == "application/ld+json"
    doc = orjson.loads(by_suffix.data)
    by_accept = client.get(f"/catalogue/courses/{cid}",
                           headers={"Accept": "application/ld+json"})
    assert by_accept.mimetype == "application/ld+json"
    assert orjson.loads(by_accept.data) == doc

    assert doc["@context"] == "https://schema.org" and doc["@type"] == "Course"
    assert doc["@id"] == f"http://hub.test/catalogue/courses/{cid}"
    assert doc["name"] == "Public Financial Management"
    assert {"@value": "सार्वजनिक वित्तीय प्रबंधन", "@language": "hi"} in doc["alternateName"]
    assert doc["provider"] == {"@type": "Organization", "name": "Provider A",
                               "identifier": cast.a["org"]["id"]}
    assert doc["inLanguage"] == ["en", "hi"] and doc["timeRequired"] == "PT2H30M"
    assert doc["offers"]["price"] == "499.00" and doc["offers"]["category"] == "Paid"
    assert doc["isAccessibleForFree"] is False
    assert doc["hasCourseInstance"]["courseMode"] == "online"
    assert doc["aggregateRating"]["ratingValue"] == 4.0
    assert doc["educationalCredentialAwarded"]
    assert doc["teaches"][0]["termCode"] == "COMSUBTHEME-1"

    plain = client.get(f"/catalogue/courses/{cid}")
    assert plain.mimetype == "application/json" and plain.json["id"] == cid


def test_jsonld_only_for_published(cast: Cast, client: Any) -> None:
    cid = cast.create()["id"]
    assert client.get(f"/catalogue/courses/{cid}.jsonld").status_code == 404
    assert client.get("/catalogue/courses/crs_nope.jsonld").status_code == 404


def test_openapi_documents_the_marketplace(client: Any) -> None:
    spec = client.get("/openapi.json").json
    for path in ("/courses", "/courses/{course_id}", "/courses/{course_id}/transitions",
                 "/courses/{course_id}/audit", "/review-queue", "/courses/import",
                 "/catalogue/search", "/catalogue/courses/{course_id}",
                 "/catalogue/courses/{course_id}.jsonld",
                 "/catalogue/courses/{course_id}/reviews"):
        assert path in spec["paths"], path
    assert "CourseContent" in spec["components"]["schemas"]


def test_jsonld_and_public_course_match_their_documented_schemas(cast: Cast, client: Any,
                                                                  tag_framework: Any) -> None:
    # The schema of the .jsonld response refused 13 properties the response carries.
    from tests.openapi_support import conforms, documented_schema

    spec = client.get("/openapi.json").json
    bare = cast.publish(description={"en": "One language"}, certificate_offered=False)["id"]
    full = cast.publish(price={"amount": "499.00", "currency": "INR"},
                        competencies=[{"id": "COMSUBTHEME-2", "level": 3}])["id"]
    client.post(f"/catalogue/courses/{full}/reviews", json={"learner_id": "l", "rating": 4},
                headers=cast.lms["headers"])
    jsonld = documented_schema(spec, "/catalogue/courses/{course_id}.jsonld", "get", "200",
                               "application/ld+json")
    public = documented_schema(spec, "/catalogue/courses/{course_id}", "get", "200",
                               "application/json")
    for cid in (bare, full):
        doc = orjson.loads(client.get(f"/catalogue/courses/{cid}.jsonld").data)
        assert conforms(spec, jsonld, doc) == []
        assert conforms(spec, public, client.get(f"/catalogue/courses/{cid}").json) == []
    assert {"teaches", "aggregateRating", "educationalCredentialAwarded",
            "disambiguatingDescription", "educationalAlignment"} <= set(doc)
    assert doc["educationalAlignment"]
