"""Bulk import from JSON Lines and CSV: good rows stored, bad rows reported by line and field,
no row ever stored in part; through the API, the CLI and the service."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from marketplace import importer
from tests.frac_support import node_id
from tests.marketplace.conftest import Cast, course_body

CSV_HEADER = ("title.en,title.hi,description.en,keywords,category,mode,level,duration,"
              "delivery.type,delivery.url,price.amount,price.currency,certificate_offered,"
              "competencies,languages\n")
CSV_GOOD = ('"RTI, in practice",सूचना का अधिकार,"Multi-line\ndescription",rti;law,course,'
            "self-paced,beginner,PT1H,external,https://x.example.org/rti,0,INR,yes,"
            "COMSUBTHEME-1:2;COMSUBTHEME-4:3,en;hi\n")
CSV_BAD = ("Bad one,,,,webinar,self-paced,beginner,P1Y,external,https://x.example.org,,,,"
           "C-1:9,\n")
CSV_GOOD2 = ("Ethics,नैतिकता,,,assessment,classroom,advanced,PT3H,external,"
             "https://x.example.org/e,499.00,INR,no,,\n")


def _jsonl(*rows: Any) -> bytes:
    return b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in rows)


def _upload(client: Any, who: dict[str, Any], data: bytes, name: str,
            query: str = "") -> Any:
    return client.post(f"/courses/import{query}", headers=who["headers"],
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_jsonl_import_reports_bad_rows_and_stores_good_ones(cast: Cast, client: Any,
                                                            app: Any) -> None:
    data = _jsonl(course_body(version="a"),
                  course_body(title={"xx-INVALID": "x"}, duration="soon"),
                  b"{broken json",
                  b"",  # blank lines are skipped but still counted
                  course_body(version="b"),
                  [1, 2])
    res = _upload(client, cast.a, data, "catalogue.jsonl")
    assert res.status_code == 200
    report = res.json
    assert (report["rows"], report["imported"], report["rejected"]) == (5, 2, 3)
    errors = {(e["line"], e["field"]) for e in report["errors"]}
    assert errors == {(2, "title.xx-INVALID"), (2, "duration"), (3, "_row"), (6, "_row")}
    store = app.extensions["hub.store"]
    stored = store.courses.list_for_provider(cast.a["org"]["id"])
    assert sorted(c["revision"]["version"] for c in stored) == ["a", "b"]
    assert {c["id"] for c in stored} == set(report["ids"])
    assert all(c["state"] == "draft" for c in stored)
    assert [e["action"] for e in store.courses.audit_trail(report["ids"][0])] == ["create"]


def test_csv_import_with_submit(cast: Cast, client: Any, app: Any, tag_framework: Any) -> None:
    data = (CSV_HEADER + CSV_GOOD + CSV_BAD + CSV_GOOD2).encode("utf-8-sig")
    res = _upload(client, cast.a, data, "catalogue.csv", "?submit=true")
    assert res.status_code == 200
    report = res.json
    assert (report["rows"], report["imported"], report["rejected"]) == (3, 2, 1)
    # The good row spans lines 2-3 (a quoted newline), so the bad row is on line 4.
    assert {(e["line"], e["field"]) for e in report["errors"]} == {
        (4, "category"), (4, "duration"), (4, "competencies.0.level")}
    store = app.extensions["hub.store"]
    rti = next(c for c in map(store.courses.get, report["ids"])
               if c["revision"]["title"]["en"] == "RTI, in practice")
    rev = rti["revision"]
    assert rti["state"] == "submitted"
    assert rev["keywords"] == ["rti", "law"] and rev["languages"] == ["en", "hi"]
    assert [(t["id"], t["code"], t["level"]) for t in rev["competencies"]] == [
        (node_id("COMSUBTHEME-1"), "COMSUBTHEME-1", 2), (node_id("COMSUBTHEME-4"),
                                                         "COMSUBTHEME-4", 3)]
    assert rev["certificate_offered"] is True and rev["description"]["en"] == \
        "Multi-line\ndescription"
    assert [e["action"] for e in store.courses.audit_trail(rti["id"])] == ["create", "submit"]
    queue = client.get("/review-queue", headers=cast.reviewer["headers"]).json
    assert len(queue["items"]) == 2


def test_import_refuses_other_file_types_and_non_publishers(cast: Cast, client: Any) -> None:
    res = _upload(client, cast.a, b"x", "catalogue.xlsx")
    assert res.status_code == 400 and "file" in res.json["errors"]
    res = client.post("/courses/import", headers=cast.a["headers"], data={},
                      content_type="multipart/form-data")
    assert res.status_code == 400 and "file" in res.json["errors"]
    assert _upload(client, cast.reviewer, _jsonl(course_body()), "c.jsonl").status_code == 403
    assert _upload(client, cast.a, b"\xff\xfe\x00", "c.csv").status_code == 400


def test_no_partial_row_when_the_store_write_fails(cast: Cast, app: Any) -> None:
    store = app.extensions["hub.store"]
    from storage.errors import DuplicateKey

    first = cast.create()
    rows = [course_body(version="x"), course_body(version="y")]
    original = importer.new_course
    ids = iter([first["id"], "crs_fresh"])  # the first new id clashes with a stored course

    def clashing(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **{**kwargs, "course_id": next(ids)})

    importer.new_course = clashing  # type: ignore[assignment]
    try:
        with pytest.raises(DuplicateKey):
            importer.import_catalogue(store, cast.a["org"]["id"], rows)
    finally:
        importer.new_course = original  # type: ignore[assignment]
    # add_many is atomic: neither row of the failed batch was written.
    assert store.courses.get("crs_fresh") is None
    assert store.courses.count() == 1


def test_service_takes_plain_dicts_and_reports_progress(cast: Cast, app: Any) -> None:
    store = app.extensions["hub.store"]
    ticks: list[int] = []
    report = importer.import_catalogue(store, cast.a["org"]["id"],
                                       [course_body(), {"title": {"en": "x"}}], ticks.append)
    assert report["imported"] == 1 and report["rejected"] == 1 and ticks == [1, 1]
    assert {e["line"] for e in report["errors"]} == {2}


def test_cli_import(cast: Cast, runner: Any, app: Any, tmp_path: Path, tag_framework: Any) -> None:
    path = tmp_path / "courses.csv"
    path.write_text(CSV_HEADER + CSV_GOOD + CSV_GOOD2, encoding="utf-8")
    result = runner.invoke(args=["catalogue", "import", str(path), "--provider", "Provider B",
                                 "--submit"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report["imported"] == 2 and report["state"] == "submitted"
    store = app.extensions["hub.store"]
    assert store.courses.count("submitted") == 2
    assert all(store.courses.get(i)["provider_id"] == cast.b["org"]["id"]
               for i in report["ids"])

    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(_jsonl(course_body(), {"title": {"en": "only a title"}}))
    result = runner.invoke(args=["catalogue", "import", str(bad), "--provider", "Provider A"])
    assert result.exit_code == 1
    assert orjson.loads(result.stdout)["rejected"] == 1
    result = runner.invoke(args=["catalogue", "import", str(bad), "--provider", "Nobody"])
    assert result.exit_code == 2 and "no provider" in result.stderr
