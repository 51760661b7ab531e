"""Test data for the CASE 1.1 import/export: a small FRAC framework published through
``store.frac`` (English and Hindi, every node type, levels, requirements, resources) and the
credentials the import API needs."""

from __future__ import annotations

import uuid
from typing import Any

FRAMEWORK_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://karmayogi.example/frac/test-fw"))
AT = "2026-11-30T10:00:00.000000Z"


def nid(code: str) -> str:
    """The id of a test node by its code."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://karmayogi.example/frac/" + code))


def _node(code: str, node_type: str, en: str, hi: str, parent: str | None,
          **extra: Any) -> dict[str, Any]:
    return {"id": nid(code), "framework": FRAMEWORK_ID, "type": node_type, "code": code,
            "name": {"en": en, "hi": hi}, "description": {"en": f"About {en.lower()}."},
            "parent": nid(parent) if parent else None, "status": "confirmed", "revision": 1,
            "created_at": AT, "updated_at": AT, "extensions": {}, **extra}


def levels(name: str, count: int = 5) -> dict[str, dict[str, str]]:
    """Level descriptions 1..count in English and Hindi."""
    return {str(n): {"en": f"{name} at level {n}", "hi": f"{name} स्तर {n}"}
            for n in range(1, count + 1)}


def framework_nodes() -> list[dict[str, Any]]:
    """Every node of the test framework."""
    return [
        _node("COMAREA-1", "area", "Behavioural competencies", "व्यवहारिक दक्षताएँ", None,
              area="behavioural"),
        _node("COMAREA-2", "area", "Functional competencies", "कार्यात्मक दक्षताएँ", None,
              area="functional"),
        _node("COMTHEME-1", "theme", "Ethics and Integrity", "नैतिकता और सत्यनिष्ठा",
              "COMAREA-1", area="behavioural"),
        _node("COMTHEME-2", "theme", "Procurement and Contracts", "खरीद और अनुबंध",
              "COMAREA-2", area="functional"),
        _node("COMSUBTHEME-1", "subtheme", "Integrity and ethical conduct", "सत्यनिष्ठा",
              "COMTHEME-1", area="behavioural", levels=levels("Integrity"),
              keywords={"en": ["ethics", "integrity"], "hi": ["नैतिकता"]}),
        _node("COMSUBTHEME-2", "subtheme", "Public procurement rules", "सार्वजनिक खरीद नियम",
              "COMTHEME-2", area="functional", levels=levels("Procurement", 4)),
        _node("COMSUBTHEME-10", "subtheme", "Contract management", "अनुबंध प्रबंधन",
              "COMTHEME-2", area="functional", levels={}),
        _node("POS-1", "position", "Section Officer", "अनुभाग अधिकारी", None),
        _node("ROLE-1", "role", "Procurement handling", "खरीद कार्य", "POS-1",
              requirements=[{"competency": nid("COMSUBTHEME-2"), "level": 3},
                            {"competency": nid("COMSUBTHEME-1"), "level": 2}]),
        _node("ACT-1", "activity", "Evaluate tenders", "निविदा मूल्यांकन", "ROLE-1",
              resources=[{"url": "https://gem.gov.in/training", "title": {"en": "GeM"}}]),
    ]


def publish_test_framework(store: Any, org_id: str, number: int = 1) -> dict[str, Any]:
    """The test framework written and published through the port; returns the version."""
    nodes = framework_nodes()
    store.frac.add_framework({
        "id": FRAMEWORK_ID, "org_id": org_id,
        "title": {"en": "Test FRAC", "hi": "परीक्षण FRAC"}, "description": {"en": "For tests."},
        "creator": "Capacity Building Commission", "created_at": AT, "updated_at": AT,
        "extensions": {}})
    store.frac.add_nodes(nodes, [{"node": n["id"], "framework": FRAMEWORK_ID, "at": AT,
                                  "by": "test", "org_id": org_id, "action": "created",
                                  "from": None, "to": "confirmed", "comment": ""}
                                 for n in nodes])
    version = {"framework": FRAMEWORK_ID, "number": number, "published_at": AT,
               "published_by": "test", "title": {"en": "Test FRAC", "hi": "परीक्षण FRAC"},
               "description": {"en": "For tests."}, "extensions": {},
               "nodes": [{k: v for k, v in n.items() if k != "revision"} for n in nodes],
               "associations": [], "retired": []}
    store.frac.add_version(version)
    return version

