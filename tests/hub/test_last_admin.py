"""The platform keeps at least one active admin credential: revoking the last is 409, also when
two admins revoke each other at the same moment (through the API, on every store adapter)."""

from __future__ import annotations

from functools import partial
from typing import Any

from tests.conftest import Tenants
from tests.racing import race


def _revoke(client: Any, key: str, by: dict[str, Any]) -> Any:
    return client.delete(f"/admin/credentials/{key}", headers=by["headers"])


def _active_admins(app: Any) -> list[str]:
    store = app.extensions["hub.store"]
    return [c["key"] for org in store.organisations.list()
            for c in store.credentials.list_for_org(org["id"])
            if "admin" in c["roles"] and not c["revoked"]]


def test_the_last_admin_cannot_revoke_itself(client: Any, tenants: Tenants) -> None:
    admin = tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))
    resp = _revoke(client, admin["key"], admin)
    assert resp.status_code == 409, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    assert "last active admin" in resp.json["detail"]
    assert client.get("/me", headers=admin["headers"]).status_code == 200


def test_an_admin_may_go_while_another_remains(app: Any, client: Any, tenants: Tenants) -> None:
    first = tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))
    second = tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))
    publisher = tenants.make("Provider A")
    # Revoking other credentials is untouched by the rule.
    assert _revoke(client, publisher["key"], first).status_code == 204
    assert _revoke(client, first["key"], first).status_code == 204  # its own: another remains
    assert client.get("/me", headers=first["headers"]).status_code == 401
    # The remaining one is now the last; a revoked admin does not count.
    assert _revoke(client, second["key"], second).status_code == 409
    assert _revoke(client, first["key"], second).status_code == 204  # already revoked: fine
    assert _active_admins(app) == [second["key"]]


def test_two_admins_revoking_each_other_at_once_leave_one(app: Any, tenants: Tenants) -> None:
    survivor = tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))
    for _ in range(15):
        newcomer = tenants.make("Karmayogi Platform", kind="platform-admin", roles=("admin",))
        statuses = [r.status_code for r in race(
            partial(_revoke, app.test_client(), newcomer["key"], survivor),
            partial(_revoke, app.test_client(), survivor["key"], newcomer),
        )]
        # The loser is refused (409), or, when the winner's revocation came first, no longer
        # authenticates at all (401); never do both go.
        assert sorted(statuses) in ([204, 401], [204, 409]), statuses
        remaining = _active_admins(app)
        assert len(remaining) == 1, remaining
        survivor = survivor if remaining == [survivor["key"]] else newcomer
