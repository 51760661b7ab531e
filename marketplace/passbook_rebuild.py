"""Rebuilding the passbook from the LRS (issue 13: "rebuildable from scratch ... so nothing is
lost if the view is dropped").

The view of one organisation (or of all) is cleared, then only the statements that can matter
are streamed: one statement query per verb of :data:`marketplace.passbook_statements.
REPLAY_ORDER`, each driven by the LRS's ``verb|<iri>`` index key (never a scan of every
statement), oldest first, a page at a time. Each page goes through the same
:func:`marketplace.passbook.derive` as live ingest, per organisation, so the rebuilt view is
the live one. Acceptances are replayed last, after the completions they accept.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable

from marketplace import passbook
from marketplace.passbook_statements import REPLAY_ORDER, verb_of
from storage.ports import Document, Store
from storage.ports.xapi import StatementQuery

#: Statements per page of the replay (the statement repository's largest page).
PAGE = 500


def rebuild(store: Store, public_url: str, ratio: float, org_id: str | None = None,
            progress: Callable[[int], object] | None = None) -> int:
    """Clear and re-derive the passbook of ``org_id`` (every organisation when None) from
    its LRS; returns the number of statements replayed. ``progress(n)`` is called after each
    page (a tqdm bar's ``update``)."""
    store.passbook.clear(org_id)
    items = passbook.Items(store)  # live facts, read once for the whole run
    replayed = 0
    for verb in REPLAY_ORDER:
        cursor: str | None = None
        while True:
            page = store.statements.query(StatementQuery(
                keys=("verb|" + verb,), org_id=org_id, ascending=True, limit=PAGE,
                cursor=cursor))
            by_org: dict[str, list[Document]] = defaultdict(list)
            orgs = page.orgs or [org_id] * len(page.bodies)
            for statement, org in zip(page.statements, orgs, strict=True):
                # A statement referring to one with this verb matches its keys too (xAPI
                # Communication 2.1.3, StatementRefs): it is replayed in its own verb's turn.
                if org is not None and verb_of(statement) == verb:
                    by_org[org].append(statement)
                    replayed += 1
            for org, statements in by_org.items():
                derived = passbook.derive(store, org, statements, public_url, ratio, items)
                store.write(functools.partial(passbook.apply, store, org, derived))
            if progress is not None:
                progress(len(page.bodies))
            cursor = page.cursor
            if cursor is None:
                break
    return replayed
