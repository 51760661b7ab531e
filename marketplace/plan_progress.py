"""Each learner's mandated items and their state, from the learner's statements in the
department's LRS, and the department's overdue report (JSON rows and CSV).

The state of an item comes from the statements whose actor is the learner and whose object is
the item's activity, read through the storage port (``store.statements``, scoped to the
department's organisation: its own LRS, DESIGN.md "Tenancy"), never through ``xapi/`` (the two
are one layer and may not import each other):

- ``completed`` once any of them has the verb completed or passed (ADL verbs, xAPI 1.0.3
  Data 2.4.3; cmi5 §9.3 uses the same IRIs);
- ``in-progress`` when there is one with launched, initialized, progressed or attempted;
- ``not-started`` otherwise. Voided statements never count (Data 2.3.2: the port leaves
  them out of every query).

A program in a plan is followed by its items and sessions instead
(:func:`marketplace.program_progress.program_state`): nobody sends statements about a program
itself, its learners complete its items.

The query keys are the LRS's index keys (:class:`storage.ports.xapi.StatementRecord`):
``agent|account|<homePage>|<name>`` for an Agent identified by an account (Data 2.4.2.4) and
``act|<activity IRI>`` for the Object Activity; ``tests/marketplace/test_plan_progress.py``
checks them against the LRS's own key builder.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from catalogue_schemas.links import catalogue_item_url

# The statement rules live in marketplace.learner_states (program completion reads them too);
# this module's callers and tests keep naming them here.
from marketplace.csv_cells import csv_cell
from marketplace.frac_model import pick_text
from marketplace.learner_states import ADL as ADL
from marketplace.learner_states import agent_key as agent_key
from marketplace.learner_states import item_state as item_state
from marketplace.program_progress import activity_state
from storage.ports import Document, Store

#: Columns of the overdue report's CSV, in order.
CSV_COLUMNS = ("learner_id", "name", "designation", "plan_id", "plan_version", "plan_title",
               "item_id", "due_date", "state")


def item_activity_id(public_url: str, item_id: str) -> str:
    """The xAPI activity IRI of a catalogue item: its public catalogue page, the IRI the hub's
    launches, packages and search use (:mod:`catalogue_schemas.links`)."""
    return catalogue_item_url(public_url, item_id)


def assigned(version: Document, learner: Document) -> bool:
    """Whether a plan version's audience includes the learner."""
    audience = version["audience"]
    return bool(audience["all"] or learner["designation"] in audience["designations"]
                or learner["learner_id"] in audience["learners"])


def today() -> str:
    """Today's date in UTC, ISO 8601: due dates are compared with it."""
    return datetime.now(UTC).date().isoformat()


def mandated_items(store: Store, learner: Document, public_url: str, plans: Iterable[Document],
                   on: str, lang: str | None = None) -> list[Document]:
    """The items the live versions of ``plans`` mandate for ``learner``, each with its state;
    an item past its due date (``due_date < on``) and not completed is overdue. An item in two
    plans is listed once per plan: each plan holds the learner to its own due date."""
    rows: list[Document] = []
    for plan in plans:
        version = plan.get("live")
        if plan["state"] != "live" or version is None or not assigned(version, learner):
            continue
        for item_id in version["items"]:
            activity = item_activity_id(public_url, item_id)
            state = activity_state(store, learner["org_id"], learner, public_url, item_id)
            rows.append({"plan_id": plan["id"], "plan_version": plan["live_version"],
                         "plan_title": pick_text(version["title"], lang), "item_id": item_id,
                         "activity_id": activity, "due_date": version["due_date"],
                         "state": state,
                         "overdue": state != "completed" and version["due_date"] < on})
    return rows


def overdue_report(store: Store, org_id: str, public_url: str, on: str,
                   lang: str | None = None) -> list[Document]:
    """Every overdue item of every learner of the department's directory, by learner."""
    plans = store.plans.list(org_id, "live")
    rows: list[Document] = []
    for learner in store.department_learners.list(org_id):
        for item in mandated_items(store, learner, public_url, plans, on, lang):
            if item["overdue"]:
                rows.append({"learner_id": learner["learner_id"], "name": learner["name"],
                             "designation": learner["designation"], **item})
    return rows


def as_csv(rows: list[Document]) -> str:
    """The report as CSV (RFC 4180: CRLF line ends, a header row). A cell that a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``) is prefixed with ``'``: names come
    from callers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


