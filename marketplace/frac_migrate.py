"""``hub frac migrate-tags``: competency tags stored before tags were validated become tags of
the published FRAC frameworks.

Before FRAC, a course's ``competencies`` were free ``{"id", "level"}`` pairs (``COMP-017``). This
resolves each stored tag by id or reference code against the latest published versions
(:func:`marketplace.frac_catalog.published`) into the stored shape of
:mod:`marketplace.frac_tags`. A tag that does not resolve (unknown id or code, a node that is
not a competency, a level the competency does not define) is kept as it was and reported, in
the command's output and on the course (``tag_report``), never dropped. Both the working
revision and the live version are rewritten, with an audit event, by the catalogue's
compare-and-set write; a course changed meanwhile is reported and left for the next run.
Tags already in the stored shape are left alone, so a second run changes nothing.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from marketplace.frac_catalog import PublishedFrameworks, published
from marketplace.frac_model import COMPETENCY
from marketplace.frac_tags import FIELD, stored_tag
from marketplace.service import audit_event
from storage.errors import ConcurrentUpdate
from storage.ports import Document, Store

PAGE = 200
CONTENT_FIELDS = ("revision", "live")


def resolve_tag(frameworks: PublishedFrameworks, tag: Document) -> tuple[Document | None, str]:
    """(the stored form, "") of a legacy tag, or (None, why it stays as it is)."""
    found = frameworks.resolve(str(tag.get("id")))
    if found is None:
        return None, "unknown"
    version, node = found
    if node.get("type") != COMPETENCY:
        return None, f"not a competency ({node.get('type')})"
    level = tag.get("level")
    if isinstance(level, bool) or not isinstance(level, int) or level not in version.levels(
            node["id"]):
        return None, f"level {level} not defined by {node.get('code') or node['id']}"
    return stored_tag(version, node, level), ""


def _migrated(frameworks: PublishedFrameworks, content: Document | None
              ) -> tuple[Document | None, int, list[Document]]:
    """(content with its legacy tags resolved or None when none was, how many were, the
    unresolved tags with why)."""
    tags = (content or {}).get(FIELD) or []
    out: list[Any] = []
    resolved = 0
    unknown: list[Document] = []
    for tag in tags:
        if not isinstance(tag, dict) or tag.get("framework"):
            out.append(tag)  # already validated: a retired node is tag_report's business
            continue
        stored, why = resolve_tag(frameworks, tag)
        if stored is None:
            out.append(tag)
            unknown.append({"id": tag.get("id"), "level": tag.get("level"), "problem": why})
        else:
            out.append(stored)
            resolved += 1
    if not resolved:
        return None, 0, unknown
    moved = copy.deepcopy(content) or {}
    moved[FIELD] = out
    return moved, resolved, unknown


def migrate_course(store: Store, frameworks: PublishedFrameworks, course: Document,
                   dry_run: bool = False) -> Document | None:
    """Migrate one course; its report line, or None when it has no legacy tag."""
    updated = copy.deepcopy(course)
    resolved = 0
    unknown: dict[tuple[str, Any], Document] = {}
    for name in CONTENT_FIELDS:
        moved, count, left = _migrated(frameworks, course.get(name))
        if moved is not None:
            updated[name] = moved
            resolved += count
        for tag in left:
            unknown.setdefault((str(tag["id"]), tag["level"]), tag)
    if not resolved and not unknown:
        return None
    line: Document = {"course_id": course["id"], "provider_id": course["provider_id"],
                      "status": "migrated" if resolved else "unchanged",
                      "resolved": resolved, "unknown": len(unknown),
                      "unknown_tags": list(unknown.values())}
    if not resolved or dry_run:
        return line
    event = audit_event(course["id"], "migration", course["provider_id"], course["state"],
                        course["state"], "migrate_competency_tags",
                        f"{resolved} competency tag(s) resolved against the published FRAC "
                        f"frameworks; {len(unknown)} unknown kept", course["revision_number"])
    try:
        store.courses.replace(updated, course["row_version"], event)
    except ConcurrentUpdate:
        return {**line, "status": "changed", "reason": "changed meanwhile: run again"}
    return line


def migrate_tags(store: Store, progress: Callable[[int], Any] | None = None,
                 dry_run: bool = False) -> Document:
    """Migrate every stored course; ``{"courses_seen", "migrated", "unchanged", "changed",
    "tags_resolved", "tags_unknown", "courses": [report lines]}`` (lines only for courses with
    legacy tags). ``progress(n)`` is called after each course (a tqdm bar's ``update``)."""
    frameworks = published(store)
    report: dict[str, Any] = {"courses_seen": 0, "migrated": 0, "unchanged": 0, "changed": 0,
                              "tags_resolved": 0, "tags_unknown": 0, "courses": []}
    after: str | None = None
    while True:
        page = store.courses.list_for_provider(None, None, PAGE, after)
        for course in page:
            report["courses_seen"] += 1
            line = migrate_course(store, frameworks, course, dry_run)
            if line is not None:
                report[line["status"]] += 1
                if line["status"] == "migrated":
                    report["tags_resolved"] += line["resolved"]
                report["tags_unknown"] += line["unknown"]
                report["courses"].append(line)
            if progress is not None:
                progress(1)
        if len(page) < PAGE:
            return report
        after = page[-1]["id"]


@click.command("migrate-tags")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@with_appcontext
def migrate_tags_command(dry_run: bool) -> None:
    """Resolve stored competency tags against the published FRAC frameworks (by id or code);
    unknown tags are kept and reported. Prints the report as JSON; exit status 1 when any tag
    stays unknown or a course changed meanwhile."""
    import orjson

    store = current_app.extensions["hub.store"]
    if not published(store).versions():
        click.echo("error: no FRAC framework is published; publish one first", err=True)
        sys.exit(2)
    with tqdm(total=store.courses.count(), unit="course", desc="migrate-tags",
              file=sys.stderr) as bar:
        report = migrate_tags(store, bar.update, dry_run)
    click.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    if report["tags_unknown"] or report["changed"]:
        sys.exit(1)
