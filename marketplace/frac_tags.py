"""A course's competency tags, validated against the published FRAC frameworks (DESIGN.md
"FRAC": iGOT does not validate its tags; we do).

A tag arrives as ``{"id": competency (sub-theme) id or its reference code, "level": 1..5}``
(course content ``competencies``, :class:`catalogue_schemas.course.CompetencyTagSchema`) and is
stored denormalised, so that the catalogue index and the public course need no lookup::

    {"id": sub-theme id, "level", "framework", "version", "code", "area", "theme"}

(``area`` is the sub-theme's area, ``behavioural``/``functional``/``domain``; ``theme`` its
theme's node id; ``version`` the framework version the tag was validated against).

- :func:`validate_tags` checks the tags of every course write (``POST``/``PUT /courses``, every
  import row, suggestions accepted by a reviewer) against the *latest* published version of
  every framework (:func:`marketplace.frac_catalog.published`): an unknown id or code, a node
  that is not a competency, a level the competency does not define, a competency tagged twice,
  or tags while no framework is published are a 400 naming the tag (``competencies.2.level``).
- A course tagged against version N stays valid when N+1 is published: its stored tags are
  never rewritten by a publication. A tag the course already carries is kept as stored when
  the latest version no longer validates it (its node retired, or a tag stored before tags were
  validated), so that editing another field of the course does not drop it; such tags are
  reported by :func:`tag_report`, never dropped.
- :func:`public_tags` and :func:`alignments` show the tags with names and codes in the
  request's language (the public course, its schema.org JSON-LD).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hub.errors import ValidationError
from marketplace.frac_catalog import PublishedFrameworks, published
from marketplace.frac_model import COMPETENCY, LEVEL_NAMES, FrameworkVersion, pick_text
from storage.ports import Document, Store

#: The course content field holding the tags (and the prefix of every error's field name).
FIELD = "competencies"

#: CASE 1.1 REST path of one item (a published node): the ``targetUrl`` of an alignment.
CASE_ITEM_PATH = "/ims/case/v1p1/CFItems/"


def stored_tag(version: FrameworkVersion, node: Document, level: int) -> Document:
    """The stored (denormalised) form of a tag to ``node`` of ``version`` at ``level``."""
    theme = version.theme_of(node["id"])
    return {"id": node["id"], "level": level, "framework": version.framework,
            "version": version.number, "code": node.get("code"), "area": node.get("area"),
            "theme": theme["id"] if theme else None}


def _retired_in(frameworks: PublishedFrameworks, ident: str) -> int | None:
    """The latest version number that retired the node with this id or code (looked up in
    the version before it), or None."""
    for version in frameworks.versions():
        if not version.retired or version.number < 2:
            continue
        before = frameworks.version(version.framework, version.number - 1)
        node = before and (before.node(ident) or before.by_code(ident))
        if node and node["id"] in version.retired:
            return version.number
    return None


def _problem(frameworks: PublishedFrameworks, tag: Document) -> tuple[str, str, Document | None]:
    """(field suffix, message, None) for a tag the latest versions refuse, else ("", "", the
    stored tag)."""
    ident, level = str(tag.get("id")), tag.get("level")
    found = frameworks.resolve(ident)
    if found is None:
        retired = _retired_in(frameworks, ident)
        if retired is not None:
            return "id", (f"competency {ident!r} was retired in version {retired} of its "
                          "framework; tag a current one"), None
        return "id", (f"no competency {ident!r} in the published FRAC frameworks (an id or a "
                      "reference code such as COMSUBTHEME-12)"), None
    if isinstance(level, bool) or not isinstance(level, int):
        return "level", "a proficiency level 1-5 is required", None
    version, node = found
    if node.get("type") != COMPETENCY:
        return "id", (f"{ident!r} is a {node.get('type')}, not a competency: tag a sub-theme "
                      "(COMSUBTHEME-…)"), None
    defined = sorted(version.levels(node["id"]))
    if level not in defined:
        return "level", (f"competency {node.get('code') or ident} defines levels "
                         f"{', '.join(map(str, defined)) or 'none'}, not {level}"), None
    return "", "", stored_tag(version, node, level)


def validate_tags(store: Store, tags: Sequence[Document], *, field: str = FIELD,
                  kept: Iterable[Document] = ()) -> list[Document]:
    """The stored form of ``tags`` (input shape ``{"id", "level"}``), in their order; a
    :class:`hub.errors.ValidationError` naming every bad tag (``competencies.<i>.id`` or
    ``.level``) otherwise, so nothing of the write happens.

    ``kept`` are the tags the course already carries (its revision and live version): an input
    tag with the same id and level as one of them stays as stored when the latest versions no
    longer validate it (retired node, tag from before validation), see the module docstring.
    """
    if not tags:
        return []
    frameworks = published(store)
    if not frameworks.versions():
        raise ValidationError.for_field(
            field, "no FRAC framework is published yet, so no competency can be tagged: "
                   "publish a framework version first, or send no competencies")
    previous = {(str(t.get(key)), t.get("level")): t for t in kept if isinstance(t, dict)
                for key in ("id", "code") if t.get(key)}  # by id, or by code as input may be
    errors: dict[str, list[str]] = {}
    out: list[Document] = []
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        suffix, message, stored = _problem(frameworks, tag)
        if stored is None:
            same = previous.get((str(tag.get("id")), tag.get("level")))
            if same is not None:
                stored = dict(same)
            else:
                errors[f"{field}.{index}.{suffix}"] = [message]
                continue
        first = seen.setdefault(str(stored["id"]), index)
        if first != index:
            errors[f"{field}.{index}.id"] = [
                f"competency {stored.get('code') or stored['id']} is already tagged "
                f"({field}.{first}); a course teaches a competency at one level"]
            continue
        out.append(stored)
    if errors:
        names = ", ".join(errors)
        detail = (f"{names}: {next(iter(errors.values()))[0]}" if len(errors) == 1
                  else f"invalid competency tags: {names}")
        raise ValidationError(detail, errors=errors)
    return out


def course_tags(course: Document) -> list[Document]:
    """Every tag the course carries, in its working revision and its live version."""
    return [t for part in ("revision", "live") for t in (course.get(part) or {}).get(FIELD) or []
            if isinstance(t, dict)]


def validated_content(store: Store, content: Document, course: Document | None = None
                      ) -> Document:
    """``content`` (a loaded :class:`CourseContentSchema`) with its tags validated and in their
    stored form; ``course`` is the stored course being edited (its tags are ``kept``)."""
    tags = validate_tags(store, content.get(FIELD) or [],
                         kept=course_tags(course) if course else ())
    return {**content, FIELD: tags}


def tag_problem(frameworks: PublishedFrameworks, tag: Document) -> str | None:
    """Why a stored tag is no longer good against the latest versions, or None:
    ``"retired in version N"``, ``"level L not defined in version N"``, ``"not migrated"``
    (a tag stored before validation whose id or code the frameworks know: ``hub frac
    migrate-tags`` rewrites it) or ``"unknown"``."""
    framework = tag.get("framework")
    if not framework:
        return "not migrated" if _problem(frameworks, tag)[2] is not None else "unknown"
    latest = frameworks.latest(str(framework))
    if latest is None:
        return "unknown"
    node = latest.node(str(tag.get("id")))
    if node is None:
        since = int(tag.get("version") or 0)
        for number in range(since + 1, latest.number + 1):
            version = frameworks.version(str(framework), number)
            if version is not None and tag.get("id") in version.retired:
                return f"retired in version {number}"
        return f"retired in version {latest.number}" if since < latest.number else "unknown"
    if tag.get("level") not in latest.levels(node["id"]):
        return f"level {tag.get('level')} not defined in version {latest.number}"
    return None


def tag_report(store: Store, course: Document) -> list[Document]:
    """``[{"id", "code", "level", "problem", "in": ["revision", "live"]}]``: the course's tags
    the latest versions no longer validate (kept on the course, shown to its provider)."""
    tags = [(part, t) for part in ("revision", "live")
            for t in (course.get(part) or {}).get(FIELD) or [] if isinstance(t, dict)]
    if not tags:
        return []
    frameworks = published(store)
    report: dict[tuple[str, Any], Document] = {}
    for part, tag in tags:
        problem = tag_problem(frameworks, tag)
        if problem is None:
            continue
        line = report.setdefault((str(tag.get("id")), tag.get("level")), {
            "id": tag.get("id"), "code": tag.get("code"), "level": tag.get("level"),
            "problem": problem, "in": []})
        line["in"].append(part)
    return list(report.values())


def _version_of(frameworks: PublishedFrameworks, tag: Document) -> FrameworkVersion | None:
    framework = tag.get("framework")
    if not framework:
        return None
    return frameworks.version(str(framework), int(tag.get("version") or 0) or None)


def public_tag(frameworks: PublishedFrameworks, tag: Document, lang: str | None) -> Document:
    """A stored tag as the hub shows it: ``{"id", "code", "name", "level", "level_name",
    "level_description", "area", "area_name", "theme", "theme_code", "theme_name",
    "framework", "version"}``, names in ``lang``, read from the version the tag was validated
    against (so a tag to a later retired node keeps its name). A tag stored before validation
    shows its id and level only (the other fields None)."""
    level = tag.get("level")
    shown: Document = {"id": tag.get("id"), "code": tag.get("code"), "name": None,
                       "level": level, "level_name": LEVEL_NAMES.get(level) if isinstance(
                           level, int) else None, "level_description": None,
                       "area": tag.get("area"), "area_name": None, "theme": tag.get("theme"),
                       "theme_code": None, "theme_name": None,
                       "framework": tag.get("framework"), "version": tag.get("version")}
    version = _version_of(frameworks, tag)
    node = version.node(str(tag.get("id"))) if version else None
    if version is None or node is None:
        return shown
    shown["name"] = version.text(node["id"], lang)
    shown["level_description"] = pick_text((node.get("levels") or {}).get(str(level)), lang)
    area = version.area_of(node["id"])
    if area is not None:
        shown["area_name"] = version.text(area["id"], lang)
    theme = version.theme_of(node["id"])
    if theme is not None:
        shown.update(theme_code=theme.get("code"), theme_name=version.text(theme["id"], lang))
    return shown


def show_tags(frameworks: PublishedFrameworks, lang: str | None,
              tags: Iterable[Document] | None) -> list[Document]:
    """Every stored tag as :func:`public_tag` shows it."""
    return [public_tag(frameworks, t, lang) for t in tags or () if isinstance(t, dict)]


def public_tags(store: Store, tags: Iterable[Document] | None, lang: str | None
                ) -> list[Document]:
    """Every stored tag as :func:`public_tag` shows it, from the store's frameworks."""
    tags = [t for t in tags or () if isinstance(t, dict)]
    return show_tags(published(store), lang, tags) if tags else []


def alignments(store: Store, tags: Iterable[Document] | None, lang: str | None,
               base_url: str) -> list[Document]:
    """schema.org ``AlignmentObject`` of every validated tag (https://schema.org/AlignmentObject):
    the course ``teaches`` the competency; ``targetUrl`` is the competency's CASE 1.1 CFItem URI
    (CASE 1.1 §4.3 getCFItem), ``educationalFramework`` the framework's title,
    ``targetDescription`` the level's name and this competency's description of it."""
    frameworks = published(store)
    out: list[Document] = []
    for tag in tags or ():
        version = _version_of(frameworks, tag) if isinstance(tag, dict) else None
        node = version.node(str(tag["id"])) if version else None
        if version is None or node is None:
            continue  # not validated yet: no framework item to align to
        shown = public_tag(frameworks, tag, lang)
        described = " — ".join(filter(None, (
            f"Level {shown['level']} ({shown['level_name']})", shown["level_description"])))
        out.append({"@type": "AlignmentObject", "alignmentType": "teaches",
                    "educationalFramework": version.title(lang),
                    "targetName": shown["name"],
                    "targetUrl": f"{base_url}{CASE_ITEM_PATH}{node['id']}",
                    "targetDescription": described})
    return out


#: Catalogue facet fields of competency tags (storage.catalogue_index.FACET_FIELDS).
FACETS = ("competency", "competency_area", "competency_theme", "competency_level")


def facet_label(frameworks: PublishedFrameworks, facet: str, value: str, lang: str | None
                ) -> Document:
    """``{"label", "code"}`` of a competency facet bucket (either may be missing): the node's
    name in ``lang`` and its code for a competency or theme id, the area node's for an area,
    the level name for a level."""
    if facet == "competency_level":
        name = LEVEL_NAMES.get(int(value)) if value.isdigit() else None
        return {"label": name} if name else {}
    if facet == "competency_area":
        for version in frameworks.versions():
            for area in version.of_type("area"):
                if area.get("area") == value:
                    return {"label": version.text(area["id"], lang) or value,
                            "code": area.get("code")}
        return {}
    found = frameworks.resolve(value)
    if found is None:
        return {}
    version, node = found
    shown = {"label": version.text(node["id"], lang), "code": node.get("code")}
    return {k: v for k, v in shown.items() if v is not None}


def filter_ids(frameworks: PublishedFrameworks, values: Iterable[str]) -> tuple[str, ...]:
    """Search filter values as the index holds them: a reference code becomes its node's id
    (``competency=COMSUBTHEME-12``); anything else stays as given (an id, a legacy tag)."""
    out: list[str] = []
    for value in values:
        found = frameworks.resolve(value)
        out.append(found[1]["id"] if found else value)
    return tuple(dict.fromkeys(out))
