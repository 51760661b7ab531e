"""The demo FRAC framework in the store (``hub demo load``, which ``make run`` runs): the data of
:mod:`marketplace.demo_frac_data` written through ``store.frac`` as an already reviewed
framework, and the stored shape of the demo courses' competency tags.

The framework belongs to the demo review board (a platform-admin organisation), so that the
board's people are the ones who review and publish it. Its nodes arrive as an import would
bring them (FRAC_PLAN.md, part C): status ``confirmed`` with one ``imported`` event each, and
version 1 is published at once, because tags, search and the CASE export read only published
versions and the demo courses are tagged against it.
"""

from __future__ import annotations

from collections.abc import Iterable

from marketplace import demo_frac_data as data
from marketplace.frac_model import FrameworkVersion
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: Who the demo's framework, events and version name as their author (the demo's courses are
#: written by "demo-import" in the same way).
DEMO_ACTOR = "demo"

#: Fields of a demo entry that a node keeps as they are (``parent`` and requirements name codes
#: in the data and ids in the store).
_COPIED = ("type", "code", "name", "description", "area", "levels", "keywords", "resources")

#: The course level of the catalogue -> the proficiency level its competency tag claims.
COURSE_LEVEL_TO_PROFICIENCY = {"beginner": 1, "intermediate": 2, "advanced": 3}


def topic_tag(topic_en: str, course_level: str) -> Document:
    """The input tag ``{"id", "level"}`` of a demo course on ``topic_en`` (FRAC_PLAN.md, the
    demo's topic -> sub-theme map): the sub-theme's id, the level from the course's level."""
    code = f"COMSUBTHEME-{data.TOPIC_SUBTHEMES[topic_en]}"
    return {"id": data.node_id(code), "level": COURSE_LEVEL_TO_PROFICIENCY[course_level]}


def node_document(entry: Document, framework_id: str, now: str) -> Document:
    """The working node (FRAC_PLAN.md "Node document") of one demo entry, confirmed."""
    node: Document = {"id": data.node_id(entry["code"]), "framework": framework_id,
                      **{k: entry[k] for k in _COPIED if k in entry},
                      "parent": data.node_id(entry["parent"]) if entry["parent"] else None}
    if "requirements" in entry:
        node["requirements"] = [{"competency": data.node_id(r["competency"]),
                                 "level": r["level"]} for r in entry["requirements"]]
    node.update({"status": "confirmed", "revision": 1, "created_at": now, "updated_at": now,
                 "extensions": {}})
    return node


def _imported(node: Document, org_id: str, now: str) -> Document:
    """The node's only event: it arrived confirmed, as from a CASE import."""
    return {"node": node["id"], "framework": node["framework"], "at": now, "by": DEMO_ACTOR,
            "org_id": org_id, "action": "imported", "from": None, "to": "confirmed",
            "comment": "demo framework"}


def load_demo_framework(store: Store, org_id: str) -> FrameworkVersion:
    """Write the demo framework of ``org_id`` (framework, confirmed nodes with their events)
    and publish it as version 1; returns that version. ``DuplicateKey`` when it is there."""
    now = utcnow()
    meta = data.FRAMEWORK
    framework = {"id": meta["id"], "org_id": org_id, "title": meta["title"],
                 "description": meta["description"], "creator": meta["creator"],
                 "created_at": now, "updated_at": now, "extensions": {}}
    nodes = [node_document(entry, framework["id"], now) for entry in data.ENTRIES]
    store.frac.add_framework(framework)
    store.frac.add_nodes(nodes, [_imported(node, org_id, now) for node in nodes])
    version = {"framework": framework["id"], "number": 1, "published_at": now,
               "published_by": DEMO_ACTOR, "title": framework["title"],
               "description": framework["description"], "extensions": {},
               # A version holds the nodes as they were, without the working "revision".
               "nodes": [{k: v for k, v in n.items() if k != "revision"} for n in nodes],
               "associations": [], "retired": []}
    store.frac.add_version(version)
    return FrameworkVersion(version)


def stored_tag(version: FrameworkVersion, tag: Document) -> Document:
    """The stored shape of a tag (FRAC_PLAN.md "Course tag") on a competency of ``version``,
    named by id or code: ``{"id", "level", "framework", "version", "code", "area", "theme"}``
    with ``area`` the competency area (``functional``) and ``theme`` the theme's node id.
    ``KeyError`` for a tag the version does not hold at that level: the demo's own data is
    wrong then. (Course writes validate tags of clients in their own module, part T.)"""
    node = version.node(tag["id"]) or version.by_code(tag["id"])
    if node is None or node["type"] != "subtheme" or tag["level"] not in version.levels(
            node["id"]):
        raise KeyError(f"the demo framework has no competency {tag['id']!r} at level "
                       f"{tag['level']}")
    theme = version.theme_of(node["id"])
    return {"id": node["id"], "level": tag["level"], "framework": version.framework,
            "version": version.number, "code": node["code"], "area": node["area"],
            "theme": theme["id"] if theme else None}


def stored_tags(version: FrameworkVersion, tags: Iterable[Document]) -> list[Document]:
    """:func:`stored_tag` of each tag, in order."""
    return [stored_tag(version, tag) for tag in tags]
