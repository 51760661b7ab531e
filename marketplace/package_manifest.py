"""Reading a package's manifest into the stored course structure (:mod:`marketplace.packages`).

- cmi5 (cmi5 §13): ``cmi5.xml`` at the package root, valid against the cmi5 Course Structure XSD
  shipped beside this module (``cmi5_CourseStructure.xsd``, from the AICC cmi5 specification
  repository); blocks and AUs in document order; the defaults of §13.1.4 (``moveOn``
  NotApplicable, ``launchMethod`` AnyWindow) where an AU leaves them out.
- xAPI (the "TinCan" package format): ``tincan.xml`` at the root, well-formed, with at least one
  ``activity`` that has a ``launch``; each such activity becomes an AU-like entry (moveOn
  Completed, launchMethod AnyWindow), without blocks.

XML is parsed hardened: no DTD loaded, no entity expanded, nothing fetched from the network, no
huge trees; a document with a DOCTYPE is refused outright (a package has no use for one and it is
where entity attacks live). Every refusal names the file and line.

An AU's URL (cmi5 §13.1.4 ``url``) is either relative to the package root and must then name a
file of the package (a query string and fragment are allowed), or absolute, which cmi5 allows
for an AU hosted elsewhere: then it must be http(s) and not point at an internal host (the
learner's browser would open it from inside the government network). Either way it must be a
valid URL whose query string leaves the launch parameters to the LMS (cmi5 §8.1: ``endpoint``,
``fetch``, ``actor``, ``registration`` and ``activityId`` are the LMS's to add).

Every id of a cmi5 structure (course, blocks, AUs, objectives) is an absolute IRI (cmi5 §3.0:
"IRIs in this spec MUST be fully qualified"; the XSD's ``anyURI`` also takes relative ones),
used once, and every objective an AU or block names (``idref``) is defined.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from hub.destinations import INTERNAL_NAMES, AllowList, forbidden_reason
from marketplace.package_zip import refuse

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
TINCAN_NS = "http://projecttincan.com/tincan.xsd"
XSD_PATH = Path(__file__).with_name("cmi5_CourseStructure.xsd")
#: A manifest larger than this is not a course structure.
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
#: Language key of a ``langstring`` without ``lang`` (BCP 47 "undetermined").
UNDETERMINED = "und"
#: The shape of a BCP 47 tag (RFC 5646 §2.1), enough to keep odd keys out of the store.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_comments=True)


@cache
def cmi5_schema() -> etree.XMLSchema:
    """The cmi5 Course Structure XSD, parsed once per process."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH), _parser()))


def parse_xml(name: str, data: bytes) -> Any:
    """The parsed document, or a 400 naming the file and line."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise refuse(f"{name} is over {MAX_MANIFEST_BYTES} bytes")
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else "?")
        raise refuse(f"{name} line {line}: {exc.msg}") from None
    if tree.docinfo.doctype:
        raise refuse(f"{name}: a DOCTYPE is not allowed")
    return tree


def _lang_map(parent: Any, tag: str) -> dict[str, str]:
    """A language map of the ``tag`` children of ``parent``: cmi5's ``<title><langstring
    lang="en">`` (``tag`` names the container) or tincan.xml's repeated ``<name lang="en">``.
    A missing or malformed ``lang`` is ``und`` (BCP 47 "undetermined"), so keys stay tags."""
    if parent is None:
        return {}
    items = parent.iterfind(tag)
    texts: dict[str, str] = {}
    for item in items:
        lang = item.get("lang") or ""
        key = lang if _LANGUAGE_TAG.fullmatch(lang) else UNDETERMINED
        texts.setdefault(key, (item.text or "").strip())
    return texts


def _cmi5_text(element: Any, tag: str) -> dict[str, str]:
    return _lang_map(element.find(f"{{{CMI5_NS}}}{tag}"), f"{{{CMI5_NS}}}langstring")


def _text(element: Any, tag: str) -> str | None:
    found = element.find(f"{{{CMI5_NS}}}{tag}")
    if found is None:
        return None
    return (found.text or "").strip()


def _cmi5_au(element: Any) -> dict[str, Any]:
    mastery = element.get("masteryScore")
    url = _text(element, "url") or ""
    return {
        "id": element.get("id"),
        "title": _cmi5_text(element, "title"),
        "description": _cmi5_text(element, "description"),
        "url": url,
        "external": bool(urlsplit(url).scheme),
        # cmi5 §13.1.4: launchMethod defaults to AnyWindow, moveOn to NotApplicable.
        "launch_method": element.get("launchMethod") or "AnyWindow",
        "move_on": element.get("moveOn") or "NotApplicable",
        "mastery_score": float(mastery) if mastery is not None else None,
        "activity_type": element.get("activityType"),
        "launch_parameters": _text(element, "launchParameters"),
        "entitlement_key": _text(element, "entitlementKey"),
    }


#: An absolute IRI: a scheme, then something (RFC 3987 §2.2 ``scheme ":" ihier-part``).
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
#: cmi5 §8.1: the query parameters the LMS adds to an AU's URL at launch.
LAUNCH_PARAMETERS = frozenset({"endpoint", "fetch", "actor", "registration", "activityId"})


def _check_iri(element: Any, what: str, ident: str | None) -> None:
    if ident is None or not _ABSOLUTE_IRI.fullmatch(ident):
        raise refuse(f"cmi5.xml line {element.sourceline}: the {what} id {ident!r} is not an "
                     "absolute IRI (cmi5 §3.0: IRIs are fully qualified)")


def _check_objectives(root: Any) -> None:
    """Objective ids are absolute IRIs used once; every ``idref`` names a defined one."""
    defined: dict[str, int] = {}
    for element in root.iter(f"{{{CMI5_NS}}}objective"):
        ident = element.get("id")
        if ident is None:
            continue
        _check_iri(element, "objective", ident)
        if ident in defined:
            raise refuse(f"cmi5.xml line {element.sourceline}: objective id {ident!r} is "
                         f"defined twice (first on line {defined[ident]})")
        defined[ident] = element.sourceline
    for element in root.iter(f"{{{CMI5_NS}}}objective"):
        ref = element.get("idref")
        if ref is not None and ref not in defined:
            raise refuse(f"cmi5.xml line {element.sourceline}: objective idref {ref!r} names "
                         "no objective of the course")


def cmi5_structure(data: bytes) -> dict[str, Any]:
    """The course structure of a ``cmi5.xml``, validated against the cmi5 XSD (cmi5 §13.2)."""
    tree = parse_xml("cmi5.xml", data)
    schema = cmi5_schema()
    if not schema.validate(tree):
        error = schema.error_log[0]
        raise refuse(f"cmi5.xml line {error.line}: {error.message}")
    root = tree.getroot()
    course = root.find(f"{{{CMI5_NS}}}course")
    _check_iri(course, "course", course.get("id"))
    _check_objectives(root)
    structure: dict[str, Any] = {
        "id": course.get("id"),
        "title": _cmi5_text(course, "title"),
        "description": _cmi5_text(course, "description"),
        "blocks": [], "aus": [],
    }
    ids = {structure["id"]: root.sourceline}

    def walk(parent: Any) -> list[str]:
        children: list[str] = []
        for child in parent:
            if child.tag not in (f"{{{CMI5_NS}}}au", f"{{{CMI5_NS}}}block"):
                continue
            ident = child.get("id")
            _check_iri(child, "AU" if child.tag.endswith("}au") else "block", ident)
            if ident in ids:  # cmi5 §13.1: every id in the structure is unique
                raise refuse(f"cmi5.xml line {child.sourceline}: id {ident!r} is used twice")
            ids[ident] = child.sourceline
            children.append(ident)
            if child.tag.endswith("}au"):
                structure["aus"].append(_cmi5_au(child))
                continue
            block = {"id": ident, "title": _cmi5_text(child, "title"),
                     "description": _cmi5_text(child, "description")}
            structure["blocks"].append(block)
            block["children"] = walk(child)
        return children

    structure["children"] = walk(root)
    return structure


def xapi_structure(data: bytes) -> dict[str, Any]:
    """The course structure of a ``tincan.xml``: its launchable activities as AUs."""
    tree = parse_xml("tincan.xml", data)
    root = tree.getroot()
    activities = [a for a in root.iter(f"{{{TINCAN_NS}}}activity")
                  if (a.findtext(f"{{{TINCAN_NS}}}launch") or "").strip()]
    if not activities:
        raise refuse("tincan.xml: no activity with a launch")
    aus = []
    for activity in activities:
        if not activity.get("id"):
            raise refuse(f"tincan.xml line {activity.sourceline}: activity has no id")
        url = (activity.findtext(f"{{{TINCAN_NS}}}launch") or "").strip()
        aus.append({
            "id": activity.get("id"),
            "title": _lang_map(activity, f"{{{TINCAN_NS}}}name"),
            "description": _lang_map(activity, f"{{{TINCAN_NS}}}description"),
            "url": url, "external": bool(urlsplit(url).scheme),
            "launch_method": "AnyWindow", "move_on": "Completed", "mastery_score": None,
            "activity_type": activity.get("type"), "launch_parameters": None,
            "entitlement_key": None,
        })
    first = activities[0]
    return {"id": first.get("id"), "title": aus[0]["title"],
            "description": aus[0]["description"], "blocks": [],
            "children": [au["id"] for au in aus], "aus": aus}


def check_au_urls(structure: dict[str, Any], files: Collection[str],
                  allow: AllowList | None = None) -> None:
    """Every AU URL is a valid URL leaving the launch parameters to the LMS, and names a file
    of the package or a page on a public host."""
    allow = allow or AllowList()
    for au in structure["aus"]:
        url = au["url"]
        if not url or any(c.isspace() or ord(c) < 0x20 for c in url):
            raise refuse(f"AU {au['id']!r}: url {url!r} is not a valid URL")
        parts = urlsplit(url)
        taken = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
                       & LAUNCH_PARAMETERS)
        if taken:
            raise refuse(f"AU {au['id']!r}: url {url!r} sets {', '.join(taken)}, which the LMS "
                         "adds at launch (cmi5 §8.1)")
        if parts.scheme:
            _check_external(au["id"], url, allow)
            continue
        path = unquote(parts.path)
        path = path[2:] if path.startswith("./") else path
        if parts.netloc or path.startswith("/") or ".." in path.split("/") or path not in files:
            raise refuse(f"AU {au['id']!r}: url {url!r} names no file of the package")


def _check_external(au_id: str, url: str, allow: AllowList) -> None:
    """An external AU (cmi5 §13.1.4 allows a fully qualified URL): http(s), a public host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme.lower() not in ("https", "http"):
        raise refuse(f"AU {au_id!r}: an external url must be http or https, not {url!r}")
    if not host or "@" in parts.netloc:
        raise refuse(f"AU {au_id!r}: url {url!r} has no plain host")
    if allow.allows_name(host):
        return
    if any(host == name or host.endswith("." + name) for name in INTERNAL_NAMES):
        raise refuse(f"AU {au_id!r}: url {url!r} points at an internal host")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: the learner's browser resolves it, not the hub
    reason = forbidden_reason(ip)
    if reason and not allow.allows_address(ip):
        raise refuse(f"AU {au_id!r}: url {url!r} points at {reason}")
