"""The MongoDB adapter: every repository of :mod:`storage.ports` on pymongo.

``open_store("mongodb://host:27017/hub")`` (or ``mongodb+srv://``) returns a :class:`MongoStore`.
The database is the URL's path (``hub`` when there is none). The adapter is written for a real
replica set: every write that must be atomic is a single-document write (the audit trail is
embedded in the course document), compare-and-set filters on ``row_version``, and nothing relies
on multi-document transactions.

Repositories come from an explicit module list, like the SQLite store: each module of
:data:`REPOSITORY_MODULES` has ``ensure_indexes(db)`` (run once by :func:`open_store`, at
start-up) and ``attach(store)`` (sets its repositories as attributes of the store).

One ``MongoClient`` per process and URL, made by :data:`CLIENT_FACTORY` so that
the tests can put ``mongomock.MongoClient`` in its place without touching the adapter's code.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import pymongo
from pymongo.database import Database

from storage.mongodb.errors import translate_errors
from storage.ports.accounts import CredentialRepository, OrganisationRepository
from storage.ports.blended import BlendedRepository
from storage.ports.catalogue import CourseRepository, ReviewRepository
from storage.ports.cmi5 import Cmi5Repository
from storage.ports.demands import DemandRepository
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

T = TypeVar("T")

#: Modules that contribute repositories, in start-up order.
REPOSITORY_MODULES: tuple[str, ...] = (
    "storage.mongodb.marketplace", "storage.mongodb.forwarding", "storage.mongodb.xapi",
    "storage.mongodb.lti_platforms",
    "storage.mongodb.lti_grades",
    "storage.mongodb.lti_tools",
    "storage.mongodb.lti_keys",
    "storage.mongodb.lti_platform",
    "storage.mongodb.frac",
    "storage.mongodb.frac_suggestions",
    "storage.mongodb.blended",
    "storage.mongodb.plans",
    "storage.mongodb.demands",
    "storage.mongodb.cmi5",
    "storage.mongodb.passbook",
)

#: Makes a client from a URL and options; tests swap in ``mongomock.MongoClient``.
CLIENT_FACTORY: Any = pymongo.MongoClient

#: Seconds ``ping`` waits for the server (pymongo's client-side operation timeout).
PING_TIMEOUT_S = 2.0

#: The database used when the URL names none.
DEFAULT_DATABASE = "hub"

_clients: dict[tuple[int, str], Any] = {}
_clients_lock = threading.Lock()


def database_name(url: str) -> str:
    """The database a store URL names (its path), ``hub`` by default."""
    name = unquote(urlsplit(url).path.lstrip("/"))
    return name or DEFAULT_DATABASE


def get_client(url: str, **options: Any) -> Any:
    """The process's client for ``url``, created on first use.

    Keyed by process id too: a client must not cross a ``fork`` (gunicorn workers), as pymongo
    documents that ``MongoClient`` is not fork-safe.
    """
    key = (os.getpid(), url)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            # The full URL goes to the driver: its path is also the default authSource.
            client = CLIENT_FACTORY(url, **options)
            _clients[key] = client
        return client


def close_client(url: str) -> None:
    """Close and forget the process's client for ``url`` (shutdown, tests)."""
    with _clients_lock:
        client = _clients.pop((os.getpid(), url), None)
    if client is not None:
        client.close()


class MongoStore:
    """The repositories of one MongoDB database: a :class:`storage.ports.Store`, whose
    repositories the ``attach`` function of each module in :data:`REPOSITORY_MODULES` sets
    (declared here so that mypy checks them against the port).
    """

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

    def __init__(self, url: str, db: Database[Any]) -> None:
        self.url = url
        self.db = db

    def write(self, fn: Callable[[], T]) -> T:
        """Call ``fn``: without multi-document transactions each repository write in it is
        atomic on its own. For statement ingest this means the statements are written first
        and their forwarding outbox right after, so a crash between the two forwards nothing
        of that batch (the statements themselves are safe): the one non-atomic spot of
        forwarding."""
        return fn()

    @translate_errors
    def ping(self) -> None:
        """Run the server's ``ping`` command; ``StoreUnavailable`` when it cannot be reached
        within :data:`PING_TIMEOUT_S` (a health check must answer before a load balancer's
        probe gives up, not after the driver's 30 s server selection)."""
        with pymongo.timeout(PING_TIMEOUT_S):
            self.db.command("ping")

    def close(self) -> None:
        """Release this store. The client is shared by every store of the process on the same
        URL, so it stays open; :func:`close_client` closes it."""


def _modules() -> list[Any]:
    return [importlib.import_module(name) for name in REPOSITORY_MODULES]


@translate_errors
def open_store(url: str, **options: Any) -> MongoStore:
    """Open the store named by ``url`` and create its indexes (at start-up, idempotent).

    ``options`` go to the client on its first creation (e.g. ``serverSelectionTimeoutMS``).
    """
    db = get_client(url, **options)[database_name(url)]
    store = MongoStore(url, db)
    for module in _modules():
        module.ensure_indexes(db)
        module.attach(store)
    return store
