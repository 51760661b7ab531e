"""The FRAC vocabulary and a read-only view of one published framework version.

FRAC (DESIGN.md "FRAC"): competency area (behavioural, functional, domain) -> theme ->
sub-theme, the sub-theme being the competency a course is tagged with at a proficiency level
1-5; position -> role -> activity, a role requiring competencies at levels. Every FRAC module
shares these names; :class:`FrameworkVersion` answers the lookups tags, the CASE export,
search and suggestions make on a version document (``store.frac.get_version``) in O(1).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from storage.ports import Document
from storage.ports.frac import code_order

#: Proficiency levels and their fixed names (a competency describes each level it defines).
LEVEL_NAMES: Mapping[int, str] = MappingProxyType(
    {1: "Basic", 2: "Proficient", 3: "Advanced", 4: "Expert", 5: "Ustad"})

#: Node types; "other" keeps a foreign CASE item type (its CFItemType in ``extensions``).
NODE_TYPES = ("area", "theme", "subtheme", "position", "role", "activity", "other")

#: The node type a course is tagged with: the sub-theme is the competency.
COMPETENCY = "subtheme"

#: Competency areas: the ``area`` of every area, theme and sub-theme node.
AREAS = ("behavioural", "functional", "domain")

#: Review statuses of a node (unverified -> verified -> confirmed; rejected; retired).
STATUSES = ("unverified", "verified", "confirmed", "rejected", "retired")

#: The type a node's parent must have (areas and positions are roots; "other" is free).
PARENT_TYPE: Mapping[str, str] = MappingProxyType(
    {"theme": "area", "subtheme": "theme", "role": "position", "activity": "role"})

#: Reference code prefix of each type (CASE ``humanCodingScheme``: ``COMSUBTHEME-12``).
CODE_PREFIX: Mapping[str, str] = MappingProxyType(
    {"area": "COMAREA", "theme": "COMTHEME", "subtheme": "COMSUBTHEME", "position": "POS",
     "role": "ROLE", "activity": "ACT"})


def pick_text(langmap: Mapping[str, str] | None, lang: str | None = None) -> str | None:
    """The text of a language map for a BCP 47 tag: the exact tag (any case), else one with
    the same primary language (``hi`` for ``hi-IN`` and back), else English, else the first
    entry; None for an empty map."""
    if not langmap:
        return None
    lowered = {tag.lower(): text for tag, text in langmap.items()}
    for wanted in ((lang or "").lower(), "en"):
        if not wanted:
            continue
        if wanted in lowered:
            return lowered[wanted]
        primary = wanted.split("-", 1)[0]
        for tag, text in lowered.items():
            if tag.split("-", 1)[0] == primary:
                return text
    return next(iter(langmap.values()))


class FrameworkVersion:
    """An immutable view of one version document with precomputed indexes: node by id and
    by code, children, the chain to the root, the area and theme of each node.

    The view holds its own deep copy of the document, and catalogue caches share one view
    between requests: the documents it returns are read-only by convention (copy before
    changing one)."""

    __slots__ = ("_ancestors", "_by_code", "_by_id", "_children", "_doc", "_of_type",
                 "framework", "number", "retired")

    framework: str
    number: int
    retired: frozenset[str]
    _doc: Document
    _by_id: dict[str, Document]
    _by_code: dict[str, Document]
    _children: dict[str, tuple[Document, ...]]
    _of_type: dict[str, tuple[Document, ...]]
    _ancestors: dict[str, tuple[Document, ...]]

    def __init__(self, version_doc: Document) -> None:
        doc = copy.deepcopy(version_doc)
        nodes = sorted(doc.get("nodes") or [], key=code_order)
        by_id = {n["id"]: n for n in nodes}
        children: dict[str, list[Document]] = {}
        of_type: dict[str, list[Document]] = {}
        for n in nodes:
            of_type.setdefault(n["type"], []).append(n)
            if n.get("parent") in by_id:
                children.setdefault(n["parent"], []).append(n)
        set_ = object.__setattr__
        set_(self, "_doc", doc)
        set_(self, "framework", doc["framework"])
        set_(self, "number", int(doc["number"]))
        set_(self, "retired", frozenset(doc.get("retired") or ()))
        set_(self, "_by_id", by_id)
        set_(self, "_by_code", {n["code"]: n for n in nodes if n.get("code") is not None})
        set_(self, "_children", {k: tuple(v) for k, v in children.items()})
        set_(self, "_of_type", {k: tuple(v) for k, v in of_type.items()})
        set_(self, "_ancestors", {n["id"]: _chain(n, by_id) for n in nodes})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"FrameworkVersion is immutable (tried to set {name!r})")

    def __repr__(self) -> str:
        return f"FrameworkVersion({self.framework!r}, {self.number})"

    @property
    def document(self) -> Document:
        """The version document (read-only by convention)."""
        return self._doc

    def title(self, lang: str | None = None) -> str | None:
        """The framework's title in ``lang`` (see :func:`pick_text`)."""
        return pick_text(self._doc.get("title"), lang)

    def node(self, node_id: str) -> Document | None:
        """The node with this id, or None."""
        return self._by_id.get(node_id)

    def by_code(self, code: str) -> Document | None:
        """The node with this reference code, or None."""
        return self._by_code.get(code)

    def nodes(self) -> tuple[Document, ...]:
        """Every node, in code order."""
        return tuple(self._by_id.values())

    def children(self, node_id: str) -> tuple[Document, ...]:
        """The nodes whose parent is ``node_id``, in code order."""
        return self._children.get(node_id, ())

    def parent(self, node_id: str) -> Document | None:
        """The parent node, or None (a root, or an unknown id)."""
        chain = self._ancestors.get(node_id, ())
        return chain[0] if chain else None

    def ancestors(self, node_id: str) -> tuple[Document, ...]:
        """The chain above a node, its parent first, the root last."""
        return self._ancestors.get(node_id, ())

    def _up_to(self, node_id: str, node_type: str) -> Document | None:
        own = self._by_id.get(node_id)
        if own is None:
            return None
        if own["type"] == node_type:
            return own
        return next((a for a in self._ancestors[node_id] if a["type"] == node_type), None)

    def area_of(self, node_id: str) -> Document | None:
        """The area node of an area, theme or sub-theme (itself for an area), or None."""
        return self._up_to(node_id, "area")

    def theme_of(self, node_id: str) -> Document | None:
        """The theme node of a theme or sub-theme (itself for a theme), or None."""
        return self._up_to(node_id, "theme")

    def of_type(self, node_type: str) -> tuple[Document, ...]:
        """The nodes of one type, in code order."""
        return self._of_type.get(node_type, ())

    def competencies(self) -> tuple[Document, ...]:
        """The competencies (sub-themes), in code order."""
        return self.of_type(COMPETENCY)

    def roles(self) -> tuple[Document, ...]:
        """The roles, in code order."""
        return self.of_type("role")

    def levels(self, node_id: str) -> frozenset[int]:
        """The proficiency levels a competency defines (empty for other nodes)."""
        found = self._by_id.get(node_id)
        return frozenset(int(k) for k in (found or {}).get("levels") or {})

    def text(self, node_id: str, lang: str | None = None, field: str = "name") -> str | None:
        """A node's ``name`` (or another language-map ``field``) in ``lang``, or None."""
        found = self._by_id.get(node_id)
        return pick_text(found.get(field), lang) if found else None


def _chain(node: Document, by_id: Mapping[str, Document]) -> tuple[Document, ...]:
    """The ancestors of ``node``, parent first; stops at a missing parent or a cycle (a
    foreign package may hold either; the view must not loop)."""
    chain: list[Document] = []
    seen = {node["id"]}
    parent = by_id.get(node.get("parent") or "")
    while parent is not None and parent["id"] not in seen:
        chain.append(parent)
        seen.add(parent["id"])
        parent = by_id.get(parent.get("parent") or "")
    return tuple(chain)
