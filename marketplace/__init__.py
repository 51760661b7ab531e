"""The content marketplace: catalogue, vetting workflow, search, reviews (routes -> service -> ports)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the marketplace blueprints on the app's flask-smorest ``Api``."""
    from marketplace.routes import blueprints

    api = app.extensions["hub.api"]
    for blp in blueprints():
        api.register_blueprint(blp)
