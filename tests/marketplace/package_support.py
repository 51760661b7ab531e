"""Small cmi5 and xAPI packages built in the tests with :mod:`zipfile`, good and bad."""

from __future__ import annotations

import io
import random
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serving import served_app

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE_IRI = "https://provider.example/courses/pfm"
AU_INTRO = "https://provider.example/aus/intro"
AU_QUIZ = "https://provider.example/aus/budget-quiz"
AU_EXTERNAL = "https://provider.example/aus/audit-lab"
BLOCK = "https://provider.example/blocks/budgets"
#: A media file big enough for range requests to mean something (not compressible to a bomb).
CLIP = bytes((i * 7919 + i // 256) % 251 for i in range(200_000))


def text(tag: str, *pairs: tuple[str, str]) -> str:
    """A cmi5 ``textType`` element of langstrings."""
    inner = "".join(f'<langstring lang="{lang}">{value}</langstring>' for lang, value in pairs)
    return f"<{tag}>{inner}</{tag}>"


def cmi5_xml(external_url: str = "https://content.example.org/audit/lab",
             quiz_url: str = "budget/quiz.html", extra_au: str = "") -> str:
    """A course with an AU, a block holding an assessed AU, and an external AU."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="{NS}">
  <course id="{COURSE_IRI}">
    {text("title", ("en", "Public Financial Management"), ("hi", "सार्वजनिक वित्तीय प्रबंधन"))}
    {text("description", ("en", "Budgets, treasury and audit."))}
  </course>
  <au id="{AU_INTRO}" moveOn="Completed">
    {text("title", ("en", "Introduction"))}
    {text("description", ("en", "Why budgets matter."))}
    <url>intro/index.html?lang=en</url>
  </au>
  <block id="{BLOCK}">
    {text("title", ("en", "Budgets"))}
    {text("description", ("en", "Making and reading a budget."))}
    <au id="{AU_QUIZ}" moveOn="Passed" masteryScore="0.8" launchMethod="OwnWindow"
        activityType="http://adlnet.gov/expapi/activities/assessment">
      {text("title", ("en", "Budget quiz"))}
      {text("description", ("en", "Ten questions."))}
      <url>{quiz_url}</url>
      <launchParameters>{{"level": 2}}</launchParameters>
      <entitlementKey>pfm-quiz</entitlementKey>
    </au>
  </block>
  <au id="{AU_EXTERNAL}">
    {text("title", ("en", "Audit lab"))}
    {text("description", ("en", "Hosted by the provider."))}
    <url>{external_url}</url>
  </au>{extra_au}
</courseStructure>
"""


CMI5_FILES: dict[str, bytes] = {
    "intro/index.html": b"<!doctype html><title>Intro</title><script src='app.js'></script>",
    "intro/app.js": b"console.log('intro');\n",
    "budget/quiz.html": b"<!doctype html><title>Quiz</title>",
    "media/clip.mp4": CLIP,
    "styles/site.css": b"body { margin: 0 }\n",
    "fonts/body.woff2": b"wOF2\x00\x01",
    "__MACOSX/._index.html": b"\x00\x05\x16\x07",
}

TINCAN_XML = """<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="https://provider.example/xapi/ethics" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">Ethics in Governance</name>
      <description lang="en-US">Cases and choices.</description>
      <launch lang="en-US">index.html</launch>
    </activity>
    <activity id="https://provider.example/xapi/ethics/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name lang="en-US">Question 1</name>
    </activity>
  </activities>
</tincan>
"""


def build_zip(entries: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED,
              infos: list[tuple[zipfile.ZipInfo, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    """A zip of ``entries`` (name -> content) plus hand-made ``infos`` (symlinks and such)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names on purpose
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in entries.items():
                archive.writestr(name, data.encode() if isinstance(data, str) else data)
            for info, data in infos:
                archive.writestr(info, data)
    return buffer.getvalue()


def cmi5_zip(**manifest: Any) -> bytes:
    """The good cmi5 package (``manifest`` changes its cmi5.xml)."""
    return build_zip({"cmi5.xml": cmi5_xml(**manifest), **CMI5_FILES})


def xapi_zip() -> bytes:
    """The good xAPI package."""
    return build_zip({"tincan.xml": TINCAN_XML, "index.html": b"<!doctype html><p>Ethics",
                      "js/tincan.js": b"var TinCan = {};"})


def info(name: str, mode: int | None = None, flags: int = 0) -> zipfile.ZipInfo:
    """A hand-made zip entry (``mode``: a Unix file mode for ``external_attr``)."""
    entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    if mode is not None:
        entry.create_system = 3
        entry.external_attr = mode << 16
    entry.flag_bits |= flags
    return entry


def symlink_zip() -> bytes:
    """A cmi5 package with a symbolic link to /etc/passwd."""
    return build_zip({"cmi5.xml": cmi5_xml(), **CMI5_FILES},
                     infos=[(info("intro/passwd", stat.S_IFLNK | 0o777), b"/etc/passwd")])


def patch_central(data: bytes, name: str, offset: int, value: bytes) -> bytes:
    """``data`` with ``value`` written at ``offset`` of the central directory record of
    ``name`` (APPNOTE 4.3.12: flags at 8, uncompressed size at 24; the name at 46)."""
    patched = bytearray(data)
    encoded = name.encode()
    at = patched.find(encoded, patched.find(b"PK\x01\x02"))
    while at != -1 and patched[at - 46:at - 42] != b"PK\x01\x02":
        at = patched.find(encoded, at + 1)
    record = at - 46
    patched[record + offset:record + offset + len(value)] = value
    return bytes(patched)


def noise(size: int) -> bytes:
    """``size`` bytes that do not compress (so only a size limit can refuse them)."""
    return random.Random(size).randbytes(size)


def lying_size_zip() -> bytes:
    """A package whose central directory says an entry is 10 bytes; it inflates to 200 KB."""
    data = build_zip({"cmi5.xml": cmi5_xml(), **CMI5_FILES, "media/big.bin": noise(200_000)})
    return patch_central(data, "media/big.bin", 24, (10).to_bytes(4, "little"))


def encrypted_zip() -> bytes:
    """A package with an entry flagged encrypted (APPNOTE 4.4.4 bit 0)."""
    data = build_zip({"cmi5.xml": cmi5_xml(), **CMI5_FILES, "secret.bin": b"x"})
    return patch_central(data, "secret.bin", 8, (1).to_bytes(2, "little"))


@pytest.fixture
def make_app(store_url: str, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Builds the hub on the test's store with these blob URL and settings."""
    from hub import create_app

    built: list[Any] = []

    def make(blob_url: str | None = None, endpoint: str | None = None, **settings: str) -> Any:
        app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                          "HUB_BLOB_URL": blob_url or f"file://{tmp_path / 'blobs'}",
                          "HUB_S3_ENDPOINT_URL": endpoint, "HUB_PUBLIC_URL": "http://hub.test",
                          "HUB_FORWARDING_WORKER": "off", "HUB_LTI_SCORE_WORKER": "off",
                          **settings})
        built.append(app)
        return app

    yield make
    for app in built:
        app.extensions["hub.store"].close()


#: The hub over real HTTP on a free loopback port (the one helper every test uses).
served = served_app
