"""The port of the hub's tool side (LTI 1.3): the LMSes registered to launch the hub and the
learners those launches name."""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class PlatformRegistrationRepository(Protocol):
    """``store.lti_platforms``: an LMS (an LTI 1.3 platform) registered with the hub.

    A registration: ``{"id", "org_id" (the owning ``lms`` organisation), "issuer", "client_id",
    "deployment_ids": [...], "auth_login_url", "auth_token_url", "key_set_url", "name",
    "created_at", "created_by"}``. ``id`` is unique and so is ``(issuer, client_id)``
    (LTI 1.3 §5.1.2: the pair names one registration; ``DuplicateKey`` on a clash).
    """

    def add(self, registration: Document) -> None: ...
    def get(self, registration_id: str) -> Document | None: ...
    def find(self, issuer: str, client_id: str) -> Document | None:
        """The registration of ``(issuer, client_id)``, or None."""
        ...

    def for_issuer(self, issuer: str) -> builtins.list[Document]:
        """Every registration of an issuer, oldest first (an OIDC login request may omit
        ``client_id``, LTI 1.3 §5.1.1.1: it names one only when the issuer has one)."""
        ...

    def list(self, org_id: str | None = None) -> builtins.list[Document]:
        """Registrations of one organisation (all when None), oldest first."""
        ...

    def update(self, registration_id: str, changes: Document) -> bool:
        """Set ``changes``; False when absent, ``DuplicateKey`` when the new
        ``(issuer, client_id)`` is another registration's."""
        ...

    def delete(self, registration_id: str) -> bool:
        """Remove a registration; False when absent."""
        ...


@runtime_checkable
class LearnerRepository(Protocol):
    """``store.learners``: the hub's learner for each user an LMS launches.

    A learner: ``{"id", "org_id", "issuer", "subject", "created_at", "name"?, "email"?}``.
    ``(issuer, subject, org_id)`` is unique: the same LMS user always gets the same ``id``, which
    is what the hub's xAPI statements name (never the LMS's ``sub``)."""

    def resolve(self, issuer: str, subject: str, org_id: str, name: str | None = None,
                email: str | None = None) -> Document:
        """The learner of ``(issuer, subject, org_id)``, created on first sight (atomic: two
        concurrent first launches get the same id). ``name``/``email`` are stored only when
        given (LTI 1.3 §5.3.6: the LMS may withhold them) and then replace the stored ones."""
        ...

    def get(self, learner_id: str) -> Document | None: ...
