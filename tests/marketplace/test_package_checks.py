"""Bad packages are refused with a 400 naming ``package`` and the problem, and nothing of them
is written: neither blobs (directory and S3 stores) nor the revision."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hub.errors import PreconditionFailed
from marketplace import service
from tests.conftest import Tenants
from tests.marketplace.conftest import Cast
from tests.marketplace.package_support import (
    AU_QUIZ,
    BLOCK,
    CMI5_FILES,
    COURSE_IRI,
    NS,
    TINCAN_XML,
    build_zip,
    cmi5_xml,
    cmi5_zip,
    encrypted_zip,
    info,
    lying_size_zip,
    noise,
    symlink_zip,
    text,
)

ZIP = {"Content-Type": "application/zip"}
#: Limits low enough for small test zips to cross them.
LIMITS = {"HUB_PACKAGE_MAX_FILES": "12", "HUB_PACKAGE_MAX_BYTES": str(1_500_000),
          "HUB_PACKAGE_MAX_FILE_BYTES": str(1_000_000), "HUB_PACKAGE_MAX_RATIO": "200"}


def with_files(**extra: bytes | str) -> bytes:
    """The good cmi5 package plus ``extra`` entries (names may be anything)."""
    return build_zip({"cmi5.xml": cmi5_xml(), **CMI5_FILES, **extra})


def manifest(xml: str, name: str = "cmi5.xml") -> bytes:
    """A package with this manifest and the good package's files."""
    return build_zip({name: xml, **CMI5_FILES})


def _au_without_id() -> str:
    good = cmi5_xml()
    return good.replace('<au id="https://provider.example/aus/intro" ', "<au ", 1)


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  f'<courseStructure xmlns="{NS}">&lol2;</courseStructure>')
BAD: dict[str, tuple[Callable[[], bytes], str]] = {
    "not-a-zip": (lambda: b"PK not really a zip", "not a zip file"),
    "truncated": (lambda: cmi5_zip()[:4000], "not a zip file"),
    "zip-slip": (lambda: with_files(**{"../../etc/passwd": "root:x:0:0"}),
                 "entry '../../etc/passwd' escapes the package"),
    "zip-slip-inside": (lambda: with_files(**{"intro/../../x.html": "x"}),
                        "escapes the package"),
    "absolute": (lambda: with_files(**{"/etc/cron.d/job": "x"}), "is an absolute path"),
    "drive-letter": (lambda: with_files(**{"C:/Windows/win.ini": "x"}), "names a drive"),
    "backslash": (lambda: with_files(**{"intro\\..\\..\\evil.html": "x"}),
                  "contains a backslash"),
    "symlink": (symlink_zip, "entry 'intro/passwd' is a symbolic link"),
    "encrypted": (encrypted_zip, "entry 'secret.bin' is encrypted"),
    "duplicate": (lambda: build_zip({"cmi5.xml": cmi5_xml(), **CMI5_FILES},
                                    infos=[(info("intro/app.js"), b"evil()")]),
                  "entry 'intro/app.js' appears twice"),
    "file-and-folder": (lambda: with_files(**{"intro": "x"}),
                        "entry 'intro' is both a file and a folder"),
    "too-many-files": (lambda: with_files(**{f"extra/{i}.txt": "x" for i in range(10)}),
                       "entries, over the limit of 12"),
    "file-too-large": (lambda: with_files(**{"media/long.bin": noise(1_100_000)}),
                       "over the limit of 1000000"),
    "total-too-large": (lambda: with_files(**{f"media/{i}.bin": noise(600_000)
                                              for i in range(3)}), "bytes unzipped"),
    "zip-bomb": (lambda: with_files(**{"media/zeros.bin": bytes(1_200_000)}),
                 "a zip bomb?"),
    "lying-size": (lying_size_zip, "entry 'media/big.bin' is corrupt"),
    "corrupt-entry": (lambda: _corrupt(), "is corrupt"),
    "no-manifest": (lambda: build_zip(CMI5_FILES), "neither cmi5.xml nor tincan.xml"),
    "manifest-in-a-folder": (lambda: build_zip({"course/cmi5.xml": cmi5_xml(), **CMI5_FILES}),
                             "neither cmi5.xml nor tincan.xml at the root"),
    "cmi5-malformed": (lambda: manifest(cmi5_xml()[:300]), "cmi5.xml line"),
    "cmi5-invalid": (lambda: manifest(_au_without_id()),
                     "cmi5.xml line 7: Element '{https://w3id.org/xapi/profiles/cmi5/v1/"
                     "CourseStructure.xsd}au': The attribute 'id' is required but missing."),
    "cmi5-bad-move-on": (lambda: manifest(cmi5_xml().replace('moveOn="Passed"',
                                                             'moveOn="Sometimes"')),
                         "moveOn"),
    "cmi5-mastery-over-1": (lambda: manifest(cmi5_xml().replace('masteryScore="0.8"',
                                                                'masteryScore="80"')),
                            "masteryScore"),
    "cmi5-entities": (lambda: manifest(BILLION_LAUGHS), "a DOCTYPE is not allowed"),
    "cmi5-duplicate-id": (lambda: manifest(cmi5_xml(extra_au=(
        '<au id="https://provider.example/aus/intro">' + text("title", ("en", "Again"))
        + text("description", ("en", "x")) + "<url>intro/index.html</url></au>"))),
        "id 'https://provider.example/aus/intro' is used twice"),
    "au-file-missing": (lambda: manifest(cmi5_xml(quiz_url="budget/missing.html")),
                        "url 'budget/missing.html' names no file of the package"),
    "au-url-escapes": (lambda: manifest(cmi5_xml(quiz_url="../budget/quiz.html")),
                       "names no file of the package"),
    "au-url-network-path": (lambda: manifest(cmi5_xml(quiz_url="//evil.example/quiz.html")),
                            "names no file of the package"),
    "au-external-ftp": (lambda: manifest(cmi5_xml(external_url="ftp://content.example.org/")),
                        "an external url must be http or https"),
    "au-url-invalid": (lambda: manifest(cmi5_xml(external_url="http://example.com index.html")),
                       "is not a valid URL"),
    "au-url-sets-endpoint": (lambda: manifest(cmi5_xml(
        quiz_url="budget/quiz.html?endpoint=http://example.org/lrs")),
        "sets endpoint, which the LMS adds at launch"),
    "course-id-not-iri": (lambda: manifest(cmi5_xml().replace(
        f'<course id="{COURSE_IRI}"', '<course id="w3id.org/course/pfm"')),
        "the course id 'w3id.org/course/pfm' is not an absolute IRI"),
    "au-id-not-iri": (lambda: manifest(cmi5_xml().replace(f'id="{AU_QUIZ}"', 'id="quiz"')),
                      "the AU id 'quiz' is not an absolute IRI"),
    "block-id-not-iri": (lambda: manifest(cmi5_xml().replace(f'id="{BLOCK}"', 'id="b1"')),
                         "the block id 'b1' is not an absolute IRI"),
    "objective-twice": (lambda: manifest(cmi5_xml().replace(
        "</course>", "</course><objectives>" + 2 * (
            '<objective id="https://provider.example/objectives/1">'
            + text("title", ("en", "o")) + text("description", ("en", "o")) + "</objective>")
        + "</objectives>")), "is defined twice"),
    "au-external-loopback": (lambda: manifest(cmi5_xml(external_url="https://127.0.0.1/lab")),
                             "points at a loopback address"),
    "au-external-metadata": (lambda: manifest(cmi5_xml(
        external_url="https://metadata.google.internal/computeMetadata/v1/")),
        "points at an internal host"),
    "au-external-private": (lambda: manifest(cmi5_xml(external_url="https://[fd00::1]/lab")),
                            "a private address"),
    "au-external-userinfo": (lambda: manifest(cmi5_xml(
        external_url="https://content.example.org@10.0.0.1/")), "has no plain host"),
    "tincan-no-launch": (lambda: manifest(TINCAN_XML.replace(
        '<launch lang="en-US">index.html</launch>', ""), "tincan.xml"),
        "tincan.xml: no activity with a launch"),
    "tincan-malformed": (lambda: manifest("<tincan><activities>", "tincan.xml"),
                         "tincan.xml line"),
    "tincan-launch-missing": (lambda: manifest(TINCAN_XML, "tincan.xml"),
                              "url 'index.html' names no file of the package"),
}


def _corrupt() -> bytes:
    """A stored (uncompressed) entry whose bytes no longer match its CRC-32."""
    data = bytearray(build_zip({"cmi5.xml": cmi5_xml(), **CMI5_FILES},
                               compression=zipfile.ZIP_STORED))
    at = data.find(b"console.log('intro')")
    data[at] = ord("C")
    return bytes(data)


def _put(cast: Cast, course_id: str, data: bytes) -> Any:
    return cast.client.put(f"/courses/{course_id}/package", data=data,
                           headers={**cast.a["headers"], **cast.etag(course_id, cast.a), **ZIP})


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_package_is_refused_naming_the_problem(make_app: Any, kind: str) -> None:
    app = make_app(**LIMITS)
    cast = Cast(Tenants(app), app.test_client())
    course = cast.create()
    build, detail = BAD[kind]
    res = _put(cast, course["id"], build())
    assert res.status_code == 400, res.json
    assert res.mimetype == "application/problem+json"
    assert "package" in res.json["errors"]
    assert detail in res.json["detail"], res.json["detail"]
    after = cast.client.get(f"/courses/{course['id']}", headers=cast.a["headers"]).json
    assert after["row_version"] == course["row_version"]
    assert "package" not in after["revision"]


def test_the_good_package_passes_the_same_limits(make_app: Any) -> None:
    """The limits above refuse only what each case adds (else those tests prove nothing)."""
    app = make_app(**LIMITS)
    cast = Cast(Tenants(app), app.test_client())
    assert _put(cast, cast.create()["id"], cmi5_zip()).status_code == 200


def stored_keys(app: Any) -> set[str]:
    """Every blob key under ``packages/`` in the app's blob store (either adapter)."""
    blobs = app.extensions["hub.blobs"]
    if hasattr(blobs, "root"):
        root = Path(blobs.root)
        return {str(p.relative_to(root)) for p in root.rglob("*")
                if p.is_file() and not p.name.startswith(".") and "packages" in p.parts}
    listed = blobs.client.list_objects_v2(Bucket=blobs.bucket, Prefix=f"{blobs.prefix}/packages/")
    return {item["Key"] for item in listed.get("Contents", [])}


def test_nothing_is_written_when_a_package_is_refused_or_its_revision_fails(
        make_app: Any, blob_url: tuple[str, str | None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(*blob_url)
    cast = Cast(Tenants(app), app.test_client())
    course = cast.create()
    assert _put(cast, course["id"], manifest(cmi5_xml(quiz_url="nope.html"))).status_code == 400
    assert stored_keys(app) == set()

    # The blobs are written, then the revision loses a race: they are removed again.
    def lose_the_race(*_: Any, **__: Any) -> Any:
        raise PreconditionFailed("the course changed while this request was applied")

    monkeypatch.setattr(service, "save_revision", lose_the_race)
    assert _put(cast, course["id"], cmi5_zip()).status_code == 412
    assert stored_keys(app) == set()
    monkeypatch.undo()
    assert _put(cast, course["id"], cmi5_zip()).status_code == 200
    keys = stored_keys(app)
    assert any(k.endswith("/files/intro/app.js") for k in keys)
    assert any(k.endswith("/package.zip") for k in keys)
    assert any(k.endswith("/manifest.json") for k in keys)
    assert not any("__MACOSX" in k for k in keys)
    # The same zip again: its prefix is in use, so a failure must not remove it.
    monkeypatch.setattr(service, "save_revision", lose_the_race)
    assert _put(cast, course["id"], cmi5_zip()).status_code == 412
    assert stored_keys(app) == keys
