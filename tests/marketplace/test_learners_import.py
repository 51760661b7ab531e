"""Bulk import of learner records from an HR export (issue 13): ``POST /learners/import``
(text/csv) and ``hub learners import FILE --org ORG``, on every store adapter. Good rows are
imported, bad rows reported by row, field and message; a hostile file is a 4xx or a row
error, never a 500."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.frac_support import node_id
from tests.marketplace.plan_support import Department

CSV = {"Content-Type": "text/csv"}

GOOD_AND_BAD = (
    "learner_id,name,designation,position,languages,home_page\r\n"
    "u-1,Asha Rao,Under Secretary,POS-1,hi;en-IN,\r\n"
    "u-2,Ravi Kumar,Director,,ta,https://hr.example.gov.in\r\n"
    "u-3,,Director,,,\r\n"  # row 3: no name
    "u-4,Meena,Director,ROLE-1,hi,\r\n"  # row 4: a role is not a position
    "u-5,Arun,Director,,hi;xx-INVALID,\r\n"  # row 5: a bad language
    "u|6,Bad Id,Director,,,\r\n"  # row 6: an id that cannot name an agent
    "\r\n"
    "u-1,Asha again,Director,,,\r\n"  # row 7: u-1 given twice
    "u-8,Too,many,,,,extra\r\n"  # row 8: more cells than columns
)


@pytest.fixture
def dept(tenants: Any, client: Any, tag_framework: Any) -> Department:
    return Department(tenants, client)


def post(dept: Department, data: str | bytes, status: int = 200, query: str = "",
         headers: dict[str, str] | None = None) -> Any:
    res = dept.client.post("/learners/import" + query, data=data,
                           headers={**dept.curator["headers"], **(headers or CSV)})
    assert res.status_code == status, (res.status_code, res.get_data(as_text=True))
    return res.get_json()


def problems(report: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["row"], e["field"]) for e in report["errors"]]


def test_good_rows_are_imported_bad_rows_reported(dept: Department) -> None:
    report = post(dept, GOOD_AND_BAD)
    assert problems(report) == [(3, "name"), (4, "position"), (5, "languages.1"),
                                (6, "learner_id"), (7, "learner_id"), (8, "_row")]
    assert report["errors"][0]["line"] == 4  # the header is line 1
    assert report["errors"][4]["line"] == 9  # after the blank line
    assert "row 1" in report["errors"][4]["message"]
    assert (report["rows"], report["imported"], report["created"], report["updated"],
            report["rejected"], report["dry_run"]) == (8, 2, 2, 0, 6, False)
    asha = dept.call("GET", "/learners/u-1", 200)
    assert (asha["name"], asha["position"], asha["languages"], asha["source"],
            asha["home_page"]) == ("Asha Rao", node_id("POS-1"), ["hi", "en-IN"], "import",
                                   "http://hub.test")
    assert dept.call("GET", "/learners/u-2", 200)["home_page"] == "https://hr.example.gov.in"
    dept.call("GET", "/learners/u-3", 404)
    # A second import of the same export replaces the records it names.
    again = post(dept, "learner_id,name\nu-1,Asha R.\n")
    assert (again["created"], again["updated"]) == (0, 1)
    assert dept.call("GET", "/learners/u-1", 200)["name"] == "Asha R."


def test_dry_run_checks_and_writes_nothing(dept: Department) -> None:
    report = post(dept, GOOD_AND_BAD, query="?dry_run=true")
    assert (report["imported"], report["created"], report["rejected"], report["dry_run"]) == (
        0, 2, 6, True)
    assert dept.call("GET", "/learners", 200)["learners"] == []


@pytest.mark.parametrize(("data", "field"), [
    ("learner_id,name\nu-1,Asha\n".encode("utf-16"), "file"),
    (b"learner_id,name\nu-1,R\xe9mi\n", "file"),  # latin-1, not UTF-8
    (b"", "header"),
    (b"u-1,Asha Rao,Director\n", "header"),  # no header line
    (b"learner_id,name,salary\nu-1,A,10\n", "header"),
    (b"learner_id,name,name\nu-1,A,B\n", "header"),
])
def test_a_file_that_is_not_such_a_csv_is_400(dept: Department, data: bytes,
                                              field: str) -> None:
    assert field in post(dept, data, 400)["errors"]
    assert dept.call("GET", "/learners", 200)["learners"] == []


def test_hostile_cells_are_row_errors(dept: Department) -> None:
    huge = "x" * 200_000  # over the CSV reader's cell limit
    data = (f"learner_id,name\nu-1,Asha\nu-2,{huge}\nu-3,After\n"
            f"u-4,{'y' * 400}\nu-5,Nul\x00name\n")
    report = post(dept, data)
    assert (2, "_row") in problems(report)
    assert dept.call("GET", "/learners/u-1", 200)
    # Under the reader's limit, the schema's limits and one-line rule name the cell.
    small = post(dept, f"learner_id,name\nu-4,{'y' * 400}\nu-5,\"Two\nlines\"\nu-6,Ok\n")
    assert problems(small) == [(1, "name"), (2, "name")]
    assert small["imported"] == 1


def test_formula_cells_are_kept_as_text_and_neutralised_on_the_way_out(
        dept: Department, cast: Any) -> None:
    # OWASP "CSV injection": a name a spreadsheet would run is data here, and every CSV the
    # hub writes (the plan's overdue report) prefixes it so that it stays text.
    post(dept, 'learner_id,name,designation\nu-1,"=HYPERLINK(""http://x"",""y"")",+Director\n')
    assert dept.call("GET", "/learners/u-1", 200)["name"].startswith("=HYPERLINK")
    course = cast.publish()
    dept.plan([course["id"]], due_date="2020-01-31")
    res = dept.client.get("/plans/overdue.csv", headers=dept.curator["headers"])
    [row] = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    assert row["name"].startswith("'=HYPERLINK") and row["designation"] == "'+Director"


def test_wrong_media_type_and_roles(dept: Department, tenants: Any, client: Any) -> None:
    assert post(dept, b'{"a": 1}', 415, headers={"Content-Type": "application/json"})
    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    res = client.post("/learners/import", data="learner_id,name\nu,A\n",
                      headers={**reader["headers"], **CSV})
    assert res.status_code == 403


def test_cli_imports_with_a_progress_bar_and_exits_1_on_bad_rows(
        dept: Department, runner: Any, tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(("\ufeff" + GOOD_AND_BAD).encode())  # a spreadsheet's BOM
    dry = runner.invoke(args=["learners", "import", str(path), "--org", dept.org_id,
                              "--dry-run"])
    assert dry.exit_code == 1, dry.output
    assert dept.call("GET", "/learners", 200)["learners"] == []
    result = runner.invoke(args=["learners", "import", str(path), "--org", "Revenue Dept"])
    assert result.exit_code == 1, result.output
    assert "import: 100%" in result.stderr and "8/8" in result.stderr
    assert "row 3 (line 4) name:" in result.stderr
    assert '"imported": 2' in result.stdout
    assert len(dept.call("GET", "/learners", 200)["learners"]) == 2
    good = tmp_path / "good.csv"
    good.write_text("learner_id,name,languages\nu-9,Nine,hi\n")
    ok = runner.invoke(args=["learners", "import", str(good), "--org", dept.org_id])
    assert ok.exit_code == 0, ok.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    assert runner.invoke(args=["learners", "import", str(bad), "--org", dept.org_id]
                         ).exit_code == 2
    assert runner.invoke(args=["learners", "import", str(good), "--org", "nowhere"]
                         ).exit_code == 2


def test_a_file_of_bad_rows_gives_a_bounded_report(dept: Department) -> None:
    from marketplace.learner_import import MAX_ERRORS

    data = "learner_id,name\n" + "".join(f"u-{n},\n" for n in range(MAX_ERRORS + 5))
    report = post(dept, data)
    assert report["rejected"] == MAX_ERRORS + 5
    assert len(report["errors"]) == MAX_ERRORS and report["errors_truncated"] is True
