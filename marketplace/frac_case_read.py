"""Reading a CASE 1.1 ``CFPackage`` into FRAC nodes and a version, checking everything first.

:func:`read_package` returns a :class:`PackagePlan` (nothing is written here) or raises one 400
listing every problem by item identifier and field. What the hub does not model is kept: CFItem
fields in the node's ``extensions["case"]``, the metadata of hierarchy and requirement
associations in ``extensions["caseAssociations"]``, other associations (exactMatchOf, precedes,
…) in the version's ``associations``, and the CFDocument's other fields, CFDefinitions, foreign
rubrics and package members in the version's ``extensions["case"]``. The mapping is the one of
:mod:`marketplace.frac_case`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marketplace.frac_case import (
    ASSOCIATION_TYPES,
    CASE_KEYS,
    EXT,
    EXT_ASSOCIATION,
    ITEM_TYPES,
    PARENT_TYPE,
    TYPE_BY_TITLE,
    item_type_id,
)
from marketplace.frac_case_fields import PackageProblems, RecordReader
from marketplace.frac_case_rubric import read_rubrics
from marketplace.frac_model import AREAS, CODE_PREFIX

Document = dict[str, Any]

#: CFItem members the mapping reads (everything else is kept verbatim).
ITEM_MAPPED = {"identifier", "uri", "fullStatement", "humanCodingScheme", "language",
               "lastChangeDateTime", "notes", "conceptKeywords", "extensions", "CFDocumentURI",
               "CFItemType"}
DOCUMENT_MAPPED = {"identifier", "uri", "creator", "title", "lastChangeDateTime", "language",
                   "description", "extensions", "CFPackageURI"}
PACKAGE_MAPPED = {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}
ASSOCIATION_ENDS = ("originNodeURI", "destinationNodeURI")


@dataclass
class PackagePlan:
    """What a valid package becomes: framework fields, nodes and a version's content."""

    document_id: str
    creator: str
    title: dict[str, str]
    description: dict[str, str]
    published_at: str
    number_hint: int | None
    extensions: Document
    nodes: list[Document] = field(default_factory=list)
    associations: list[Document] = field(default_factory=list)


def _drop_ext(extensions: Document) -> Document:
    return {k: v for k, v in extensions.items() if k != EXT}


def _own(extensions: Document) -> Document:
    """The hub's own extensions carried in ``EXT``, without keys the mapping writes itself
    (a package cannot plant bookkeeping the export would trust)."""
    return {k: v for k, v in extensions.items() if k not in CASE_KEYS}


class PackageReader:
    """One pass over a package; problems collect in :attr:`problems`."""

    def __init__(self, package: Any, progress: Callable[[int], object] | None = None) -> None:
        self.problems = PackageProblems()
        self.progress = progress or (lambda n: None)
        if not isinstance(package, dict):
            self.problems.refuse("body", "a CFPackage is a JSON object")
        self.package: Document = package
        self.top = RecordReader(package, "", self.problems)
        self.nodes: dict[str, Document] = {}
        self.kept_associations: list[Document] = []
        self.document_id = ""

    # --- CFDocument ---------------------------------------------------------------------------

    def document(self) -> PackagePlan:
        """Read the CFDocument (CASE 1.1 §7.1.11: identifier, uri, creator, title and
        lastChangeDateTime are required)."""
        raw = self.package.get("CFDocument")
        if not isinstance(raw, dict):
            self.problems.refuse("CFDocument", "required: an object")
        doc = RecordReader(raw, "CFDocument", self.problems, raw.get("identifier")
                           if isinstance(raw.get("identifier"), str) else None)
        self.document_id = doc.identifier() or ""
        creator = doc.string("creator", required=True) or ""
        title = doc.string("title", required=True) or ""
        published_at = doc.timestamp() or ""
        lang = doc.string("language") or "en"
        description = doc.string("description")
        doc.string("uri")
        extensions = doc.obj("extensions")
        ours = extensions.get(EXT) or {}
        if not isinstance(ours, dict):
            doc.fail(f"extensions.{EXT}", "must be an object")
            ours = {}
        kept = {k: v for k, v in raw.items() if k not in DOCUMENT_MAPPED}
        version = raw.get("version")
        number = None
        if isinstance(version, str) and re.fullmatch(r"[1-9][0-9]{0,8}", version):
            number = int(version)
            del kept["version"]
        if kept.get("adoptionStatus") == "Adopted":
            del kept["adoptionStatus"]
        if kept.get("caseVersion") == "1.1":
            del kept["caseVersion"]
        if _drop_ext(extensions):
            kept["extensions"] = _drop_ext(extensions)
        own = ours.get("extensions") or {}
        if not isinstance(own, dict):
            doc.fail(f"extensions.{EXT}.extensions", "must be an object")
            own = {}
        return PackagePlan(
            document_id=self.document_id, creator=creator,
            title=doc.langmap(ours.get("title"), f"extensions.{EXT}.title") or {lang: title},
            description=doc.langmap(ours.get("description"), f"extensions.{EXT}.description")
            or ({lang: description} if description else {}),
            published_at=published_at, number_hint=number,
            extensions={**_own(own), "case": {"CFDocument": kept}} if kept else _own(own))

    # --- CFItems ------------------------------------------------------------------------------

    def items(self, default_lang: str) -> None:
        """Read every CFItem into a node (without its framework-level fields)."""
        codes: dict[str, str] = {}
        for index, raw in self.top.objects("CFItems"):
            path = f"CFItems[{index}]"
            ident = raw.get("identifier") if isinstance(raw.get("identifier"), str) else None
            item = RecordReader(raw, path, self.problems, ident)
            node_id = item.identifier()
            statement = item.string("fullStatement", required=True)
            changed = item.timestamp()
            code = item.string("humanCodingScheme")
            type_title = item.string("CFItemType")
            lang = item.string("language") or default_lang
            notes = item.string("notes")
            keywords = item.strings("conceptKeywords")
            item.string("uri")
            extensions = item.obj("extensions")
            ours = extensions.get(EXT) or {}
            if not isinstance(ours, dict):
                item.fail(f"extensions.{EXT}", "must be an object")
                ours = {}
            self.progress(1)
            if node_id is None:
                continue
            if node_id in self.nodes or node_id == self.document_id:
                item.fail("identifier", "duplicate identifier in the package")
                continue
            if code is not None:
                if code in codes:
                    item.fail("humanCodingScheme", f"duplicate: also the code of {codes[code]}")
                codes[code] = node_id
            node_type = TYPE_BY_TITLE.get(type_title or "", "other")
            kept = {k: v for k, v in raw.items() if k not in ITEM_MAPPED}
            if node_type == "other" and type_title is not None:
                kept["CFItemType"] = type_title
            type_uri = kept.get("CFItemTypeURI")
            if (node_type in ITEM_TYPES and isinstance(type_uri, dict)
                    and type_uri.get("identifier") == item_type_id(node_type)):
                del kept["CFItemTypeURI"]  # the hub's own link, written again on export
            if _drop_ext(extensions):
                kept["extensions"] = _drop_ext(extensions)
            own = ours.get("extensions") or {}
            if not isinstance(own, dict):
                item.fail(f"extensions.{EXT}.extensions", "must be an object")
                own = {}
            node: Document = {
                "id": node_id, "type": node_type, "code": code,
                "name": item.langmap(ours.get("name"), f"extensions.{EXT}.name")
                or {lang: statement or ""},
                "description": item.langmap(ours.get("description"),
                                            f"extensions.{EXT}.description")
                or ({lang: notes} if notes else {}),
                "parent": None, "updated_at": changed,
                "extensions": {**_own(own), **({"case": kept} if kept else {})},
            }
            kw = ours.get("keywords")
            if kw is not None and not (isinstance(kw, dict) and all(
                    isinstance(v, list) and all(isinstance(w, str) for w in v)
                    for v in kw.values())):
                item.fail(f"extensions.{EXT}.keywords", "must map languages to string arrays")
                kw = None
            if kw or keywords:
                node["keywords"] = kw or {lang: keywords}
            self._typed_fields(node, ours, item)
            self.nodes[node_id] = node
        self._generate_codes(codes)

    def _typed_fields(self, node: Document, ours: Document, item: RecordReader) -> None:
        """The members only some node types have."""
        node_type = node["type"]
        if node_type in ("area", "theme", "subtheme"):
            area = ours.get("area")
            if area is None and node_type == "area":
                first = (node["name"].get("en") or "").split(" ")[0].lower()
                area = first if first in AREAS else None
                if area is None:
                    item.fail(f"extensions.{EXT}.area",
                              f"a Competency Area needs its area, one of {', '.join(AREAS)}")
            elif area is not None and area not in AREAS:
                item.fail(f"extensions.{EXT}.area", f"must be one of {', '.join(AREAS)}")
            node["area"] = area
        if node_type == "subtheme":
            node["levels"] = {}
        if node_type == "role":
            node["requirements"] = []
        if node_type == "activity":
            resources = ours.get("resources") or []
            if not isinstance(resources, list) or not all(isinstance(r, dict)
                                                          for r in resources):
                item.fail(f"extensions.{EXT}.resources", "must be an array of objects")
                resources = []
            node["resources"] = resources

    def _generate_codes(self, codes: dict[str, str]) -> None:
        """A code for every item without humanCodingScheme (the hub needs one), marked so the
        export leaves humanCodingScheme out again."""
        counters: dict[str, int] = {}
        for node in self.nodes.values():
            if node["code"] is not None:
                continue
            prefix = CODE_PREFIX.get(node["type"], "ITEM")
            number = counters.get(prefix, 0)
            while True:
                number += 1
                if f"{prefix}-{number}" not in codes:
                    break
            counters[prefix] = number
            code = f"{prefix}-{number}"
            node["code"] = code
            codes[code] = node["id"]
            node["extensions"]["caseCodeGenerated"] = True

    # --- CFAssociations -----------------------------------------------------------------------

    def associations(self) -> None:
        """isChildOf -> parent, isRelatedTo role -> competency with a level -> requirement;
        any other association is kept. An end must be in the package or carry a URI."""
        inside = set(self.nodes) | {self.document_id}
        for index, raw in self.top.objects("CFAssociations"):
            path = f"CFAssociations[{index}]"
            ident = raw.get("identifier") if isinstance(raw.get("identifier"), str) else None
            assoc = RecordReader(raw, path, self.problems, ident)
            assoc_id = assoc.identifier()
            kind = assoc.string("associationType", required=True)
            changed = assoc.timestamp()
            assoc.integer("sequenceNumber")
            extensions = assoc.obj("extensions")
            if kind is not None and kind not in ASSOCIATION_TYPES \
                    and not EXT_ASSOCIATION.fullmatch(kind):
                assoc.fail("associationType", "not a CASE 1.1 association type (nor ext:…)")
            ends = []
            for end in ASSOCIATION_ENDS:
                link = assoc.obj(end)
                target = RecordReader(link, f"{path}.{end}", self.problems, ident)
                target_id = target.string("identifier", required=bool(link) or end in raw)
                if end not in raw:
                    assoc.fail(end, "required")
                if target_id is not None and target_id.lower() in inside:
                    target_id = target_id.lower()
                elif target_id is not None and not isinstance(link.get("uri"), str):
                    target.fail("identifier", "dangling: not in the package and no uri")
                    target_id = None
                ends.append(target_id)
            origin, destination = ends
            if (assoc_id is None or kind is None or changed is None or origin is None
                    or destination is None):
                continue
            meta = {k: v for k, v in raw.items()
                    if k not in ("uri", "associationType", "extensions", *ASSOCIATION_ENDS)}
            meta["lastChangeDateTime"] = changed
            if _drop_ext(extensions):
                meta["extensions"] = _drop_ext(extensions)
            if not self._modelled(kind, origin, destination, meta, extensions, assoc):
                for end, end_id in zip(ASSOCIATION_ENDS, (origin, destination), strict=True):
                    if end_id not in inside:
                        meta[end] = raw[end]
                self.kept_associations.append({"type": kind, "origin": origin,
                                               "destination": destination, "extensions": meta})

    def _modelled(self, kind: str, origin: str, destination: str, meta: Document,
                  extensions: Document, assoc: RecordReader) -> bool:
        """Apply a hierarchy or requirement association to its node; False when the hub
        does not model it (kept as it is)."""
        node = self.nodes.get(origin)
        if node is None:
            return False
        metas = node["extensions"].setdefault("caseAssociations", {})
        if kind == "isChildOf":
            if any(key.startswith("isChildOf:") for key in metas):
                return False  # a second parent: CASE allows several, the hub models one
            if destination not in self.nodes and destination != self.document_id:
                assoc.fail("destinationNodeURI", "isChildOf must point inside the package")
                return True
            node["parent"] = None if destination == self.document_id else destination
            metas[f"isChildOf:{destination}"] = meta
            return True
        ours = extensions.get(EXT)
        target = self.nodes.get(destination)
        if (kind == "isRelatedTo" and isinstance(ours, dict) and "level" in ours
                and node["type"] == "role" and target is not None
                and target["type"] == "subtheme"):
            level = ours["level"]
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
                assoc.fail(f"extensions.{EXT}.level", "a required level is 1..5")
                return True
            if any(r["competency"] == destination for r in node["requirements"]):
                assoc.fail("destinationNodeURI", "the role already requires this competency")
                return True
            node["requirements"].append({"competency": destination, "level": level})
            metas[f"isRelatedTo:{destination}"] = meta
            return True
        return False

    # --- the hierarchy ------------------------------------------------------------------------

    def check_hierarchy(self) -> None:
        """Parents of the right type (CASE gives the tree; FRAC fixes its shape), no cycles;
        themes and sub-themes inherit their area."""
        for node in self.nodes.values():
            if not node["extensions"].get("caseAssociations"):
                node["extensions"].pop("caseAssociations", None)
            where = f"CFItems[{node['code']}]"
            seen = {node["id"]}
            parent = node["parent"]
            while parent is not None:
                if parent in seen:
                    self.problems.add(node["id"], where, "isChildOf makes a cycle")
                    node["parent"] = None
                    break
                seen.add(parent)
                parent = self.nodes[parent]["parent"]
            if node["type"] not in PARENT_TYPE:
                continue
            want = PARENT_TYPE[node["type"]]
            parent_node = self.nodes.get(node["parent"] or "")
            got = parent_node["type"] if parent_node else None
            if got != want:
                self.problems.add(node["id"], where, f"a {ITEM_TYPES[node['type']][0]} must "
                                  f"be isChildOf a {ITEM_TYPES[want][0] if want else 'CFDocument'}"
                                  f" (found {ITEM_TYPES.get(got or '', ('none',))[0]})")
        for node in self.nodes.values():
            if node["type"] in ("theme", "subtheme") and node["parent"] in self.nodes:
                inherited = self.nodes[node["parent"]]
                if inherited["type"] == "theme" and inherited["parent"] in self.nodes:
                    inherited = self.nodes[inherited["parent"]]
                area = inherited.get("area")
                if node.get("area") not in (None, area):
                    self.problems.add(node["id"], f"CFItems[{node['code']}]",
                                      f"area {node['area']} differs from its area's {area}")
                node["area"] = area

    def definitions(self, plan: PackagePlan) -> None:
        """CFDefinitions are kept (the hub's own CFItemTypes are written again on export)."""
        definitions = self.top.obj("CFDefinitions")
        reader = RecordReader(definitions, "CFDefinitions", self.problems)
        ours = {item_type_id(t) for t in ITEM_TYPES}
        kept: Document = {}
        for key, values in definitions.items():
            if key.startswith("CF"):
                entries = reader.objects(key)
                kept_entries = [e for _, e in entries
                                if not (key == "CFItemTypes" and e.get("identifier") in ours)]
                if kept_entries:
                    kept[key] = kept_entries
            else:
                kept[key] = values
        if kept:
            plan.extensions.setdefault("case", {})["CFDefinitions"] = kept
        package_kept = {k: v for k, v in self.package.items() if k not in PACKAGE_MAPPED}
        if package_kept:
            plan.extensions.setdefault("case", {})["CFPackage"] = package_kept


def read_package(package: Any, progress: Callable[[int], object] | None = None) -> PackagePlan:
    """Check a CFPackage and map it; a 400 listing every problem when it is not importable."""
    reader = PackageReader(package, progress)
    plan = reader.document()
    default_lang = next(iter(plan.title), "en")
    reader.items(default_lang)
    reader.associations()
    reader.check_hierarchy()
    foreign_rubrics = read_rubrics(reader.top, reader.nodes, plan.document_id, reader.problems)
    if foreign_rubrics:
        plan.extensions.setdefault("case", {})["CFRubrics"] = foreign_rubrics
    reader.definitions(plan)
    reader.problems.raise_if_any()
    plan.nodes = list(reader.nodes.values())
    # in the export's order, so that a package the hub exported compares equal when re-read
    plan.associations = sorted(reader.kept_associations, key=lambda a: (
        a["type"], a["origin"], a["destination"], a["extensions"]["identifier"]))
    return plan
