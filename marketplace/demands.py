"""Departments' demand for content (DESIGN.md "FRAC": Demand): raise, accept, fulfil.

A department's curator raises a demand for content the catalogue lacks (title, objective,
target learners, FRAC competencies validated by :func:`marketplace.frac_tags.validate_tags`,
learning mode), broadcast to every provider or sent to one. Providers see the open demands
sent to them and the broadcast ones asking for a competency their published courses teach;
one of them accepts it (a compare-and-set: of two providers accepting at once, one wins and
the other gets 409 naming the status) and moves it through :mod:`marketplace.demand_workflow`
to fulfilled by linking one of its published catalogue items (a course or a program). Every
step is an audit event written with the change.

Tenancy: the raising department, the provider it was sent to or that accepted it, and, while
it is open, every provider for a broadcast demand see a demand; anyone else gets 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from catalogue_schemas.links import catalogue_item_url
from hub.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from marketplace import demand_workflow, frac_tags
from storage.ports import Document, Store
from storage.ports.demands import OPEN_STATUS
from storage.timestamps import utcnow

#: Courses read per page when collecting a provider's published competencies.
_COURSE_PAGE = 200


def new_demand_id() -> str:
    """A fresh demand id, time-ordered (``dem_`` + the UTC instant's digits + 8 random hex
    digits), so that a list paged by id runs in creation order."""
    return "dem_" + "".join(c for c in utcnow() if c.isdigit()) + uuid.uuid4().hex[:8]


def demand_event(demand_id: str, principal: Principal, action: str, source: str | None,
                 target: str, comment: str | None = None, at: str | None = None) -> Document:
    """One audit event: who (credential key, organisation), when, from, to, action, why."""
    return {"id": "evt_" + uuid.uuid4().hex, "demand_id": demand_id, "at": at or utcnow(),
            "actor": principal.key, "org_id": principal.org_id, "action": action,
            "from": source, "to": target, "comment": comment}


def is_visible(principal: Principal, demand: Document) -> bool:
    """See the module docstring (tenancy)."""
    if principal.acts_for(demand["org_id"]):
        return True
    if demand.get("assigned_to") == principal.org_id:
        return True
    return demand["status"] == OPEN_STATUS and demand_workflow.is_candidate(principal, demand)


def load_visible(store: Store, principal: Principal, demand_id: str) -> Document:
    """The demand if the caller may see it, else 404 (also another department's demand)."""
    demand = store.demands.get(demand_id)
    if demand is None or not is_visible(principal, demand):
        raise NotFound(f"no demand {demand_id!r}")
    return demand


def shown(store: Store, principal: Principal, demand: Document, lang: str | None,
          base_url: str = "") -> Document:
    """The demand as the API shows it: competencies with names in ``lang``, the caller's
    allowed actions, the fulfilment's public page."""
    out = dict(demand)
    out["competencies"] = frac_tags.public_tags(store, demand.get("competencies"), lang)
    out["allowed_actions"] = demand_workflow.allowed_actions(principal, demand)
    if demand.get("fulfilment"):
        out["fulfilment"] = {**demand["fulfilment"], "url": (
            catalogue_item_url(base_url, demand["fulfilment"]["catalogue_id"]))}
    return out


def raise_demand(store: Store, principal: Principal, data: Document) -> Document:
    """Store a new demand (``unassigned``) of the caller's department and its ``raise`` event.

    403 unless the caller is a curator of a department; 400 naming the tag for a competency
    the published FRAC frameworks refuse, and naming ``provider_id`` when it is not a
    provider."""
    if not (principal.is_kind(OrgKind.DEPARTMENT) and principal.has(Role.CURATOR)):
        raise PermissionDenied("raising a demand needs the curator role of a department")
    competencies = frac_tags.validate_tags(store, data["competencies"])
    provider_id = data.get("provider_id")
    if provider_id is not None:
        provider = store.organisations.get(provider_id)
        if provider is None or provider.get("kind") != OrgKind.PROVIDER:
            raise ValidationError.for_field("provider_id", f"no provider {provider_id!r}")
    now = utcnow()
    demand: Document = {
        "id": new_demand_id(), "org_id": principal.org_id, "title": data["title"],
        "objective": data["objective"], "target_learners": data["target_learners"],
        "competencies": competencies, "learning_mode": data["learning_mode"],
        "provider_id": provider_id, "status": OPEN_STATUS, "assigned_to": None,
        "fulfilment": None, "row_version": 1, "created_at": now, "updated_at": now,
        "created_by": principal.key}
    store.demands.add(demand, demand_event(demand["id"], principal, "raise", None, OPEN_STATUS,
                                           at=now))
    return demand


def _fulfilment(store: Store, demand: Document, catalogue_id: str | None) -> Document:
    """The catalogue item that fulfils ``demand``: a published course or program (its
    ``live`` version is served) of the provider that accepted the demand; 400 naming
    ``catalogue_id`` otherwise, with one message whoever owns the id (no existence leak)."""
    if not catalogue_id:
        raise ValidationError.for_field("catalogue_id", "fulfil names the published course "
                                        "or program that fulfils the demand")
    item = store.courses.get(catalogue_id)
    live = (item or {}).get("live")
    if item is None or live is None or item.get("provider_id") != demand["assigned_to"]:
        raise ValidationError.for_field(
            "catalogue_id", f"no published course or program {catalogue_id!r} of the "
                            "accepting provider")
    return {"catalogue_id": catalogue_id, "category": live.get("category"),
            "title": live.get("title") or {}, "live_version": item.get("live_version")}


def transition(store: Store, principal: Principal, demand_id: str, action: str,
               comment: str | None = None, catalogue_id: str | None = None) -> Document:
    """Take a workflow action (:mod:`marketplace.demand_workflow`) and record its event.

    The write is a compare-and-set on ``row_version``: when another request moved the demand
    first (a second provider accepting it), nothing is written and the answer is 409 naming
    the status the demand is in now."""
    demand = store.demands.get(demand_id)
    if demand is not None and not is_visible(principal, demand) and action == "accept" \
            and demand_workflow.is_candidate(principal, demand):
        # A provider the demand was open to, too late: another provider accepted it first.
        # It saw the demand, so the status is no secret; a 404 would read as a wrong id.
        demand_workflow.find_step(principal, demand, action)
    if demand is None or not is_visible(principal, demand):
        raise NotFound(f"no demand {demand_id!r}")
    step = demand_workflow.find_step(principal, demand, action)
    if step.needs_comment and not (comment and comment.strip()):
        raise ValidationError.for_field("comment", f"{action} needs a comment saying why")
    now = utcnow()
    changed = {**demand, "status": step.target, "updated_at": now}
    if action == "accept":
        changed["assigned_to"] = principal.org_id
    elif action == "fulfil":
        changed["fulfilment"] = _fulfilment(store, demand, catalogue_id)
    event = demand_event(demand_id, principal, action, step.source, step.target,
                         comment, at=now)
    stored = store.demands.replace(changed, expected_version=demand["row_version"],
                                   event=event)
    if stored is None:
        current = store.demands.get(demand_id) or demand
        raise Conflict(f"the demand moved on to status {current['status']} meanwhile; "
                       f"cannot {action} it now", demand_status=current["status"],
                       allowed_actions=demand_workflow.allowed_actions(principal, current))
    return stored


def published_competencies(store: Store, provider_id: str) -> list[str]:
    """Ids of the competencies a provider's published catalogue items teach (the tags of
    their live versions)."""
    found: dict[str, None] = {}
    after: str | None = None
    while True:
        page = store.courses.list_for_provider(provider_id, None, _COURSE_PAGE, after)
        for course in page:
            for tag in (course.get("live") or {}).get(frac_tags.FIELD) or ():
                if isinstance(tag, dict) and tag.get("id"):
                    found[str(tag["id"])] = None
        if len(page) < _COURSE_PAGE:
            return list(found)
        after = page[-1]["id"]


def _page(items: list[Document], limit: int, show: Callable[[Document], Document]
          ) -> Document:
    return {"items": [show(d) for d in items],
            "next": items[-1]["id"] if len(items) == limit else None}


def list_demands(store: Store, principal: Principal, args: Document,
                 show: Callable[[Document], Document]) -> Document:
    """A department's own demands; for a provider, the demands it accepted."""
    statuses, limit, after = tuple(args.get("status") or ()), args["limit"], args.get("after")
    if principal.is_kind(OrgKind.PROVIDER):
        items = store.demands.list_assigned(principal.org_id, statuses, limit, after)
    else:
        items = store.demands.list_for_org(principal.org_id, statuses, limit, after)
    return _page(items, limit, show)


def list_open(store: Store, principal: Principal, args: Document,
              show: Callable[[Document], Document]) -> Document:
    """The open demands a provider may accept: sent to it, or broadcast and asking for a
    competency its published catalogue items teach. 403 for anyone but a provider's
    publisher."""
    if not (principal.is_kind(OrgKind.PROVIDER) and principal.has(Role.PUBLISHER)):
        raise PermissionDenied("open demands are listed for a publisher of a provider")
    competencies = published_competencies(store, principal.org_id)
    items = store.demands.list_open(principal.org_id, competencies, args["limit"],
                                    args.get("after"))
    return _page(items, args["limit"], show)


def audit_trail(store: Store, principal: Principal, demand_id: str) -> list[Any]:
    """Every audit event of a demand the caller may see, oldest first."""
    load_visible(store, principal, demand_id)
    return store.demands.events(demand_id)
