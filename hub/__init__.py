"""The app shell: :func:`create_app` builds the Flask application; :func:`main` is the ``hub``
command.

Extensions live in ``app.extensions``: ``hub.config`` (:class:`hub.config.Config`), ``hub.store``
(a :class:`storage.ports.Store`) and ``hub.blobs`` (a :class:`storage.ports.blobs.BlobStore`); route
modules read them through :mod:`hub.context`. Each process opens one store and one blob store;
the SQLite adapter keeps a connection per thread.

Everything is imported inside the functions, as Flask's tutorial does: importing a module of the
shell (``hub.errors``, ``hub.config``) loads neither Flask nor the domain packages, and nothing
imports back into the factory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

if TYPE_CHECKING:  # Flask is imported by create_app: the package's leaves (errors, principal)
    from flask import Flask  # are imported by code that must not load the web framework


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory. ``test_config`` overrides settings by env-var name
    (``{"HUB_STORE_URL": "sqlite:///tmp/x.db"}``) and Flask config keys (``TESTING``)."""
    import logging

    from flask import Flask

    import lti
    import marketplace
    import storage
    import xapi
    from hub import admin, auth, cli, context, docs, errors_http, health, tokens
    from hub.config import Config
    from hub.json_body import HubJSONProvider
    from hub.outbound import make_outbound_client
    from hub.sealing import SECRET_SOURCE

    config = Config.from_env(test_config)
    # Unknown schemes fail here, at start-up, not on the first request.
    storage.check_url(config.store_url, "store")
    storage.check_url(config.blob_url, "blob")

    app = Flask("hub", instance_relative_config=False)
    app.json = HubJSONProvider(app)  # one JSON parser and depth limit for every body
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_body_bytes or None,
        SECRET_KEY=config.secret_key,
    )
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k.isupper()})
    logging.basicConfig(level=config.log_level)

    app.extensions[context.CONFIG] = config
    app.extensions[context.STORE] = storage.open_store(config.store_url)
    app.extensions[context.BLOBS] = storage.open_blobs(
        config.blob_url, endpoint_url=config.s3_endpoint_url, region=config.s3_region
    )
    # The key of every token handed to clients (cursors, xAPI "more" links): hub.tokens.
    app.extensions["hub.token_key"] = tokens.key_source(config.secret_key,
                                                        app.extensions[context.BLOBS])
    # Values sealed at rest (forwarding passwords, LTI private keys) use the same secret.
    app.extensions[SECRET_SOURCE] = app.extensions["hub.token_key"]
    # Every fetch the hub makes for someone (hub.outbound); a bad allow list stops it here.
    app.extensions["hub.outbound"] = make_outbound_client(config)

    docs.init_app(app)  # the flask-smorest Api (HubApi: errors are ours, problem+json)
    errors_http.init_app(app)
    auth.init_app(app)
    health.init_app(app)
    cli.init_app(app)
    marketplace.init_app(app)
    admin.init_app(app)  # platform admins' organisations/credentials API and GET /me
    xapi.init_app(app)
    lti.init_app(app)  # LTI 1.3 tool and platform sides, on the catalogue and the LRS
    # The passbook is kept current by the LRS's ingest; marketplace and xapi are siblings that
    # never import each other, so the shell wires them.
    from marketplace.passbook_ingest import on_statements
    from xapi.statements import add_statement_listener

    add_statement_listener(on_statements)
    return app


def main() -> None:
    """The ``hub`` command: Flask's CLI on :func:`create_app`, with the commands every package
    registers (honours HUB_STORE_URL, HUB_BLOB_URL)."""
    from flask.cli import FlaskGroup

    FlaskGroup(name="hub", create_app=create_app, add_version_option=False,
               help="Karmayogi Hub operator commands (honour HUB_STORE_URL, HUB_BLOB_URL).")()
