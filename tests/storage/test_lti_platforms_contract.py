"""Contract of PlatformRegistrationRepository and LearnerRepository (the LTI tool side's
registrations and learners), run over every adapter."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.lti_platforms import LearnerRepository, PlatformRegistrationRepository
from tests.storage.factories import timestamp

ISS = "https://lms.example.org"


def registration(rid: str, org_id: str = "org_lms", issuer: str = ISS,
                 client_id: str | None = None) -> dict[str, Any]:
    """A platform registration."""
    return {"id": rid, "org_id": org_id, "issuer": issuer, "client_id": client_id or f"c-{rid}",
            "deployment_ids": ["d1"], "auth_login_url": f"{issuer}/auth",
            "auth_token_url": f"{issuer}/token", "key_set_url": f"{issuer}/jwks",
            "name": rid, "created_at": timestamp(), "created_by": "key_1"}


def test_implements_the_ports(store: Any) -> None:
    assert isinstance(store.lti_platforms, PlatformRegistrationRepository)
    assert isinstance(store.learners, LearnerRepository)


def test_add_get_find_list(store: Any) -> None:
    repo = store.lti_platforms
    repo.add(registration("plt_1"))
    repo.add(registration("plt_2", org_id="org_other"))
    repo.add(registration("plt_3", issuer="https://other.example.org"))
    assert repo.get("plt_1")["deployment_ids"] == ["d1"]
    assert repo.get("plt_missing") is None
    assert repo.find(ISS, "c-plt_2")["id"] == "plt_2"
    assert repo.find(ISS, "c-plt_3") is None
    assert repo.find("https://other.example.org", "c-plt_3")["id"] == "plt_3"
    assert [r["id"] for r in repo.for_issuer(ISS)] == ["plt_1", "plt_2"]
    assert repo.for_issuer("https://nobody.example.org") == []
    assert [r["id"] for r in repo.list("org_lms")] == ["plt_1", "plt_3"]
    assert [r["id"] for r in repo.list()] == ["plt_1", "plt_2", "plt_3"]


def test_issuer_and_client_id_are_unique(store: Any) -> None:
    repo = store.lti_platforms
    repo.add(registration("plt_1", client_id="same"))
    with pytest.raises(DuplicateKey):
        repo.add(registration("plt_2", org_id="org_other", client_id="same"))
    with pytest.raises(DuplicateKey):
        repo.add(registration("plt_1", client_id="different"))
    assert [r["id"] for r in repo.list()] == ["plt_1"]
    repo.add(registration("plt_3", client_id="third"))
    with pytest.raises(DuplicateKey):
        repo.update("plt_3", {"client_id": "same"})
    assert repo.get("plt_3")["client_id"] == "third"


def test_update_and_delete(store: Any) -> None:
    repo = store.lti_platforms
    repo.add(registration("plt_1"))
    assert repo.update("plt_1", {"deployment_ids": ["d1", "d2"], "client_id": "new"}) is True
    got = repo.get("plt_1")
    assert (got["deployment_ids"], got["client_id"], got["org_id"]) == (
        ["d1", "d2"], "new", "org_lms")
    assert repo.find(ISS, "new")["id"] == "plt_1"
    assert repo.find(ISS, "c-plt_1") is None
    assert repo.update("plt_missing", {"name": "x"}) is False
    assert repo.delete("plt_1") is True
    assert repo.delete("plt_1") is False
    assert repo.get("plt_1") is None and repo.find(ISS, "new") is None


def test_resolve_gives_one_stable_id_per_subject_and_org(store: Any) -> None:
    learners = store.learners
    first = learners.resolve(ISS, "sub-1", "org_lms")
    assert first["id"].startswith("lrn_") and "name" not in first and "email" not in first
    assert learners.resolve(ISS, "sub-1", "org_lms")["id"] == first["id"]
    others = {learners.resolve(ISS, "sub-2", "org_lms")["id"],
              learners.resolve("https://other.example.org", "sub-1", "org_lms")["id"],
              learners.resolve(ISS, "sub-1", "org_other")["id"]}
    assert first["id"] not in others and len(others) == 3
    got = learners.get(first["id"])
    assert (got["issuer"], got["subject"], got["org_id"]) == (ISS, "sub-1", "org_lms")
    assert learners.get("lrn_missing") is None


def test_name_and_email_are_stored_only_when_sent(store: Any) -> None:
    learners = store.learners
    lid = learners.resolve(ISS, "sub-1", "org_lms", name="Asha", email="a@example.org")["id"]
    again = learners.resolve(ISS, "sub-1", "org_lms")
    assert (again["id"], again["name"], again["email"]) == (lid, "Asha", "a@example.org")
    renamed = learners.resolve(ISS, "sub-1", "org_lms", name="Asha K")
    assert (renamed["name"], renamed["email"]) == ("Asha K", "a@example.org")
    assert learners.get(lid)["name"] == "Asha K"


def test_concurrent_first_launches_share_one_id(store: Any) -> None:
    ids: list[str] = []
    barrier = threading.Barrier(6)

    def launch() -> None:
        barrier.wait()
        ids.append(store.learners.resolve(ISS, "sub-race", "org_lms")["id"])

    threads = [threading.Thread(target=launch) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == 6 and len(set(ids)) == 1
