"""Capacity-building plans (DESIGN.md "FRAC": Capacity-building plan) and the department's
learner directory they assign content to.

- The directory: a department registers its learners (learner id, name, designation). The
  learner id is the one that names the learner's xAPI agent account in the department's LRS.
- A plan lists catalogue items (published courses and programs, by id) assigned to every
  learner, to designations and/or to named learners, with a due date. Workflow:
  ``draft`` → ``live`` → ``retired``. While live, an edit is a new ``draft`` beside the
  ``live`` version, which keeps serving until ``go_live`` replaces it. Every step is an audit
  event on the plan, written in the same compare-and-set write as the change.

Only a ``curator`` of the department itself writes and reads its plans and directory; every
other caller gets 404 for them (DESIGN.md "Tenancy").
"""

from __future__ import annotations

import uuid
from typing import Any

from hub.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from marketplace import learners
from marketplace.frac_model import pick_text
from storage.errors import ConcurrentUpdate
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: Workflow actions and the states each may start from.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "go_live": (("draft", "live"), "live"),
    "retire": (("draft", "live"), "retired"),
}


def check_department_curator(principal: Principal) -> None:
    """Plans and the directory belong to a department and are written by its curators."""
    if not principal.is_kind(OrgKind.DEPARTMENT):
        raise PermissionDenied("capacity-building plans belong to a department organisation")
    if not principal.holds_in(principal.org_id, Role.CURATOR):
        raise PermissionDenied("this needs the curator role of the department")


# -- learner directory ---------------------------------------------------------------------
# The directory is the learner record of issue 13 (:mod:`marketplace.learners`): these are the
# ``/plans/learners`` routes' entry points, for a department's curator, on the same code as
# ``/learners``.

def register_learner(store: Store, principal: Principal, learner_id: str, body: Document,
                     public_url: str) -> tuple[Document, bool]:
    """Insert or replace a learner of the caller's department; ``(learner, created)``. The
    fields this route does not know (position, languages) are kept."""
    check_department_curator(principal)
    existing = store.department_learners.get(principal.org_id, learner_id)
    kept = learners.with_defaults(existing) if existing else {}
    fields = {"position": kept.get("position"), "languages": kept.get("languages", []),
              **body}
    return learners.put_learner(store, principal, learner_id, fields, public_url)


def list_learners(store: Store, principal: Principal) -> list[Document]:
    """The caller's department's learners."""
    check_department_curator(principal)
    return store.department_learners.list(principal.org_id)


def get_learner(store: Store, principal: Principal, learner_id: str) -> Document:
    """One learner of the caller's department, else 404."""
    check_department_curator(principal)
    return learners.visible_learner(store, principal, learner_id)


def remove_learner(store: Store, principal: Principal, learner_id: str) -> None:
    """Remove a learner from the directory (plans naming it keep the name; it matches no one)."""
    check_department_curator(principal)
    learners.delete_learner(store, principal, learner_id)


# -- plans ---------------------------------------------------------------------------------

def _check_version(store: Store, org_id: str, version: Document) -> Document:
    """A plan version whose items are published catalogue items and whose named learners are
    in the directory; the audience names someone."""
    for index, item_id in enumerate(version["items"]):
        course = store.courses.get(item_id)
        if course is None or course.get("live") is None:
            raise ValidationError.for_field(
                f"items.{index}", f"{item_id} is not a published course or program")
    if len(set(version["items"])) != len(version["items"]):
        raise ValidationError.for_field("items", "lists an item twice")
    audience = version["audience"]
    if not (audience["all"] or audience["designations"] or audience["learners"]):
        raise ValidationError.for_field("audience", "assigns the plan to no one: set all, "
                                                    "designations or learners")
    for index, learner_id in enumerate(audience["learners"]):
        if store.department_learners.get(org_id, learner_id) is None:
            raise ValidationError.for_field(f"audience.learners.{index}",
                                            f"{learner_id} is not in the learner directory")
    return version


def _event(principal: Principal, action: str, version: int | None = None) -> Document:
    return {"action": action, "by": principal.key, "at": utcnow(), "version": version}


def create_plan(store: Store, principal: Principal, version: Document) -> Document:
    """A new plan of the caller's department, its content as the draft."""
    check_department_curator(principal)
    _check_version(store, principal.org_id, version)
    plan: Document = {"id": "pln_" + uuid.uuid4().hex, "org_id": principal.org_id,
                      "state": "draft", "live": None, "live_version": 0, "draft": version,
                      "events": [_event(principal, "create")], "created_at": utcnow(),
                      "updated_at": None}
    store.plans.add(plan)
    return get_plan(store, principal, plan["id"])


def get_plan(store: Store, principal: Principal, plan_id: str) -> Document:
    """One plan of the caller's department, else 404."""
    check_department_curator(principal)
    plan = store.plans.get(plan_id)
    if plan is None or plan["org_id"] != principal.org_id:
        raise NotFound(f"no plan {plan_id}")
    return plan


def list_plans(store: Store, principal: Principal, state: str | None = None) -> list[Document]:
    """The caller's department's plans, oldest first."""
    check_department_curator(principal)
    return store.plans.list(principal.org_id, state)


def _save(store: Store, plan: Document, changes: Document) -> Document:
    try:
        return store.plans.replace({**plan, **changes, "updated_at": utcnow()},
                                   plan["row_version"])
    except ConcurrentUpdate:
        raise Conflict(f"plan {plan['id']} was changed meanwhile; read it again") from None


def edit_draft(store: Store, principal: Principal, plan_id: str, version: Document) -> Document:
    """Replace the working draft (a live plan keeps serving its live version meanwhile)."""
    plan = get_plan(store, principal, plan_id)
    if plan["state"] == "retired":
        raise Conflict(f"plan {plan_id} is retired")
    _check_version(store, principal.org_id, version)
    return _save(store, plan, {"draft": version,
                               "events": [*plan["events"], _event(principal, "edit_draft")]})


def transition(store: Store, principal: Principal, plan_id: str, action: str) -> Document:
    """``go_live`` (the draft becomes live version n+1) or ``retire`` (final)."""
    plan = get_plan(store, principal, plan_id)
    sources, target = TRANSITIONS[action]
    if plan["state"] not in sources:
        raise Conflict(f"{action} is not possible from state {plan['state']}")
    changes: Document = {"state": target}
    version = None
    if action == "go_live":
        if plan["draft"] is None:
            raise Conflict("there is no draft to make live")
        # Items may have been retired since the draft was saved: check again.
        _check_version(store, principal.org_id, plan["draft"])
        version = plan["live_version"] + 1
        changes.update(live=plan["draft"], draft=None, live_version=version)
    changes["events"] = [*plan["events"], _event(principal, action, version)]
    return _save(store, plan, changes)


def shown(plan: Document, lang: str | None) -> Document:
    """A plan as the API answers it: without its audit events, with its title in ``lang``."""
    version = plan["live"] or plan["draft"] or {}
    body = {k: v for k, v in plan.items() if k not in ("events", "row_version")}
    body["title"] = pick_text(version.get("title"), lang)
    return body


def audit(plan: Document) -> list[Any]:
    """A plan's audit events, oldest first."""
    return list(plan["events"])
