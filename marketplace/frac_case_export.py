"""A published FRAC framework version as a 1EdTech CASE 1.1 ``CFPackage`` (and its parts).

Pure functions of the framework document and the (immutable) version document: the same version
exports to the same JSON every time (identifiers the hub makes up are UUID v5, lists are in code
order, :func:`package_bytes` sorts keys). The mapping is described in :mod:`marketplace.frac_case`.
"""

from __future__ import annotations

from typing import Any

import orjson

from marketplace.frac_case import (
    CASE_KEYS,
    EXT,
    ITEM_TYPES,
    Links,
    association_id,
    criterion_id,
    item_type_id,
    language_of,
    level_id,
    level_name,
    pick,
    rubric_id,
)
from storage.ports.frac import code_order

Document = dict[str, Any]

#: Order of CFItems in a package: the competency taxonomy, then positions, roles, activities.
TYPE_ORDER = {t: i for i, t in enumerate(("area", "theme", "subtheme", "position", "role",
                                          "activity", "other"))}


def node_order(node: Document) -> tuple[int, tuple[int, str, int, str, str]]:
    """Sort key of a node in a package: by type, then in code order."""
    return (TYPE_ORDER.get(node.get("type", "other"), 99), code_order(node))


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` without empty members (None, "", {}, [])."""
    return {k: v for k, v in values.items() if v not in (None, "", {}, [])}


def _own_extensions(extensions: Any) -> dict[str, Any]:
    """The part of a stored ``extensions`` object that is not the CASE mapping's bookkeeping."""
    return {k: v for k, v in (extensions or {}).items() if k not in CASE_KEYS}


class PackageWriter:
    """Writes one framework version's CASE records with links on one public base URL."""

    def __init__(self, framework: Document, version: Document, public_url: str) -> None:
        self.framework = framework
        self.version = version
        self.links = Links(public_url)
        self.nodes = sorted(version.get("nodes", []), key=node_order)
        self.by_id = {n["id"]: n for n in self.nodes}
        kept = (version.get("extensions") or {}).get("case") or {}
        self.kept: dict[str, Any] = kept if isinstance(kept, dict) else {}

    # --- CFDocument ---------------------------------------------------------------------------

    @property
    def document_id(self) -> str:
        """The CFDocument identifier: the framework id."""
        return str(self.framework["id"])

    def document_title(self) -> str:
        """The CFDocument title in the default language."""
        return pick(self.version.get("title")) or self.document_id

    def document(self, *, package_uri: bool = False) -> Document:
        """The CFDocument (CASE 1.1 §7.1.11); ``package_uri`` adds ``CFPackageURI`` (the
        standalone form of getCFDocument / getAllCFDocuments, §6.5)."""
        version = self.version
        lang = language_of(version.get("title"), version.get("description"))
        kept = dict(self.kept.get("CFDocument") or {})
        foreign_ext = kept.pop("extensions", None) or {}
        doc: Document = {
            "identifier": self.document_id,
            "uri": self.links.uri("CFDocuments", self.document_id),
            "creator": self.framework.get("creator") or "",
            "title": pick(version.get("title"), lang) or self.document_id,
            "lastChangeDateTime": version["published_at"],
            "language": lang,
            "version": str(version["number"]),
            "adoptionStatus": "Adopted",  # a published version is adopted (CASE §7.1.11)
            "caseVersion": "1.1",
        }
        doc.update(_compact({"description": pick(version.get("description"), lang)}))
        doc.update(kept)  # what a foreign package said (publisher, notes, its own version …)
        doc["extensions"] = {**foreign_ext, EXT: _compact({
            "title": version.get("title"), "description": version.get("description"),
            "extensions": _own_extensions(version.get("extensions")),
        })}
        if package_uri:
            doc["CFPackageURI"] = self.links.link("CFPackages", self.document_id,
                                                  self.document_title())
        return doc

    # --- CFItems ------------------------------------------------------------------------------

    def node_link(self, node_id: str) -> dict[str, str]:
        """LinkURI of a node of this version, or of the document itself."""
        if node_id == self.document_id:
            return self.links.link("CFDocuments", node_id, self.document_title())
        node = self.by_id[node_id]
        return self.links.link("CFItems", node_id, pick(node.get("name")) or node_id)

    def item(self, node: Document, *, document_uri: bool = False) -> Document:
        """The CFItem of a node (CASE 1.1 §7.1.14); ``document_uri`` adds ``CFDocumentURI``
        (the standalone form of getCFItem)."""
        node_type = node.get("type", "other")
        extensions = node.get("extensions") or {}
        kept = dict(extensions.get("case") or {})
        foreign_ext = kept.pop("extensions", None) or {}
        lang = language_of(node.get("name"), node.get("description"))
        item: Document = {
            "identifier": node["id"],
            "uri": self.links.uri("CFItems", node["id"]),
            "fullStatement": pick(node.get("name"), lang) or node.get("code") or node["id"],
            "humanCodingScheme": node.get("code"),
            "language": lang,
            "lastChangeDateTime": node.get("updated_at") or self.version["published_at"],
        }
        if node_type in ITEM_TYPES:
            title = ITEM_TYPES[node_type][0]
            item["CFItemType"] = title
            item["CFItemTypeURI"] = self.links.link("CFItemTypes", item_type_id(node_type),
                                                    title)
        keywords = node.get("keywords") or {}
        item.update(_compact({"notes": pick(node.get("description"), lang),
                              "conceptKeywords": keywords.get(lang)}))
        if extensions.get("caseCodeGenerated"):
            del item["humanCodingScheme"]  # the source item had none; the code is the hub's
        item.update(kept)  # CASE fields the hub does not model, as the source wrote them
        item["extensions"] = {**foreign_ext, EXT: _compact({
            "type": node_type if node_type not in ITEM_TYPES else None,
            "name": node.get("name"), "description": node.get("description"),
            "keywords": keywords, "area": node.get("area"),
            "resources": node.get("resources"),
            "extensions": _own_extensions(extensions),
        })}
        if document_uri:
            item["CFDocumentURI"] = self.node_link(self.document_id)
        return item

    # --- CFAssociations -----------------------------------------------------------------------

    def association(self, kind: str, origin: str, destination: str, *, sequence: int | None,
                    changed: str, meta: dict[str, Any] | None = None,
                    ours: dict[str, Any] | None = None) -> Document:
        """A CFAssociation (CASE 1.1 §7.1.1) the hub models; ``meta`` = what an imported one
        carried (its identifier, sequenceNumber, notes …), kept."""
        meta = dict(meta or {})
        foreign_ext = meta.pop("extensions", None) or {}
        identifier = meta.pop("identifier", None) or association_id(kind, origin, destination)
        assoc: Document = {
            "identifier": identifier,
            "uri": self.links.uri("CFAssociations", identifier),
            "associationType": kind,
            "originNodeURI": self.node_link(origin),
            "destinationNodeURI": self.node_link(destination),
            "lastChangeDateTime": changed,
        }
        if sequence is not None:
            assoc["sequenceNumber"] = sequence
        assoc.update(meta)
        if foreign_ext or ours:
            assoc["extensions"] = {**foreign_ext, **({EXT: ours} if ours else {})}
        return assoc

    def hierarchy_and_requirements(self) -> list[Document]:
        """isChildOf for every parent link (areas and positions under the document) and
        isRelatedTo role -> competency with the required level, in node order."""
        out: list[Document] = []
        siblings: dict[str, int] = {}
        for node in self.nodes:
            metas = (node.get("extensions") or {}).get("caseAssociations") or {}
            parent = node.get("parent")
            if parent is None and (node.get("type") in ("area", "position")
                                   or f"isChildOf:{self.document_id}" in metas):
                parent = self.document_id
            if parent is not None and (parent in self.by_id or parent == self.document_id):
                siblings[parent] = siblings.get(parent, 0) + 1
                meta = metas.get(f"isChildOf:{parent}")
                # an imported association keeps its own sequenceNumber (or its lack of one)
                out.append(self.association(
                    "isChildOf", node["id"], parent,
                    sequence=siblings[parent] if meta is None else None,
                    changed=node.get("updated_at") or self.version["published_at"],
                    meta=meta))
            for req in node.get("requirements") or []:
                if req.get("competency") not in self.by_id:
                    continue
                out.append(self.association(
                    "isRelatedTo", node["id"], req["competency"], sequence=None,
                    changed=node.get("updated_at") or self.version["published_at"],
                    meta=metas.get(f"isRelatedTo:{req['competency']}"),
                    ours={"level": req["level"]}))
        return out

    def kept_associations(self) -> list[Document]:
        """The associations the hub does not model (exactMatchOf, precedes, …), as imported;
        an end inside this version links to the hub's record, an outside end is as it came."""
        out = []
        for kept in self.version.get("associations") or []:
            meta = dict(kept.get("extensions") or {})
            origin_link = meta.pop("originNodeURI", None)
            destination_link = meta.pop("destinationNodeURI", None)
            foreign_ext = meta.pop("extensions", None) or {}
            identifier = meta.pop("identifier", None) or association_id(
                kept["type"], kept["origin"], kept["destination"])
            inside = set(self.by_id) | {self.document_id}
            assoc: Document = {
                "identifier": identifier,
                "uri": self.links.uri("CFAssociations", identifier),
                "associationType": kept["type"],
                "originNodeURI": (self.node_link(kept["origin"]) if kept["origin"] in inside
                                  else origin_link),
                "destinationNodeURI": (self.node_link(kept["destination"])
                                       if kept["destination"] in inside else destination_link),
                "lastChangeDateTime": meta.pop("lastChangeDateTime", None)
                or self.version["published_at"],
            }
            if assoc["originNodeURI"] is None or assoc["destinationNodeURI"] is None:
                continue  # an end retired since the import: the association went with it
            assoc.update(meta)
            if foreign_ext:
                assoc["extensions"] = foreign_ext
            out.append(assoc)
        return sorted(out, key=lambda a: (a["associationType"], a["originNodeURI"]["identifier"],
                                          a["destinationNodeURI"]["identifier"],
                                          a["identifier"]))

    # --- CFDefinitions and CFRubrics ------------------------------------------------------------

    def definitions(self) -> Document:
        """CFDefinitions (CASE 1.1 §7.1.9): the hub's CFItemTypes for the types in use, then
        the definitions an imported package carried (kept verbatim)."""
        used = {n.get("type") for n in self.nodes}
        item_types = [{
            "identifier": item_type_id(node_type),
            "uri": self.links.uri("CFItemTypes", item_type_id(node_type)),
            "title": title,
            "description": f"FRAC {title.lower()}",
            "hierarchyCode": hierarchy,
            "typeCode": node_type,
            "lastChangeDateTime": self.version["published_at"],
        } for node_type, (title, hierarchy) in ITEM_TYPES.items() if node_type in used]
        kept = dict(self.kept.get("CFDefinitions") or {})
        out: Document = {"CFItemTypes": item_types}
        for key, values in kept.items():
            if isinstance(values, list):
                seen = {d["identifier"] for d in out.get(key, [])}
                out[key] = out.get(key, []) + [v for v in values
                                               if not isinstance(v, dict)
                                               or v.get("identifier") not in seen]
            else:
                out[key] = values
        return out

    def rubrics(self) -> list[Document]:
        """The proficiency CFRubric (CASE 1.1 §7.1.24): a criterion per competency with a level
        per level it defines (position and score = the level: 1 Basic … 5 Ustad), then the
        rubrics an imported package carried."""
        criteria: list[Document] = []
        rid = rubric_id(self.document_id)
        for node in self.nodes:
            levels = node.get("levels") or {}
            if node.get("type") != "subtheme" or not levels:
                continue
            cid = criterion_id(node["id"])
            lang = language_of(node.get("name"))
            changed = node.get("updated_at") or self.version["published_at"]
            criteria.append({
                "identifier": cid,
                "uri": self.links.uri("CFRubricCriteria", cid),
                "category": node.get("code"),
                "description": pick(node.get("name"), lang),
                "CFItemURI": self.node_link(node["id"]),
                "position": len(criteria) + 1,
                "rubricId": rid,
                "lastChangeDateTime": changed,
                "CFRubricCriterionLevels": [_compact({
                    "identifier": level_id(node["id"], int(n)),
                    "uri": self.links.uri("CFRubricCriterionLevels", level_id(node["id"], int(n))),
                    "quality": level_name(int(n)),
                    "description": pick(levels[n], lang),
                    "score": int(n),
                    "position": int(n),
                    "rubricCriterionId": cid,
                    "lastChangeDateTime": changed,
                }) for n in sorted(levels, key=int)],
                "extensions": {EXT: {"levels": levels}},
            })
        out = []
        if criteria:
            out.append({
                "identifier": rid, "uri": self.links.uri("CFRubrics", rid),
                "title": "Proficiency levels",
                "description": "FRAC proficiency levels: " + ", ".join(
                    f"{n} {level_name(n)}" for n in range(1, 6)),
                "lastChangeDateTime": self.version["published_at"],
                "CFRubricCriteria": criteria,
            })
        return out + list(self.kept.get("CFRubrics") or [])

    def package(self) -> Document:
        """The whole CFPackage (CASE 1.1 §6.10)."""
        package: Document = {
            "CFDocument": self.document(),
            "CFItems": [self.item(n) for n in self.nodes],
            "CFAssociations": self.hierarchy_and_requirements() + self.kept_associations(),
            "CFDefinitions": self.definitions(),
        }
        rubrics = self.rubrics()
        if rubrics:
            package["CFRubrics"] = rubrics
        package.update(self.kept.get("CFPackage") or {})
        return package


def export_package(framework: Document, version: Document, public_url: str) -> Document:
    """The CFPackage of a published framework version."""
    return PackageWriter(framework, version, public_url).package()


def package_bytes(package: Document) -> bytes:
    """The package as JSON with sorted keys: byte-for-byte the same for the same version."""
    return orjson.dumps(package, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
