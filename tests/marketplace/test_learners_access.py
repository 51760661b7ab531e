"""Who sees and who manages learner records (:mod:`marketplace.learners`, the issue 13 shared
contract): the learner's organisation's readers, platform administrators for any
organisation, 404 for everyone else; the organisation's curator writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hub.errors import NotFound, PermissionDenied
from hub.principal import OrgKind, Principal, Role
from marketplace.learners import check_manages_learners, check_reads_learners, visible_learner


def who(kind: str, *roles: str, org: str = "dept_a") -> Principal:
    return Principal("k_1", org, kind, "An organisation", frozenset(roles))


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    from storage import open_store

    opened = open_store(store_url)
    # A record written before issue 13: no position, languages or source.
    opened.department_learners.put({
        "org_id": "dept_a", "learner_id": "u1", "name": "Officer", "designation": "Director",
        "home_page": "http://hub.test", "created_at": "2026-01-01T00:00:00Z",
        "updated_at": None})
    yield opened
    opened.close()


@pytest.mark.parametrize("role", [Role.CURATOR, Role.REVIEWER, Role.DEPARTMENT_APPROVER,
                                  Role.LRS_READER, Role.ADMIN])
def test_readers_of_the_organisation_see_its_learner(store: Any, role: str) -> None:
    learner = visible_learner(store, who(OrgKind.DEPARTMENT, role), "u1")
    assert learner["name"] == "Officer"
    # Older documents read with the fields issue 13 added.
    assert (learner["position"], learner["languages"], learner["source"]) == (None, [], "api")


def test_an_lms_reader_sees_its_own_launched_learners(store: Any) -> None:
    store.department_learners.put({"org_id": "lms_a", "learner_id": "u9", "name": "L",
                                   "designation": None, "home_page": "http://hub.test",
                                   "created_at": "2026-01-01T00:00:00Z", "updated_at": None})
    assert visible_learner(store, who(OrgKind.LMS, Role.LRS_READER, org="lms_a"),
                           "u9")["learner_id"] == "u9"


@pytest.mark.parametrize("role", [Role.PUBLISHER, Role.LRS_WRITER, Role.COORDINATOR,
                                  Role.LTI_MANAGER])
def test_other_roles_of_the_organisation_are_refused(store: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        visible_learner(store, who(OrgKind.DEPARTMENT, role), "u1")


def test_another_organisation_answers_404_even_to_its_curator(store: Any) -> None:
    other = who(OrgKind.DEPARTMENT, Role.CURATOR, org="dept_b")
    with pytest.raises(NotFound):
        visible_learner(store, other, "u1", "dept_a")
    with pytest.raises(NotFound):  # its own organisation has no u1 either
        visible_learner(store, other, "u1")


def test_platform_administrators_read_any_organisation(store: Any) -> None:
    reader = who(OrgKind.PLATFORM_ADMIN, Role.LRS_READER, org="platform")
    assert visible_learner(store, reader, "u1", "dept_a")["learner_id"] == "u1"
    admin = who(OrgKind.DEPARTMENT, Role.ADMIN, org="dept_b")
    assert visible_learner(store, admin, "u1", "dept_a")["learner_id"] == "u1"
    with pytest.raises(NotFound):
        visible_learner(store, reader, "absent", "dept_a")
    # A platform organisation's credential without a reading role reads nothing.
    with pytest.raises(NotFound):
        check_reads_learners(who(OrgKind.PLATFORM_ADMIN, Role.PUBLISHER, org="p"), "dept_a")


def test_check_reads_learners_own_organisation() -> None:
    check_reads_learners(who(OrgKind.DEPARTMENT, Role.LRS_READER), "dept_a")
    with pytest.raises(PermissionDenied):
        check_reads_learners(who(OrgKind.DEPARTMENT, Role.LRS_WRITER), "dept_a")
    with pytest.raises(NotFound):
        check_reads_learners(who(OrgKind.DEPARTMENT, Role.CURATOR), "dept_b")


def test_only_the_organisations_curator_manages_learners() -> None:
    check_manages_learners(who(OrgKind.DEPARTMENT, Role.CURATOR))
    check_manages_learners(who(OrgKind.DEPARTMENT, Role.ADMIN))
    check_manages_learners(who(OrgKind.LMS, Role.CURATOR, org="lms_a"))
    for refused in (who(OrgKind.DEPARTMENT, Role.LRS_READER),
                    who(OrgKind.DEPARTMENT, Role.REVIEWER),
                    who(OrgKind.PROVIDER, Role.CURATOR, org="prov"),
                    who(OrgKind.PLATFORM_ADMIN, Role.CURATOR, org="platform")):
        with pytest.raises(PermissionDenied):
            check_manages_learners(refused)
