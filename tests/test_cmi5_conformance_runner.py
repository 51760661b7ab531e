"""The cmi5 LMS test suite runner's own plumbing (``benchmarks.cmi5_conformance`` and its launch
stand-in), without Node.js: reading jest's report, the credentials it provisions, the hub it
serves, and the stand-in launch answering the player API's contract."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from benchmarks import cmi5_conformance
from benchmarks.cmi5_conformance import provision, read_report, serve
from hub import create_app
from hub.auth import authenticate
from tests.lti.cmi5_browser_package import AU_ID, browser_package

JEST_REPORT = {
    "numPassedTests": 3, "numFailedTests": 1, "numPendingTests": 1, "numTodoTests": 0,
    "numTotalTests": 5,
    "testResults": [
        {"name": "/suite/__tests__/package.js", "status": "failed", "assertionResults": [
            {"fullName": "Valid package 101 Package import", "status": "failed",
             "failureMessages": ["\x1b[2mexpect(\x1b[22mreceived).resolves.toBeDefined()\n\n"
                                 "Rejected to value: [InvalidPackageError: HTTP 400: https]\n"
                                 "  > 59 |  return expect(x)\n    at expect (index.js:1:1)"]},
            {"fullName": "Invalid package 209 Package import", "status": "passed"}]},
        {"name": "/suite/__tests__/runtime.js", "status": "failed", "assertionResults": [],
         "message": "  ● Test suite failed to run\n\n    Failed to setup LMS: boom\n"}],
}


def test_report_counts_and_says_why_each_test_failed(tmp_path: Path) -> None:
    report = tmp_path / "jest.json"
    report.write_text(json.dumps(JEST_REPORT), encoding="utf-8")
    result = read_report(report)
    assert result.line() == "cmi5 conformance: 3 passed, 1 failed, 1 skipped of 5"
    assert result.failures == [
        "package.js > Valid package 101 Package import: expect(received).resolves.toBeDefined()"
        " Rejected to value: [InvalidPackageError: HTTP 400: https]",
        "runtime.js: ● Test suite failed to run Failed to setup LMS: boom"]


def test_without_the_suite_it_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CMI5_SUITE_DIR", str(tmp_path))  # a directory without the suite
    assert cmi5_conformance.main([]) == 0
    assert "npm ci" in capsys.readouterr().out


def test_provisioned_credentials_authenticate_with_their_roles(tmp_path: Path) -> None:
    store_url, blob_url = f"sqlite:///{tmp_path / 'hub.db'}", f"file://{tmp_path / 'blobs'}"
    env, lms_org = provision(store_url, blob_url)
    store = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url}
                       ).extensions["hub.store"]
    try:
        roles = {who: authenticate(store, env[f"HUB_{who}_KEY"], env[f"HUB_{who}_SECRET"])
                 for who in ("PUBLISHER", "REVIEWER", "LMS")}
    finally:
        store.close()
    assert all(principal is not None for principal in roles.values())
    lms = roles["LMS"]
    assert lms is not None and lms.org_id == lms_org
    assert set(lms.roles) == {"lrs-writer", "lrs-reader"}


def _call(base: str, method: str, path: str, key: str, secret: str, data: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], object]:
    import base64

    auth = base64.b64encode(f"{key}:{secret}".encode()).decode()
    req = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                 headers={"Authorization": f"Basic {auth}", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as res:
        return res.status, dict(res.headers), json.loads(res.read() or b"null")


def test_the_adapters_steps_launch_a_published_au_on_the_hub_it_serves(tmp_path: Path) -> None:
    """What the adapter does for a package, over HTTP: create, upload, publish, launch."""
    from tests.marketplace.conftest import course_body

    store_url, blob_url = f"sqlite:///{tmp_path / 'hub.db'}", f"file://{tmp_path / 'blobs'}"
    env, _ = provision(store_url, blob_url)
    cred = {who: (env[f"HUB_{who}_KEY"], env[f"HUB_{who}_SECRET"])
            for who in ("PUBLISHER", "REVIEWER", "LMS")}
    js = {"Content-Type": "application/json"}
    with serve(store_url, blob_url, tmp_path / "server.log") as base:
        _, _, course = _call(base, "POST", "/courses", *cred["PUBLISHER"],
                             data=json.dumps(course_body()).encode(), headers=js)
        cid = course["id"]  # type: ignore[index]

        def etag(who: str) -> str:
            return _call(base, "GET", f"/courses/{cid}", *cred[who])[1]["ETag"]

        status, _, _ = _call(base, "PUT", f"/courses/{cid}/package", *cred["PUBLISHER"],
                             data=browser_package(),
                             headers={"Content-Type": "application/zip",
                                      "If-Match": etag("PUBLISHER")})
        assert status == 200
        for action, who in (("submit", "PUBLISHER"), ("start_review", "REVIEWER"),
                            ("publish", "REVIEWER")):
            _call(base, "POST", f"/courses/{cid}/transitions", *cred[who],
                  data=json.dumps({"action": action}).encode(),
                  headers={**js, "If-Match": etag(who)})
        status, _, launched = _call(base, "POST", "/player/launches", *cred["LMS"], headers=js,
                                    data=json.dumps({"course_id": cid, "learner_id": "lts-1",
                                                     "au_id": AU_ID}).encode())
        assert status == 201
        assert isinstance(launched, dict) and launched["au_id"] == AU_ID
        url = urlsplit(launched["url"])
        assert f"{url.scheme}://{url.netloc}" == base  # the AU is served by this hub
        assert parse_qs(url.query)["registration"] == [launched["registration"]]
        with urllib.request.urlopen(launched["url"], timeout=10) as page:
            assert b'<script src="au.js">' in page.read()
    assert "POST /player/launches" in (tmp_path / "server.log").read_text(encoding="utf-8")
