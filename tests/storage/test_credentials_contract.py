"""Contract of CredentialRepository, run over every adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports import CredentialRepository
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
