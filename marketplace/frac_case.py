"""1EdTech CASE 1.1 vocabulary shared by the export and the import of FRAC framework versions.

How a FRAC version maps onto a CASE ``CFPackage`` (CASE 1.1 §6.10, JSON binding §A):

- the framework version is one ``CFDocument`` (identifier = framework id, ``version`` = the
  version number as a string); every node is a ``CFItem`` (identifier = node id,
  ``humanCodingScheme`` = code, ``CFItemType`` = :data:`ITEM_TYPES` title, ``fullStatement`` =
  name, ``notes`` = description, ``conceptKeywords`` = keywords);
- ``isChildOf`` associations carry the hierarchy (an area or a position is a child of the
  document), ``isRelatedTo`` role -> competency the requirements (the level in the association's
  extension), and the associations the hub does not model are kept and written back;
- the proficiency levels are one ``CFRubric``: a ``CFRubricCriterion`` per competency with a
  ``CFRubricCriterionLevel`` per level it defines (``position`` and ``score`` = the level).

CASE text fields are single-language strings: they carry the default language (:data:`DEFAULT
LANGUAGE` when present). Everything the hub holds beyond them (every language of every language
map, the area, activity resources, the node's own extensions) travels in the CASE 1.1
``extensions`` object of the same record under the key :data:`EXT` ("``x-karmayogi``"), so a
package the hub exported imports back without loss. CASE fields the hub does not model are kept
verbatim on import (a node's ``extensions["case"]``, a version's ``extensions["case"]``) and written
out again.

Identifiers the hub makes up (associations, rubric parts, item types) are UUID v5 of stable
names, so exporting the same version twice gives the same bytes.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from marketplace.frac_model import LEVEL_NAMES

#: Keys of a stored ``extensions`` object that the CASE mapping itself writes (kept CFItem or
#: CFDocument fields, imported association metadata, "the source had no humanCodingScheme").
CASE_KEYS = ("case", "caseAssociations", "caseCodeGenerated")
#: The CASE REST base path (CASE 1.1 §4.2: ``/ims/case/v1p1``).
CASE_BASE = "/ims/case/v1p1"
#: Key of the hub's own members inside a CASE 1.1 ``extensions`` object.
EXT = "x-karmayogi"
#: The language CASE's single-language fields are written in when a map has it.
DEFAULT_LANGUAGE = "en"
#: UUID v5 namespace of every identifier the export makes up.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://karmayogi.example/frac/case")

#: Node type -> (CFItemType title, hierarchyCode of the CFItemType definition).
ITEM_TYPES: dict[str, tuple[str, str]] = {
    "area": ("Competency Area", "1"),
    "theme": ("Competency Theme", "1.1"),
    "subtheme": ("Competency Sub-theme", "1.1.1"),
    "position": ("Position", "2"),
    "role": ("Role", "2.1"),
    "activity": ("Activity", "2.1.1"),
}
#: CFItemType title -> node type (a title not here makes an ``other`` node).
TYPE_BY_TITLE = {title: node_type for node_type, (title, _) in ITEM_TYPES.items()}
#: The parent type each node type must have (None: a child of the CFDocument).
PARENT_TYPE: dict[str, str | None] = {
    "area": None, "theme": "area", "subtheme": "theme",
    "position": None, "role": "position", "activity": "role",
}

#: CASE 1.1 associationType vocabulary (§7.1.1, an extensible enumeration: ``ext:`` + name).
ASSOCIATION_TYPES = ("isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes",
                     "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf")
EXT_ASSOCIATION = re.compile(r"ext:[a-zA-Z0-9.\-_]+")
#: The lexical form of a CASE identifier (a UUID; CASE 1.1 §6.13). Any version and variant is
#: accepted on import: frameworks in the wild use placeholder ids like ``d0000000-…``.
UUID_SHAPE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                        r"[0-9a-fA-F]{12}")


def made_id(*parts: object) -> str:
    """A deterministic identifier for something the export makes up (UUID v5 of ``parts``)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def item_type_id(node_type: str) -> str:
    """The CFItemType identifier of a FRAC node type (the same in every hub)."""
    return made_id("item-type", node_type)


def rubric_id(framework_id: str) -> str:
    """The identifier of a framework's proficiency CFRubric (one per framework)."""
    return made_id(framework_id, "rubric")


def criterion_id(node_id: str) -> str:
    """The CFRubricCriterion identifier of a competency."""
    return made_id(node_id, "criterion")


def level_id(node_id: str, level: int) -> str:
    """The CFRubricCriterionLevel identifier of a competency's level."""
    return made_id(node_id, "level", level)


def association_id(kind: str, origin: str, destination: str) -> str:
    """The identifier of an association the hub writes (hierarchy, requirement)."""
    return made_id("association", kind, origin, destination)


def level_name(level: int) -> str:
    """1 Basic … 5 Ustad."""
    return LEVEL_NAMES[level]


class Links:
    """CASE URIs on the hub's public base URL (CASE 1.1 §7.1.36 ``LinkURI``)."""

    def __init__(self, public_url: str) -> None:
        self.base = public_url.rstrip("/") + CASE_BASE

    def uri(self, kind: str, identifier: str) -> str:
        """``{public}/ims/case/v1p1/{kind}/{identifier}`` (``kind`` = ``CFItems`` …)."""
        return f"{self.base}/{kind}/{identifier}"

    def link(self, kind: str, identifier: str, title: str) -> dict[str, str]:
        """A LinkURI ``{title, identifier, uri}``."""
        return {"title": title, "identifier": identifier, "uri": self.uri(kind, identifier)}


def pick(langmap: Any, language: str = DEFAULT_LANGUAGE) -> str | None:
    """The text of a language map in ``language`` (else its first language in tag order), or
    None when the map is empty."""
    if not isinstance(langmap, dict) or not langmap:
        return None
    if language in langmap:
        return str(langmap[language])
    return str(langmap[sorted(langmap)[0]])


def language_of(*langmaps: Any) -> str:
    """The language CASE fields are written in for a record with these maps: the default
    language when the first non-empty map has it, else that map's first language."""
    for langmap in langmaps:
        if isinstance(langmap, dict) and langmap:
            return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in langmap else sorted(langmap)[0]
    return DEFAULT_LANGUAGE
