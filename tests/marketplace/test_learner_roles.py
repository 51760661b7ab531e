"""A learner's roles and required levels from the published FRAC framework (issue 13),
on both store adapters."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.learner_roles import learner_roles, required_levels
from tests.role_support import competency, node_id, publish_role_framework


@pytest.fixture
def store(app: Any) -> Any:
    """The app's store with the roles framework published."""
    store = app.extensions["hub.store"]
    publish_role_framework(store)
    return store


def test_roles_under_the_position_merge_their_requirements(store: Any) -> None:
    learner = {"org_id": "org_d", "learner_id": "l1", "position": node_id("POS-1")}
    assert required_levels(store, learner) == {
        # ROLE-1 asks level 3, ROLE-2 level 4: the learner needs the higher
        competency(1): (4, [node_id("ROLE-1"), node_id("ROLE-2")]),
        competency(2): (2, [node_id("ROLE-1")]),
        competency(3): (1, [node_id("ROLE-1")]),
        competency(4): (2, [node_id("ROLE-2")]),
    }
    roles = learner_roles(store, learner)
    assert [r["code"] for r in roles.roles] == ["ROLE-1", "ROLE-2"]
    assert roles.position is not None and roles.position["code"] == "POS-1"


def test_position_by_code_and_other_positions(store: Any) -> None:
    assert required_levels(store, {"position": "POS-2"}) == {
        competency(5): (2, [node_id("ROLE-3")])}


@pytest.mark.parametrize("position", [None, "", "POS-404", node_id("ROLE-1"),
                                      node_id("COMSUBTHEME-1")])
def test_no_position_or_not_a_position_requires_nothing(store: Any, position: Any) -> None:
    roles = learner_roles(store, {"position": position})
    assert required_levels(store, {"position": position}) == {}
    assert roles.roles == () and roles.position is None


def test_unpublished_framework_requires_nothing(app: Any) -> None:
    store = app.extensions["hub.store"]
    assert required_levels(store, {"position": node_id("POS-1")}) == {}


def test_requirements_a_version_cannot_honour_are_skipped(app: Any) -> None:
    store = app.extensions["hub.store"]
    # level 9 is no level; COMSUBTHEME-99 is not in an 8-competency framework
    publish_role_framework(store, 8, {"POS-9": {"ROLE-9": {1: 9, 99: 2, 2: 3}}})
    assert required_levels(store, {"position": "POS-9"}) == {
        competency(2): (3, [node_id("ROLE-9")])}
