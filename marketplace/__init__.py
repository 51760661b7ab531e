"""The content marketplace: catalogue, vetting workflow, search, reviews.

routes -> service -> storage ports.
"""

from __future__ import annotations

import hashlib

from flask import Flask

from hub import cors


def init_app(app: Flask) -> None:
    """Register the marketplace blueprints on the app's flask-smorest ``Api`` and set up the
    per-process search state (cursor signing key, provider-name cache)."""
    from marketplace.routes import blueprints
    from marketplace.search import CursorCodec, ProviderNames, SharedKey

    config = app.extensions["hub.config"]
    store = app.extensions["hub.store"]
    # Cursors are signed with a key derived from the app secret, so every worker behind the
    # load balancer accepts the others' cursors; without a secret, a key the workers share
    # through the blob store (read lazily: start-up does not depend on it).
    key: bytes | SharedKey = SharedKey(app.extensions["hub.blobs"])
    if config.secret_key:
        key = hashlib.sha256(b"hub.catalogue.cursor\0" + config.secret_key.encode()).digest()
    app.extensions["marketplace.search"] = {
        "codec": CursorCodec(key),
        "names": ProviderNames(store.organisations.get),
    }
    api = app.extensions["hub.api"]
    for blp in blueprints():
        api.register_blueprint(blp)
    # The public catalogue is read by browsers on other sites (course widgets, search pages).
    cors.allow_cross_origin(app, "/catalogue/", cors.CATALOGUE_CORS_HEADERS)
