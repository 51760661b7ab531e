"""Courses stored with the old ``lti`` delivery (``{"type": "lti", "tool_url"}``, a bare URL)
move to a tool registration: ``{"type": "lti", "tool": <id>, "target_link_uri": <the URL>}``.

The URL becomes the target link (LTI 1.3 §5.1.2.2); the tool is the course's own provider's
registration whose host names match the URL's host (login, redirect, launch or Deep Linking
URL), preferring one that lists the URL itself. A course with no such tool is reported and left
as it was, never dropped: its provider registers the tool (``/lti/tools``) and the migration
runs again. Both the working revision and the live version are moved, with an audit event, by
the catalogue's compare-and-set write (a course changed meanwhile is reported, not overwritten).
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from marketplace.service import audit_event
from storage.errors import ConcurrentUpdate
from storage.ports import Document, Store

PAGE = 200
CONTENT_FIELDS = ("revision", "live")


def _hosts(tool: Document) -> set[str]:
    urls = [tool.get("initiate_login_url"), tool.get("target_link_uri"),
            tool.get("deep_linking_url"), *(tool.get("redirect_uris") or ())]
    return {(urlsplit(u).hostname or "").lower() for u in urls if u}


def match_tool(tools: list[Document], url: str) -> Document | None:
    """The registration for an old ``tool_url``: one listing the URL itself, else the oldest
    whose hosts include the URL's host; None when no host matches."""
    host = (urlsplit(url).hostname or "").lower()
    candidates = [t for t in tools if host and host in _hosts(t)]
    exact = [t for t in candidates
             if url in (t.get("redirect_uris") or ()) or url == t.get("target_link_uri")]
    found = exact or candidates
    return found[0] if found else None


def _moved(content: Document | None, tools: list[Document]) -> tuple[Document | None, str | None]:
    """(content with its delivery moved, None), (None, the old URL) when no tool matches,
    (None, None) when there is nothing to move."""
    delivery = (content or {}).get("delivery") or {}
    if delivery.get("type") != "lti" or "tool_url" not in delivery:
        return None, None
    tool = match_tool(tools, str(delivery["tool_url"]))
    if tool is None:
        return None, str(delivery["tool_url"])
    moved = copy.deepcopy(content)
    assert moved is not None
    new_delivery = {k: v for k, v in delivery.items() if k != "tool_url"}
    new_delivery.update({"tool": tool["id"], "target_link_uri": delivery["tool_url"]})
    moved["delivery"] = new_delivery
    return moved, None


def migrate_course(store: Store, course: Document, tools: list[Document],
                   dry_run: bool = False) -> Document | None:
    """Move one course; returns a report line, or None when it had nothing to move."""
    updated = copy.deepcopy(course)
    unmatched: list[str] = []
    moved_fields: list[str] = []
    for name in CONTENT_FIELDS:
        moved, old_url = _moved(course.get(name), tools)
        if moved is not None:
            updated[name] = moved
            moved_fields.append(name)
        elif old_url is not None:
            unmatched.append(old_url)
    if not moved_fields and not unmatched:
        return None
    line: Document = {"course_id": course["id"], "provider_id": course["provider_id"]}
    if unmatched:
        # All or nothing per course: a live version and a revision never name different kinds
        # of delivery because one of them found no tool.
        return {**line, "status": "unmatched", "tool_url": unmatched[0],
                "reason": "no tool registration of the provider has this URL's host"}
    line.update({"status": "migrated", "fields": moved_fields,
                 "tool": updated[moved_fields[0]]["delivery"]["tool"]})
    if dry_run:
        return line
    event = audit_event(course["id"], "migration", course["provider_id"], course["state"],
                        course["state"], "migrate_lti_delivery",
                        f"LTI delivery now names tool {line['tool']}", course["revision_number"])
    try:
        store.courses.replace(updated, course["row_version"], event)
    except ConcurrentUpdate:
        return {**line, "status": "changed", "reason": "changed meanwhile: run again"}
    return line


def migrate_tool_urls(store: Store, dry_run: bool = False) -> Document:
    """Move every stored course with a ``tool_url``; returns ``{"migrated": n, "unmatched": n,
    "changed": n, "courses": [report lines]}``."""
    report: dict[str, Any] = {"migrated": 0, "unmatched": 0, "changed": 0, "courses": []}
    tools_by_provider: dict[str, list[Document]] = {}
    after: str | None = None
    while True:
        page = store.courses.list_for_provider(None, None, PAGE, after)
        for course in page:
            provider = course["provider_id"]
            if provider not in tools_by_provider:
                tools_by_provider[provider] = store.lti_tools.list(provider)
            line = migrate_course(store, course, tools_by_provider[provider], dry_run)
            if line is not None:
                report[line["status"]] += 1
                report["courses"].append(line)
        if len(page) < PAGE:
            return report
        after = page[-1]["id"]
