"""The vetting workflow as data (DESIGN.md "Vetting workflow").

::

    draft --submit--> submitted --start_review--> in_review --publish--> published
      ^                  |                          |                       |
      +----withdraw------+                   request_changes             retire -> retired
                                                    v
                          submitted <--submit-- changes_requested (editable)

    Editing a published course starts a new revision in state draft; live is kept.

Only reviewers (or admins) take the actions past ``submitted``; the owning provider's publishers
take the others (a curated program's are its curating organisation's ``curator``s: callers
pass ``owner_role``). ``retire`` is open to both: a provider may withdraw its offer, a reviewer may
pull a course. Nothing here touches storage: :mod:`marketplace.service` applies the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.errors import Conflict, PermissionDenied
from hub.principal import Principal, Role


@dataclass(frozen=True)
class Transition:
    """One edge of the workflow: ``action`` moves ``source`` to ``target`` for ``roles``."""

    action: str
    source: str
    target: str
    roles: tuple[str, ...]
    needs_comment: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "draft", "submitted", (Role.PUBLISHER,)),
    Transition("submit", "changes_requested", "submitted", (Role.PUBLISHER,)),
    Transition("withdraw", "submitted", "draft", (Role.PUBLISHER,)),
    Transition("start_review", "submitted", "in_review", (Role.REVIEWER,)),
    Transition("request_changes", "in_review", "changes_requested", (Role.REVIEWER,),
               needs_comment=True),
    Transition("publish", "in_review", "published", (Role.REVIEWER,)),
    Transition("retire", "published", "retired", (Role.PUBLISHER, Role.REVIEWER)),
)

#: States in which the provider may edit the working revision in place.
EDITABLE_STATES = frozenset({"draft", "changes_requested"})
#: Editing a course in this state starts a new revision (state draft) and keeps ``live``.
REVISABLE_STATES = frozenset({"published"})


def may_act(principal: Principal, transition: Transition, owner_id: str,
            owner_role: str = Role.PUBLISHER) -> bool:
    """Whether the caller may take ``transition`` on a course of provider ``owner_id``.

    Publisher actions belong to the owning organisation only, taken by its ``owner_role``
    (``publisher`` of a provider's course, ``curator`` of a program); reviewer actions to any
    reviewer (or admin), whose organisation is the review board, not the provider.
    """
    if Role.PUBLISHER in transition.roles and principal.holds_in(owner_id, owner_role):
        return True
    return Role.REVIEWER in transition.roles and principal.has(Role.REVIEWER)


def actions_from(state: str) -> list[str]:
    """Every action the workflow allows from ``state`` (for anyone)."""
    return sorted({t.action for t in TRANSITIONS if t.source == state})


def allowed_actions(principal: Principal, state: str, owner_id: str,
                    owner_role: str = Role.PUBLISHER) -> list[str]:
    """The actions this caller may take now, plus ``edit`` when the revision is editable."""
    actions = {t.action for t in TRANSITIONS
               if t.source == state and may_act(principal, t, owner_id, owner_role)}
    if (state in EDITABLE_STATES or state in REVISABLE_STATES) \
            and principal.holds_in(owner_id, owner_role):
        actions.add("edit")
    return sorted(actions)


def find_transition(principal: Principal, state: str, action: str, owner_id: str,
                    owner_role: str = Role.PUBLISHER) -> Transition:
    """The transition for ``action`` from ``state``, checked against the caller's roles.

    409 naming the allowed actions when the workflow has no such edge from ``state``; 403 when
    the edge exists but belongs to another role.
    """
    edge = next((t for t in TRANSITIONS if t.source == state and t.action == action), None)
    if edge is None:
        allowed = actions_from(state)
        raise Conflict(
            f"cannot {action} a course in state {state}; allowed: "
            f"{', '.join(allowed) if allowed else 'none'}",
            state=state, allowed_actions=allowed,
        )
    if not may_act(principal, edge, owner_id, owner_role):
        roles = [owner_role if r == Role.PUBLISHER else r for r in edge.roles]
        raise PermissionDenied(f"{action} needs the {' or '.join(roles)} role")
    return edge


def check_editable(state: str) -> None:
    """409 when the working revision cannot be edited in ``state`` (it is under review)."""
    if state not in EDITABLE_STATES and state not in REVISABLE_STATES:
        allowed = actions_from(state)
        raise Conflict(
            f"a course in state {state} cannot be edited; allowed: "
            f"{', '.join(allowed) if allowed else 'none'}",
            state=state, allowed_actions=allowed,
        )
