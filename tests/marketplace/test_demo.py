"""Demo data: deterministic, >= 200 published courses from >= 8 providers in several
languages, courses in every other state, and working demo credentials."""

from __future__ import annotations

import base64
from typing import Any

import orjson

from marketplace import demo


def _basic(cred: dict[str, Any]) -> dict[str, str]:
    token = base64.b64encode(f"{cred['key']}:{cred['secret']}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_demo_loads_once_and_every_credential_works(runner: Any, app: Any,
                                                    client: Any) -> None:
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    creds = orjson.loads(result.stdout)
    assert {"provider", "reviewer", "admin", "lms"} <= set(creds)  # upper layers add more
    store = app.extensions["hub.store"]
    assert store.courses.count("published") >= 200
    for state in ("draft", "submitted", "in_review", "changes_requested"):
        assert store.courses.count(state) > 0, state
    assert len(store.organisations.list("provider")) >= 8

    body = client.get("/catalogue/search", query_string={"limit": 100}).json
    assert body["total"] >= 200
    languages = {f["value"] for f in body["facets"]["language"]}
    assert {"en", "hi", "ta", "bn", "mr"} <= languages
    assert all({"en", "hi"} <= set(i["title"]) for i in body["items"])
    assert body["facets"]["rating"]  # some courses are rated

    assert client.get("/review-queue", headers=_basic(creds["reviewer"])).json["items"]
    mine = client.get("/courses", headers=_basic(creds["provider"])).json["items"]
    assert mine and all(c["provider_id"] == creds["provider"]["org_id"] for c in mine)
    assert client.get("/courses", headers=_basic(creds["admin"])).status_code == 200

    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and again.stdout == ""  # prints credentials only when loaded
    assert store.courses.count("published") == body["total"]
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code == 1


def test_demo_content_is_deterministic() -> None:
    import random

    first = [demo.course_content(i, random.Random(7)) for i in range(20)]
    second = [demo.course_content(i, random.Random(7)) for i in range(20)]
    assert first == second
    titles = {demo.course_content(i, random.Random(1))[1]["title"]["en"]
              for i in range(len(demo.TOPICS) * len(demo.FORMATS))}
    assert len(titles) == len(demo.TOPICS) * len(demo.FORMATS)
