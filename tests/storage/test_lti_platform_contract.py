"""Contract of PlatformContextRepository (contexts, members, line items, results, access tokens
of the platform side's LTI Advantage services), run over every adapter."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.lti_platform import PlatformContextRepository
from tests.storage.factories import timestamp

T1 = "2026-06-01T12:00:00.000000Z"
T2 = "2026-06-01T12:00:01.000000Z"
T3 = "2026-06-01T12:00:02.000000Z"


def context(tool_id: str = "tool_a", context_id: str = "ctx_1", **extra: Any) -> dict[str, Any]:
    """A context document."""
    return {"tool_id": tool_id, "context_id": context_id, "org_id": "org_lms",
            "course_id": "course_1", "title": "Course 1", "created_at": timestamp(), **extra}


def member(user_id: str, roles: list[str], tool_id: str = "tool_a",
           context_id: str = "ctx_1", **extra: Any) -> dict[str, Any]:
    """A member document."""
    return {"tool_id": tool_id, "context_id": context_id, "user_id": user_id, "roles": roles,
            "agent": {"account": {"homePage": "http://hub.test", "name": user_id}},
            "registration": "0d5e4f7e-5b1c-4d8e-9a3f-7a8d1c2b3e4f", "status": "Active",
            "updated_at": timestamp(), **extra}


def item(item_id: str, tool_id: str = "tool_a", context_id: str = "ctx_1",
         **extra: Any) -> dict[str, Any]:
    """A line item document."""
    return {"id": item_id, "tool_id": tool_id, "context_id": context_id, "org_id": "org_lms",
            "course_id": "course_1", "label": item_id, "score_maximum": 100,
            "created_at": timestamp(), "updated_at": timestamp(), **extra}


def result(item_id: str, user_id: str, at: str, given: float) -> dict[str, Any]:
    """A result document."""
    return {"line_item_id": item_id, "user_id": user_id, "timestamp": at, "score_given": given,
            "score_maximum": 100, "activity_progress": "Completed",
            "grading_progress": "FullyGraded", "updated_at": timestamp()}


LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.lti_contexts, PlatformContextRepository)


def test_ensure_context_inserts_once_and_keeps_the_first(store: Any) -> None:
    repo = store.lti_contexts
    first = repo.ensure_context(context(title="First"))
    again = repo.ensure_context(context(title="Second"))
    assert first["title"] == again["title"] == "First"
    assert repo.get_context("tool_a", "ctx_1")["org_id"] == "org_lms"
    assert repo.get_context("tool_b", "ctx_1") is None  # contexts are per tool
    repo.ensure_context(context("tool_b", title="B"))
    assert repo.get_context("tool_b", "ctx_1")["title"] == "B"


def test_racing_first_launches_make_one_context(store: Any) -> None:
    repo = store.lti_contexts
    seen: list[str] = []

    def launch(n: int) -> None:
        seen.append(repo.ensure_context(context(title=f"T{n}"))["title"])

    threads = [threading.Thread(target=launch, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1 and len(seen) == 6


def test_members_put_replace_page_and_filter_by_role(store: Any) -> None:
    repo = store.lti_contexts
    for uid in ("u3", "u1", "u2"):
        repo.put_member(member(uid, [LEARNER]))
    repo.put_member(member("u2", [LEARNER, INSTRUCTOR], name="Asha"))  # replaced
    repo.put_member(member("u9", [LEARNER], context_id="ctx_2"))
    repo.put_member(member("u8", [LEARNER], tool_id="tool_b"))
    assert repo.get_member("tool_a", "ctx_1", "u2")["name"] == "Asha"
    assert repo.get_member("tool_a", "ctx_1", "u2")["roles"] == [LEARNER, INSTRUCTOR]
    assert repo.get_member("tool_b", "ctx_1", "u2") is None
    assert [m["user_id"] for m in repo.members("tool_a", "ctx_1")] == ["u1", "u2", "u3"]
    assert [m["user_id"] for m in repo.members("tool_a", "ctx_1", limit=2)] == ["u1", "u2"]
    assert [m["user_id"] for m in repo.members("tool_a", "ctx_1", after="u2")] == ["u3"]
    assert [m["user_id"] for m in repo.members("tool_a", "ctx_1", role=INSTRUCTOR)] == ["u2"]
    assert repo.members("tool_a", "ctx_1", role="nobody") == []


def test_line_items_add_filter_page_update_and_delete_with_results(store: Any) -> None:
    repo = store.lti_contexts
    repo.add_line_item(item("li_b", resource_link_id="rl_1", resource_id="course_1",
                            tag="final"))
    repo.add_line_item(item("li_a", resource_link_id="rl_1", tag="quiz"))
    repo.add_line_item(item("li_c", resource_link_id="rl_2"))
    repo.add_line_item(item("li_x", tool_id="tool_b"))
    with pytest.raises(DuplicateKey):
        repo.add_line_item(item("li_a"))
    ids = [i["id"] for i in repo.line_items("tool_a", "ctx_1")]
    assert ids == ["li_a", "li_b", "li_c"]
    assert [i["id"] for i in repo.line_items("tool_a", "ctx_1", after="li_a", limit=1)] == [
        "li_b"]
    assert [i["id"] for i in repo.line_items("tool_a", "ctx_1", resource_link_id="rl_1")] == [
        "li_a", "li_b"]
    assert [i["id"] for i in repo.line_items("tool_a", "ctx_1", tag="final")] == ["li_b"]
    assert [i["id"] for i in repo.line_items("tool_a", "ctx_1",
                                             resource_id="course_1")] == ["li_b"]
    assert repo.get_line_item("tool_b", "ctx_1", "li_a") is None  # another tool's: absent
    assert repo.get_line_item("tool_a", "ctx_2", "li_a") is None
    updated = repo.update_line_item("tool_a", "ctx_1", "li_a",
                                    {"label": "Quiz 1", "tag": "final", "tool_id": "evil"})
    assert updated["label"] == "Quiz 1" and updated["tool_id"] == "tool_a"
    assert repo.get_line_item("tool_a", "ctx_1", "li_a")["label"] == "Quiz 1"
    assert [i["id"] for i in repo.line_items("tool_a", "ctx_1", tag="final")] == [
        "li_a", "li_b"]
    assert repo.update_line_item("tool_b", "ctx_1", "li_a", {"label": "x"}) is None
    assert repo.put_result(result("li_a", "u1", T1, 50)) is True
    assert repo.delete_line_item("tool_b", "ctx_1", "li_a") is False
    assert repo.delete_line_item("tool_a", "ctx_1", "li_a") is True
    assert repo.get_line_item("tool_a", "ctx_1", "li_a") is None
    assert repo.results("li_a") == []
    assert repo.delete_line_item("tool_a", "ctx_1", "li_a") is False


def test_put_result_keeps_the_latest_score_only(store: Any) -> None:
    repo = store.lti_contexts
    assert repo.put_result(result("li_1", "u1", T2, 60)) is True
    assert repo.put_result(result("li_1", "u1", T1, 10)) is False  # older: refused
    assert repo.put_result(result("li_1", "u1", T2, 70)) is False  # same instant: refused
    assert [r["score_given"] for r in repo.results("li_1")] == [60]
    assert repo.put_result(result("li_1", "u1", T3, 80)) is True
    assert repo.put_result(result("li_1", "u0", T1, 5)) is True
    assert repo.put_result(result("li_2", "u1", T1, 1)) is True
    got = repo.results("li_1")
    assert [(r["user_id"], r["score_given"], r["timestamp"]) for r in got] == [
        ("u0", 5, T1), ("u1", 80, T3)]
    assert [r["user_id"] for r in repo.results("li_1", user_id="u1")] == ["u1"]
    assert [r["user_id"] for r in repo.results("li_1", after="u0")] == ["u1"]
    assert [r["user_id"] for r in repo.results("li_1", limit=1)] == ["u0"]


def test_racing_scores_leave_the_latest(store: Any) -> None:
    repo = store.lti_contexts
    stamps = [f"2026-06-01T12:00:{n:02d}.000000Z" for n in range(8)]

    def post(at: str) -> None:
        repo.put_result(result("li_1", "u1", at, float(at[17:19])))

    threads = [threading.Thread(target=post, args=(at,)) for at in reversed(stamps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r["timestamp"] for r in repo.results("li_1")] == [stamps[-1]]


def test_tokens_add_get_and_purge(store: Any) -> None:
    repo = store.lti_contexts
    token = {"token_hash": "h1", "tool_id": "tool_a", "client_id": "c1",
             "scopes": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
             "expires_at": T2, "created_at": T1}
    repo.add_token(token)
    repo.add_token({**token, "token_hash": "h2", "expires_at": T3})
    with pytest.raises(DuplicateKey):
        repo.add_token(token)
    assert repo.get_token("h1") == token
    assert repo.get_token("nope") is None
    assert repo.purge_tokens(T2) == 0  # expires at T2: not before T2
    assert repo.purge_tokens(T3) == 1
    assert repo.get_token("h1") is None and repo.get_token("h2") is not None
