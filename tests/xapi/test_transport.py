"""Headers, Alternate Request Syntax, CORS, authentication and roles (Communication 1, 3, 4)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
import pytest

from tests.xapi.conftest import LRS, VERSION, statement


def test_about_needs_no_version_or_credential(client: Any) -> None:
    resp = client.get("/xapi/about")
    assert resp.status_code == 200
    assert resp.get_json()["version"] == ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    # 2.0.0 is listed to a client that asks in 2.0 (1.0 clients refuse unknown versions)
    resp = client.get("/xapi/about", headers={"X-Experience-API-Version": "2.0.0"})
    assert resp.get_json()["version"][0] == "2.0.0"
    assert resp.headers["X-Experience-API-Version"] == "2.0.0"


@pytest.mark.parametrize("sent,answered", [("1.0.1", "1.0.3"), ("1.0.3", "1.0.3"),
                                           ("2.0", "2.0.0"), ("2.0.0", "2.0.0")])
def test_response_version_is_the_latest_patch_of_the_clients(lrs: LRS, sent: str,
                                                             answered: str) -> None:
    """Communication 3.3: the LRS answers in the latest patch of the version it was asked in;
    a request without a version (400) gets 1.0.3."""
    resp = lrs.get("/xapi/statements", headers={"X-Experience-API-Version": sent})
    assert resp.status_code == 200
    assert resp.headers["X-Experience-API-Version"] == answered


def test_alternate_syntax_is_refused_under_xapi_2(lrs: LRS) -> None:
    stmt = statement()
    form = urlencode({"statementId": stmt.pop("id"), "content": orjson.dumps(stmt).decode(),
                      "X-Experience-API-Version": "2.0.0",
                      "Authorization": lrs.headers["Authorization"]})
    resp = lrs.client.post("/xapi/statements?method=PUT", data=form,
                           content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 400
    assert "method" in resp.get_json()["errors"]
    assert lrs.query()["statements"] == []


@pytest.mark.parametrize("version,status", [(None, 400), ("0.9", 400), ("1.1.0", 400),
                                            ("1.0", 200), ("1.0.1", 200), ("1.0.3", 200)])
def test_version_header_required(lrs: LRS, version: str | None, status: int) -> None:
    headers = {k: v for k, v in lrs.headers.items() if k != "X-Experience-API-Version"}
    if version:
        headers["X-Experience-API-Version"] = version
    resp = lrs.client.get("/xapi/statements", headers=headers)
    assert resp.status_code == status
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"


def test_authentication_and_roles(client: Any, make_lrs: Any) -> None:
    assert client.get("/xapi/statements", headers=VERSION).status_code == 401
    bad = {**VERSION, "Authorization": "Basic bm9wZTpub3Bl"}
    assert client.get("/xapi/statements", headers=bad).status_code == 401
    assert client.get("/xapi/statements",
                      headers={**VERSION, "Authorization": "Basic %%%"}).status_code == 401
    reader = make_lrs("Readers", roles=("lrs-reader",))
    assert reader.get("/xapi/statements").status_code == 200
    assert reader.post(statement()).status_code == 403
    publisher = make_lrs("Publishers", kind="provider", roles=("publisher",))
    assert publisher.get("/xapi/statements").status_code == 403


def test_reader_sees_only_its_organisation(make_lrs: Any, lrs: LRS) -> None:
    mine, theirs = make_lrs("Dept A"), make_lrs("Dept B")
    a, b = statement(actor="a"), statement(actor="b")
    mine.post(a)
    theirs.post(b)
    assert mine.ids() == [a["id"]]
    assert mine.get(f"/xapi/statements?statementId={b['id']}").status_code == 404
    assert set(lrs.ids()) == {a["id"], b["id"]}  # platform admin sees all


def test_alternate_syntax_get_and_put(lrs: LRS) -> None:
    stmt = statement()
    sid = stmt.pop("id")
    form = urlencode({"statementId": sid, "content": orjson.dumps(stmt).decode(),
                      "X-Experience-API-Version": "1.0.3",
                      "Authorization": lrs.headers["Authorization"]})
    resp = lrs.client.post("/xapi/statements?method=PUT", data=form,
                           content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 204, resp.get_data(as_text=True)
    resp = lrs.client.post("/xapi/statements?method=GET", data=urlencode({"limit": 1}),
                           content_type="application/x-www-form-urlencoded", headers=lrs.headers)
    assert resp.status_code == 200
    assert [s["id"] for s in resp.get_json()["statements"]] == [sid]


@pytest.mark.parametrize("case", ["not-post", "extra-query", "no-content", "json-body",
                                  "bad-version"])
def test_alternate_syntax_errors(lrs: LRS, case: str) -> None:
    stmt = statement()
    form = {"statementId": stmt["id"], "content": orjson.dumps(stmt).decode()}
    url, method, ctype = "/xapi/statements?method=PUT", "POST", \
        "application/x-www-form-urlencoded"
    body: Any = urlencode(form)
    if case == "not-post":
        method = "PUT"
    elif case == "extra-query":
        url += f"&statementId={stmt['id']}"
    elif case == "no-content":
        body = urlencode({"statementId": stmt["id"]})
    elif case == "json-body":
        body = orjson.dumps(form)
    elif case == "bad-version":
        body = urlencode({**form, "X-Experience-API-Version": "0.8"})
    resp = lrs.client.open(url, method=method, data=body, content_type=ctype,
                           headers=lrs.headers)
    assert resp.status_code == 400


def test_cors_and_preflight(lrs: LRS, client: Any) -> None:
    resp = lrs.get("/xapi/statements")
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Experience-API-Consistent-Through" in resp.headers[
        "Access-Control-Expose-Headers"]
    pre = client.options("/xapi/statements", headers={
        "Origin": "http://content.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200
    assert "X-Experience-API-Version" in pre.headers["Access-Control-Allow-Headers"]


def test_head_is_get_without_body(lrs: LRS) -> None:
    lrs.post(statement())
    for path in ("/xapi/statements", "/xapi/about"):
        resp = lrs.open("HEAD", path)
        assert resp.status_code == 200
        assert resp.get_data() == b""


def test_errors_are_problem_json_naming_the_field(lrs: LRS) -> None:
    stmt = statement()
    stmt["actor"]["mbox"] = "asha@example.org"  # Data 2.4.2.3: must be a mailto IRI
    resp = lrs.post(stmt)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["status"] == 400
    assert any("actor" in field for field in body["errors"])


def test_unknown_xapi_path_and_method_still_carry_xapi_headers(lrs: LRS) -> None:
    resp = lrs.get("/xapi/nothing-here")
    assert resp.status_code == 404
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    resp = lrs.open("DELETE", "/xapi/statements")
    assert resp.status_code == 405
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
