"""What the current app holds, looked up during a request or a CLI command.

A leaf module, as Flask's tutorial keeps ``get_db`` in ``db.py``: route modules import these
functions from here, so no module imports back into the factory (:mod:`hub`). The factory puts
the objects in ``app.extensions`` under the names below.
"""

from __future__ import annotations

from flask import current_app

from hub.config import Config
from storage.ports import Store
from storage.ports.blobs import BlobStore

STORE = "hub.store"
BLOBS = "hub.blobs"
CONFIG = "hub.config"


def get_store() -> Store:
    """The store of the current app."""
    return current_app.extensions[STORE]  # type: ignore[no-any-return]


def get_blobs() -> BlobStore:
    """The blob store of the current app."""
    return current_app.extensions[BLOBS]  # type: ignore[no-any-return]


def get_config() -> Config:
    """The settings of the current app."""
    return current_app.extensions[CONFIG]  # type: ignore[no-any-return]
