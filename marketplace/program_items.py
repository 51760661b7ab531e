"""The items of a curated program, read against the live catalogue.

A program (catalogue item with a ``program`` part in its content) lists catalogue items by id.
Those items live their own lives: they are revised, and may be retired while the program uses
them. This module answers, from the store, what each item is now: it derives the program's
duration from its items' live durations, refuses to submit or publish a program whose
catalogue items are not published, and reports (never drops) items that were retired since.
It imports nothing of the course service, so :mod:`marketplace.service` can ask it which
role owns an item and whether a program may move on.
"""

from __future__ import annotations

from typing import Any

from catalogue_schemas.fields import duration_minutes
from hub.errors import ValidationError
from storage.ports import Document, Store

#: Workflow actions after which a program is (or is about to be) offered to learners: its
#: catalogue items must be published then, not just when the program was written.
GUARDED_ACTIONS = frozenset({"submit", "publish"})


def is_program(course: Document) -> bool:
    """Whether a stored catalogue item is a curated program (its content has a ``program``
    part; a course's content never has one, :class:`CourseContentSchema` refuses it)."""
    return isinstance((course.get("revision") or {}).get("program"), dict)


def catalogue_ids(content: Document | None) -> list[tuple[int, str]]:
    """(position, catalogue id) of every catalogue item of a program content."""
    items = ((content or {}).get("program") or {}).get("items") or []
    return [(i, str(item["course"])) for i, item in enumerate(items) if item.get("course")]


def _status(course: Document | None, program_id: str | None) -> str:
    """``published``, ``retired`` or ``unavailable``: a draft of another organisation is as
    unavailable as an id that never existed, so a program never reveals unpublished ids."""
    if course is None or course["id"] == program_id:
        return "unavailable"
    if course.get("live") is not None:
        return "published"
    return "retired" if course.get("state") == "retired" else "unavailable"


def items_by_id(store: Store, content: Document | None) -> dict[str, Document | None]:
    """Every catalogue item the program names, by id (None when there is no such item)."""
    return {cid: store.courses.get(cid) for _, cid in catalogue_ids(content)}


def check_published(store: Store, content: Document, program_id: str | None = None,
                    found: dict[str, Document | None] | None = None,
                    kept: frozenset[str] = frozenset()) -> None:
    """400 naming ``program.items.<i>.course`` for every catalogue item that is not published
    now (a program cannot contain itself). Nothing is written when one is refused.

    ``kept`` are ids the program already lists: an edit may keep an item retired since (it
    stays in :func:`item_report`), but submitting or publishing passes no ``kept``."""
    found = found if found is not None else items_by_id(store, content)
    errors: dict[str, list[str]] = {}
    for position, cid in catalogue_ids(content):
        status = _status(found.get(cid), program_id)
        if status != "published" and not (status == "retired" and cid in kept):
            errors[f"program.items.{position}.course"] = [
                f"catalogue item {cid!r} is {status}; a program lists published items only"]
    if errors:
        first = next(iter(errors))
        detail = (f"{first}: {errors[first][0]}" if len(errors) == 1
                  else f"items not published: {', '.join(errors)}")
        raise ValidationError(detail, errors=errors)


def derived_duration(store: Store, content: Document,
                     found: dict[str, Document | None] | None = None
                     ) -> tuple[str | None, int | None]:
    """(ISO 8601 duration, minutes) of a program: the sum of its catalogue items' *live*
    durations and its external resources' stated ones; (None, None) when none is known."""
    found = found if found is not None else items_by_id(store, content)
    total = 0
    known = False
    for item in (content.get("program") or {}).get("items") or []:
        if item.get("course"):
            live = (found.get(str(item["course"])) or {}).get("live") or {}
            minutes = live.get("duration_minutes")
        else:
            minutes = duration_minutes(item["duration"]) if item.get("duration") else None
        if isinstance(minutes, int):
            total += minutes
            known = True
    if not known:
        return None, None
    return iso_minutes(total), total


def with_derived(store: Store, content: Document) -> Document:
    """``content`` with ``duration`` and ``duration_minutes`` derived from its items now."""
    duration, minutes = derived_duration(store, content)
    return {**content, "duration": duration, "duration_minutes": minutes}


def kept_ids(course: Document) -> frozenset[str]:
    """Catalogue ids the stored program lists in its revision or live version."""
    return frozenset(cid for where in ("revision", "live")
                     for _, cid in catalogue_ids(course.get(where)))


def iso_minutes(minutes: int) -> str:
    """``PT<h>H<m>M`` for a number of minutes (``PT0M`` never: at least one minute)."""
    hours, rest = divmod(max(minutes, 1), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def item_report(store: Store, course: Document) -> list[Document]:
    """``[{"position", "course", "problem", "in": ["revision", "live"]}]``: the catalogue items
    of the program's working revision and live version that are not published now (retired
    since, withdrawn, or gone). Empty for a course."""
    if not is_program(course):
        return []
    report: dict[tuple[int, str], Document] = {}
    cache: dict[str, Document | None] = {}
    for where in ("revision", "live"):
        for position, cid in catalogue_ids(course.get(where)):
            if cid not in cache:
                cache[cid] = store.courses.get(cid)
            status = _status(cache[cid], course["id"])
            if status == "published":
                continue
            entry = report.setdefault((position, cid), {"position": position, "course": cid,
                                                        "problem": status, "in": []})
            entry["in"].append(where)
    return sorted(report.values(), key=lambda e: (e["position"], e["course"]))


def public_items(store: Store, live: Document) -> list[Document]:
    """The items of a live program as its public page lists them: a catalogue item with its
    live title, duration and version (or its status when it is no longer published), an
    external resource with its URL."""
    out: list[Document] = []
    for position, item in enumerate((live.get("program") or {}).get("items") or []):
        shown: dict[str, Any] = {"position": position, "kind": item.get("kind"),
                                 "required": bool(item.get("required", True)),
                                 "course": item.get("course"), "url": item.get("url")}
        if item.get("course"):
            course = store.courses.get(str(item["course"]))
            status = _status(course, None)
            current = (course or {}).get("live") or {}
            shown.update(status=status, title=current.get("title"),
                         duration=current.get("duration"),
                         live_version=(course or {}).get("live_version")
                         if status == "published" else None)
        else:
            shown.update(status="external", title=item.get("title"),
                         duration=item.get("duration"), live_version=None)
        out.append(shown)
    return out

