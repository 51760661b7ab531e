"""``GET /learners/{learner_id}/recommendations`` (issue 13 "Recommendations") on both store
adapters: gaps from the learner's roles and passbook, mandated items first with due dates,
ranked courses and programs with the gaps they close and why, and an index that follows the
catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from tests.marketplace.plan_support import Department
from tests.marketplace.recommend_support import give, publish, put_learner, store_of
from tests.role_support import competency


@pytest.fixture
def dept(app: Any, tenants: Any, client: Any) -> Department:
    """A department whose learner l1 (POS-1: ROLE-1 and ROLE-2; needs COMSUBTHEME-1 at 4,
    -2 at 2, -3 at 1, -4 at 2) holds COMSUBTHEME-1 at 2 and -3 at 1, reads Hindi, and a
    catalogue around those gaps."""
    store = store_of(app)
    department = Department(tenants, client)
    put_learner(store, department.org_id, "l1", languages=["hi-IN"])
    give(store, department.org_id, "l1", 1, 2)
    give(store, department.org_id, "l1", 3, 1)
    give(store, department.org_id, "l1", 2, 3, kind="self-declared", source="self")  # not held
    publish(store, "crs_c1_l4_hi", {1: 4}, languages=["hi"])
    publish(store, "crs_c1_l5_en", {1: 5}, languages=["en"])
    publish(store, "crs_c1_l3_hi", {1: 3}, languages=["hi"])  # narrows
    publish(store, "crs_c1_l2", {1: 2}, languages=["hi"])  # the held level: no use
    publish(store, "crs_c3_l3", {3: 3}, languages=["hi"])  # not a gap
    publish(store, "crs_c2_c4", {2: 2, 4: 2}, languages=["en"])  # closes two gaps
    publish(store, "crs_draft", {1: 4}, state="draft")
    publish(store, "crs_quiz", {1: 4}, category="assessment")
    publish(store, "crs_mandated", {7: 1})
    return department


def get(client: Any, who: Any, path: str, status: int = 200) -> Any:
    res = client.get(path, headers=who["headers"])
    assert res.status_code == status, res.get_data(as_text=True)
    return res.get_json()


def test_gaps_mandated_first_then_ranked_with_why(dept: Department, client: Any) -> None:
    dept.plan(["crs_mandated"], due_date="2027-01-31")
    body = get(client, dept.curator, "/learners/l1/recommendations?lang=en")
    assert [g["competency"]["code"] for g in body["gaps"]] == [
        "COMSUBTHEME-1", "COMSUBTHEME-2", "COMSUBTHEME-4"]
    assert [(g["required"], g["held"]) for g in body["gaps"]] == [(4, 2), (2, 0), (2, 0)]
    assert [r["code"] for r in body["roles"]] == ["ROLE-1", "ROLE-2"]
    assert body["position"]["code"] == "POS-1"
    items = body["recommendations"]
    assert [i["item_id"] for i in items] == [
        "crs_mandated", "crs_c2_c4", "crs_c1_l4_hi", "crs_c1_l5_en", "crs_c1_l3_hi"]
    assert [i["rank"] for i in items] == [1, 2, 3, 4, 5]
    mandated = items[0]["mandated"]
    assert mandated["due_date"] == "2027-01-31" and mandated["state"] == "not-started"
    assert "due 2027-01-31" in items[0]["why"]["text"] and items[0]["closes"] == []
    assert items[1]["mandated"] is None
    assert {(c["competency"]["code"], c["effect"]) for c in items[1]["closes"]} == {
        ("COMSUBTHEME-2", "closes"), ("COMSUBTHEME-4", "closes")}
    why = items[2]["why"]
    assert set(why["parts"]) == {"gap", "language", "rating", "duration", "mode"}
    assert why["score"] == pytest.approx(sum(why["parts"].values()), abs=1e-3)
    assert why["parts"]["language"] > items[3]["why"]["parts"]["language"]
    assert "closes the gap in Competency 1 (held 2, needed 4) at level 4" in why["text"]
    assert items[4]["closes"][0]["effect"] == "narrows"
    assert items[2]["url"] == "http://hub.test/catalogue/courses/crs_c1_l4_hi"


def test_why_in_the_request_language_and_limit(dept: Department, client: Any) -> None:
    body = get(client, dept.curator, "/learners/l1/recommendations?lang=hi&limit=2")
    assert len(body["recommendations"]) == 2
    first = body["recommendations"][0]
    assert first["why"]["lang"] == "hi" and "अंतर" in first["why"]["text"]
    assert first["why"]["text"].endswith("स्व-गति से")
    assert body["gaps"][0]["competency"]["name"] == "Competency 1 (हिन्दी)"
    # Accept-Language when there is no ?lang (RFC 9110 §12.5.4); English otherwise
    res = client.get("/learners/l1/recommendations", headers={
        **dept.curator["headers"], "Accept-Language": "hi-IN, en;q=0.5"})
    assert res.get_json()["recommendations"][0]["why"]["lang"] == "hi"
    english = get(client, dept.curator, "/learners/l1/recommendations?lang=ta")
    assert english["recommendations"][0]["why"]["lang"] == "en"
    assert english["recommendations"][0]["why"]["text"].endswith("self-paced")


def test_a_completed_mandated_item_is_not_listed(dept: Department, client: Any) -> None:
    dept.plan(["crs_mandated", "crs_c1_l5_en"])
    dept.statement("l1", "completed", "crs_mandated")
    items = get(client, dept.curator, "/learners/l1/recommendations")["recommendations"]
    assert [i["item_id"] for i in items[:1]] == ["crs_c1_l5_en"]
    assert items[0]["mandated"] is not None and items[0]["closes"][0]["level"] == 5
    assert "crs_mandated" not in {i["item_id"] for i in items}
    assert [i["item_id"] for i in items].count("crs_c1_l5_en") == 1


def test_the_index_follows_publication_and_retirement(app: Any, dept: Department,
                                                      client: Any) -> None:
    store = app.extensions["hub.store"]
    before = get(client, dept.curator, "/learners/l1/recommendations")["recommendations"]
    assert "crs_new" not in {i["item_id"] for i in before}
    publish(store, "crs_new", {1: 4, 2: 2, 4: 2}, languages=["hi"])  # closes all three
    after = get(client, dept.curator, "/learners/l1/recommendations")["recommendations"]
    assert after[0]["item_id"] == "crs_new"
    current = store.courses.get("crs_new")
    store.courses.replace({**current, "state": "retired", "live": None},
                          current["row_version"])
    again = get(client, dept.curator, "/learners/l1/recommendations")["recommendations"]
    assert "crs_new" not in {i["item_id"] for i in again}


def test_held_levels_close_gaps(app: Any, dept: Department, client: Any) -> None:
    store = app.extensions["hub.store"]
    for number, level in ((1, 4), (2, 2), (4, 3)):
        give(store, dept.org_id, "l1", number, level, source=f"external:x{number}",
             kind="external")
    body = get(client, dept.curator, "/learners/l1/recommendations")
    assert body["gaps"] == [] and body["recommendations"] == []


def test_withheld_evidence_is_not_held(app: Any, dept: Department, client: Any) -> None:
    store = app.extensions["hub.store"]
    give(store, dept.org_id, "l1", 2, 2, source="item:crs_fast", withheld=True)
    gaps = get(client, dept.curator, "/learners/l1/recommendations")["gaps"]
    assert ("COMSUBTHEME-2", 0) in {(g["competency"]["code"], g["held"]) for g in gaps}


def test_a_learner_without_position_has_no_gaps(app: Any, dept: Department,
                                                client: Any) -> None:
    put_learner(app.extensions["hub.store"], dept.org_id, "l2", position=None)
    body = get(client, dept.curator, "/learners/l2/recommendations")
    assert body["position"] is None and body["roles"] == [] and body["gaps"] == []


def test_who_sees_recommendations(app: Any, dept: Department, tenants: Any,
                                  client: Any) -> None:
    other = tenants.make("Other Dept", "department", ("curator",))
    get(client, other, "/learners/l1/recommendations", 404)
    get(client, other, f"/learners/l1/recommendations?org={dept.org_id}", 404)
    get(client, dept.curator, "/learners/nobody/recommendations", 404)
    get(client, dept.writer, "/learners/l1/recommendations", 403)
    admin = tenants.make("Platform", "platform-admin", ("admin",))
    body = get(client, admin, f"/learners/l1/recommendations?org={dept.org_id}")
    assert body["learner_id"] == "l1" and body["gaps"]
    res = client.get("/learners/l1/recommendations")
    assert res.status_code == 401


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "lang=%20"])
def test_bad_arguments_are_400(dept: Department, client: Any, query: str) -> None:
    res = client.get(f"/learners/l1/recommendations?{query}", headers=dept.curator["headers"])
    assert res.status_code == 400 and res.mimetype == "application/problem+json"


def test_competency_ids_of_gaps(dept: Department, client: Any) -> None:
    body = get(client, dept.curator, "/learners/l1/recommendations")
    assert body["gaps"][0]["competency"]["id"] == competency(1)


def test_programs_are_recommended_with_their_page(app: Any, dept: Department,
                                                  client: Any) -> None:
    publish(app.extensions["hub.store"], "prg_path", {4: 2}, category="program",
            languages=["hi"])
    items = get(client, dept.curator, "/learners/l1/recommendations")["recommendations"]
    program = next(i for i in items if i["item_id"] == "prg_path")
    assert program["category"] == "program"
    assert program["url"] == "http://hub.test/catalogue/programs/prg_path"
    assert [c["competency"]["code"] for c in program["closes"]] == ["COMSUBTHEME-4"]
