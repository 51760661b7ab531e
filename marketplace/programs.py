"""Curated programs: catalogue items of category ``program`` written by curators.

A program is stored in the course repository as a catalogue item whose content has a
``program`` part (:mod:`catalogue_schemas.program`), so it has the course's revisions, vetting
workflow (:mod:`marketplace.vetting` with the ``curator`` as owner role), audit trail, search
and public catalogue; this module adds only what differs: who writes it, how its content is
derived (category, mode, duration from the items' live durations) and what it reports about
its items (:mod:`marketplace.program_items`).

Who writes: a ``curator`` of an institution or a department curates the vetted catalogue for
its officials. A provider offers courses; it does not curate programs (its publishers get 403
here), and the review board vets programs exactly as it vets courses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from catalogue_schemas.links import PROGRAM_ID_PREFIX
from hub.errors import NotFound, PermissionDenied
from hub.principal import OrgKind, Principal, Role
from marketplace import frac_tags, program_items, service, vetting
from marketplace.search import public_course
from storage.ports import Document, Store

#: Organisations whose curators write programs.
CURATING_KINDS = (OrgKind.INSTITUTION, OrgKind.DEPARTMENT)


def check_curator(principal: Principal) -> None:
    """403 unless the caller is a curator of an institution or a department."""
    if not (principal.is_kind(*CURATING_KINDS) and principal.has(Role.CURATOR)):
        raise PermissionDenied("only a curator of an institution or a department writes programs")


def stored_content(store: Store, content: Document, course: Document | None = None
                   ) -> Document:
    """The catalogue content of a loaded :class:`ProgramContentSchema`: tags validated
    (:func:`marketplace.frac_tags.validate_tags`), items checked, and what search and the
    public catalogue read derived (category, mode, duration, languages, delivery)."""
    found = program_items.items_by_id(store, content)
    program_items.check_published(store, content, course["id"] if course else None, found,
                                  program_items.kept_ids(course) if course else frozenset())
    content = frac_tags.validated_content(store, content, course)
    duration, minutes = program_items.derived_duration(store, content, found)
    part = content["program"]
    derived: dict[str, Any] = {
        "category": "program",
        # DESIGN.md learning modes: a blended program has classroom sessions led by people.
        "mode": "instructor-led" if part.get("blended") else "self-paced",
        "duration": duration,
        "duration_minutes": minutes,
        "languages": content.get("languages") or list(content["title"]),
        "keywords": list(dict.fromkeys(k.strip() for k in content.get("keywords") or []
                                       if k.strip())),
        # Nothing to launch: learners follow the items (LTI launch code looks for "lti").
        "delivery": {"type": "program"},
    }
    return {**content, **derived}


def load_program(store: Store, principal: Principal, program_id: str) -> Document:
    """The program if the caller may see it; 404 for another organisation's and for a
    catalogue item that is not a program."""
    item = service.load_visible(store, principal, program_id)
    if not program_items.is_program(item):
        raise NotFound(f"no program {program_id!r}")
    return item


def create_program(store: Store, principal: Principal, content: Document) -> Document:
    """``POST /programs``: a curator creates a draft program (audited like a course)."""
    check_curator(principal)
    content = stored_content(store, content)
    program, events = service.new_course(principal.org_id, content, principal.key,
                                         principal.org_id,
                                         course_id=PROGRAM_ID_PREFIX + uuid.uuid4().hex)
    store.courses.add(program, events[0])
    return program


def edit_program(store: Store, principal: Principal, program_id: str, content: Document,
                 if_match: str | None) -> Document:
    """``PUT /programs/<id>``: replace the working revision (a published program gets a new
    draft revision while its live version keeps serving), as :func:`service.edit_course`."""
    program = load_program(store, principal, program_id)
    if not principal.holds_in(program["provider_id"], Role.CURATOR):
        raise PermissionDenied("only the curating organisation's curators edit a program")
    service.check_if_match(program, if_match)
    vetting.check_editable(program["state"])
    return service.save_revision(store, principal, program,
                                 stored_content(store, content, program))


def list_programs(store: Store, principal: Principal, states: list[str], limit: int,
                  after: str | None) -> Document:
    """``GET /programs``: the caller's organisation's programs (every organisation's for
    reviewers), a page at a time; courses are skipped."""
    owner = None if principal.has(Role.REVIEWER) else principal.org_id
    items: list[Document] = []
    cursor = after
    more = False
    # Programs share the course repository: read pages until one page of programs is full.
    while True:
        rows = store.courses.list_for_provider(owner, states or None, 200, cursor)
        for row in rows:
            if program_items.is_program(row):
                if len(items) == limit:
                    more = True
                    break
                items.append(row)
        if more or len(rows) < 200:
            break
        cursor = rows[-1]["id"]
    return {"items": [service.with_actions(principal, p, store) for p in items],
            "next": items[-1]["id"] if more else None}


def items_needing_care(store: Store, principal: Principal) -> Document:
    """``GET /programs/item-report``: the caller's organisation's programs with items that are
    no longer published (retired since), so its curators can replace them."""
    check_curator(principal)
    page = list_programs(store, principal, [], 200, None)
    found = list(page["items"])
    while page["next"]:
        page = list_programs(store, principal, [], 200, page["next"])
        found.extend(page["items"])
    return {"items": [{"id": p["id"], "title": (p.get("live") or p["revision"])["title"],
                       "state": p["state"], "item_report": p["item_report"]}
                      for p in found if p["item_report"]]}


def public_program(store: Store, program_id: str, names: Callable[[str], str],
                   base_url: str, lang: str | None) -> Document:
    """The public page of a published program: the catalogue item (live version) plus its
    items, each catalogue item with its own live version now; 404 unless published."""
    program = store.courses.get(program_id)
    if program is None or program.get("live") is None or not program_items.is_program(program):
        raise NotFound(f"no published program {program_id!r}")
    item = public_course(program, names(program["provider_id"]), base_url,
                         lambda stored: frac_tags.public_tags(store, stored, lang))
    live = program["live"]
    item["blended"] = bool(live["program"].get("blended"))
    item["items"] = program_items.public_items(store, live)
    return item
