"""Contract of ToolRegistrationRepository (the platform side's provider tools), run over every
adapter."""

from __future__ import annotations

from typing import Any

import pytest

from storage.errors import DuplicateKey
from storage.ports.lti_tools import ToolRegistrationRepository
from tests.storage.factories import timestamp


def tool(tool_id: str, org_id: str = "org_a", client_id: str | None = None) -> dict[str, Any]:
    """A tool registration with a JWKS URL."""
    return {"id": tool_id, "org_id": org_id, "name": f"Tool {tool_id}",
            "client_id": client_id or f"client-{tool_id}",
            "initiate_login_url": f"https://{tool_id}.example.org/login",
            "redirect_uris": [f"https://{tool_id}.example.org/launch"],
            "key_set_url": f"https://{tool_id}.example.org/jwks", "public_jwk": None,
            "deployment_id": f"dep-{tool_id}", "scopes": ["scope-a"],
            "target_link_uri": None, "deep_linking_url": None,
            "created_at": timestamp(), "created_by": "key_1", "updated_at": None}


def test_implements_the_port(store: Any) -> None:
    assert isinstance(store.lti_tools, ToolRegistrationRepository)


def test_add_get_by_id_and_client_id(store: Any) -> None:
    repo = store.lti_tools
    repo.add(tool("t1"))
    assert repo.get("t1") == tool("t1") | {"created_at": repo.get("t1")["created_at"]}
    assert repo.get_by_client_id("client-t1")["id"] == "t1"
    assert repo.get("missing") is None
    assert repo.get_by_client_id("client-missing") is None


def test_id_and_client_id_are_unique(store: Any) -> None:
    repo = store.lti_tools
    repo.add(tool("t1"))
    with pytest.raises(DuplicateKey):
        repo.add(tool("t1", client_id="client-other"))
    with pytest.raises(DuplicateKey):
        repo.add(tool("t2", client_id="client-t1"))
    assert [t["id"] for t in repo.list()] == ["t1"]


def test_list_by_organisation_oldest_first(store: Any) -> None:
    repo = store.lti_tools
    for tool_id, org in (("t3", "org_a"), ("t1", "org_b"), ("t2", "org_a")):
        repo.add(tool(tool_id, org))
    assert [t["id"] for t in repo.list("org_a")] == ["t3", "t2"]
    assert [t["id"] for t in repo.list("org_b")] == ["t1"]
    assert [t["id"] for t in repo.list()] == ["t3", "t1", "t2"]
    assert repo.list("org_none") == []


def test_update_sets_fields_but_never_the_naming_ones(store: Any) -> None:
    repo = store.lti_tools
    repo.add(tool("t1"))
    updated = repo.update("t1", {"name": "Renamed", "redirect_uris": ["https://x.org/l"],
                                 "id": "t9", "org_id": "org_b", "client_id": "stolen"})
    assert updated is not None
    assert (updated["id"], updated["org_id"], updated["client_id"], updated["name"]) == (
        "t1", "org_a", "client-t1", "Renamed")
    assert repo.get("t1") == updated
    assert repo.get_by_client_id("client-t1")["redirect_uris"] == ["https://x.org/l"]
    assert repo.get_by_client_id("stolen") is None
    assert [t["id"] for t in repo.list("org_b")] == []
    assert repo.update("t1", {})["name"] == "Renamed"
    assert repo.update("missing", {"name": "x"}) is None


def test_delete(store: Any) -> None:
    repo = store.lti_tools
    repo.add(tool("t1"))
    repo.add(tool("t2"))
    assert repo.delete("t1") is True
    assert repo.delete("t1") is False
    assert repo.get("t1") is None
    assert repo.get_by_client_id("client-t1") is None
    assert [t["id"] for t in repo.list()] == ["t2"]
    repo.add(tool("t1"))  # the id and client id are free again
    assert repo.get_by_client_id("client-t1")["id"] == "t1"
