"""Hostile import cells: a rejected row naming its line and field, never a 500."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest

from tests.marketplace.conftest import Cast, course_body
from tests.marketplace.test_import import CSV_GOOD, CSV_HEADER

HUGE = "9" * 5000  # past Python's 4,300-digit int() limit
COLUMNS = CSV_HEADER.strip().split(",")


def _upload(client: Any, who: dict[str, Any], data: bytes, name: str) -> Any:
    return client.post("/courses/import", headers=who["headers"],
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("cell", ["C-1:" + HUGE, "C-1:²", HUGE])
def test_huge_or_odd_competency_level_is_a_rejected_row(cast: Cast, client: Any,
                                                        cell: str, tag_framework: Any) -> None:
    row = (f"Bad,,,,course,self-paced,beginner,PT1H,external,https://x.example.org,0,INR,"
           f"yes,{cell},en\n")
    res = _upload(client, cast.a, (CSV_HEADER + CSV_GOOD + row).encode(), "c.csv")
    assert res.status_code == 200, res.data[:300]
    assert (res.json["imported"], res.json["rejected"]) == (1, 1), res.json
    assert {(e["line"], e["field"].split(".")[0]) for e in res.json["errors"]} == {
        (4, "competencies")}


@pytest.mark.parametrize("column", COLUMNS)
def test_huge_number_in_any_csv_column_is_never_a_server_error(cast: Cast, client: Any,
                                                               column: str) -> None:
    header = ",".join(COLUMNS) + ",duration_minutes\n"
    cells = dict(zip(COLUMNS, ["T", "", "", "", "course", "self-paced", "beginner", "PT1H",
                               "external", "https://x.example.org", "0", "INR", "yes", "", "en"],
                     strict=True))
    cells[column] = HUGE
    res = _upload(client, cast.a, (header + ",".join(cells.values()) + f",{HUGE}\n").encode(),
                  "c.csv")
    assert res.status_code == 200, res.data[:300]
    assert res.json["rejected"] == 1 and res.json["errors"][0]["line"] == 2


def test_huge_numbers_in_jsonl_are_rejected_rows(cast: Cast, client: Any) -> None:
    body = orjson.dumps(course_body())[:-1] + b',"duration_minutes":' + HUGE.encode() + b"}\n"
    deep = b'{"title":' + b"[" * 5000 + b"]" * 5000 + b"}\n"
    res = _upload(client, cast.a, body + deep, "c.jsonl")
    assert res.status_code == 200, res.data[:300]
    assert res.json["rejected"] == 2
    assert [e["line"] for e in res.json["errors"]] == [1, 2]
