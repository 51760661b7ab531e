"""What the current app holds, looked up during a request or a CLI command.

A leaf module, as Flask's tutorial keeps ``get_db`` in ``db.py``: route modules import these
functions from here, so no module imports back into the factory (:mod:`hub`). The factory puts
the objects in ``app.extensions`` under the names below.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from hub.config import Config

STORE = "hub.store"
BLOBS = "hub.blobs"
CONFIG = "hub.config"


def get_store() -> Any:
    """The store of the current app (a :class:`storage.ports.Store`)."""
    return current_app.extensions[STORE]


def get_blobs() -> Any:
    """The blob store of the current app (a :class:`storage.ports.BlobStore`)."""
    return current_app.extensions[BLOBS]


def get_config() -> Config:
    """The settings of the current app."""
    return current_app.extensions[CONFIG]  # type: ignore[no-any-return]
