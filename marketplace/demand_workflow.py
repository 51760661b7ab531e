"""The demand workflow as data (DESIGN.md "FRAC": Demand).

::

    unassigned --accept--> assigned --start--> in_progress --fulfil--> fulfilled
        |                     |                    |
        +---------------------+--------------------+--invalidate--> invalid

``accept`` belongs to a publisher of a provider (the one the demand was sent to, or any for a
broadcast demand); ``start`` and ``fulfil`` to a publisher of the provider that accepted it;
``invalidate`` (with a reason) to a curator of the department that raised it. Nothing here
touches storage: :mod:`marketplace.demands` applies the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.errors import Conflict, PermissionDenied
from hub.principal import OrgKind, Principal, Role
from storage.ports import Document

#: Who takes an action: the department that raised the demand, a provider that may accept
#: it, or the provider that accepted it.
DEPARTMENT, CANDIDATE, ASSIGNEE = "department", "candidate provider", "accepting provider"


@dataclass(frozen=True)
class Step:
    """One edge: ``action`` moves ``source`` to ``target``, taken by ``side``."""

    action: str
    source: str
    target: str
    side: str
    needs_comment: bool = False


STEPS: tuple[Step, ...] = (
    Step("accept", "unassigned", "assigned", CANDIDATE),
    Step("start", "assigned", "in_progress", ASSIGNEE),
    Step("fulfil", "in_progress", "fulfilled", ASSIGNEE),
    *(Step("invalidate", source, "invalid", DEPARTMENT, needs_comment=True)
      for source in ("unassigned", "assigned", "in_progress")),
)


def is_candidate(principal: Principal, demand: Document) -> bool:
    """A provider's publisher that may accept the demand: it was sent to that provider, or
    broadcast to every provider."""
    return (principal.is_kind(OrgKind.PROVIDER) and principal.has(Role.PUBLISHER)
            and demand.get("provider_id") in (None, principal.org_id))


def on_side(principal: Principal, demand: Document, side: str) -> bool:
    """Whether the caller takes actions of ``side`` on this demand."""
    if side == DEPARTMENT:
        return principal.holds_in(demand["org_id"], Role.CURATOR) \
            or principal.acts_for_every_organisation()
    if side == CANDIDATE:
        return is_candidate(principal, demand)
    assigned = demand.get("assigned_to")
    return assigned is not None and principal.holds_in(assigned, Role.PUBLISHER)


def actions_from(status: str) -> list[str]:
    """Every action the workflow allows from ``status`` (for anyone)."""
    return sorted({s.action for s in STEPS if s.source == status})


def allowed_actions(principal: Principal, demand: Document) -> list[str]:
    """The actions this caller may take now."""
    return sorted({s.action for s in STEPS
                   if s.source == demand["status"] and on_side(principal, demand, s.side)})


def find_step(principal: Principal, demand: Document, action: str) -> Step:
    """The step for ``action`` from the demand's status, checked against the caller: 409
    naming the status and the allowed actions when the workflow has no such edge from here,
    403 when the edge belongs to the other side."""
    status = demand["status"]
    step = next((s for s in STEPS if s.source == status and s.action == action), None)
    if step is None:
        allowed = actions_from(status)
        raise Conflict(f"cannot {action} a demand in status {status}; allowed: "
                       f"{', '.join(allowed) if allowed else 'none'}",
                       demand_status=status, allowed_actions=allowed)
    if not on_side(principal, demand, step.side):
        raise PermissionDenied(f"{action} is taken by the {step.side} of the demand")
    return step
