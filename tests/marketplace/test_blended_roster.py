"""A batch's roster with approval states, as JSON and CSV, over HTTP on both adapters."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.marketplace.blended_support import Blended


@pytest.fixture
def blended(tenants: Any, client: Any) -> Blended:
    return Blended(tenants, client)


def _states(blended: Blended) -> tuple[dict[str, Any], list[str]]:
    batch = blended.batch(capacity=3)
    seated = blended.seated(batch["id"], "l1")
    waiting = blended.request(batch["id"], "=HYPERLINK(1)").get_json()
    refused = blended.request(batch["id"], "l3").get_json()
    blended.act(refused["id"], "refuse", blended.approver, "not this year")
    return batch, [seated["id"], waiting["id"], refused["id"]]


def test_roster_lists_every_enrolment_with_its_state(blended: Blended, client: Any) -> None:
    batch, ids = _states(blended)
    res = client.get(f"/blended/batches/{batch['id']}/roster?lang=hi",
                     headers=blended.coordinator["headers"])
    assert res.status_code == 200
    roster = res.get_json()
    assert (roster["title"], roster["capacity"], roster["seats_taken"]) == ("बैच", 3, 1)
    assert roster["states"] == {"approved": 1, "requested": 1, "refused": 1}
    rows = roster["enrolments"]
    assert [r["enrolment_id"] for r in rows] == ids
    assert [(r["state"], r["reason"], r["decided_by"]) for r in rows] == [
        ("approved", None, blended.dept["org"]["id"]), ("requested", None, None),
        ("refused", "not this year", blended.dept["org"]["id"])]


def test_roster_as_csv(blended: Blended, client: Any) -> None:
    batch, ids = _states(blended)
    res = client.get(f"/blended/batches/{batch['id']}/roster.csv",
                     headers=blended.coordinator["headers"])
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    assert [r["enrolment_id"] for r in rows] == ids
    assert [r["state"] for r in rows] == ["approved", "requested", "refused"]
    assert rows[1]["learner_id"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet


def test_only_the_batch_coordinators_read_the_roster(blended: Blended, client: Any) -> None:
    batch, _ = _states(blended)
    for who, status in ((blended.approver, 404), (blended.academy_other, 403)):
        for path in ("roster", "roster.csv"):
            res = client.get(f"/blended/batches/{batch['id']}/{path}", headers=who["headers"])
            assert res.status_code == status, (who["org"]["name"], path)
