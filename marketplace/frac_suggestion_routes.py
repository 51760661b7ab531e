"""HTTP routes of competency suggestions: ``/courses/{id}/competency-suggestions``.

Schema loads, :mod:`marketplace.frac_suggestion_review` acts, schema dumps.
"""

from __future__ import annotations

from typing import Any

from flask import request

from catalogue_schemas.frac_suggestions import (
    DecisionInSchema,
    DecisionSchema,
    SuggestionArgs,
    SuggestionListSchema,
)
from hub.auth import current_principal
from hub.context import get_store
from hub.docs import HubBlueprint
from marketplace import frac_suggestion_review

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

def _principal() -> Any:
    return current_principal(required=True)


suggestions = HubBlueprint(
    "competency_suggestions", __name__, url_prefix="",
    description="Competency suggestions for a course from its text, and reviewers' decisions "
                "on them (authenticated).")


@suggestions.route("/courses/<course_id>/competency-suggestions", methods=["GET"])
@suggestions.arguments(SuggestionArgs, location="query")
@suggestions.response(200, SuggestionListSchema)
@suggestions.doc(**SECURED)
def list_suggestions(args: dict[str, Any], course_id: str) -> Any:
    """The competencies the course's text suggests, best first, with scores and the
    languages they matched in; tags already on the course and rejected ones are left out."""
    lang = args.get("lang") or request.accept_languages.best
    return frac_suggestion_review.suggestions(get_store(), _principal(), course_id,
                                              args["limit"], lang)


@suggestions.route("/courses/<course_id>/competency-suggestions/<competency>",
                   methods=["POST"])
@suggestions.arguments(DecisionInSchema)
@suggestions.response(200, DecisionSchema)
@suggestions.doc(**SECURED)
def decide_suggestion(body: dict[str, Any], course_id: str, competency: str) -> Any:
    """Accept (with a level; the course's working revision gains the tag) or reject a
    suggested competency, named by id or code."""
    return frac_suggestion_review.decide(get_store(), _principal(), course_id, competency,
                                         body["decision"], body.get("level"))
