"""A batch's roster: every enrolment with its approval state, as JSON and CSV (issue 11,
"Reports"), for the batch's coordinators.

:func:`seated_learners` is the seam for attendance (the next slice): the learners an
attendance sheet lists for a session are the batch's approved enrolments, named by
``(learner_org_id, learner_id)`` (the xAPI agent's account) with the enrolment id.
"""

from __future__ import annotations

import csv
import io

from hub.principal import Principal
from marketplace.blended import coordinated_batch
from marketplace.csv_cells import csv_cell
from marketplace.frac_model import pick_text
from storage.ports import Document, Store

#: The roster's columns, in CSV order.
COLUMNS = ("enrolment_id", "learner_org_id", "learner_id", "state", "reason", "requested_at",
           "decided_at", "decided_by")


def seated_learners(store: Store, batch_id: str) -> list[Document]:
    """The approved enrolments of a batch (those holding a seat), oldest first."""
    return store.blended.list_enrolments(batch_id, states=["approved"])


def _row(enrolment: Document) -> Document:
    decisions = [e for e in enrolment["events"] if e["action"] != "request"]
    last = decisions[-1] if decisions else None
    return {"enrolment_id": enrolment["id"], "learner_org_id": enrolment["learner_org_id"],
            "learner_id": enrolment["learner_id"], "state": enrolment["state"],
            "reason": enrolment.get("reason"), "requested_at": enrolment["created_at"],
            "decided_at": last["at"] if last else None,
            "decided_by": last["by_org"] if last else None}


def roster(store: Store, principal: Principal, batch_id: str, lang: str | None) -> Document:
    """The batch (title in ``lang``), its seats, and one row per enrolment, oldest first."""
    batch = coordinated_batch(store, principal, batch_id)
    rows = [_row(e) for e in store.blended.list_enrolments(batch_id)]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    return {"batch_id": batch_id, "program_id": batch["program_id"],
            "title": pick_text(batch["title"], lang), "capacity": batch["capacity"],
            "seats_taken": batch["seats_taken"], "states": counts, "enrolments": rows}




def roster_csv(report: Document) -> str:
    """The roster's rows as CSV (RFC 4180: CRLF line ends, a header row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in report["enrolments"]:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()
