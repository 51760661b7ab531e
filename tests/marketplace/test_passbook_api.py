"""The passbook API: a learner's passbook, evidence the LRS cannot see, the flagged
completions of a department and their acceptance (issue 13), on both adapters."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.passbook_statements import ACCEPTED, EVIDENCED
from tests.marketplace.passbook_support import XAPI, Department, comp

CERT = {"kind": "certificate", "competency": "COMSUBTHEME-4", "level": 2, "issuer": "NPTEL",
        "id": "NPTEL-77", "url": "https://nptel.example/c/77"}


@pytest.fixture
def dept(app: Any, tenants: Any, client: Any) -> Department:
    dept = Department(app, tenants, client)
    dept.course("crs_1", {1: 3, 3: 2}, minutes=20)
    dept.course("crs_2", {2: 2}, minutes=30)
    for learner in ("u1", "u2", "=cmd|' /C calc'!A0"):
        dept.learner(learner)
    return dept


def call(client: Any, method: str, path: str, who: dict[str, Any], status: int,
         **kw: Any) -> Any:
    headers = {**who["headers"], **kw.pop("headers", {})}
    res = client.open(path, method=method, headers=headers, **kw)
    assert res.status_code == status, res.get_data(as_text=True)
    return res


def test_the_passbook_shows_levels_evidence_and_names(dept: Department, client: Any) -> None:
    dept.attempt("u1", "crs_1", seconds=900)
    dept.attempt("u1", "crs_2", seconds=30)  # flagged: shown, withheld, not counted
    call(client, "POST", "/learners/u1/passbook/evidence", dept.curator, 201,
         json={"kind": "self-declared", "competency": comp(1), "level": 5})
    body = call(client, "GET", "/learners/u1/passbook?lang=hi", dept.curator, 200).get_json()
    assert (body["org_id"], body["learner_id"]) == (dept.org_id, "u1")
    entries = {e["code"]: e for e in body["competencies"]}
    assert list(entries) == ["COMSUBTHEME-1", "COMSUBTHEME-2", "COMSUBTHEME-3"]
    one = entries["COMSUBTHEME-1"]
    assert (one["name"], one["level"], one["self_declared"]) == ("दक्षता 1", 3, 5)
    assert sorted((e["kind"], e["source"]) for e in one["evidence"]) == [
        ("completion", "item:crs_1"), ("self-declared", "self")]
    two = entries["COMSUBTHEME-2"]
    assert (two["level"], [e["withheld"] for e in two["evidence"]]) == (None, [True])
    assert all(e["statement_id"] for e in one["evidence"])


def test_who_reads_a_passbook(app: Any, dept: Department, client: Any, tenants: Any) -> None:
    dept.attempt("u1", "crs_1", seconds=900)
    call(client, "GET", "/learners/u1/passbook", dept.reviewer, 200)
    call(client, "GET", "/learners/u1/passbook", dept.writer, 200)  # lrs-reader
    call(client, "GET", "/learners/nobody/passbook", dept.curator, 404)
    other = Department(app, tenants, client, "Health Dept", framework=False)
    call(client, "GET", "/learners/u1/passbook", other.curator, 404)
    call(client, "GET", f"/learners/u1/passbook?org={dept.org_id}", other.curator, 404)
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    body = call(client, "GET", f"/learners/u1/passbook?org={dept.org_id}", admin,
                200).get_json()
    assert [e["level"] for e in body["competencies"]] == [3, 2]
    publisher = tenants.make("Revenue Dept", "department", ("publisher",))
    call(client, "GET", "/learners/u1/passbook", publisher, 403)


def test_evidence_is_a_statement_the_passbook_derives(dept: Department, client: Any) -> None:
    created = call(client, "POST", "/learners/u1/passbook/evidence", dept.curator, 201,
                   json=CERT).get_json()
    row = created["evidence"]
    assert (row["kind"], row["level"], row["source"], row["withheld"]) == (
        "certificate", 2, "certificate:NPTEL|NPTEL-77", False)
    assert row["details"] == {"issuer": "NPTEL", "id": "NPTEL-77",
                              "url": "https://nptel.example/c/77"}
    external = {"kind": "external", "competency": comp(5), "level": 3,
                "title": {"en": "Public finance", "hi": "लोक वित्त"}, "provider": "NIFM"}
    call(client, "POST", "/learners/u1/passbook/evidence", dept.curator, 201, json=external)
    assert dept.held() == {"u1": {comp(4): 2, comp(5): 3}}
    # the statement is in the department's LRS, the hub its authority
    res = client.get(f"/xapi/statements?statementId={created['statement_id']}",
                     headers={**dept.writer["headers"], **XAPI})
    statement = res.get_json()
    assert statement["verb"]["id"] == EVIDENCED
    assert statement["authority"]["account"]["name"] == "hub"
    assert statement["actor"]["account"] == {"homePage": "http://hub.test", "name": "u1"}


@pytest.mark.parametrize(("body", "field"), [
    ({**CERT, "level": 5}, "level"),  # COMSUBTHEME-4 defines levels 1-3
    ({**CERT, "competency": "COMSUBTHEME-99"}, "competency"),
    ({**CERT, "competency": "COMTHEME-1"}, "competency"),  # not a competency
    ({**CERT, "issuer": None}, "issuer"),
    ({k: v for k, v in CERT.items() if k != "id"}, "id"),
    ({"kind": "external", "competency": comp(5), "level": 1, "provider": "X"}, "title"),
    ({"kind": "self-declared", "competency": comp(5), "level": 1, "url": "https://x.example"},
     "url"),
    ({**CERT, "kind": "diploma"}, "kind"),
    ({**CERT, "level": "2"}, "level"),
    ({**CERT, "url": "javascript:alert(1)"}, "url"),
])
def test_bad_evidence_is_a_400_naming_the_field(dept: Department, client: Any,
                                                body: dict[str, Any], field: str) -> None:
    res = call(client, "POST", "/learners/u1/passbook/evidence", dept.curator, 400, json=body)
    assert field in res.get_json()["errors"], res.get_json()
    assert dept.store.passbook.evidence(dept.org_id, "u1") == []


def test_who_records_evidence(app: Any, dept: Department, client: Any, tenants: Any) -> None:
    call(client, "POST", "/learners/u1/passbook/evidence", dept.reviewer, 403, json=CERT)
    call(client, "POST", "/learners/nobody/passbook/evidence", dept.curator, 404, json=CERT)
    other = Department(app, tenants, client, "Health Dept", framework=False)
    call(client, "POST", "/learners/u1/passbook/evidence", other.curator, 404, json=CERT)
    # an LMS declares its own launched learner's level, nothing more
    lms = tenants.make("District LMS", "lms", ("lrs-writer",))
    dept.store.department_learners.put({**dept.store.department_learners.get(
        dept.org_id, "u1"), "org_id": lms["org"]["id"], "source": "lti"})
    declared = {"kind": "self-declared", "competency": "COMSUBTHEME-1", "level": 2}
    row = call(client, "POST", "/learners/u1/passbook/evidence", lms, 201,
               json=declared).get_json()["evidence"]
    assert (row["kind"], row["competency"]) == ("self-declared", comp(1))  # code resolved
    call(client, "POST", "/learners/u1/passbook/evidence", lms, 403, json=CERT)
    assert dept.store.passbook.held_levels(lms["org"]["id"]) == {}  # declared, not proven


def test_flagged_completions_json_pages_and_csv(dept: Department, client: Any) -> None:
    ids = sorted([dept.attempt("u1", "crs_1", seconds=20),
                  dept.attempt("u2", "crs_2", seconds=60),
                  dept.attempt("=cmd|' /C calc'!A0", "crs_1", seconds=5)])
    dept.attempt("u2", "crs_1", seconds=900)  # not flagged
    page = call(client, "GET", "/completions/flagged?limit=2", dept.reviewer, 200).get_json()
    assert [c["statement_id"] for c in page["completions"]] == ids[:2]
    assert page["next"] == ids[1]
    rest = call(client, "GET", f"/completions/flagged?limit=2&after={page['next']}",
                dept.reviewer, 200).get_json()
    assert [c["statement_id"] for c in rest["completions"]] == ids[2:]
    assert rest["next"] is None
    first = page["completions"][0]
    assert first["flagged"] is True and first["expected_seconds"] in (1200.0, 1800.0)
    res = call(client, "GET", "/completions/flagged", dept.reviewer, 200,
               headers={"Accept": "text/csv"})
    assert res.mimetype == "text/csv"
    lines = res.get_data(as_text=True).split("\r\n")
    assert lines[0].startswith("statement_id,learner_id,item_id")
    assert len([line for line in lines if line]) == 4
    assert "'=cmd|' /C calc'!A0" in res.get_data(as_text=True)
    assert ",=cmd" not in res.get_data(as_text=True)


def test_who_lists_flagged_completions(app: Any, dept: Department, client: Any,
                                       tenants: Any) -> None:
    sid = dept.attempt("u1", "crs_1", seconds=20)
    call(client, "GET", "/completions/flagged", dept.curator, 403)
    other = Department(app, tenants, client, "Health Dept", framework=False)
    assert call(client, "GET", "/completions/flagged", other.reviewer,
                200).get_json()["completions"] == []
    call(client, "GET", f"/completions/flagged?org={dept.org_id}", other.reviewer, 404)
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    listed = call(client, "GET", f"/completions/flagged?org={dept.org_id}", admin,
                  200).get_json()["completions"]
    assert [c["statement_id"] for c in listed] == [sid]


def test_a_reviewer_accepts_a_flagged_completion(app: Any, dept: Department, client: Any,
                                                 tenants: Any) -> None:
    sid = dept.attempt("u1", "crs_1", seconds=20)
    honest = dept.attempt("u2", "crs_1", seconds=900)
    other = Department(app, tenants, client, "Health Dept", framework=False)
    call(client, "POST", f"/completions/{sid}/accept", other.reviewer, 404)
    call(client, "POST", f"/completions/{sid}/accept", dept.curator, 403)
    call(client, "POST", "/completions/no-such-id/accept", dept.reviewer, 404)
    call(client, "POST", f"/completions/{honest}/accept", dept.reviewer, 409)
    assert "u1" not in dept.held()
    done = call(client, "POST", f"/completions/{sid}/accept", dept.reviewer, 200).get_json()
    assert done["accepted"]["by"] == dept.reviewer["key"]
    assert dept.held()["u1"] == {comp(1): 3, comp(3): 2}
    call(client, "POST", f"/completions/{sid}/accept", dept.reviewer, 409)
    assert call(client, "GET", "/completions/flagged", dept.reviewer,
                200).get_json()["completions"] == []
    listed = call(client, "GET", "/completions/flagged?accepted=true", dept.reviewer,
                  200).get_json()["completions"]
    assert [c["statement_id"] for c in listed] == [sid]
    # the acceptance is a statement of the department's LRS referring to the completion
    res = client.get("/xapi/statements?verb=" + ACCEPTED,
                     headers={**dept.writer["headers"], **XAPI})
    [statement] = res.get_json()["statements"]
    assert statement["object"] == {"objectType": "StatementRef", "id": sid}
    assert statement["authority"]["account"]["name"] == "hub"


def test_acceptance_without_live_upkeep(app: Any, dept: Department, client: Any) -> None:
    from dataclasses import replace

    sid = dept.attempt("u1", "crs_1", seconds=20)
    app.extensions["hub.config"] = replace(app.extensions["hub.config"], passbook_live=False)
    call(client, "POST", f"/completions/{sid}/accept", dept.reviewer, 200)
    assert dept.held()["u1"] == {comp(1): 3, comp(3): 2}
