"""Statement Resource writes and single reads (Communication 2.1.1, 2.1.2, Data 2.3-2.4)."""

from __future__ import annotations

import uuid

import orjson

from tests.xapi.conftest import LRS, agent, statement


def test_post_single_returns_its_id_and_get_returns_it(lrs: LRS) -> None:
    stmt = statement()
    resp = lrs.post(stmt)
    assert resp.status_code == 200
    assert resp.get_json() == [stmt["id"]]
    got = lrs.get(f"/xapi/statements?statementId={stmt['id']}")
    assert got.status_code == 200
    body = got.get_json()
    assert body["actor"] == stmt["actor"]
    assert body["verb"] == stmt["verb"]
    assert got.headers["X-Experience-API-Version"] == "1.0.3"
    assert "X-Experience-API-Consistent-Through" in got.headers
    assert "Last-Modified" in got.headers


def test_lrs_sets_stored_authority_version_timestamp_and_id(lrs: LRS) -> None:
    stmt = statement()
    del stmt["id"]
    stmt["authority"] = agent("impostor")  # Data 2.4.9: the LRS overrides it
    stmt["stored"] = "2001-01-01T00:00:00Z"
    resp = lrs.post(stmt)
    assert resp.status_code == 200
    (sid,) = resp.get_json()
    uuid.UUID(sid)
    body = lrs.get(f"/xapi/statements?statementId={sid}").get_json()
    assert body["version"] == "1.0.0"
    assert body["stored"] != "2001-01-01T00:00:00Z"
    assert body["stored"].endswith("Z")
    assert body["timestamp"]
    assert body["authority"]["account"]["homePage"] == "http://hub.test"
    assert body["authority"]["name"] == "Platform"


def test_batch_returns_ids_in_order(lrs: LRS) -> None:
    batch = [statement(actor=f"a{i}") for i in range(5)]
    resp = lrs.post(batch)
    assert resp.status_code == 200
    assert resp.get_json() == [s["id"] for s in batch]


def test_batch_with_one_bad_statement_stores_none(lrs: LRS) -> None:
    good, bad = statement(), statement()
    bad["verb"]["id"] = "not an iri"
    resp = lrs.post([good, bad])
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"
    assert "1" in orjson.dumps(resp.get_json()["errors"]).decode()
    assert lrs.get(f"/xapi/statements?statementId={good['id']}").status_code == 404


def test_put_stores_under_statement_id_and_rejects_mismatch(lrs: LRS) -> None:
    stmt = statement()
    sid = stmt.pop("id")
    assert lrs.put(stmt, sid).status_code == 204
    assert lrs.get(f"/xapi/statements?statementId={sid}").get_json()["id"] == sid
    other = statement()
    assert lrs.put(other, str(uuid.uuid4())).status_code == 400
    assert lrs.client.put("/xapi/statements", data=orjson.dumps(statement()),
                          content_type="application/json",
                          headers=lrs.headers).status_code == 400


def test_same_statement_again_is_accepted_different_is_409(lrs: LRS) -> None:
    stmt = statement()
    assert lrs.post(stmt).status_code == 200
    assert lrs.post(stmt).status_code == 200
    assert lrs.put(stmt, stmt["id"]).status_code == 204
    changed = dict(stmt, verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    resp = lrs.post(changed)
    assert resp.status_code == 409
    assert lrs.put(changed, stmt["id"]).status_code == 409
    # immutable: still the first version
    body = lrs.get(f"/xapi/statements?statementId={stmt['id']}").get_json()
    assert body["verb"]["id"] == stmt["verb"]["id"]
    assert lrs.query(f"verb={changed['verb']['id']}")["statements"] == []


def test_a_resent_statement_is_the_same_whatever_its_duration_beyond_the_hundredth(
        lrs: LRS) -> None:
    """Data 4.6: precision beyond 0.01 s is not part of the comparison; the hundredth is."""
    stmt = dict(statement(), result={"duration": "P1DT12H36M0.1237S"})
    assert lrs.post(stmt).status_code == 200
    assert lrs.post(dict(stmt, result={"duration": "P1DT12H36M0.12S"})).status_code == 200
    assert lrs.post(dict(stmt, result={"duration": "P1DT12H36M0.13S"})).status_code == 409
    stored = lrs.get(f"/xapi/statements?statementId={stmt['id']}").get_json()
    assert stored["result"]["duration"] == "P1DT12H36M0.1237S"  # kept as first received


def test_conflicting_batch_stores_nothing(lrs: LRS) -> None:
    first = statement()
    lrs.post(first)
    fresh = statement()
    clash = dict(first, verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    assert lrs.post([fresh, clash]).status_code == 409
    assert lrs.get(f"/xapi/statements?statementId={fresh['id']}").status_code == 404


def test_duplicate_ids_inside_a_batch_are_rejected(lrs: LRS) -> None:
    stmt = statement()
    assert lrs.post([stmt, dict(stmt)]).status_code == 400


def test_invalid_json_and_wrong_content_type_are_400(lrs: LRS) -> None:
    assert lrs.post(None, data=b"{not json", content_type="application/json").status_code == 400
    resp = lrs.post(None, data=orjson.dumps(statement()), content_type="text/plain")
    assert resp.status_code == 400


def test_single_context_activity_is_returned_as_array(lrs: LRS) -> None:
    stmt = statement(context={"contextActivities": {"parent": {"id": "http://example.org/p"}}})
    lrs.post(stmt)
    body = lrs.get(f"/xapi/statements?statementId={stmt['id']}").get_json()
    assert body["context"]["contextActivities"]["parent"] == [{"id": "http://example.org/p"}]


def test_voiding(lrs: LRS) -> None:
    target = statement()
    lrs.post(target)
    voiding = statement(verb="voided", object={"objectType": "StatementRef", "id": target["id"]})
    assert lrs.post(voiding).status_code == 200
    # Communication 2.1.4: only reachable by voidedStatementId
    assert lrs.get(f"/xapi/statements?statementId={target['id']}").status_code == 404
    got = lrs.get(f"/xapi/statements?voidedStatementId={target['id']}")
    assert got.status_code == 200 and got.get_json()["id"] == target["id"]
    assert lrs.get(f"/xapi/statements?voidedStatementId={voiding['id']}").status_code == 404
    ids = lrs.ids()
    assert target["id"] not in ids and voiding["id"] in ids


def test_voiding_a_voiding_statement_voids_nothing(lrs: LRS) -> None:
    target = statement()
    voiding = statement(verb="voided", object={"objectType": "StatementRef", "id": target["id"]})
    lrs.post([target])
    lrs.post([voiding])
    again = statement(verb="voided", object={"objectType": "StatementRef", "id": voiding["id"]})
    lrs.post([again])
    assert lrs.get(f"/xapi/statements?statementId={voiding['id']}").status_code == 200


def test_statement_id_and_voided_id_cannot_take_filters(lrs: LRS) -> None:
    stmt = statement()
    lrs.post(stmt)
    for extra in ("limit=1", "ascending=true", f"verb={stmt['verb']['id']}"):
        resp = lrs.get(f"/xapi/statements?statementId={stmt['id']}&{extra}")
        assert resp.status_code == 400
        assert "X-Experience-API-Consistent-Through" in resp.headers
    ok = lrs.get(f"/xapi/statements?statementId={stmt['id']}&format=ids&attachments=false")
    assert ok.status_code == 200
