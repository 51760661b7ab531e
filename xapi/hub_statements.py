"""Statements the hub writes itself, with the hub as their authority (xAPI Data 2.4.9: name
"Karmayogi Hub", account ``hub`` on ``HUB_PUBLIC_URL``), through the LRS's own service
(:func:`xapi.statements.store_statements`, the one ``POST /xapi/statements`` uses).

The LTI sides call :func:`record` directly (``lti`` sits above the LRS); ``marketplace``, the
LRS's sibling, reaches :func:`sink` through :func:`hub.context.get_statement_sink`, which
:func:`xapi.init_app` registers.
"""

from __future__ import annotations

import copy
from typing import Any

from hub.context import HUB_ACCOUNT, HUB_NAME, get_blobs, get_config
from hub.principal import Principal, Role
from storage.ports import Store
from xapi.statements import store_statements

__all__ = ["HUB_ACCOUNT", "HUB_NAME", "hub_principal", "record", "sink"]


def hub_principal(org_id: str) -> Principal:
    """The hub itself, writing statements for organisation ``org_id``: only ``lrs-writer``,
    and an organisation kind no role check knows (it never reads across organisations)."""
    return Principal(key=HUB_ACCOUNT, org_id=org_id, org_kind="hub", org_name=HUB_NAME,
                     roles=frozenset({Role.LRS_WRITER.value}))


def record(store: Store, blobs: Any, public_url: str, org_id: str,
           statements: list[dict[str, Any]]) -> list[str]:
    """Store ``statements`` for ``org_id`` with the hub as authority, atomically, through the
    LRS's own service (validation, forwarding, activity definitions); their ids in order.
    The caller's dicts are not changed. A statement the LRS refuses raises its 400."""
    return store_statements(store, blobs, hub_principal(org_id), public_url,
                            copy.deepcopy(statements))


def sink(store: Store, org_id: str, statements: list[dict[str, Any]]) -> list[str]:
    """:class:`hub.context.StatementSink` of the current app: :func:`record` with its blobs
    and public URL."""
    return record(store, get_blobs(), get_config().public_url, org_id, statements)
