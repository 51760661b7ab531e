"""The content marketplace: catalogue, vetting workflow, search, reviews.

routes -> service -> storage ports.
"""

from __future__ import annotations

import click
from flask import Flask

from hub import cors
from hub.tokens import TokenCodec


def init_app(app: Flask) -> None:
    """Register the marketplace blueprints on the app's flask-smorest ``Api``, its commands on
    ``app.cli``, and set up the per-process search state (cursor codecs, provider-name
    cache)."""
    from marketplace import frac_routes
    from marketplace.cli import catalogue, demo
    from marketplace.routes import blueprints
    from marketplace.search import CursorCodec, ProviderNames

    store = app.extensions["hub.store"]
    # Cursors are signed with the hub's token key (hub.tokens), so every worker behind the
    # load balancer accepts the others' cursors.
    key = app.extensions["hub.token_key"]
    app.extensions["marketplace.search"] = {
        "codec": CursorCodec(key),
        "reviews": TokenCodec(key, "catalogue.reviews.cursor", "cursor"),
        "names": ProviderNames(store.organisations.get),
    }
    api = app.extensions["hub.api"]
    for blp in blueprints():
        api.register_blueprint(blp)
    api.register_blueprint(frac_routes.frac)  # FRAC frameworks, review, versions, search
    # The public catalogue is read by browsers on other sites (course widgets, search pages).
    cors.allow_cross_origin(app, "/catalogue/", cors.CATALOGUE_CORS_HEADERS)
    app.cli.add_command(catalogue)
    app.cli.add_command(demo)
    # `hub frac migrate-tags`, into the `frac` group when another FRAC part registered it.
    from marketplace.frac_migrate import migrate_tags_command

    frac = app.cli.commands.get("frac")
    if not isinstance(frac, click.Group):
        frac = click.Group("frac", help="The FRAC competency framework.")
        app.cli.add_command(frac)
    frac.add_command(migrate_tags_command)
