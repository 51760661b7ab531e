"""The content marketplace: catalogue, vetting workflow, search, reviews.

routes -> service -> storage ports.
"""

from __future__ import annotations

from flask import Flask

from hub import cors
from hub.tokens import TokenCodec


def init_app(app: Flask) -> None:
    """Register the marketplace blueprints on the app's flask-smorest ``Api``, its commands on
    ``app.cli``, and set up the per-process search state (cursor codecs, provider-name
    cache)."""
    from marketplace import (
        blended_routes,
        demand_routes,
        demo_demands,
        demo_learners,
        demo_plans,
        frac_routes,
        learner_cli,
        learner_routes,
        package_cli,
        package_routes,
        passbook_cli,
        passbook_routes,
        plan_routes,
        program_routes,
        recommend_routes,
    )
    from marketplace.cli import catalogue, demo
    from marketplace.demo import DEMO_LOADERS
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
    for blp in program_routes.blueprints():  # curated programs (catalogue items too)
        api.register_blueprint(blp)
    api.register_blueprint(blended_routes.blended_blp)  # batches, sessions, enrolment
    api.register_blueprint(plan_routes.blp)  # capacity-building plans, the learner directory
    api.register_blueprint(demand_routes.demands)  # departments' demand for content
    api.register_blueprint(package_routes.packages_api)  # cmi5/xAPI packages and their files
    learner_routes.init_app(app)  # learner records (issue 13), /learners
    app.cli.add_command(learner_cli.learners)  # `hub learners import`
    api.register_blueprint(recommend_routes.blp)  # recommendations, talent search, coverage
    api.register_blueprint(passbook_routes.blp)  # passbooks, flagged completions
    loaders = app.extensions.setdefault(DEMO_LOADERS, [])
    loaders.append(demo_plans.load_demo_department)
    loaders.append(demo_demands.load_demo_demands)
    loaders.append(demo_learners.load_demo_learners)  # after the department's learners
    # The public catalogue is read by browsers on other sites (course widgets, search pages).
    cors.allow_cross_origin(app, "/catalogue/", cors.CATALOGUE_CORS_HEADERS)
    app.cli.add_command(catalogue)
    app.cli.add_command(demo)
    app.cli.add_command(package_cli.package)
    app.cli.add_command(passbook_cli.passbook)  # `hub passbook rebuild`
    _init_frac_case(app)  # CASE 1.1 service, POST /frac/imports, the `hub frac` group


def _init_frac_case(app: Flask) -> None:
    """The CASE 1.1 service and FRAC imports (:mod:`marketplace.frac_case_routes`) and the
    ``frac`` command group (:mod:`marketplace.frac_cli`, other FRAC parts add to it)."""
    from marketplace.frac_case_routes import blueprints as case_blueprints
    from marketplace.frac_cli import frac
    from marketplace.frac_migrate import migrate_tags_command

    for blp in case_blueprints():
        app.extensions["hub.api"].register_blueprint(blp)
    # CASE consumers (framework browsers, other platforms' pickers) read it from other sites.
    cors.allow_cross_origin(app, "/ims/case/", cors.CATALOGUE_CORS_HEADERS)
    frac.add_command(migrate_tags_command)  # `hub frac migrate-tags`
    app.cli.add_command(frac)
