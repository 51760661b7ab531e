"""A small FRAC framework for tests, published through ``store.frac`` (the port the hub reads
tags against: marketplace.frac_catalog.published).

Areas COMAREA-1 (behavioural) and COMAREA-2 (functional); themes COMTHEME-1 and COMTHEME-2
(behavioural) and COMTHEME-3 (functional); competencies COMSUBTHEME-1..8: 1-2 under theme 1,
3-4 under theme 2, 5-8 under theme 3. Odd competencies define levels 1-5, even ones only 1-3.
Names in English and Hindi. A position POS-1 with a role ROLE-1 (not taggable).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import pytest

FRAMEWORK_ID = "9b0a4c3e-0000-4000-8000-00000000f4ac"
TITLE = {"en": "Test competency framework", "hi": "परीक्षण दक्षता ढांचा"}
THEME_OF = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 3, 8: 3}
AREA_OF_THEME = {1: 1, 2: 1, 3: 2}
AREA_KIND = {1: "behavioural", 2: "functional"}
NOW = "2026-03-01T10:00:00.000000Z"


def node_id(code: str) -> str:
    """The id of a node of the test framework (uuid5 of its code)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://hub.test/frac/" + code))


def _node(code: str, node_type: str, name_en: str, name_hi: str, parent: str | None,
          area: str | None = None, levels: Iterable[int] = ()) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": node_id(code), "framework": FRAMEWORK_ID, "type": node_type, "code": code,
        "name": {"en": name_en, "hi": name_hi}, "description": {"en": f"About {name_en}"},
        "parent": node_id(parent) if parent else None, "status": "confirmed",
        "revision": 1, "created_at": NOW, "updated_at": NOW, "extensions": {}}
    if area:
        doc["area"] = area
    if node_type == "subtheme":
        doc["levels"] = {str(n): {"en": f"{name_en} at level {n}", "hi": f"स्तर {n}"}
                         for n in levels}
    return doc


def nodes() -> list[dict[str, Any]]:
    """Every node of the test framework (status confirmed, revision 1)."""
    out = [_node(f"COMAREA-{a}", "area", f"{kind.title()} competencies", f"{kind} दक्षताएँ",
                 None, kind) for a, kind in AREA_KIND.items()]
    out += [_node(f"COMTHEME-{t}", "theme", f"Theme {t}", f"विषय {t}", f"COMAREA-{a}",
                  AREA_KIND[a]) for t, a in AREA_OF_THEME.items()]
    out += [_node(f"COMSUBTHEME-{s}", "subtheme", f"Competency {s}", f"दक्षता {s}",
                  f"COMTHEME-{t}", AREA_KIND[AREA_OF_THEME[t]],
                  range(1, 6) if s % 2 else range(1, 4)) for s, t in THEME_OF.items()]
    out.append(_node("POS-1", "position", "Section officer", "अनुभाग अधिकारी", None))
    out.append(_node("ROLE-1", "role", "File processing", "फ़ाइल कार्य", "POS-1"))
    return out


def version_doc(number: int, without: Iterable[str] = ()) -> dict[str, Any]:
    """Version ``number`` of the test framework, without the nodes coded in ``without``
    (listed as retired when ``number`` > 1)."""
    gone = {node_id(code) for code in without}
    kept = [{k: v for k, v in n.items() if k != "revision"} for n in nodes()
            if n["id"] not in gone]
    return {"framework": FRAMEWORK_ID, "number": number, "published_at": NOW,
            "published_by": "key_test", "title": TITLE, "description": {"en": "For tests"},
            "extensions": {}, "nodes": kept, "associations": [],
            "retired": sorted(gone) if number > 1 else []}


def stored_tag(number: int, level: int) -> dict[str, Any]:
    """The stored (validated, denormalised: marketplace.frac_tags) tag to COMSUBTHEME-number,
    for data written straight to the store (benchmarks, storage tests)."""
    theme = THEME_OF[number]
    return {"id": node_id(f"COMSUBTHEME-{number}"), "level": level, "framework": FRAMEWORK_ID,
            "version": 1, "code": f"COMSUBTHEME-{number}",
            "area": AREA_KIND[AREA_OF_THEME[theme]], "theme": node_id(f"COMTHEME-{theme}")}


def publish_test_framework(store: Any, number: int = 1, without: Iterable[str] = ()) -> None:
    """Publish version ``number`` of the test framework (the framework and its working nodes
    are written with version 1)."""
    if number == 1:
        store.frac.add_framework({"id": FRAMEWORK_ID, "org_id": "org_test", "title": TITLE,
                                  "description": {"en": "For tests"}, "creator": "tests",
                                  "created_at": NOW, "updated_at": NOW, "extensions": {}})
        store.frac.add_nodes(nodes(), [])
    store.frac.add_version(version_doc(number, without))


@pytest.fixture
def tag_framework(app: Any) -> Any:
    """The app's store with version 1 of the test framework published."""
    store = app.extensions["hub.store"]
    publish_test_framework(store)
    return store
