"""HTTP routes of recommendations, talent search and coverage (issue 13).

Schema loads, :mod:`marketplace.recommend` and :mod:`marketplace.talent` act, schema dumps.
``/talent/*`` answer CSV (RFC 4180, header row) instead of JSON when the request's Accept
header prefers ``text/csv`` (RFC 9110 §12.5.1).
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from catalogue_schemas.recommend import RecommendationArgs, RecommendationsSchema
from catalogue_schemas.talent import (
    CoverageSchema,
    TalentArgs,
    TalentSearchArgs,
    TalentSearchSchema,
)
from hub.auth import caller
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.tokens import TokenCodec
from marketplace import plan_progress, recommend, talent
from marketplace.learners import visible_learner
from marketplace.request_language import preferred_language

SECURED: dict[str, Any] = {"security": [{"basic": []}]}
CSV = "text/csv"


def _csv_too(description: str, schema: str) -> dict[str, Any]:
    """The OpenAPI 200 response: the JSON schema (component ``schema``) and its CSV
    alternative (a ``doc`` response replaces the generated content, so both are named)."""
    return {"responses": {"200": {"description": description, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
        CSV: {"schema": {"type": "string"}}}}}}


blp = HubBlueprint(
    "recommendations", __name__,
    description="A learner's gaps and recommendations; talent search and competency coverage "
                "of a department (issue 13).")


def _wants_csv() -> bool:
    return request.accept_mimetypes.best_match(["application/json", CSV]) == CSV


def _codec() -> TokenCodec:
    codec = current_app.extensions.get("talent.search.cursor")
    if codec is None:
        codec = TokenCodec(current_app.extensions["hub.token_key"], "talent.search.cursor",
                           "cursor")
        current_app.extensions["talent.search.cursor"] = codec
    return codec  # type: ignore[no-any-return]


@blp.route("/learners/<learner_id>/recommendations", methods=["GET"])
@blp.arguments(RecommendationArgs, location="query")
@blp.response(200, RecommendationsSchema)
@blp.doc(**SECURED)
def recommendations(args: dict[str, Any], learner_id: str) -> Any:
    """The learner's roles, gaps (required minus proven levels) and recommendations: the
    department's mandated items not yet completed first (earliest due date first), then the
    published courses and programs that close the gaps best, each with the gaps it closes
    and ``why`` it ranks there."""
    store = get_store()
    learner = visible_learner(store, caller(), learner_id, args.get("org"))
    held = store.passbook.held_levels(learner["org_id"], [learner_id]).get(learner_id, {})
    return recommend.recommendations(store, learner, held, get_config().public_url,
                                     plan_progress.today(), preferred_language(args),
                                     args["limit"])


@blp.route("/talent/search", methods=["GET"])
@blp.arguments(TalentSearchArgs, location="query")
@blp.response(200, TalentSearchSchema)
@blp.doc(**SECURED, **_csv_too("one page of holders (JSON), or with Accept: text/csv every "
                               "holder from the cursor on as CSV", "TalentSearch"))
def talent_search(args: dict[str, Any]) -> Any:
    """Learners of the department (every department for a platform administrator) holding
    ``competency`` at ``min_level`` or above on proven evidence, with that evidence; by
    organisation then learner id, ``next`` for the following page."""
    store, principal, lang = get_store(), caller(), preferred_language(args)
    if not _wants_csv():
        return talent.search(store, principal, args, _codec(), lang)
    body = talent.search_as_csv(store, principal, args, _codec(), lang)
    return Response(body, mimetype=CSV, headers={
        "Content-Disposition": 'attachment; filename="talent.csv"'})


@blp.route("/talent/coverage", methods=["GET"])
@blp.arguments(TalentArgs, location="query")
@blp.response(200, CoverageSchema)
@blp.doc(**SECURED, **_csv_too("coverage (JSON), or with Accept: text/csv one CSV row per role "
                               "and required competency", "Coverage"))
def talent_coverage(args: dict[str, Any]) -> Any:
    """Per role the department's learners hold (through their positions), per competency it
    requires: the officials in the role, how many meet the level, and the share."""
    report = talent.coverage(get_store(), caller(), args.get("org"),
                             preferred_language(args))
    if not _wants_csv():
        return report
    return Response(talent.coverage_csv(report), mimetype=CSV, headers={
        "Content-Disposition": f'attachment; filename="coverage-{report["org_id"]}.csv"'})
