"""Contract of OrganisationRepository, run over every adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.accounts import OrganisationRepository
from tests.storage.factories import org_doc


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.organisations, OrganisationRepository)


def test_add_and_get_by_id_and_name(store: Any) -> None:
    org = org_doc("org_a", "Indian Institute of Public Administration")
    store.organisations.add(org)
    assert store.organisations.get("org_a") == org
    assert store.organisations.get_by_name("Indian Institute of Public Administration") == org
    assert store.organisations.get("org_missing") is None
    assert store.organisations.get_by_name("indian institute of public administration") is None


def test_id_is_unique(store: Any) -> None:
    store.organisations.add(org_doc("org_a", "First"))
    with pytest.raises(DuplicateKey):
        store.organisations.add(org_doc("org_a", "Second"))
    assert store.organisations.get_by_name("Second") is None
    assert store.organisations.count() == 1


def test_name_is_unique(store: Any) -> None:
    store.organisations.add(org_doc("org_a", "Same name"))
    with pytest.raises(DuplicateKey):
        store.organisations.add(org_doc("org_b", "Same name"))
    assert store.organisations.get("org_b") is None


def test_list_is_ordered_by_name_and_filters_by_kind(store: Any) -> None:
    store.organisations.add(org_doc("org_1", "Zeta University", "provider"))
    store.organisations.add(org_doc("org_2", "Alpha Institute", "provider"))
    store.organisations.add(org_doc("org_3", "Ministry of Rural Development", "department"))
    assert [o["name"] for o in store.organisations.list()] == [
        "Alpha Institute", "Ministry of Rural Development", "Zeta University"]
    assert [o["id"] for o in store.organisations.list("provider")] == ["org_2", "org_1"]
    assert store.organisations.list("lms") == []
    assert store.organisations.count() == 3
