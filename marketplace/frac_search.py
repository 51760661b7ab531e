"""Search of the published FRAC frameworks, and a role's requirement tree (issue 10 "Search
the framework"). Public: published versions are what the hub stands behind, the working
frameworks stay with their organisations.

Text matching works in every language of the language maps: text is case-folded and Latin
accents dropped (NFKD, then the combining diacritics of the Latin/Greek blocks removed, so
"equite" finds "Équité") while the vowel signs of Indic scripts stay (they are letters of the
word: removing them would make unrelated Hindi words equal). Words are runs of letters, marks
and digits, so Devanagari words tokenise whole. A node matches when the whole query is a
substring of one of its names, descriptions or keywords, or when each query word is one.

Pages are stable: the cursor is a signed token (:mod:`hub.tokens`) carrying the offset, the
query's fingerprint and the version numbers the first page searched, and versions are
immutable, so a version published between two pages does not shift them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import Any

import orjson

from hub.errors import NotFound, ValidationError
from hub.tokens import TokenCodec, b64
from marketplace.frac_catalog import published
from marketplace.frac_model import LEVEL_NAMES, FrameworkVersion, pick_text
from storage.ports import Document, Store
from storage.ports.frac import code_order

# Combining diacritical marks of Latin, Greek and Cyrillic text (Unicode blocks 0300-036F,
# 1AB0-1AFF, 1DC0-1DFF, 20D0-20FF, FE20-FE2F); Indic vowel signs live elsewhere and stay.
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (Indic vowel signs kept)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", decomposed))


def words(text: str) -> list[str]:
    """The words of folded text: runs of letters, marks (Devanagari matras, virama) and
    digits; everything else separates."""
    return "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text).split()


class _Entry:
    """One node of a version prepared for matching: folded names, and every folded text."""

    __slots__ = ("names", "node", "texts")

    def __init__(self, node: Document) -> None:
        self.node = node
        self.names = [fold(t) for t in (node.get("name") or {}).values() if isinstance(t, str)]
        texts = list(self.names)
        texts += [fold(t) for t in (node.get("description") or {}).values()
                  if isinstance(t, str)]
        for keywords in (node.get("keywords") or {}).values():
            texts += [fold(k) for k in keywords or [] if isinstance(k, str)]
        self.texts = texts


@functools.lru_cache(maxsize=128)
def _entries(version: FrameworkVersion) -> tuple[_Entry, ...]:
    """The prepared nodes of a version (versions are immutable: prepared once)."""
    return tuple(_Entry(node) for node in version.nodes())


def text_score(entry: _Entry, query: str, tokens: list[str]) -> int:
    """4 a name equals the query, 3 a name contains it, 2 a name holds every word, 1 the
    texts together hold every word, 0 no match."""
    if any(name == query for name in entry.names):
        return 4
    if any(query in name for name in entry.names):
        return 3
    if all(any(t in name for name in entry.names) for t in tokens):
        return 2
    if any(query in text for text in entry.texts) or all(
            any(t in text for text in entry.texts) for t in tokens):
        return 1
    return 0


def code_score(node: Document, code: str) -> int:
    """2 the code is the one asked, 1 it begins with it, 0 neither (case-insensitive)."""
    own = str(node.get("code") or "").casefold()
    wanted = code.casefold()
    return 2 if own == wanted else 1 if own.startswith(wanted) else 0


def ref(version: FrameworkVersion, node: Document | None, lang: str | None) -> Document | None:
    """A node named in ``lang``: id, code, type, name, description."""
    if node is None:
        return None
    return {"id": node["id"], "code": node.get("code"), "type": node["type"],
            "name": pick_text(node.get("name"), lang) or "",
            "description": pick_text(node.get("description"), lang)}


def levels_of(node: Document, lang: str | None) -> Document:
    """A competency's levels: ``{"3": {"name": "Advanced", "description": ...}}``."""
    out: Document = {}
    for key, text in sorted((node.get("levels") or {}).items()):
        if key.isdigit() and int(key) in LEVEL_NAMES:
            out[key] = {"name": LEVEL_NAMES[int(key)], "description": pick_text(text, lang)}
    return out


def hit(version: FrameworkVersion, node: Document, lang: str | None) -> Document:
    """One search result."""
    shown = ref(version, node, lang) or {}
    theme = version.theme_of(node["id"])
    shown.update(framework=version.framework, version=version.number, area=node.get("area"),
                 parent=ref(version, version.parent(node["id"]), lang),
                 theme=ref(version, theme, lang) if theme is not node else None)
    if node["type"] == "subtheme":
        shown["levels"] = levels_of(node, lang)
    return shown


def _fingerprint(args: Document) -> str:
    canon = {k: (sorted(v) if isinstance(v, list) else v) for k, v in sorted(args.items())
             if k not in ("limit", "cursor", "lang")}
    return b64(hashlib.sha256(orjson.dumps(canon)).digest()[:12])


def _versions(store: Store, args: Document, codec: TokenCodec
              ) -> tuple[list[FrameworkVersion], int, str]:
    """The versions to search (those the cursor pinned, else the latest of each framework),
    the offset, and the query fingerprint."""
    fp = _fingerprint(args)
    catalog = published(store)
    if not args.get("cursor"):
        return catalog.versions(), 0, fp
    data = codec.loads(args["cursor"])
    if not isinstance(data, dict) or data.get("f") != fp or not isinstance(data.get("o"), int):
        raise ValidationError.for_field(
            "cursor", "this cursor belongs to a different query; start again without it")
    pinned = [catalog.version(str(fid), int(n)) for fid, n in data.get("v") or []]
    return [v for v in pinned if v is not None], data["o"], fp


def _theme_matches(version: FrameworkVersion, node: Document, themes: list[str]) -> bool:
    theme = version.theme_of(node["id"])
    return (theme is not None and theme is not node
            and (theme["id"] in themes or theme.get("code") in themes))


def search(store: Store, args: Document, codec: TokenCodec) -> Document:
    """``GET /frac/search``: nodes of the published versions, best match first, then in code
    order; ``{"items", "next"}``."""
    versions, offset, fp = _versions(store, args, codec)
    lang = args.get("lang")
    query = fold((args.get("q") or "").strip())
    tokens = words(query)
    if query and not tokens:
        tokens = [query]
    code = (args.get("code") or "").strip()
    ranked: list[tuple[tuple[Any, ...], FrameworkVersion, Document]] = []
    for version in versions:
        if args.get("framework") and version.framework not in args["framework"]:
            continue
        for entry in _entries(version):
            node = entry.node
            if args.get("type") and node["type"] not in args["type"]:
                continue
            if args.get("area") and node.get("area") not in args["area"]:
                continue
            if args.get("theme") and not _theme_matches(version, node, args["theme"]):
                continue
            by_code = code_score(node, code) if code else 0
            by_text = text_score(entry, query, tokens) if query else 0
            if (code and not by_code) or (query and not by_text):
                continue
            ranked.append(((-by_code, -by_text, version.framework, code_order(node)),
                           version, node))
    ranked.sort(key=lambda item: item[0])
    limit = int(args.get("limit") or 20)
    page = ranked[offset:offset + limit]
    nxt = None
    if offset + limit < len(ranked):
        nxt = codec.dumps({"o": offset + limit, "f": fp,
                           "v": [[v.framework, v.number] for v in versions]})
    return {"items": [hit(v, n, lang) for _, v, n in page], "next": nxt}


def _resource(store: Store, resource: Document, lang: str | None) -> Document:
    """A resource with its title in ``lang`` (a course's from its live catalogue version)."""
    if "course" in resource:
        course = store.courses.get(resource["course"]) or {}
        live = course.get("live") or {}
        return {"course": resource["course"], "title": pick_text(live.get("title"), lang)}
    return {"url": resource.get("url", ""), "title": pick_text(resource.get("title"), lang)}


def role_requirements(store: Store, role: str, lang: str | None) -> Document:
    """``GET /frac/roles/<id>/requirements``: the role (by id, or code when unambiguous) in
    the latest published version, its position, its activities with their resources, and
    each required competency with its theme, area, level name and that level's description."""
    found = published(store).resolve(role)
    if found is None or found[1]["type"] != "role":
        raise NotFound(f"no published role {role!r}")
    version, node = found
    activities = []
    for child in version.children(node["id"]):
        if child["type"] == "activity":
            entry = ref(version, child, lang) or {}
            entry["resources"] = [_resource(store, r, lang) for r in child.get("resources") or []]
            activities.append(entry)
    requirements = []
    for req in node.get("requirements") or []:
        competency = version.node(req["competency"])
        if competency is None:  # a foreign package may name what it does not hold
            continue
        level = int(req["level"])
        requirements.append({
            "competency": ref(version, competency, lang),
            "theme": ref(version, version.theme_of(competency["id"]), lang),
            "area": ref(version, version.area_of(competency["id"]), lang),
            "level": level, "level_name": LEVEL_NAMES.get(level, str(level)),
            "level_description": pick_text((competency.get("levels") or {}).get(str(level)),
                                           lang),
        })
    return {"framework": version.framework, "version": version.number,
            "role": ref(version, node, lang),
            "position": ref(version, version.parent(node["id"]), lang),
            "activities": activities, "requirements": requirements}
