"""Each organisation's LRS is its own store (as Learning Locker's stores are): documents,
activity definitions, voiding, StatementRef keys, statement ids and attachment bodies never
cross organisations; a platform administrator reads across them. Every test runs on each
adapter (``store_url``) and answers what a second organisation's credential could learn or
change of the first's data."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tests.xapi.conftest import LRS, VERBS, agent, q, statement
from tests.xapi.test_attachments import (
    attachment_meta,
    multipart,
    parse_response,
    part_headers,
    post_multipart,
)
from tests.xapi.test_documents import send

ACT = "http://example.org/b/course"
LEARNER = agent("bela")
REG = "0d1f6a52-3c57-4c8e-9d55-3a8f0e6b1f10"
STATE = f"/xapi/activities/state?activityId={q(ACT)}&agent={q(LEARNER)}"
APROF = f"/xapi/activities/profile?activityId={q(ACT)}"
GPROF = f"/xapi/agents/profile?agent={q(LEARNER)}"


@pytest.fixture
def two(make_lrs: Any) -> tuple[LRS, LRS]:
    """Organisation A (the prober) and organisation B (the owner), both LMSs."""
    return make_lrs("Org A"), make_lrs("Org B")


@pytest.mark.parametrize("path", [STATE + "&stateId=bookmark", APROF + "&profileId=p",
                                  GPROF + "&profileId=p"])
def test_another_organisations_document_is_absent(two: tuple[LRS, LRS], path: str) -> None:
    a, b = two
    assert send(b, "PUT", path, {"secret": "b"}, If_None_Match="*").status_code == 204
    listing = path.rsplit("&", 1)[0]
    assert a.get(path).status_code == 404
    assert a.get(listing).get_json() == []
    # a merge, a delete and a PUT of A's land in A's own store, never in B's document
    assert send(a, "POST", path, {"from": "a"}).status_code == 204
    assert a.get(path).get_json() == {"from": "a"}
    assert b.get(path).get_json() == {"secret": "b"}
    assert send(a, "DELETE", path).status_code == 204
    assert b.get(path).get_json() == {"secret": "b"}
    assert send(a, "PUT", path, {"put": "a"}, If_None_Match="*").status_code == 204
    assert b.get(path).get_json() == {"secret": "b"}
    assert b.get(listing).get_json() == [path.rsplit("=", 1)[1]]


def test_state_multi_delete_stays_in_the_organisation(two: tuple[LRS, LRS]) -> None:
    a, b = two
    send(b, "PUT", STATE + f"&stateId=one&registration={REG}", {"n": 1})
    assert send(a, "DELETE", STATE).status_code == 204
    assert send(a, "DELETE", STATE + f"&registration={REG}").status_code == 204
    assert b.get(STATE).get_json() == ["one"]


def test_activity_definitions_are_per_organisation(two: tuple[LRS, LRS], lrs: LRS) -> None:
    a, b = two
    b_def = {"name": {"en-US": "B's confidential course"}}
    b.post(statement(activity=ACT, object={"id": ACT, "definition": b_def}))
    path = f"/xapi/activities?activityId={q(ACT)}"
    assert a.get(path).get_json() == {"objectType": "Activity", "id": ACT}
    a.post(statement(activity=ACT, object={"id": ACT, "definition": {
        "name": {"en-US": "A's course"}, "description": {"en-US": "A"}}}))
    assert a.get(path).get_json()["definition"] == {"name": {"en-US": "A's course"},
                                                     "description": {"en-US": "A"}}
    assert b.get(path).get_json()["definition"] == b_def
    # format=canonical takes each statement's definition from its own organisation, also
    # when a platform administrator reads across organisations
    page = lrs.query(f"activity={q(ACT)}&format=canonical")
    names = sorted(s["object"]["definition"]["name"]["en-US"] for s in page["statements"])
    assert names == ["A's course", "B's confidential course"]


def test_voiding_another_organisations_statement_voids_nothing(two: tuple[LRS, LRS]) -> None:
    a, b = two
    target = statement(actor="bela")
    b.post(target)
    voiding = statement(verb="voided", object={"objectType": "StatementRef",
                                               "id": target["id"]})
    # xAPI accepts a voiding statement whose target it does not know (Data 2.3.2)
    assert a.post(voiding).status_code == 200
    assert b.get(f"/xapi/statements?statementId={target['id']}").status_code == 200
    assert target["id"] in b.ids()
    assert a.get(f"/xapi/statements?voidedStatementId={target['id']}").status_code == 404
    # within an organisation voiding still works
    assert b.post({**voiding, "id": statement()["id"]}).status_code == 200
    assert b.get(f"/xapi/statements?voidedStatementId={target['id']}").status_code == 200


def test_attachment_bodies_are_per_organisation(two: tuple[LRS, LRS]) -> None:
    a, b = two
    content = b"B's private report"
    sha2 = hashlib.sha256(content).hexdigest()
    owned = statement(attachments=[attachment_meta(content)])
    assert post_multipart(b, multipart(owned, [(content, part_headers(content))])
                          ).status_code == 200
    probe = statement(attachments=[attachment_meta(content,
                                                   fileUrl="http://example.org/x")])
    assert a.post(probe).status_code == 200
    got = a.get(f"/xapi/statements?statementId={probe['id']}&attachments=true")
    body, parts = parse_response(got)
    assert body["id"] == probe["id"] and parts == {}
    _, parts = parse_response(a.get("/xapi/statements?attachments=true"))
    assert parts == {}
    _, parts = parse_response(b.get(f"/xapi/statements?statementId={owned['id']}"
                                    "&attachments=true"))
    assert parts == {sha2: content}


def test_a_statement_ref_brings_no_keys_from_another_organisation(
        two: tuple[LRS, LRS]) -> None:
    a, b = two
    target = statement(actor="bela", context={"registration": REG})
    b.post(target)
    ref = statement(actor="amal", object={"objectType": "StatementRef", "id": target["id"]})
    assert a.post(ref).status_code == 200
    assert a.ids(f"agent={q(LEARNER)}") == []
    assert a.ids(f"registration={REG}") == []
    assert a.ids(f"activity={q(statement()['object']['id'])}") == []
    # within an organisation the target's keys still apply (Communication 2.1.3)
    own = statement(actor="amal", object={"objectType": "StatementRef", "id": target["id"]})
    b.post(own)
    assert b.ids(f"agent={q(LEARNER)}") == [own["id"], target["id"]]


def test_statement_ids_are_unique_per_organisation(two: tuple[LRS, LRS]) -> None:
    a, b = two
    theirs = statement(actor="bela")
    assert b.post(theirs).status_code == 200
    # another statement under B's id is A's own, not a 409 revealing that the id exists
    mine = {**statement(actor="amal"), "id": theirs["id"]}
    assert a.post(mine).status_code == 200
    got = a.get(f"/xapi/statements?statementId={theirs['id']}").get_json()
    assert got["actor"] == mine["actor"]
    assert b.get(f"/xapi/statements?statementId={theirs['id']}").get_json()["actor"] == \
        theirs["actor"]
    # within one organisation an id still takes one statement (Communication 2.1.2)
    assert a.post({**mine, "actor": agent("other")}).status_code == 409
    assert a.post(mine).status_code == 200  # the same statement again: a no-op
    assert a.ids() == [theirs["id"]] and b.ids() == [theirs["id"]]


def test_an_identical_copy_of_another_organisations_statement_is_stored_as_its_own(
        two: tuple[LRS, LRS]) -> None:
    a, b = two
    theirs = statement(actor="bela")
    b.post(theirs)
    assert a.put(theirs, theirs["id"]).status_code == 204
    assert a.get(f"/xapi/statements?statementId={theirs['id']}").status_code == 200
    assert a.ids() == [theirs["id"]]


def test_a_platform_administrator_reads_by_id_across_organisations(
        two: tuple[LRS, LRS], lrs: LRS) -> None:
    a, b = two
    sid = statement()["id"]
    b.post({**statement(actor="bela"), "id": sid})
    a.post({**statement(actor="amal"), "id": sid})
    path = f"/xapi/statements?statementId={sid}"
    # none of its own: the earliest stored of any organisation
    assert lrs.get(path).get_json()["actor"] == agent("bela")
    lrs.post({**statement(actor="root"), "id": sid})
    assert lrs.get(path).get_json()["actor"] == agent("root")  # its own first
    assert sorted(s["actor"]["name"] for s in lrs.query()["statements"]) == [
        "amal", "bela", "root"]


def test_a_voiding_statement_that_voids_a_voiding_one_in_another_organisation(
        two: tuple[LRS, LRS]) -> None:
    """Data 2.3.2 looks at the target in the voiding organisation only: A's statement that
    shares an id with B's voiding statement is voided by A's voiding statement."""
    a, b = two
    sid = statement()["id"]
    b.post({**statement(verb="voided", object={"objectType": "StatementRef",
                                               "id": statement()["id"]}), "id": sid})
    a.post({**statement(actor="amal"), "id": sid})
    a.post(statement(verb=VERBS["voided"], object={"objectType": "StatementRef", "id": sid}))
    assert a.get(f"/xapi/statements?voidedStatementId={sid}").status_code == 200
