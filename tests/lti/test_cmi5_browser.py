"""A cmi5 AU run by a real browser (Debian's chromium, headless, driven by Playwright) against a
live hub over HTTP: the package is uploaded and published through the API, launched for a
learner, and its page does what an AU does (cmi5 §8.1, §8.2, §9.3, §10) before it goes back to
the returnURL; the statements must then be in the LRS.

Chromium is installed by ``make chromium`` (part of ``make test``) where apt-get can; without it
the test skips with a reason naming how to install it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from benchmarks.server import free_port
from tests.conftest import Tenants
from tests.lti.cmi5_browser_package import AU_ID, SCORE, browser_package
from tests.marketplace.conftest import Cast
from xapi.cmi5_vocabulary import SESSION_ID, VERBS

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
HOWTO = "(install it: `make chromium`, i.e. apt-get install -y chromium; or set CHROMIUM_PATH)"
ZIP = {"Content-Type": "application/zip"}
VERSION = {"X-Experience-API-Version": "1.0.3"}


def chromium_or_skip() -> Any:
    """Playwright's sync API, or skip when the browser or the package is missing."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no chromium at {CHROMIUM} {HOWTO}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    return sync_api


@contextmanager
def live_hub(store_url: str, tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """The hub over real HTTP on 127.0.0.1, its public URL being the address it listens on (the
    AU's endpoint, fetch URL and content all come from it); yields (app, base URL)."""
    from hub import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app({"TESTING": True, "HUB_STORE_URL": store_url,
                      "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}", "HUB_PUBLIC_URL": base,
                      "HUB_FORWARDING_WORKER": "off", "HUB_LTI_SCORE_WORKER": "off"})
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        app.extensions["hub.store"].close()


def has_route(app: Any, rule: str) -> bool:
    """Whether the hub serves ``rule`` (the player API lands on another branch)."""
    return any(r.rule == rule for r in app.url_map.iter_rules())


def publish_package(cast: Cast) -> dict[str, Any]:
    """A course with the browser package, uploaded by its provider and published by the
    reviewers through the API; returns the stored course."""
    course = cast.create(delivery={"type": "external", "url": "https://provider.example/x"})
    res = cast.client.put(f"/courses/{course['id']}/package", data=browser_package(),
                          headers={**cast.a["headers"], **cast.etag(course["id"], cast.a), **ZIP})
    assert res.status_code == 200, res.json
    for action, who in (("submit", cast.a), ("start_review", cast.reviewer),
                        ("publish", cast.reviewer)):
        cast.act(course["id"], action, who)
    return course


def launch(app: Any, cast: Cast, base: str, course_id: str, return_url: str) -> dict[str, Any]:
    """Launch the AU for ``learner-1``: through ``POST /player/launches`` once the player API
    is there, else with :func:`lti.cmi5_launch.prepare_au_launch` on the published package."""
    if has_route(app, "/player/launches"):
        res = cast.client.post("/player/launches", headers=cast.lms["headers"], json={
            "course_id": course_id, "learner_id": "learner-1", "au_id": AU_ID,
            "return_url": return_url})
        assert res.status_code == 201, res.json
        return res.json  # type: ignore[no-any-return]
    from lti.cmi5_launch import prepare_au_launch
    from marketplace.packages import find_au, package_of, structure_of

    store = app.extensions["hub.store"]
    live = store.courses.get(course_id)["live"]
    structure, package = structure_of(live), package_of(live)
    assert structure is not None and package is not None
    return prepare_au_launch(
        store, cast.lms["org"]["id"], "learner-1", course_id, structure,
        find_au(structure, AU_ID) or {}, return_url=return_url, public_url=base,
        content_base=f"{base}/content/{course_id}/{package['sha256']}",
        blobs=app.extensions["hub.blobs"])


def test_a_browser_runs_the_au_and_its_statements_land_in_the_lrs(store_url: str,
                                                                   tmp_path: Path) -> None:
    sync_api = chromium_or_skip()
    with live_hub(store_url, tmp_path) as (app, base):
        tenants = Tenants(app)
        cast = Cast(tenants, app.test_client())
        cast.lms = tenants.make("State LMS", "lms", ("lrs-writer", "lrs-reader"))
        course = publish_package(cast)
        return_url = f"{base}/health?returned=1"
        launched = launch(app, cast, base, course["id"], return_url)

        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            try:
                page = browser.new_page()
                page.goto(launched["url"])
                try:
                    page.wait_for_url(f"{base}/health?returned=1", timeout=10_000)
                except sync_api.TimeoutError:
                    pytest.fail(f"the AU did not return: {page.text_content('#status')}")
            finally:
                browser.close()

        registration = launched["registration"]
        res = cast.client.get(f"/xapi/statements?registration={registration}&ascending=true",
                              headers={**cast.lms["headers"], **VERSION})
        assert res.status_code == 200, res.json
        # The hub's own satisfied (course; §9.3.9) lands between the AU's passed and
        # terminated: the AU's statements are the others.
        res_statements = res.json["statements"]
        statements = [s for s in res_statements if not s["verb"]["id"].endswith("/satisfied")]
        verbs = [s["verb"]["id"] for s in statements]
        assert verbs == [VERBS[v] for v in ("launched", "initialized", "completed", "passed",
                                            "terminated")] + verbs[5:]
        session = statements[0]["context"]["extensions"][SESSION_ID]
        # Every AU statement is in the launch's session (cmi5 §9.6.3.1 via the template).
        assert {s["context"]["extensions"][SESSION_ID] for s in statements[1:5]} == {session}
        assert statements[3]["result"]["score"]["scaled"] == SCORE
        assert {s["actor"]["account"]["name"] for s in statements} == {"learner-1"}
        if has_route(app, "/player/registrations/<registration>"):
            # The player branch: the hub judges moveOn (CompletedAndPassed) met.
            res = cast.client.get(f"/player/registrations/{registration}",
                                  headers=cast.lms["headers"])
            assert res.status_code == 200, res.json
            assert res.json["satisfied"] is True
            satisfied = [s for s in res_statements if s["verb"]["id"] == VERBS["satisfied"]]
            assert [s["object"]["definition"]["type"] for s in satisfied] == [
                "https://w3id.org/xapi/cmi5/activitytype/course"]
