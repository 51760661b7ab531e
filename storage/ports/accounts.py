"""Ports of the accounts: organisations and their credentials."""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class OrganisationRepository(Protocol):
    """Organisations: ``{"id", "name", "kind", "country", "contact", "created_at"}``.

    ``id`` and ``name`` are each unique (``DuplicateKey`` on a clash).
    """

    def add(self, org: Document) -> None: ...
    def get(self, org_id: str) -> Document | None: ...
    def get_by_name(self, name: str) -> Document | None: ...
    def list(self, kind: str | None = None) -> builtins.list[Document]:
        """All organisations (of one kind when given), ordered by name."""
        ...

    def count(self) -> int: ...


def is_active_admin(credential: Document) -> bool:
    """Whether a credential document holds the ``admin`` role and is not revoked."""
    return not credential.get("revoked") and "admin" in credential.get("roles", ())


@runtime_checkable
class CredentialRepository(Protocol):
    """Credentials: ``{"key", "secret_hash", "org_id", "roles": [...], "created_at",
    "revoked": bool, "label"}``. ``key`` is unique. The secret itself is never stored."""

    def add(self, credential: Document) -> None: ...
    def get(self, key: str) -> Document | None: ...
    def list_for_org(self, org_id: str) -> list[Document]: ...
    def revoke(self, key: str, keep_last_admin: bool = False) -> bool:
        """Mark revoked; False when there is no such key. With ``keep_last_admin``, raise
        ``LastAdminCredential`` instead when ``key`` is the platform's last active credential
        with the ``admin`` role; the check and the write are one atomic step, so two admins
        revoking each other at once cannot leave none."""
        ...
