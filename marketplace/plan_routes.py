"""HTTP routes of capacity-building plans and the learner directory (``/plans``).

Schema loads, :mod:`marketplace.plans` and :mod:`marketplace.plan_progress` act, schema dumps.
Every route needs a ``curator`` credential of a department and reaches only that department's
plans and learners.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from catalogue_schemas.plan import (
    LangArgs,
    LearnerInSchema,
    LearnerItemsSchema,
    LearnerListSchema,
    LearnerSchema,
    OverdueReportSchema,
    PlanAuditSchema,
    PlanListArgs,
    PlanListSchema,
    PlanSchema,
    PlanTransitionSchema,
    PlanVersionSchema,
    ReportArgs,
)
from hub.auth import caller
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from marketplace import plan_progress
from marketplace import plans as service
from marketplace.request_language import preferred_language

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

blp = HubBlueprint(
    "plans", __name__, url_prefix="/plans",
    description="A department's capacity-building plans, its learner directory, each "
                "learner's mandated items and the overdue report (curator of the department).")


# -- learner directory ---------------------------------------------------------------------

@blp.route("/learners", methods=["GET"])
@blp.response(200, LearnerListSchema)
@blp.doc(**SECURED)
def list_learners() -> Any:
    """The department's learners, by learner id."""
    return {"learners": service.list_learners(get_store(), caller())}


@blp.route("/learners/<learner_id>", methods=["PUT"])
@blp.arguments(LearnerInSchema)
@blp.response(200, LearnerSchema)
@blp.alt_response(201, schema=LearnerSchema, description="the learner registered")
@blp.doc(**SECURED)
def put_learner(body: dict[str, Any], learner_id: str) -> Any:
    """Register a learner of the department (or change its name, designation or agent
    homePage)."""
    learner, created = service.register_learner(get_store(), caller(), learner_id, body,
                                                get_config().public_url)
    return learner, 201 if created else 200


@blp.route("/learners/<learner_id>", methods=["GET"])
@blp.response(200, LearnerSchema)
@blp.doc(**SECURED)
def get_learner(learner_id: str) -> Any:
    """One learner of the department."""
    return service.get_learner(get_store(), caller(), learner_id)


@blp.route("/learners/<learner_id>", methods=["DELETE"])
@blp.response(204)
@blp.doc(**SECURED)
def delete_learner(learner_id: str) -> Any:
    """Remove a learner from the directory."""
    service.remove_learner(get_store(), caller(), learner_id)
    return None


@blp.route("/learners/<learner_id>/items", methods=["GET"])
@blp.arguments(LangArgs, location="query")
@blp.response(200, LearnerItemsSchema)
@blp.doc(**SECURED)
def learner_items(args: dict[str, Any], learner_id: str) -> Any:
    """The items the department's live plans mandate for the learner, each with its state
    (not-started, in-progress, completed) from the learner's statements in the department's
    LRS, its due date and whether it is overdue."""
    store, principal = get_store(), caller()
    learner = service.get_learner(store, principal, learner_id)
    items = plan_progress.mandated_items(
        store, learner, get_config().public_url, store.plans.list(principal.org_id, "live"),
        plan_progress.today(), preferred_language(args))
    return {"learner": learner, "items": items}


# -- overdue report ------------------------------------------------------------------------

def _overdue(args: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    store, principal = get_store(), caller()
    service.check_department_curator(principal)
    on = args.get("on") or plan_progress.today()
    rows = plan_progress.overdue_report(store, principal.org_id, get_config().public_url, on,
                                        preferred_language(args))
    return principal.org_id, on, rows


@blp.route("/overdue", methods=["GET"])
@blp.arguments(ReportArgs, location="query")
@blp.response(200, OverdueReportSchema)
@blp.doc(**SECURED)
def overdue(args: dict[str, Any]) -> Any:
    """Every learner's items past their due date and not completed (``on``: the day the
    report is for, default today)."""
    org_id, on, rows = _overdue(args)
    return {"org_id": org_id, "on": on, "overdue": rows}


@blp.route("/overdue.csv", methods=["GET"])
@blp.arguments(ReportArgs, location="query")
@blp.doc(**SECURED, responses={"200": {
    "description": "the overdue report as CSV (RFC 4180), one row per learner and item",
    "content": {"text/csv": {"schema": {"type": "string"}}}}})
def overdue_csv(args: dict[str, Any]) -> Any:
    """The overdue report as CSV (RFC 4180, header row)."""
    org_id, on, rows = _overdue(args)
    return Response(plan_progress.as_csv(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="overdue-{org_id}-{on}.csv"'})


# -- plans ---------------------------------------------------------------------------------

@blp.route("", methods=["POST"])
@blp.arguments(PlanVersionSchema)
@blp.response(201, PlanSchema)
@blp.doc(**SECURED)
def create_plan(body: dict[str, Any]) -> Any:
    """A new plan of the department, its content as the draft."""
    plan = service.create_plan(get_store(), caller(), body)
    return (service.shown(plan, preferred_language({})), 201,
            {"Location": f"/plans/{plan['id']}"})


@blp.route("", methods=["GET"])
@blp.arguments(PlanListArgs, location="query")
@blp.response(200, PlanListSchema)
@blp.doc(**SECURED)
def list_plans(args: dict[str, Any]) -> Any:
    """The department's plans, oldest first (``state`` filters)."""
    found = service.list_plans(get_store(), caller(), args.get("state"))
    return {"plans": [service.shown(p, preferred_language(args)) for p in found]}


@blp.route("/<plan_id>", methods=["GET"])
@blp.arguments(LangArgs, location="query")
@blp.response(200, PlanSchema)
@blp.doc(**SECURED)
def get_plan(args: dict[str, Any], plan_id: str) -> Any:
    """One plan: its live version and its working draft."""
    return service.shown(service.get_plan(get_store(), caller(), plan_id),
                         preferred_language(args))


@blp.route("/<plan_id>/draft", methods=["PUT"])
@blp.arguments(PlanVersionSchema)
@blp.response(200, PlanSchema)
@blp.doc(**SECURED)
def put_draft(body: dict[str, Any], plan_id: str) -> Any:
    """Replace the working draft; a live plan keeps serving its live version until the
    draft goes live."""
    plan = service.edit_draft(get_store(), caller(), plan_id, body)
    return service.shown(plan, preferred_language({}))


@blp.route("/<plan_id>/transitions", methods=["POST"])
@blp.arguments(PlanTransitionSchema)
@blp.response(200, PlanSchema)
@blp.doc(**SECURED)
def transition(body: dict[str, Any], plan_id: str) -> Any:
    """``go_live`` (the draft becomes the next live version) or ``retire``."""
    plan = service.transition(get_store(), caller(), plan_id, body["action"])
    return service.shown(plan, preferred_language({}))


@blp.route("/<plan_id>/audit", methods=["GET"])
@blp.response(200, PlanAuditSchema)
@blp.doc(**SECURED)
def plan_audit(plan_id: str) -> Any:
    """Every event of the plan, oldest first."""
    return {"events": service.audit(service.get_plan(get_store(), caller(), plan_id))}
