"""Contract of PassbookRepository (completions, evidence merged by source, withheld evidence,
acceptance, talent-search paging, clear), run over every adapter."""

from __future__ import annotations

from typing import Any

from storage.ports.passbook import PassbookRepository

AT = "2026-06-01T12:00:00.000000Z"
LATER = "2026-06-02T12:00:00.000000Z"


def ev(learner: str, competency: str, level: int, source: str = "item:c1",
       kind: str = "completion", org: str = "org_a", statement_id: str = "s1",
       withheld: bool = False, at: str = AT) -> dict[str, Any]:
    """One evidence row."""
    return {"org_id": org, "learner_id": learner, "competency": competency, "level": level,
            "kind": kind, "source": source, "item_id": source.removeprefix("item:"),
            "statement_id": statement_id, "at": at, "withheld": withheld}


def done(statement_id: str, learner: str = "l1", flagged: bool = False, org: str = "org_a"
         ) -> dict[str, Any]:
    """One completion row."""
    return {"org_id": org, "statement_id": statement_id, "learner_id": learner,
            "item_id": "c1", "kind": "completion", "at": AT, "registration": None,
            "seconds": 20 if flagged else 1200, "expected_seconds": 1200, "flagged": flagged,
            "accepted": None}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.passbook, PassbookRepository)


def test_dedupe_by_source_keeps_the_strongest(store: Any) -> None:
    repo = store.passbook
    repo.record([], [ev("l1", "comp_a", 2, statement_id="s1", at=LATER)])
    # a second completion of the same item: one row, the earlier at the same level and kind
    repo.record([], [ev("l1", "comp_a", 2, statement_id="s2", at=AT)])
    # a pass of it is a stronger kind; a weaker level from the same source loses
    repo.record([], [ev("l1", "comp_a", 2, kind="pass", statement_id="s3", at=LATER),
                     ev("l1", "comp_a", 1, kind="pass", statement_id="s4")])
    rows = repo.evidence("org_a", "l1")
    assert [(r["source"], r["kind"], r["level"], r["statement_id"]) for r in rows] == [
        ("item:c1", "pass", 2, "s3")]
    # a higher level wins over a stronger kind; another source is a row of its own
    repo.record([], [ev("l1", "comp_a", 3, statement_id="s5"),
                     ev("l1", "comp_a", 1, source="certificate:x", kind="certificate")])
    rows = repo.evidence("org_a", "l1")
    assert [(r["source"], r["kind"], r["level"]) for r in rows] == [
        ("certificate:x", "certificate", 1), ("item:c1", "completion", 3)]
    # in one batch too, and not withheld beats withheld at the same level and kind
    repo.record([], [ev("l2", "comp_a", 2, statement_id="w", withheld=True),
                     ev("l2", "comp_a", 2, statement_id="ok", at=LATER)])
    assert [r["statement_id"] for r in repo.evidence("org_a", "l2")] == ["ok"]


def test_withheld_and_self_declared_are_not_held(store: Any) -> None:
    repo = store.passbook
    repo.record([done("s1", flagged=True)],
                [ev("l1", "comp_a", 3, statement_id="s1", withheld=True),
                 ev("l1", "comp_b", 4, source="self", kind="self-declared", statement_id="d"),
                 ev("l1", "comp_c", 2, source="certificate:z", kind="certificate",
                    statement_id="z"),
                 ev("l2", "comp_a", 1, statement_id="s9")])
    assert repo.held_levels("org_a") == {"l1": {"comp_c": 2}, "l2": {"comp_a": 1}}
    assert repo.held_levels("org_a", ["l1"]) == {"l1": {"comp_c": 2}}
    assert repo.held_levels("org_a", []) == {}
    assert repo.holders("org_a", "comp_a", 1) == [
        {"org_id": "org_a", "learner_id": "l2", "level": 1}]
    assert repo.holders("org_a", "comp_b", 1) == []
    assert len(repo.evidence("org_a", "l1")) == 3


def test_accept_releases_the_evidence_of_that_completion(store: Any) -> None:
    repo = store.passbook
    repo.record([done("s1", flagged=True), done("s2"), done("s3", learner="l2", flagged=True)],
                [ev("l1", "comp_a", 3, statement_id="s1", withheld=True),
                 ev("l1", "comp_b", 2, statement_id="s1", withheld=True),
                 ev("l2", "comp_a", 3, statement_id="s3", withheld=True)])
    assert [c["statement_id"] for c in repo.flagged("org_a")] == ["s1", "s3"]
    accepted = {"by": "key_rev", "at": LATER, "statement_id": "acc1"}
    assert repo.accept("org_a", "s1", accepted) is True
    assert repo.accept("org_a", "s1", accepted) is False  # already accepted
    assert repo.accept("org_a", "s2", accepted) is False  # not flagged
    assert repo.accept("org_b", "s3", accepted) is False  # another organisation's
    assert repo.accept("org_a", "missing", accepted) is False
    assert repo.held_levels("org_a") == {"l1": {"comp_a": 3, "comp_b": 2}}
    assert repo.completion("org_a", "s1")["accepted"] == accepted
    assert repo.completion("org_a", "s2")["flagged"] is False
    assert repo.completion("org_b", "s1") is None
    assert [c["statement_id"] for c in repo.flagged("org_a")] == ["s3"]
    assert [c["statement_id"] for c in repo.flagged("org_a", pending_only=False)] == [
        "s1", "s3"]
    assert [c["statement_id"] for c in repo.flagged("org_a", False, after="s1")] == ["s3"]
    assert [c["statement_id"] for c in repo.flagged("org_a", False, limit=1)] == ["s1"]
    assert all(not r["withheld"] for r in repo.evidence("org_a", "l1"))


def test_holders_page_across_organisations(store: Any) -> None:
    repo = store.passbook
    rows = [ev(f"l{n}", "comp_a", 1 + n % 3, org=org, statement_id=f"{org}{n}")
            for org in ("org_a", "org_b") for n in range(5)]
    rows.append(ev("l0", "comp_a", 3, source="certificate:c", kind="certificate"))
    repo.record([], rows)
    every = repo.holders(None, "comp_a", 2)
    assert [(h["org_id"], h["learner_id"], h["level"]) for h in every] == [
        ("org_a", "l0", 3), ("org_a", "l1", 2), ("org_a", "l2", 3), ("org_a", "l4", 2),
        ("org_b", "l1", 2), ("org_b", "l2", 3), ("org_b", "l4", 2)]
    pages, after = [], None
    while True:
        page = repo.holders(None, "comp_a", 2, after=after, limit=3)
        if not page:
            break
        pages.append(page)
        after = (page[-1]["org_id"], page[-1]["learner_id"])
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [h for p in pages for h in p] == every
    assert [h["learner_id"] for h in repo.holders("org_b", "comp_a", 3)] == ["l2"]
    assert repo.holders("org_a", "comp_zzz", 1) == []


def test_completion_rows_are_replaced_by_statement_id(store: Any) -> None:
    repo = store.passbook
    repo.record([done("s1", flagged=True)], [])
    repo.record([done("s1")], [])
    assert repo.completion("org_a", "s1")["flagged"] is False
    assert repo.flagged("org_a") == []


def test_clear_one_organisation_or_all(store: Any) -> None:
    repo = store.passbook
    repo.record([done("s1", flagged=True), done("s2", org="org_b", flagged=True)],
                [ev("l1", "comp_a", 2), ev("l1", "comp_a", 2, org="org_b")])
    repo.clear("org_a")
    assert repo.evidence("org_a", "l1") == [] and repo.flagged("org_a") == []
    assert repo.held_levels("org_b") == {"l1": {"comp_a": 2}}
    repo.clear()
    assert repo.held_levels("org_b") == {} and repo.flagged("org_b") == []
    assert repo.completion("org_b", "s2") is None


def test_record_joins_the_callers_write(store: Any) -> None:
    def batch() -> None:
        store.passbook.record([done("s1")], [ev("l1", "comp_a", 2)])

    store.write(batch)
    assert store.passbook.held_levels("org_a") == {"l1": {"comp_a": 2}}


def test_forget_drops_what_a_voided_statement_earned(store: Any) -> None:
    repo = store.passbook
    repo.record([done("s1"), done("s2")],
                [ev("l1", "comp_a", 3, statement_id="s1"), ev("l1", "comp_b", 2,
                                                            statement_id="s1"),
                 ev("l1", "comp_c", 1, source="certificate:x", kind="certificate",
                    statement_id="c1"),
                 ev("l1", "comp_a", 2, source="item:c2", statement_id="s2")])
    dropped = repo.forget("org_a", "s1")
    assert [(d.get("competency"), d["statement_id"]) for d in dropped] == [
        (None, "s1"), ("comp_a", "s1"), ("comp_b", "s1")]
    assert repo.completion("org_a", "s1") is None
    assert repo.held_levels("org_a") == {"l1": {"comp_a": 2, "comp_c": 1}}
    assert [d["source"] for d in repo.forget("org_a", "c1")] == ["certificate:x"]
    assert repo.forget("org_a", "c1") == [] and repo.forget("org_b", "s2") == []
    assert repo.completion("org_a", "s2") is not None
