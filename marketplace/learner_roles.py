"""A learner's roles and the competency levels they require (issue 13 "Recommendations"),
read from the published FRAC frameworks (DESIGN.md "FRAC": position -> role -> competencies
with the level required).

A learner record names a ``position`` (a published position node, by id; a reference code is
accepted too when it is unambiguous). Every published role under that position applies to the
learner, and each role lists ``requirements: [{"competency", "level"}]``. When two roles
require one competency, the learner needs the higher level of the two: the requirement keeps
the maximum and names every role that asks for it.

Only the latest published version of a framework counts (:func:`frac_catalog.published`):
a working draft is not what the hub stands behind. A requirement naming a competency the
version does not hold (a foreign CASE package may) is skipped, as ``role_requirements`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from marketplace.frac_catalog import PublishedFrameworks, published
from marketplace.frac_model import COMPETENCY, FrameworkVersion
from storage.ports import Document, Store


@dataclass(frozen=True)
class Requirement:
    """One required competency: the level needed (the highest any role asks) and the ids of
    the roles that ask for it, in code order."""

    level: int
    roles: tuple[str, ...]


@dataclass(frozen=True)
class PositionRoles:
    """A position's published roles and what they require together. ``version`` and
    ``position`` are None when the position is unknown or not published (no requirements)."""

    version: FrameworkVersion | None = None
    position: Document | None = None
    roles: tuple[Document, ...] = ()
    required: Mapping[str, Requirement] = field(default_factory=lambda: MappingProxyType({}))

    def levels(self) -> dict[str, tuple[int, list[str]]]:
        """``{competency id: (level, [role ids])}``."""
        return {comp: (req.level, list(req.roles)) for comp, req in self.required.items()}


def _level(value: object) -> int | None:
    """A requirement's level as an int 1-5, or None when it is not one (foreign data)."""
    try:
        level = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return level if 1 <= level <= 5 else None


def role_requirements(version: FrameworkVersion, role: Document) -> dict[str, int]:
    """``{competency id: level}`` one role requires, in its order (the highest level when
    it names a competency twice); requirements naming no competency of the version, or no
    level 1-5, are skipped."""
    out: dict[str, int] = {}
    for req in role.get("requirements") or []:
        if not isinstance(req, dict):
            continue
        competency = version.node(str(req.get("competency")))
        level = _level(req.get("level"))
        if competency is None or competency["type"] != COMPETENCY or level is None:
            continue
        out[competency["id"]] = max(level, out.get(competency["id"], 0))
    return out


def roles_of_position(catalog: PublishedFrameworks, position: str | None) -> PositionRoles:
    """The published roles under ``position`` and their merged requirements."""
    if not position:
        return PositionRoles()
    found = catalog.resolve(position)
    if found is None or found[1]["type"] != "position":
        return PositionRoles()
    version, node = found
    roles = tuple(child for child in version.children(node["id"]) if child["type"] == "role")
    levels: dict[str, int] = {}
    askers: dict[str, list[str]] = {}
    for role in roles:
        for comp_id, level in role_requirements(version, role).items():
            levels[comp_id] = max(level, levels.get(comp_id, 0))
            askers.setdefault(comp_id, []).append(role["id"])
    required = {comp: Requirement(levels[comp], tuple(askers[comp])) for comp in levels}
    return PositionRoles(version, node, roles, MappingProxyType(required))


def learner_roles(store: Store, learner: Document) -> PositionRoles:
    """The roles of a learner record (by its ``position``; none when it has none)."""
    return roles_of_position(published(store), learner.get("position"))


def required_levels(store: Store, learner: Document) -> dict[str, tuple[int, list[str]]]:
    """``{competency id: (level, [role ids])}`` the learner's roles require (the highest
    level when roles share a competency)."""
    return learner_roles(store, learner).levels()
