"""Contract of CredentialRepository, run over every adapter."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from storage.errors import DuplicateKey, LastAdminCredential
from storage.ports.accounts import CredentialRepository
from tests.racing import race
from tests.storage.factories import credential_doc


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.credentials, CredentialRepository)


def test_add_get_and_key_is_unique(store: Any) -> None:
    cred = credential_doc("key_1", "org_a", ("publisher", "reviewer"))
    store.credentials.add(cred)
    assert store.credentials.get("key_1") == cred
    assert store.credentials.get("key_2") is None
    with pytest.raises(DuplicateKey):
        store.credentials.add(credential_doc("key_1", "org_b"))
    assert store.credentials.get("key_1")["org_id"] == "org_a"


def test_list_for_org_holds_only_that_org_oldest_first(store: Any) -> None:
    store.credentials.add(credential_doc("key_b", "org_a"))
    store.credentials.add(credential_doc("key_x", "org_other"))
    store.credentials.add(credential_doc("key_a", "org_a"))
    assert [c["key"] for c in store.credentials.list_for_org("org_a")] == ["key_b", "key_a"]
    assert store.credentials.list_for_org("org_none") == []


def test_revoke(store: Any) -> None:
    store.credentials.add(credential_doc("key_1", "org_a"))
    assert store.credentials.revoke("key_1") is True
    assert store.credentials.get("key_1")["revoked"] is True
    assert store.credentials.revoke("key_missing") is False
    assert store.credentials.get("key_missing") is None


def test_revoke_keeps_the_last_active_admin(store: Any) -> None:
    store.credentials.add(credential_doc("admin_1", "org_p", ("admin",)))
    store.credentials.add(credential_doc("pub_1", "org_a", ("publisher",)))
    with pytest.raises(LastAdminCredential):
        store.credentials.revoke("admin_1", keep_last_admin=True)
    assert store.credentials.get("admin_1")["revoked"] is False
    assert store.credentials.revoke("pub_1", keep_last_admin=True) is True
    assert store.credentials.revoke("nobody", keep_last_admin=True) is False

    store.credentials.add(credential_doc("admin_2", "org_other", ("reviewer", "admin")))
    assert store.credentials.revoke("admin_1", keep_last_admin=True) is True
    assert store.credentials.revoke("admin_1", keep_last_admin=True) is True  # idempotent
    with pytest.raises(LastAdminCredential):
        store.credentials.revoke("admin_2", keep_last_admin=True)
    # Unguarded (the operator's CLI) still revokes, and the guard follows.
    assert store.credentials.revoke("admin_2") is True
    store.credentials.add(credential_doc("admin_3", "org_p", ("admin",)))
    with pytest.raises(LastAdminCredential):
        store.credentials.revoke("admin_3", keep_last_admin=True)


def test_admins_revoking_each_other_at_once_leave_one(store: Any) -> None:
    survivor = "admin_0"
    store.credentials.add(credential_doc(survivor, "org_p", ("admin",)))
    for i in range(1, 31):
        newcomer = f"admin_{i}"
        store.credentials.add(credential_doc(newcomer, "org_p", ("admin",)))
        pair = (survivor, newcomer)
        outcome = race(*(functools.partial(store.credentials.revoke, key, keep_last_admin=True)
                         for key in pair))
        refused = [isinstance(o, LastAdminCredential) for o in outcome]
        assert sorted(refused) == [False, True], outcome
        active = [k for k in pair if not store.credentials.get(k)["revoked"]]
        assert active == [pair[refused.index(True)]]
        survivor = active[0]
