"""Who the caller is, and the one place that says what it may do and for which organisation.

Every credential belongs to one organisation of a :class:`OrgKind` and carries :class:`Role`
values (DESIGN.md, domain model). Services take a :class:`Principal` and ask it; they never
test role names or organisation kinds themselves. Tenancy (DESIGN.md "Tenancy"): every
resource belongs to one organisation and is invisible to the others, so a caller that may not
act for a resource's organisation gets a 404 from the service, not a 403.

This module imports nothing but the standard library: the schemas validate with the same
vocabulary (:mod:`catalogue_schemas.organisation`), and the domain services take a principal
without loading Flask (the request side is :mod:`hub.auth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A role a credential carries; ``admin`` implies every other role."""

    PUBLISHER = "publisher"  # writes and submits its provider organisation's courses
    REVIEWER = "reviewer"  # vets every provider's courses (the review board)
    CURATOR = "curator"  # curates for learners (ratings, reviews) and writes FRAC frameworks
    LRS_WRITER = "lrs-writer"  # writes statements and documents to the LRS
    LRS_READER = "lrs-reader"  # reads them
    # manages its organisation's LTI registrations: an LMS's registrations of the hub as a tool,
    # a provider's registrations of its own LTI tools with the hub as platform
    LTI_MANAGER = "lti-manager"
    # FRAC two-level review (DESIGN.md "FRAC"): the first level verifies or finally rejects a
    # node of its organisation's frameworks, the second confirms it or returns it to the first
    # and publishes versions; ``curator`` writes the nodes.
    FRAC_REVIEWER = "frac-reviewer"
    FRAC_APPROVER = "frac-approver"
    # Blended programs (issue 11): a department's approver approves its own learners'
    # enrolment requests; a coordinator runs the batches and sessions of its organisation's
    # blended programs and gives their final approval when a batch asks for it.
    DEPARTMENT_APPROVER = "department-approver"
    COORDINATOR = "coordinator"
    ADMIN = "admin"  # manages organisations and credentials; acts for every organisation


class OrgKind(StrEnum):
    """The kind of an organisation."""

    PROVIDER = "provider"  # offers courses in the marketplace
    INSTITUTION = "institution"  # trains learners (an academy, a university)
    DEPARTMENT = "department"  # employs learners
    LMS = "lms"  # a learning management system launching content for learners
    PLATFORM_ADMIN = "platform-admin"  # runs the hub: reads across organisations


#: Every role, as the plain strings that schemas, the CLI and stored credentials use.
ROLES: tuple[str, ...] = tuple(role.value for role in Role)
#: Every organisation kind, likewise.
ORG_KINDS: tuple[str, ...] = tuple(kind.value for kind in OrgKind)


@dataclass(frozen=True)
class ContentScope:
    """What a content session's token reaches (cmi5 §8.2): one learner (``agent``, the LRS's
    IFI key of the Agent), one ``registration``, one AU (``activity_id``; ``""`` for an xAPI
    package, whose content names many activities) in one session."""

    agent: str
    registration: str
    activity_id: str
    session_id: str


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: one credential of one organisation, or a content session's
    token (``scope`` set, no roles: only the LRS resources that check the scope admit it)."""

    key: str
    org_id: str
    org_kind: str
    org_name: str
    roles: frozenset[str]
    scope: ContentScope | None = None

    def has(self, *roles: str) -> bool:
        """True when the credential has any of ``roles`` (``admin`` has them all)."""
        return Role.ADMIN in self.roles or any(r in self.roles for r in roles)

    def is_kind(self, *kinds: str) -> bool:
        """True when the caller's organisation is of one of ``kinds``."""
        return self.org_kind in kinds

    def acts_for_every_organisation(self) -> bool:
        """An ``admin`` credential acts for any organisation (registers forwarding for it,
        sees its registrations)."""
        return Role.ADMIN in self.roles

    def acts_for(self, org_id: str) -> bool:
        """Whether the caller may act for organisation ``org_id``: its own, or any for an
        ``admin``. Services answer 404 otherwise, as if the resource did not exist."""
        return org_id == self.org_id or self.acts_for_every_organisation()

    def holds_in(self, org_id: str, *roles: str) -> bool:
        """Whether the caller holds one of ``roles`` as a member of ``org_id`` itself: a
        provider's courses are changed by the provider's own people, and an ``admin`` of
        another organisation is not one of them."""
        return org_id == self.org_id and self.has(*roles)

    def reads_across_organisations(self) -> bool:
        """Platform administrators (a ``platform-admin`` organisation, or an ``admin``
        credential) read every organisation's statements; others only their own."""
        return self.org_kind == OrgKind.PLATFORM_ADMIN or Role.ADMIN in self.roles
