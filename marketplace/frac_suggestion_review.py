"""Competency suggestions for a course, and a reviewer's decisions on them.

``suggestions`` ranks the competencies of every published framework (latest versions) for the
course's working revision with :mod:`marketplace.frac_suggest`, leaving out competencies the
course is already tagged with and suggestions a reviewer rejected. ``decide`` stores a
reviewer's decision (``store.frac_suggestions``); an accepted suggestion becomes a tag of the
working revision through the same compare-and-set revision write as an edit, with an audit
event, and both commit together.

Who: the course's own publishers and curators, reviewers (the review board sees every course)
and admins read suggestions; reviewers, admins and the course organisation's curators decide.
Another organisation's course is 404, as everywhere in the catalogue.
"""

from __future__ import annotations

import copy
from typing import Any

from hub.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hub.principal import Principal, Role
from marketplace import frac_tags
from marketplace.frac_catalog import published
from marketplace.frac_model import FrameworkVersion, pick_text
from marketplace.frac_suggest import course_texts, model_for
from marketplace.service import audit_event, load_visible, replace_checked, with_revision
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: Most tags a course revision carries (``CourseContentSchema.competencies``).
MAX_TAGS = 50


def _may_read(principal: Principal, course: Document) -> bool:
    return principal.has(Role.REVIEWER) or principal.holds_in(
        course["provider_id"], Role.PUBLISHER, Role.CURATOR)


def _may_decide(principal: Principal, course: Document) -> bool:
    return principal.has(Role.REVIEWER) or principal.holds_in(course["provider_id"],
                                                               Role.CURATOR)


def _tagged(content: Document) -> set[str]:
    """Ids and codes the revision is tagged with (a tag may still name a code)."""
    tags = content.get("competencies") or []
    return {str(t[key]) for t in tags if isinstance(t, dict) for key in ("id", "code") if key in t}


def _shown(version: FrameworkVersion, node: Document, lang: str | None) -> Document:
    theme = version.theme_of(node["id"]) or {}
    return {
        "competency": node["id"],
        "code": node.get("code"),
        "name": pick_text(node.get("name"), lang),
        "area": node.get("area"),
        "theme": pick_text(theme.get("name"), lang),
        "levels": sorted(version.levels(node["id"])),
        "framework": version.framework,
        "version": version.number,
    }


def suggestions(store: Store, principal: Principal, course_id: str, limit: int,
                lang: str | None = None) -> Document:
    """``GET /courses/<id>/competency-suggestions``: the top ``limit`` suggestions.

    Each carries its cosine ``score`` and the ``languages`` of the course text it matched in;
    names are picked in ``lang``. Several frameworks: each ranks its own competencies, and
    the lists are merged by score.
    """
    course = load_visible(store, principal, course_id)
    if not _may_read(principal, course):
        raise PermissionDenied("competency suggestions are for the course's publishers and "
                               "curators, reviewers and admins")
    content = course["revision"]
    texts = course_texts(content)
    decided = store.frac_suggestions.list_for_course(course_id)
    skip = _tagged(content) | {d["competency"] for d in decided}
    found: list[tuple[float, Document]] = []
    for version in published(store).versions():
        for s in model_for(version).suggest(texts, limit=limit, exclude=skip):
            node = version.node(s.id)
            if node is not None:
                item = _shown(version, node, lang)
                item.update(score=s.score, languages=list(s.languages))
                found.append((s.score, item))
    found.sort(key=lambda pair: (-pair[0], pair[1]["code"] or "", pair[1]["competency"]))
    return {"course": course_id, "items": [item for _score, item in found[:limit]]}


def _resolve(store: Store, competency: str) -> tuple[FrameworkVersion, Document]:
    resolved = published(store).resolve(competency)
    if resolved is None or resolved[1].get("type") != "subtheme":
        raise NotFound(f"no competency {competency!r} in a published framework")
    return resolved


def _score(version: FrameworkVersion, node: Document, content: Document) -> float | None:
    texts = course_texts(content)
    for s in model_for(version).suggest(texts, limit=len(version.competencies())):
        if s.id == node["id"]:
            return s.score
    return None


def _tag_revision(store: Store, principal: Principal, course: Document, node: Document,
                  level: int, now: str) -> Document:
    """The course with ``{"id", "level"}`` added to its working revision (replacing a tag
    of the same competency), written like an edit: in place while the revision is being
    prepared or reviewed, as a new draft revision of a published course (its live version
    keeps serving). A retired course takes no tags.

    The tags are checked and stored by ``marketplace.frac_tags.validate_tags``, the one
    check of every course write (the course's tags kept as they are)."""
    if course["state"] == "retired":
        raise Conflict("a retired course takes no new tags", state="retired",
                       allowed_actions=[])
    content = copy.deepcopy(course["revision"])
    same = {node["id"], node.get("code")}
    tags = [t for t in content.get("competencies") or [] if t.get("id") not in same]
    if len(tags) >= MAX_TAGS:
        raise ValidationError.for_field("competencies", f"a course has at most {MAX_TAGS} tags")
    content["competencies"] = frac_tags.validate_tags(
        store, [*tags, {"id": node["id"], "level": level}], kept=frac_tags.course_tags(course))
    updated, action = with_revision(course, content, now, "tag")
    event = audit_event(course["id"], principal.key, principal.org_id, course["state"],
                        updated["state"], action,
                        f"accepted suggested competency {node.get('code')} at level {level}",
                        updated["revision_number"], now)
    return replace_checked(store, course, updated, event)


def decide(store: Store, principal: Principal, course_id: str, competency: str,
           verdict: str, level: int | None) -> Document:
    """``POST /courses/<id>/competency-suggestions/<competency>``: accept (with a level the
    competency defines) or reject. Returns the stored decision, and the course's new
    revision number for an accepted one."""
    course = load_visible(store, principal, course_id)
    if not _may_decide(principal, course):
        raise PermissionDenied("suggestions are decided by reviewers, admins and the course "
                               "organisation's curators")
    version, node = _resolve(store, competency)
    if verdict == "accept":
        if level is None:
            raise ValidationError.for_field("level", "accepting a suggestion needs a level")
        defined = version.levels(node["id"])
        if level not in defined:
            raise ValidationError.for_field(
                "level", f"{node.get('code')} defines levels {sorted(defined)}, not {level}")
    now = utcnow()
    decision: Document = {
        "course": course_id, "competency": node["id"], "code": node.get("code"),
        "org_id": course["provider_id"], "decision": verdict,
        "level": level if verdict == "accept" else None,
        "score": _score(version, node, course["revision"]),
        "framework": version.framework, "version": version.number,
        "by": principal.key, "at": now,
    }

    def write() -> Document:
        shown = dict(decision)
        if verdict == "accept":
            assert level is not None
            updated = _tag_revision(store, principal, course, node, level, now)
            shown["revision_number"] = updated["revision_number"]
        # After the course: on MongoDB (no transaction) a lost compare-and-set stores nothing.
        store.frac_suggestions.record(decision)
        return shown

    result: Any = store.write(write)
    return result  # type: ignore[no-any-return]
