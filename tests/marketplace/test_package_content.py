"""Serving package files: a published package's files to any browser (types, caching, 304,
ranges; presigned S3 URLs when configured), a draft's only to its owner and reviewers, on both
store adapters and both blob stores."""

from __future__ import annotations

import hashlib
import urllib.request
from typing import Any

import pytest

from tests.conftest import Tenants
from tests.marketplace.conftest import Cast
from tests.marketplace.package_support import CLIP, CMI5_FILES, cmi5_zip, served, xapi_zip

ZIP = {"Content-Type": "application/zip"}


def upload(cast: Cast, course_id: str, data: bytes) -> dict[str, Any]:
    """PUT the package as provider A; the package."""
    res = cast.client.put(f"/courses/{course_id}/package", data=data,
                          headers={**cast.a["headers"], **cast.etag(course_id, cast.a), **ZIP})
    assert res.status_code == 200, res.json
    return res.json["revision"]["package"]  # type: ignore[no-any-return]


def publish(cast: Cast, course_id: str) -> None:
    """Take the course through review to published."""
    cast.act(course_id, "submit", cast.a)
    cast.act(course_id, "start_review", cast.reviewer)
    cast.act(course_id, "publish", cast.reviewer)


@pytest.fixture
def hub(make_app: Any, blob_url: tuple[str, str | None]) -> Any:
    """The hub on each store adapter and each blob store."""
    return make_app(*blob_url)


@pytest.fixture
def cast(hub: Any) -> Cast:
    return Cast(Tenants(hub), hub.test_client())


@pytest.fixture
def live(cast: Cast) -> tuple[str, str]:
    """A published course with the cmi5 package: (its content URL prefix, the package sha)."""
    course = cast.create()
    package = upload(cast, course["id"], cmi5_zip())
    publish(cast, course["id"])
    return f"/content/{course['id']}/{package['sha256']}", package["sha256"]


def test_published_files_have_their_type_caching_and_a_strong_etag(cast: Cast,
                                                                     live: tuple[str, str]
                                                                     ) -> None:
    base, _ = live
    res = cast.client.get(f"{base}/intro/index.html")
    assert res.status_code == 200
    assert res.data == CMI5_FILES["intro/index.html"]
    assert res.mimetype == "text/html"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    digest = hashlib.sha256(CMI5_FILES["intro/index.html"]).hexdigest()
    assert res.headers["ETag"] == f'"{digest}"'
    assert res.headers["Accept-Ranges"] == "bytes"
    for path, mimetype in (("intro/app.js", "text/javascript"),
                           ("styles/site.css", "text/css"),
                           ("fonts/body.woff2", "font/woff2"),
                           ("media/clip.mp4", "video/mp4"),
                           ("cmi5.xml", "application/xml")):
        assert cast.client.get(f"{base}/{path}").mimetype == mimetype, path
    again = cast.client.get(f"{base}/intro/index.html",
                            headers={"If-None-Match": res.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    head = cast.client.head(f"{base}/media/clip.mp4")
    assert (head.status_code, head.content_length, head.data) == (200, len(CLIP), b"")


def test_ranges_for_media(cast: Cast, live: tuple[str, str]) -> None:
    url = f"{live[0]}/media/clip.mp4"
    first = cast.client.get(url, headers={"Range": "bytes=0-99"})
    assert (first.status_code, first.data) == (206, CLIP[:100])
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(CLIP)}"
    middle = cast.client.get(url, headers={"Range": "bytes=150000-150009"})
    assert (middle.status_code, middle.data) == (206, CLIP[150000:150010])
    tail = cast.client.get(url, headers={"Range": "bytes=-50"})
    assert (tail.status_code, tail.data) == (206, CLIP[-50:])
    several = cast.client.get(url, headers={"Range": "bytes=0-9,20-29"})
    assert (several.status_code, several.data) == (200, CLIP)  # RFC 9110 §14.2: may ignore
    beyond = cast.client.get(url, headers={"Range": f"bytes={len(CLIP)}-"})
    assert (beyond.status_code, beyond.mimetype) == (416, "application/problem+json")
    assert beyond.headers["Content-Range"] == f"bytes */{len(CLIP)}"
    etag = first.headers["ETag"]
    same = cast.client.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert (same.status_code, same.data) == (206, CLIP[:10])
    changed = cast.client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert (changed.status_code, changed.data) == (200, CLIP)


def test_nothing_unpublished_is_served_to_learners(cast: Cast) -> None:
    course = cast.create()
    draft = upload(cast, course["id"], cmi5_zip())
    base = f"/content/{course['id']}/{draft['sha256']}"
    assert cast.client.get(f"{base}/intro/index.html").status_code == 404
    publish(cast, course["id"])
    assert cast.client.get(f"{base}/intro/index.html").status_code == 200
    # A new draft package: not served; the live one still is.
    second = upload(cast, course["id"], xapi_zip())
    assert cast.client.get(f"/content/{course['id']}/{second['sha256']}/index.html"
                           ).status_code == 404
    assert cast.client.get(f"{base}/intro/index.html").status_code == 200
    assert cast.client.get(f"{base}/intro/missing.html").status_code == 404
    assert cast.client.get(f"{base}/__MACOSX/._index.html").status_code == 404
    assert cast.client.get(f"{base}/intro/%2e%2e/cmi5.xml").status_code == 404
    assert cast.client.get(f"/content/{course['id']}/{'0' * 64}/cmi5.xml").status_code == 404
    assert cast.client.get(f"/content/crs_nope/{draft['sha256']}/cmi5.xml").status_code == 404
    retired = cast.create()
    gone = upload(cast, retired["id"], cmi5_zip())
    publish(cast, retired["id"])
    url = f"/content/{retired['id']}/{gone['sha256']}/intro/index.html"
    assert cast.client.get(url).status_code == 200
    cast.act(retired["id"], "retire", cast.a)
    assert cast.client.get(url).status_code == 404


def test_owners_and_reviewers_preview_a_draft(cast: Cast) -> None:
    course = cast.create()
    upload(cast, course["id"], cmi5_zip())
    url = f"/courses/{course['id']}/package/files/budget/quiz.html"
    for who in (cast.a, cast.reviewer):
        res = cast.client.get(url, headers=who["headers"])
        assert (res.status_code, res.data) == (200, CMI5_FILES["budget/quiz.html"])
        assert res.headers["Cache-Control"] == "private, no-cache"
    ranged = cast.client.get(f"/courses/{course['id']}/package/files/media/clip.mp4",
                             headers={**cast.a["headers"], "Range": "bytes=10-19"})
    assert (ranged.status_code, ranged.data) == (206, CLIP[10:20])
    assert cast.client.get(url, headers=cast.b["headers"]).status_code == 404
    assert cast.client.get(url).status_code == 401


def test_a_browser_over_real_http_gets_ranges_and_304(hub: Any, cast: Cast,
                                                       live: tuple[str, str]) -> None:
    with served(hub) as base_url:
        url = f"{base_url}{live[0]}/media/clip.mp4"
        with urllib.request.urlopen(urllib.request.Request(
                url, headers={"Range": "bytes=1000-1999"}), timeout=10) as ranged:
            assert (ranged.status, ranged.read()) == (206, CLIP[1000:2000])
            etag = ranged.headers["ETag"]
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(urllib.request.Request(
                url, headers={"If-None-Match": etag}), timeout=10)
        not_modified.value.close()
        assert not_modified.value.code == 304


@pytest.mark.s3
def test_presigned_urls_on_s3(make_app: Any, moto_endpoint: str) -> None:
    from tests.conftest import make_bucket

    app = make_app(f"s3://{make_bucket(moto_endpoint)}/hub", moto_endpoint,
                   HUB_PACKAGE_PRESIGN="true")
    cast = Cast(Tenants(app), app.test_client())
    course = cast.create()
    package = upload(cast, course["id"], cmi5_zip())
    base = f"/content/{course['id']}/{package['sha256']}"
    assert cast.client.get(f"{base}/media/clip.mp4").status_code == 404  # a draft: no URL
    publish(cast, course["id"])
    res = cast.client.get(f"{base}/media/clip.mp4")
    assert res.status_code == 302
    assert res.headers["Cache-Control"] == "no-store"
    assert "X-Amz-Expires=300" in res.headers["Location"]
    with urllib.request.urlopen(res.headers["Location"], timeout=10) as fetched:
        assert (fetched.read(), fetched.headers["Content-Type"]) == (CLIP, "video/mp4")


def test_presign_on_a_directory_store_streams_the_file(make_app: Any) -> None:
    app = make_app(HUB_PACKAGE_PRESIGN="true")
    cast = Cast(Tenants(app), app.test_client())
    course = cast.create()
    package = upload(cast, course["id"], cmi5_zip())
    publish(cast, course["id"])
    res = cast.client.get(f"/content/{course['id']}/{package['sha256']}/intro/app.js")
    assert (res.status_code, res.data) == (200, CMI5_FILES["intro/app.js"])
