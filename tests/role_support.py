"""A FRAC framework with positions, roles and their required levels, published straight
through ``store.frac`` (recommendation, talent and coverage tests, and the recommendation
benchmark, which asks for 200 competencies).

Competencies ``COMSUBTHEME-1..n`` (each defines levels 1-5) under themes of ten
(``COMTHEME-k``) in one functional area ``COMAREA-1``; positions and roles as the caller gives
them: ``{"POS-1": {"ROLE-1": {1: 3, 2: 2}}}`` is position POS-1 with role ROLE-1 requiring
COMSUBTHEME-1 at level 3 and COMSUBTHEME-2 at level 2. Names in English and Hindi.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

FRAMEWORK_ID = "6f1d2a90-0000-4000-8000-0000000013ce"
NOW = "2026-03-01T10:00:00.000000Z"
AREA = "functional"

#: Positions -> roles -> {competency number: level} of the default test framework.
POSITIONS: dict[str, dict[str, dict[int, int]]] = {
    "POS-1": {"ROLE-1": {1: 3, 2: 2, 3: 1}, "ROLE-2": {1: 4, 4: 2}},
    "POS-2": {"ROLE-3": {5: 2}},
}


def node_id(code: str) -> str:
    """The id of a node of this framework (uuid5 of its code)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://hub.test/frac-roles/" + code))


def competency(number: int) -> str:
    """The id of COMSUBTHEME-number."""
    return node_id(f"COMSUBTHEME-{number}")


def theme_of(number: int) -> int:
    """The theme number of competency ``number`` (themes of ten)."""
    return (number - 1) // 10 + 1


def _node(code: str, node_type: str, name: str, parent: str | None,
          **extra: Any) -> dict[str, Any]:
    return {"id": node_id(code), "framework": FRAMEWORK_ID, "type": node_type, "code": code,
            "name": {"en": name, "hi": f"{name} (हिन्दी)"}, "description": {"en": f"{name}."},
            "parent": node_id(parent) if parent else None, "status": "confirmed",
            "created_at": NOW, "updated_at": NOW, "extensions": {}, **extra}


def nodes(competencies: int, positions: Mapping[str, Mapping[str, Mapping[int, int]]]
          ) -> list[dict[str, Any]]:
    """Every node of the framework."""
    out = [_node("COMAREA-1", "area", "Functional competencies", None, area=AREA)]
    out += [_node(f"COMTHEME-{t}", "theme", f"Theme {t}", "COMAREA-1", area=AREA)
            for t in range(1, theme_of(competencies) + 1)]
    out += [_node(f"COMSUBTHEME-{n}", "subtheme", f"Competency {n}", f"COMTHEME-{theme_of(n)}",
                  area=AREA, levels={str(lv): {"en": f"Competency {n} at level {lv}"}
                                     for lv in range(1, 6)})
            for n in range(1, competencies + 1)]
    for position, roles in positions.items():
        out.append(_node(position, "position", f"Position {position}", None))
        for role, required in roles.items():
            out.append(_node(role, "role", f"Role {role}", position, requirements=[
                {"competency": competency(n), "level": level}
                for n, level in sorted(required.items())]))
    return out


def publish_role_framework(store: Any, competencies: int = 8,
                           positions: Mapping[str, Mapping[str, Mapping[int, int]]] | None = None
                           ) -> None:
    """Publish version 1 of the framework."""
    all_nodes = nodes(competencies, POSITIONS if positions is None else positions)
    store.frac.add_framework({"id": FRAMEWORK_ID, "org_id": "org_test",
                              "title": {"en": "Roles framework"}, "description": {"en": "Tests"},
                              "creator": "tests", "created_at": NOW, "updated_at": NOW,
                              "extensions": {}})
    store.frac.add_nodes([{**n, "revision": 1} for n in all_nodes], [])
    store.frac.add_version({"framework": FRAMEWORK_ID, "number": 1, "published_at": NOW,
                            "published_by": "key_test", "title": {"en": "Roles framework"},
                            "description": {"en": "Tests"}, "extensions": {},
                            "nodes": all_nodes, "associations": [], "retired": []})


def tag(number: int, level: int) -> dict[str, Any]:
    """A stored (validated, denormalised) tag to COMSUBTHEME-number at ``level``."""
    return {"id": competency(number), "level": level, "framework": FRAMEWORK_ID, "version": 1,
            "code": f"COMSUBTHEME-{number}", "area": AREA,
            "theme": node_id(f"COMTHEME-{theme_of(number)}")}
