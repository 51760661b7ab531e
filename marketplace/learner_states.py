"""A learner's state in one catalogue activity, from the learner's statements in an
organisation's LRS (read through the storage port, ``store.statements``, never ``xapi/``: the
two are sibling layers). The rules are given in :mod:`marketplace.plan_progress`; plans and
program completion (:mod:`marketplace.program_progress`) both read them here.
"""

from __future__ import annotations

from storage.ports import Document, Store
from storage.ports.xapi import StatementQuery

ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED_VERBS = frozenset(ADL + v for v in ("completed", "passed"))
IN_PROGRESS_VERBS = frozenset(ADL + v for v in ("launched", "initialized", "progressed",
                                                  "attempted"))
#: Statements read per page while looking for a completion.
PAGE = 200


def agent_key(home_page: str, learner_id: str) -> str:
    """The LRS's index key of an Agent with an account (the canonical IFI, Data 2.4.2.3)."""
    return f"agent|account|{home_page}|{learner_id}"


def _withheld(store: Store, org_id: str, statement: Document) -> bool:
    """Whether completion integrity holds this completion back (flagged as too fast, not yet
    accepted by a reviewer, :mod:`marketplace.passbook_integrity`): one key lookup, and only
    for completion statements."""
    row = store.passbook.completion(org_id, str(statement.get("id")))
    return row is not None and bool(row.get("flagged")) and row.get("accepted") is None


def item_state(store: Store, org_id: str, learner: Document, activity_id: str) -> str:
    """``completed``, ``in-progress`` or ``not-started`` for one learner and one activity. A
    completion held back by completion integrity counts as progress, not completion."""
    keys = (agent_key(learner["home_page"], learner["learner_id"]), "act|" + activity_id)
    cursor: str | None = None
    seen_progress = False
    while True:
        page = store.statements.query(StatementQuery(keys=keys, limit=PAGE, cursor=cursor,
                                                     org_id=org_id))
        for statement in page.statements:
            verb = (statement.get("verb") or {}).get("id")
            if verb in COMPLETED_VERBS:
                if not _withheld(store, org_id, statement):
                    return "completed"
                seen_progress = True
            seen_progress = seen_progress or verb in IN_PROGRESS_VERBS
        cursor = page.cursor
        if cursor is None:
            return "in-progress" if seen_progress else "not-started"
