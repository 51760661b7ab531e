"""LTI 1.3 / LTI Advantage (DESIGN.md, "LTI 1.3"): the hub as a tool towards LMSes and as a
platform towards providers' tools, with every launch and score written to the hub's own LRS.

The package sits above :mod:`marketplace` and :mod:`xapi` (the import-linter layers in
``pyproject.toml``): it launches catalogue courses and records statements through the LRS's own
service, and neither of them imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the LTI endpoints and commands on the app (called by :func:`hub.create_app`).

    Routes are imported here, not at the top: importing a module of the package must not load
    the web framework."""
    from lti import jwks_routes, platform_service_routes
    from lti.cli import lti_cli
    from lti.devpeers import cli as devpeers_cli

    jwks_routes.init_app(app)  # the hub's public keys (lti.keys)
    app.cli.add_command(lti_cli)  # `hub lti ...`: every part adds its commands to lti_cli
    devpeers_cli.init_app(app)  # hub lti dev-platform | dev-tool (development peers)
    platform_service_routes.init_app(app)  # token endpoint, AGS and NRPS for providers' tools
