"""What the current app holds, looked up during a request or a CLI command.

A leaf module, as Flask's tutorial keeps ``get_db`` in ``db.py``: route modules import these
functions from here, so no module imports back into the factory (:mod:`hub`). The factory puts
the objects in ``app.extensions`` under the names below.
"""

from __future__ import annotations

from typing import Any, Protocol

from flask import current_app

from hub.config import Config
from storage.ports import Store
from storage.ports.blobs import BlobStore

STORE = "hub.store"
BLOBS = "hub.blobs"
CONFIG = "hub.config"
STATEMENT_SINK = "hub.statement_sink"

#: The hub as an xAPI agent (an account on ``HUB_PUBLIC_URL``, Data 2.4.2.4): the authority of
#: the statements it writes itself (Data 2.4.9) and the actor of those it voids.
HUB_NAME = "Karmayogi Hub"
HUB_ACCOUNT = "hub"


class StatementSink(Protocol):
    """Where layers beside the LRS (``marketplace``) hand the statements the hub writes itself
    (attendance, program completion): the LRS registers one in its ``init_app``, so the
    statements are validated, stored under ``org_id`` (DESIGN.md "Tenancy"), forwarded and
    queried like any other, without the writer importing ``xapi``. A voiding statement (xAPI
    Data 2.4.8) is just another statement in the list."""

    def __call__(self, store: Store, org_id: str, statements: list[dict[str, Any]]
                 ) -> list[str]:
        """Store ``statements`` atomically with the hub as authority; their ids in order.
        A statement the LRS refuses raises its 400 and nothing is stored."""
        ...


def get_store() -> Store:
    """The store of the current app."""
    return current_app.extensions[STORE]  # type: ignore[no-any-return]


def get_blobs() -> BlobStore:
    """The blob store of the current app."""
    return current_app.extensions[BLOBS]  # type: ignore[no-any-return]


def get_config() -> Config:
    """The settings of the current app."""
    return current_app.extensions[CONFIG]  # type: ignore[no-any-return]


def get_statement_sink() -> StatementSink:
    """The statement sink of the current app (registered by the LRS)."""
    return current_app.extensions[STATEMENT_SINK]  # type: ignore[no-any-return]
