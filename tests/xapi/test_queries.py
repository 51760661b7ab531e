"""GET /xapi/statements queries (Communication 2.1.3): every filter, paging, formats."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest

from tests.xapi.conftest import LRS, VERBS, agent, q, statement

COURSE = "http://example.org/course/1"
OTHER = "http://example.org/course/2"
REG = "6f0e8a4c-8a3c-4b1e-9b1e-2d5b8f3c1a77"


@pytest.fixture
def seeded(lrs: LRS) -> dict[str, Any]:
    """A small, varied set of statements."""
    group = {"objectType": "Group", "name": "team",
             "member": [agent("ravi"), agent("meena")]}
    s = {
        "plain": statement("asha", "attempted", COURSE),
        "completed": statement("asha", "completed", OTHER),
        "ravi": statement("ravi", "attempted", OTHER, context={
            "registration": REG,
            "instructor": agent("guru"),
            "contextActivities": {"parent": [{"id": COURSE}]},
        }),
        "group": dict(statement("x", "attempted", OTHER), actor=group),
        "about_agent": dict(statement("boss", "attempted"), object=agent("asha")),
        "sub": dict(statement("kiran", "attempted"), object={
            "objectType": "SubStatement", "actor": agent("lata"),
            "verb": {"id": VERBS["completed"]},
            "object": {"objectType": "Activity", "id": "http://example.org/sub"},
        }),
    }
    for stmt in s.values():  # one by one so stored order is insertion order
        assert lrs.post(stmt).status_code == 200
    return s


def test_default_is_newest_first_with_empty_more(lrs: LRS, seeded: dict[str, Any]) -> None:
    result = lrs.query()
    assert [x["id"] for x in result["statements"]] == [s["id"] for s in seeded.values()][::-1]
    assert result["more"] == ""


def test_ascending(lrs: LRS, seeded: dict[str, Any]) -> None:
    assert lrs.ids("ascending=true") == [s["id"] for s in seeded.values()]


def test_verb(lrs: LRS, seeded: dict[str, Any]) -> None:
    assert lrs.ids(f"verb={quote(VERBS['completed'], safe='')}") == [seeded["completed"]["id"]]


def test_activity_and_related_activities(lrs: LRS, seeded: dict[str, Any]) -> None:
    assert lrs.ids(f"activity={q(COURSE)}") == [seeded["plain"]["id"]]
    related = set(lrs.ids(f"activity={q(COURSE)}&related_activities=true"))
    assert related == {seeded["plain"]["id"], seeded["ravi"]["id"]}
    assert lrs.ids(f"activity={q('http://example.org/sub')}") == []
    assert lrs.ids(f"activity={q('http://example.org/sub')}&related_activities=true") == [
        seeded["sub"]["id"]]


def test_agent_actor_object_and_group_members(lrs: LRS, seeded: dict[str, Any]) -> None:
    asha = set(lrs.ids(f"agent={q(agent('asha'))}"))
    assert asha == {seeded["plain"]["id"], seeded["completed"]["id"],
                    seeded["about_agent"]["id"]}
    # Communication 2.1.3: a Group whose members match the agent matches
    assert set(lrs.ids(f"agent={q(agent('meena'))}")) == {seeded["group"]["id"]}


def test_related_agents(lrs: LRS, seeded: dict[str, Any]) -> None:
    assert lrs.ids(f"agent={q(agent('guru'))}") == []
    assert lrs.ids(f"agent={q(agent('guru'))}&related_agents=true") == [seeded["ravi"]["id"]]
    assert lrs.ids(f"agent={q(agent('lata'))}&related_agents=true") == [seeded["sub"]["id"]]


def test_registration(lrs: LRS, seeded: dict[str, Any]) -> None:
    assert lrs.ids(f"registration={REG}") == [seeded["ravi"]["id"]]
    assert lrs.ids(f"registration={REG.upper()}") == [seeded["ravi"]["id"]]


def test_filters_combine(lrs: LRS, seeded: dict[str, Any]) -> None:
    params = f"agent={q(agent('asha'))}&verb={q(VERBS['attempted'])}&activity={q(COURSE)}"
    assert lrs.ids(params) == [seeded["plain"]["id"]]


def test_since_and_until(lrs: LRS) -> None:
    first = statement()
    lrs.post(first)
    stored_first = lrs.get(f"/xapi/statements?statementId={first['id']}").get_json()["stored"]
    time.sleep(0.01)
    second = statement()
    lrs.post(second)
    assert lrs.ids(f"since={q(stored_first)}") == [second["id"]]
    assert lrs.ids(f"until={q(stored_first)}") == [first["id"]]
    # a time zone offset is the same instant
    assert lrs.ids("since=2000-01-01T05:30:00%2B05:30") == [second["id"], first["id"]]


def test_limit_and_more_walks_every_page_once(lrs: LRS) -> None:
    batch = [statement(actor=f"p{i}") for i in range(7)]
    lrs.post(batch)
    seen: list[str] = []
    result = lrs.query("limit=3&ascending=true")
    while True:
        seen += [s["id"] for s in result["statements"]]
        if not result["more"]:
            break
        assert result["more"].startswith("/xapi/statements?")
        lrs.post(statement(actor="late"))  # more stays consistent while others write
        result = lrs.query(result["more"].split("?", 1)[1])
    # pages after the first see the store as it was when the walk began
    assert seen == [s["id"] for s in batch]


def test_statement_ref_matches_its_target_filters(lrs: LRS) -> None:
    """Communication 2.1.3 Filter Conditions for StatementRefs (also for voiding)."""
    target = statement("asha", "attempted", "http://example.org/ref-target")
    ref = dict(statement("boss", "completed"),
               object={"objectType": "StatementRef", "id": target["id"]})
    lrs.post(target)
    lrs.post(ref)
    ids = lrs.ids(f"activity={q('http://example.org/ref-target')}")
    assert ids == [ref["id"], target["id"]]
    voiding = statement(verb="voided", object={"objectType": "StatementRef",
                                               "id": target["id"]})
    lrs.post(voiding)
    ids = lrs.ids(f"activity={q('http://example.org/ref-target')}")
    assert ids == [voiding["id"], ref["id"]]


def test_format_ids_and_canonical(lrs: LRS) -> None:
    stmt = statement("asha", "attempted", "http://example.org/lang")
    stmt["verb"]["display"] = {"en-US": "attempted", "hi-IN": "प्रयास किया"}
    stmt["object"]["definition"] = {"name": {"en-US": "Course", "hi-IN": "पाठ्यक्रम"}}
    lrs.post(stmt)
    later = statement("asha", "attempted", "http://example.org/lang")
    later["object"]["definition"] = {"description": {"en-US": "Longer"}}
    lrs.post(later)
    ids_form = lrs.query(f"format=ids&verb={q(VERBS['attempted'])}")["statements"][-1]
    assert ids_form["actor"] == {"objectType": "Agent", "mbox": agent("asha")["mbox"]}
    assert ids_form["object"] == {"id": "http://example.org/lang"}
    assert ids_form["verb"] == {"id": VERBS["attempted"]}
    resp = lrs.get(f"/xapi/statements?statementId={stmt['id']}&format=canonical",
                   headers={"Accept-Language": "hi-IN, en;q=0.5"})
    canon = resp.get_json()
    assert canon["verb"]["display"] == {"hi-IN": "प्रयास किया"}
    assert canon["object"]["definition"]["name"] == {"hi-IN": "पाठ्यक्रम"}
    assert canon["object"]["definition"]["description"] == {"en-US": "Longer"}
    exact = lrs.get(f"/xapi/statements?statementId={stmt['id']}",
                    headers={"Accept-Language": "hi-IN"}).get_json()
    assert exact["verb"]["display"] == stmt["verb"]["display"]


@pytest.mark.parametrize("params", [
    "verb=not-an-iri", "registration=nope", "agent=%7B%7D", "agent=notjson",
    "since=yesterday", "limit=-1", "format=pretty", "ascending=maybe", "Verb=x",
    "unknown=1",
])
def test_bad_parameters_are_400(lrs: LRS, params: str) -> None:
    resp = lrs.get("/xapi/statements?" + params)
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"


def test_empty_result(lrs: LRS) -> None:
    assert lrs.query(f"verb={q('http://example.org/none')}") == {"statements": [],
                                                                   "more": ""}


@pytest.mark.parametrize("ascending", ["false", "true"])
def test_related_query_pages_across_direct_and_related_matches(lrs: LRS,
                                                               ascending: str) -> None:
    """Related filters match direct and related positions; pages interleave both in order."""
    made = []
    for i in range(4):
        if i % 2:
            stmt = statement(f"p{i}", "attempted", COURSE)
        else:
            stmt = statement(f"p{i}", "attempted", OTHER,
                             context={"contextActivities": {"grouping": [{"id": COURSE}]}})
        lrs.post(stmt)
        made.append(stmt["id"])
    seen: list[str] = []
    result = lrs.query(f"activity={q(COURSE)}&related_activities=true&limit=1"
                       f"&ascending={ascending}")
    while True:
        seen += [s["id"] for s in result["statements"]]
        if not result["more"]:
            break
        result = lrs.query(result["more"].split("?", 1)[1])
    assert seen == (made if ascending == "true" else made[::-1])


def test_xapi_2_context_agents_match_related_agents(lrs: LRS) -> None:
    """xAPI 2.0 contextAgents/contextGroups count as related agents."""
    stmt = statement("asha", "attempted", COURSE, version="2.0.0", context={
        "contextAgents": [{"objectType": "contextAgent", "agent": agent("mentor")}],
    })
    assert lrs.post(stmt).status_code == 400  # a 1.0.3 request cannot use 2.0 properties
    resp = lrs.post(stmt, headers={"X-Experience-API-Version": "2.0.0"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert lrs.ids(f"agent={q(agent('mentor'))}") == []
    assert lrs.ids(f"agent={q(agent('mentor'))}&related_agents=true") == [stmt["id"]]
