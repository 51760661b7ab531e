"""Keeping the passbook current at ingest: :func:`on_statements` is a statement listener of
the LRS (``xapi.statements.add_statement_listener``, registered by the app shell,
:func:`hub.create_app`, since ``marketplace`` never imports ``xapi``).

It runs inside the write that stores a batch, so the passbook rows commit with the statements
or not at all (SQLite: one transaction; MongoDB: right after them). It must not slow ingest:
the first pass is one set test of each statement's verb against
:data:`marketplace.passbook_statements.VERBS`, and the work (catalogue lookups, the attempt's
statements for learning time) is done only for completions, passes, the hub's own
evidence and acceptance statements, and voiding statements (which take back what their
target earned).
"""

from __future__ import annotations

from typing import Any

from flask import has_app_context

from hub.context import get_config
from marketplace import passbook
from marketplace.passbook_statements import VERBS
from storage.ports import Store


def on_statements(store: Store, org_id: str, statements: list[dict[str, Any]]) -> None:
    """Derive and record the passbook rows a newly stored batch earns."""
    relevant = [s for s in statements if s["verb"]["id"] in VERBS]
    if not relevant or not has_app_context():
        # Outside an app (a script storing statements on a bare store) there are no settings
        # to derive with; ``hub passbook rebuild`` catches such statements up.
        return
    config = get_config()
    if not config.passbook_live:
        return
    items = passbook.Items(store)
    derived = passbook.derive(store, org_id, relevant, config.public_url,
                              config.integrity_min_ratio, items)
    passbook.apply(store, org_id, derived)
    passbook.forget_voided(store, org_id, relevant, config.public_url,
                           config.integrity_min_ratio, items)
