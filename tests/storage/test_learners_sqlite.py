"""SQLite specifics of the learner record: a database written before issue 13 (plans schema
version 1) gains the filters' expression indexes when it is opened, and the filtered pages
use them."""

from __future__ import annotations

from storage import open_store
from tests.storage.test_learners_contract import record


def test_an_old_database_gains_the_filter_indexes_and_pages_use_them(sqlite_url: str) -> None:
    old = open_store(sqlite_url)
    old.department_learners.put(record("u1", position="pos-1"))
    conn = old.connection()
    # As a hub of issue 11 left it: version 1, without the indexes.
    conn.execute("DROP INDEX department_learners_designation")
    conn.execute("DROP INDEX department_learners_position")
    conn.execute("UPDATE schema_migrations SET version = 1 WHERE module = 'storage.sqlite.plans'")
    conn.commit()
    old.close()
    store = open_store(sqlite_url)
    try:
        assert [r["learner_id"] for r in store.department_learners.page(
            "dept_a", 10, position="pos-1")] == ["u1"]
        for column, index in (("designation", "department_learners_designation"),
                              ("position", "department_learners_position")):
            plan = store.connection().execute(
                "EXPLAIN QUERY PLAN SELECT doc FROM department_learners WHERE org_id = ? AND "
                f"json_extract(doc, '$.{column}') = ? ORDER BY learner_id LIMIT 10",
                ("dept_a", "x")).fetchall()
            assert any(index in str(row) for row in plan), plan
    finally:
        store.close()
