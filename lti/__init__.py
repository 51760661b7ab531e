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
    from lti import (
        deep_linking_routes,
        demo,
        jwks_routes,
        platform_cli,
        platform_routes,
        platform_service_routes,
        platform_side_routes,
        player_routes,
        services_routes,
        tool_registration_routes,
        tool_routes,
    )
    from lti.cli import lti_cli
    from lti.devpeers import cli as devpeers_cli
    from marketplace.demo import DEMO_LOADERS

    # The tool side: LMS login/launch/registration pages and the /lti/platforms API.
    app.register_blueprint(tool_routes.blueprint)
    app.extensions["hub.api"].register_blueprint(platform_routes.blueprint)
    app.extensions.setdefault(DEMO_LOADERS, []).append(demo.load_demo_lms)
    jwks_routes.init_app(app)  # the hub's public keys (lti.keys)
    app.cli.add_command(lti_cli)  # `hub lti ...`: every part adds its commands to lti_cli
    devpeers_cli.init_app(app)  # hub lti dev-platform | dev-tool (development peers)
    # Tool side's services: Deep Linking picker, NRPS roster API, AGS score pass-back.
    app.register_blueprint(deep_linking_routes.blueprint)
    services_routes.init_app(app)
    # The platform side (the hub launches providers' tools): /lti/tools, /lti/platform/...
    app.extensions["hub.api"].register_blueprint(tool_registration_routes.blueprint)
    app.extensions["hub.api"].register_blueprint(platform_side_routes.api)
    app.register_blueprint(platform_side_routes.browser)  # browser flows: not in /openapi.json
    platform_cli.init_app(app)  # hub lti migrate-deliveries | launch-tool
    platform_service_routes.init_app(app)  # token endpoint, AGS and NRPS for providers' tools
    player_routes.init_app(app)  # /player API, /play page, cmi5 satisfaction (lti.player)
