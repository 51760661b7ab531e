"""The storage ports: one small interface per job, one module per domain.

Domain code (``marketplace/``, ``xapi/``, ``lti/``) talks only to these. Each adapter
(``storage.sqlite``, ``storage.mongodb``) implements every repository; the contract suite in
``tests/storage/`` is the definition of "implements".

- :mod:`storage.ports.accounts`: organisations and credentials;
- :mod:`storage.ports.catalogue`: courses (vetting, search) and reviews;
- :mod:`storage.ports.blobs`: content packages and attachments (a store of its own);
- :mod:`storage.ports.xapi`: statements, xAPI documents and activities;
- :mod:`storage.ports.forwarding`: statement forwarding and its outbox;
- :mod:`storage.ports.lti_platforms`: LMSes registered with the LTI tool side, and learners;
- :mod:`storage.ports.lti_grades`: LTI pass-back targets, contexts and the score outbox;
- :mod:`storage.ports.lti_tools`: the LTI platform side's tool registrations;
- :mod:`storage.ports.lti_keys`: the hub's LTI signing keys and once-only values.
- :mod:`storage.ports.lti_keys`: the hub's LTI signing keys and once-only values;
- :mod:`storage.ports.lti_platform`: the LTI platform side's contexts, line items, results and
  access tokens;
- :mod:`storage.ports.lti_tools`: the LTI platform side's tool registrations;
- :mod:`storage.ports.frac`: FRAC competency frameworks, their nodes and published versions;
- :mod:`storage.ports.frac_suggestions`: decisions on competency suggestions;
- :mod:`storage.ports.blended`: blended programs' batches, sessions and enrolments.
- :mod:`storage.ports.plans`: departments' learner directories and capacity-building plans.
- :mod:`storage.ports.demands`: departments' demand for content.
- :mod:`storage.ports.cmi5`: cmi5 content sessions (fetch URL, token) and registrations.
- :mod:`storage.ports.passbook`: the competency passbook derived from the LRS.

This package gives the names every domain shares: :class:`Store` (what ``open_store`` returns)
and :data:`Document` (see :mod:`storage.ports.document`). Everything else is imported from its
domain's module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from storage.ports.accounts import CredentialRepository, OrganisationRepository
from storage.ports.blended import BlendedRepository
from storage.ports.catalogue import CourseRepository, ReviewRepository
from storage.ports.cmi5 import Cmi5Repository
from storage.ports.demands import DemandRepository
from storage.ports.document import Document
from storage.ports.forwarding import ForwardingRepository
from storage.ports.frac import FracRepository
from storage.ports.frac_suggestions import SuggestionDecisionRepository
from storage.ports.lti_grades import GradeRepository
from storage.ports.lti_keys import OnceRepository, SigningKeyRepository
from storage.ports.lti_platform import PlatformContextRepository
from storage.ports.lti_platforms import LearnerRepository, PlatformRegistrationRepository
from storage.ports.lti_tools import ToolRegistrationRepository
from storage.ports.passbook import PassbookRepository
from storage.ports.plans import DepartmentLearnerRepository, PlanRepository
from storage.ports.xapi import ActivityRepository, DocumentRepository, StatementRepository

__all__ = ["Document", "Store"]

T = TypeVar("T")


class Store(Protocol):
    """A backend's set of repositories. Each adapter's ``open_store(url)`` returns one."""

    organisations: OrganisationRepository
    credentials: CredentialRepository
    courses: CourseRepository
    reviews: ReviewRepository
    statements: StatementRepository
    xapi_documents: DocumentRepository
    activities: ActivityRepository
    forwarding: ForwardingRepository
    lti_platforms: PlatformRegistrationRepository
    learners: LearnerRepository
    lti_grades: GradeRepository
    lti_tools: ToolRegistrationRepository
    lti_keys: SigningKeyRepository
    once: OnceRepository
    lti_contexts: PlatformContextRepository
    frac: FracRepository
    frac_suggestions: SuggestionDecisionRepository
    blended: BlendedRepository
    department_learners: DepartmentLearnerRepository
    plans: PlanRepository
    demands: DemandRepository
    cmi5: Cmi5Repository
    passbook: PassbookRepository

    def write(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` (repository writes) as one atomic write and return its result.

        The embedded store runs it in one transaction, possibly merged with other threads'
        concurrent writes into one commit (group commit); ``fn``'s writes commit together or
        not at all, and ``write`` returns only after they committed. A store without
        multi-document transactions (MongoDB) calls ``fn`` plainly: each repository write in
        it is atomic on its own."""
        ...

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the backend cannot be reached."""
        ...

    def close(self) -> None:
        """Release the store's connections; it cannot be used afterwards."""
        ...
