"""The xAPI statements attendance writes, in the learner's organisation's LRS (DESIGN.md
"Tenancy": attendance belongs to the department's or LMS's organisation), through the statement
sink (:func:`hub.context.get_statement_sink`: the LRS's own service, with the hub as
authority).

- ``attended`` (ADL verb): actor the learner as an account on the hub (Data 2.4.2.4, the same
  agent the LTI sides and plans use); object the session as an Activity (Data 2.4.4.1) of type
  ``meeting`` named by its batch's title; ``context.contextActivities`` (Data 2.4.6.2):
  ``parent`` the batch, ``grouping`` the program (its catalogue IRI,
  :func:`catalogue_schemas.links.catalogue_item_url`); ``timestamp`` the session's start (when
  the learning happened, Data 2.4.7), ``stored`` is the LRS's; a context extension names how
  it was recorded (coordinator or check-in).
- ``voided`` (Data 2.4.8): a correction from present to absent voids the ``attended``
  statement; the actor is the hub itself. Absent writes no statement: xAPI has no ADL verb for
  missing a meeting, and a learner's LRS record is of what they did.
"""

from __future__ import annotations

import uuid
from typing import Any

from catalogue_schemas.links import catalogue_item_url
from hub.context import HUB_ACCOUNT, HUB_NAME
from storage.ports import Document

ADL = "http://adlnet.gov/expapi/verbs/"
ATTENDED = ADL + "attended"
VOIDED = ADL + "voided"
#: Activity type of a session (ADL activity types).
MEETING = "http://adlnet.gov/expapi/activities/meeting"
#: Context extension naming how the attendance was recorded (``coordinator`` | ``check-in``).
METHOD_EXTENSION = "https://karmayogi.example/xapi/extensions/blended/attendance-method"


def session_iri(public_url: str, session_id: str) -> str:
    """The activity IRI of a session (its resource on the hub)."""
    return f"{public_url}/blended/sessions/{session_id}"


def batch_iri(public_url: str, batch_id: str) -> str:
    """The activity IRI of a batch."""
    return f"{public_url}/blended/batches/{batch_id}"


def attended(public_url: str, batch: Document, session: Document, learner_id: str,
             method: str) -> dict[str, Any]:
    """A new ``attended`` statement (with its own id) of ``learner_id`` at ``session``."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent",
                  "account": {"homePage": public_url, "name": learner_id}},
        "verb": {"id": ATTENDED, "display": {"en": "attended"}},
        "object": {"objectType": "Activity", "id": session_iri(public_url, session["id"]),
                   "definition": {"type": MEETING, "name": dict(batch["title"])}},
        "context": {
            "contextActivities": {
                "parent": [{"objectType": "Activity",
                            "id": batch_iri(public_url, batch["id"])}],
                "grouping": [{"objectType": "Activity",
                              "id": catalogue_item_url(public_url, batch["program_id"])}]},
            "extensions": {METHOD_EXTENSION: method}},
        "timestamp": session["starts_at"],
    }


def voiding(public_url: str, statement_id: str) -> dict[str, Any]:
    """A statement voiding ``statement_id`` (Data 2.4.8: verb voided, object a
    StatementRef), by the hub."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": HUB_NAME,
                  "account": {"homePage": public_url, "name": HUB_ACCOUNT}},
        "verb": {"id": VOIDED, "display": {"en": "voided"}},
        "object": {"objectType": "StatementRef", "id": statement_id},
    }
