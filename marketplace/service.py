"""Catalogue rules: create, edit and move courses through the vetting workflow.

Services receive the store (a :class:`storage.ports.Store`) and the caller
(:class:`hub.principal.Principal`, which decides who acts for which organisation); they never
see Flask. Tenancy lives here: a provider's credential sees only its own organisation's
courses, and another provider's course is *not found* (404), never forbidden, so that ids do
not leak. Reviewers and admins see every course.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from hub.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    PreconditionRequired,
    ValidationError,
)
from hub.principal import OrgKind, Principal, Role
from marketplace import frac_tags, packages, program_items, vetting
from storage.errors import ConcurrentUpdate
from storage.ports import Document, Store
from storage.timestamps import utcnow


def new_course_id() -> str:
    """A fresh course id (URL-safe, no dots so that ``<id>.jsonld`` is unambiguous)."""
    return "crs_" + uuid.uuid4().hex


def audit_event(course_id: str, actor: str, org_id: str, source: str | None, target: str,
                action: str, comment: str | None = None, revision_number: int | None = None,
                at: str | None = None) -> Document:
    """One audit event: who (credential key, organisation), when, from, to, action, why."""
    return {
        "id": "evt_" + uuid.uuid4().hex,
        "course_id": course_id,
        "at": at or utcnow(),
        "actor": actor,
        "org_id": org_id,
        "from": source,
        "to": target,
        "action": action,
        "comment": comment,
        "revision_number": revision_number,
    }


def new_course(provider_id: str, content: Document, actor: str, org_id: str,
               submit: bool = False, now: str | None = None,
               course_id: str | None = None) -> tuple[Document, list[Document]]:
    """A new draft course (submitted when ``submit``) and its audit events, not yet stored.

    Used by the API, the bulk importer and the demo loader so that every course starts alike.
    """
    now = now or utcnow()
    course_id = course_id or new_course_id()
    course: Document = {
        "id": course_id,
        "provider_id": provider_id,
        "state": "draft",
        "row_version": 1,
        "revision": content,
        "revision_number": 1,
        "live": None,
        "live_version": None,
        "created_at": now,
        "updated_at": now,
        "published_at": None,
        "rating": {"average": None, "count": 0},
        "search_seq": None,
    }
    events = [audit_event(course_id, actor, org_id, None, "draft", "create", None, 1, now)]
    if submit:
        course["state"] = "submitted"
        events.append(audit_event(course_id, actor, org_id, "draft", "submitted", "submit",
                                  None, 1, now))
    return course, events


def is_visible(principal: Principal, course: Document) -> bool:
    """Owners see their courses; reviewers and admins see all."""
    return principal.acts_for(course["provider_id"]) or principal.has(Role.REVIEWER)


def load_visible(store: Store, principal: Principal, course_id: str) -> Document:
    """The course if the caller may see it, else 404 (also for another provider's course)."""
    course = store.courses.get(course_id)
    if course is None or not is_visible(principal, course):
        raise NotFound(f"no course {course_id!r}")
    return course


def owner_role(course: Document) -> str:
    """The role whose holders in the owning organisation write the item and take its owner's
    workflow actions: ``curator`` for a curated program, ``publisher`` for a course."""
    return Role.CURATOR if program_items.is_program(course) else Role.PUBLISHER


def with_actions(principal: Principal, course: Document, store: Store | None = None
                 ) -> Document:
    """The course as the API shows it: plus the actions this caller may take now and (given
    the store) the ``tag_report`` of its tags the latest FRAC versions no longer validate and,
    for a program, the ``item_report`` of its items no longer published."""
    shown = dict(course)
    shown["allowed_actions"] = vetting.allowed_actions(principal, course["state"],
                                                       course["provider_id"],
                                                       owner_role(course))
    if store is not None:
        shown["tag_report"] = frac_tags.tag_report(store, course)
        shown["item_report"] = program_items.item_report(store, course)
    return shown


def check_if_match(course: Document, if_match: str | None) -> None:
    """RFC 9110 §13.1.1 If-Match against the course's ETag (its ``row_version``); 412 if
    stale. ``*`` matches any existing course. No header is 428 (RFC 6585 §3): without it two
    editors would silently overwrite each other (the lost-update problem)."""
    if if_match is None:
        raise PreconditionRequired(
            "If-Match: a course is changed only with the ETag of the version it was read at "
            "(GET /courses/{id}); send it in If-Match"
        )
    if if_match.strip() == "*":
        return
    current = etag(course)
    candidates = [c.strip().removeprefix("W/") for c in if_match.split(",")]
    if current not in candidates:
        raise PreconditionFailed(
            f"the course changed (ETag now {current}); fetch it again and retry",
            current_etag=current,
        )


def etag(course: Document) -> str:
    """The ETag of a course: its quoted ``row_version``."""
    return f'"{course["row_version"]}"'


def replace_checked(store: Store, read: Document, updated: Document,
                    event: Document) -> Document:
    """Write ``updated`` over ``read`` with the store's compare-and-set on ``row_version``.

    Losing it means another write landed between this request's read (whose ETag matched
    If-Match) and its write: the version the client named is no longer current, which is a
    failed precondition (412, RFC 9110 §13.1.1), exactly as if it had arrived a moment later."""
    try:
        return store.courses.replace(updated, read["row_version"], event)  # type: ignore[no-any-return]
    except ConcurrentUpdate:
        current = store.courses.get(read["id"])
        shown: dict[str, Any] = {"current_etag": etag(current)} if current else {}
        raise PreconditionFailed(
            "the course changed while this request was applied; fetch it again and retry",
            **shown,
        ) from None


def check_provider_publisher(principal: Principal, doing: str) -> None:
    """403 unless the caller is a publisher of a provider organisation: only providers offer
    courses, so only they create or import them (``doing`` names the act in the message)."""
    if not (principal.is_kind(OrgKind.PROVIDER) and principal.has(Role.PUBLISHER)):
        raise PermissionDenied(f"only a publisher of a provider organisation {doing} courses")


def delivery_problem(store: Store, provider_id: str, content: Document) -> str | None:
    """Why the course's delivery cannot be launched for ``provider_id``, or None: an ``lti``
    course names one of its own provider's tool registrations (``store.lti_tools``), so a
    provider can never send its learners to another provider's tool."""
    delivery = content.get("delivery") or {}
    if delivery.get("type") != "lti":
        return None
    tool = store.lti_tools.get(delivery.get("tool") or "")
    if tool is None or tool["org_id"] != provider_id:
        return f"no LTI tool {delivery.get('tool')!r} registered by this provider"
    return None


def check_delivery(store: Store, provider_id: str, content: Document) -> None:
    """400 naming ``delivery.tool`` when :func:`delivery_problem` finds one."""
    problem = delivery_problem(store, provider_id, content)
    if problem:
        raise ValidationError.for_field("delivery.tool", problem)


def create_course(store: Store, principal: Principal, content: Document) -> Document:
    """``POST /courses``: a publisher of a provider organisation creates a draft."""
    check_provider_publisher(principal, "creates")
    check_delivery(store, principal.org_id, content)
    content = frac_tags.validated_content(store, content)
    course, events = new_course(principal.org_id, content, principal.key, principal.org_id)
    store.courses.add(course, events[0])
    return course


def list_courses(store: Store, principal: Principal, states: list[str], provider: str | None,
                 limit: int, after: str | None) -> Document:
    """``GET /courses``: own courses; every provider's for reviewers/admins (``provider``
    narrows). One extra row tells whether there is a next page."""
    if principal.has(Role.REVIEWER):
        owner = provider
    elif provider not in (None, principal.org_id):
        return {"items": [], "next": None}  # another tenant's list: empty, not an error
    else:
        owner = principal.org_id
    rows = store.courses.list_for_provider(owner, states or None, limit + 1, after)
    page = rows[:limit]
    return {
        "items": [with_actions(principal, c, store) for c in page],
        "next": page[-1]["id"] if len(rows) > limit else None,
    }


def review_queue(store: Store, principal: Principal, limit: int, after: str | None) -> Document:
    """``GET /review-queue``: every course waiting for or in review (reviewers only)."""
    if not principal.has(Role.REVIEWER):
        raise PermissionDenied("the review queue is for reviewers")
    return list_courses(store, principal, ["submitted", "in_review"], None, limit, after)


def with_revision(course: Document, content: Document, now: str,
                  in_place: str) -> tuple[Document, str]:
    """A copy of ``course`` whose working revision is ``content``, and the audit action: a
    published course gets a new ``draft`` revision (``revise``) while ``live`` keeps serving;
    otherwise the revision is replaced where it is (action ``in_place``)."""
    updated = copy.deepcopy(course)
    updated["revision"] = content
    updated["updated_at"] = now
    if course["state"] not in vetting.REVISABLE_STATES:
        return updated, in_place
    updated["state"] = "draft"
    updated["revision_number"] = course["revision_number"] + 1
    return updated, "revise"


def edit_course(store: Store, principal: Principal, course_id: str, content: Document,
                if_match: str | None) -> Document:
    """``PUT /courses/<id>``: replace the working revision.

    In ``draft``/``changes_requested`` the revision is edited in place. Editing a published
    course starts a new revision in ``draft`` while ``live`` keeps serving the published one.
    """
    course = load_visible(store, principal, course_id)
    if program_items.is_program(course):
        raise Conflict(f"{course_id} is a curated program: edit it with PUT /programs/{course_id}")
    if not principal.holds_in(course["provider_id"], Role.PUBLISHER):
        raise PermissionDenied("only the provider's publishers edit a course")
    check_if_match(course, if_match)
    vetting.check_editable(course["state"])
    check_delivery(store, course["provider_id"], content)
    content = frac_tags.validated_content(store, content, course)
    content = packages.carried_over(course["revision"], content)
    return save_revision(store, principal, course, content)


def save_revision(store: Store, principal: Principal, course: Document,
                  content: Document) -> Document:
    """Store ``content`` as the working revision of the (checked, editable) ``course`` with its
    audit event: edited in place, or a new revision of a published item (see
    :func:`with_revision`). Courses and programs are revised alike."""
    now = utcnow()
    updated, action = with_revision(course, content, now, "edit")
    event = audit_event(course["id"], principal.key, principal.org_id, course["state"],
                        updated["state"], action, None, updated["revision_number"], now)
    return replace_checked(store, course, updated, event)


def transition_course(store: Store, principal: Principal, course_id: str, action: str,
                      comment: str | None, if_match: str | None) -> Document:
    """``POST /courses/<id>/transitions``: take one workflow action, atomically with its
    audit event. Publishing copies the revision to ``live`` in the same ``replace()`` call, so
    readers see either the old live version or the new one, never a mix."""
    course = load_visible(store, principal, course_id)
    check_if_match(course, if_match)
    edge = vetting.find_transition(principal, course["state"], action, course["provider_id"],
                                   owner_role(course))
    comment = (comment or "").strip() or None
    if edge.needs_comment and comment is None:
        raise ValidationError.for_field("comment", f"a reason is required to {action}")
    now = utcnow()
    updated = copy.deepcopy(course)
    if program_items.is_program(course) and action in program_items.GUARDED_ACTIONS:
        # A program is offered only with published items; its duration is re-derived from
        # their live durations at this moment, so what goes live matches what it lists.
        program_items.check_published(store, course["revision"], course_id)
        updated["revision"] = program_items.with_derived(store, course["revision"])
    updated["state"] = edge.target
    updated["updated_at"] = now
    if action == "publish":
        updated["live"] = copy.deepcopy(updated["revision"])
        updated["live_version"] = course["revision_number"]
        updated["published_at"] = now
    elif action == "retire":
        updated["live"] = None
    event = audit_event(course_id, principal.key, principal.org_id, course["state"],
                        edge.target, action, comment, course["revision_number"], now)
    return replace_checked(store, course, updated, event)


def audit_trail(store: Store, principal: Principal, course_id: str) -> list[Document]:
    """``GET /courses/<id>/audit``: every event, oldest first (owner and reviewers only)."""
    load_visible(store, principal, course_id)
    return store.courses.audit_trail(course_id)  # type: ignore[no-any-return]
