"""The app shell: :func:`create_app` builds the Flask application.

Extensions live in ``app.extensions``: ``hub.config`` (:class:`hub.config.Config`), ``hub.store``
(a :class:`storage.ports.Store`) and ``hub.blobs`` (a :class:`storage.ports.BlobStore`). Each
process opens one store and one blob store; the SQLite adapter keeps a connection per thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from hub.config import Config

if TYPE_CHECKING:  # Flask is imported by create_app: the package's leaves (errors, principal)
    from flask import Flask  # are imported by code that must not load the web framework


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory. ``test_config`` overrides settings by env-var name
    (``{"HUB_STORE_URL": "sqlite:///tmp/x.db"}``) and Flask config keys (``TESTING``)."""
    from flask import Flask

    import storage
    from hub import admin, auth, cli, docs, errors_http, health, tokens
    from storage import open_blobs, open_store

    config = Config.from_env(test_config)
    # Unknown schemes fail here, at start-up, not on the first request.
    storage.check_url(config.store_url, "store")
    storage.check_url(config.blob_url, "blob")

    app = Flask("hub", instance_relative_config=False)
    from hub.json_body import HubJSONProvider

    app.json = HubJSONProvider(app)  # one JSON parser and depth limit for every body
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_body_bytes or None,
        SECRET_KEY=config.secret_key,
    )
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k.isupper()})
    logging.basicConfig(level=config.log_level)

    app.extensions["hub.config"] = config
    app.extensions["hub.store"] = open_store(config.store_url)
    app.extensions["hub.blobs"] = open_blobs(
        config.blob_url, endpoint_url=config.s3_endpoint_url, region=config.s3_region
    )
    # The key of every token handed to clients (cursors, xAPI "more" links): hub.tokens.
    app.extensions["hub.token_key"] = tokens.key_source(config.secret_key,
                                                        app.extensions["hub.blobs"])

    docs.init_app(app)  # creates flask-smorest's Api, which registers its own error handlers
    errors_http.init_app(app)  # ... so ours come after and win
    auth.init_app(app)
    health.init_app(app)
    cli.init_app(app)

    from marketplace import init_app as init_marketplace

    init_marketplace(app)
    admin.init_app(app)  # platform admins' organisations/credentials API and GET /me

    try:  # the LRS lands with its own issue; the shell does not depend on it
        from xapi import init_app as init_xapi
    except ImportError:  # pragma: no cover - until xapi/ exists
        init_xapi = None
    if init_xapi is not None:
        init_xapi(app)

    return app


def get_store() -> Any:
    """The store of the current app."""
    from flask import current_app

    return current_app.extensions["hub.store"]


def get_blobs() -> Any:
    """The blob store of the current app."""
    from flask import current_app

    return current_app.extensions["hub.blobs"]


def get_config() -> Config:
    """The settings of the current app."""
    from flask import current_app

    return current_app.extensions["hub.config"]  # type: ignore[no-any-return]
