"""The embedded store: one SQLite file, a connection per thread, explicit transactions.

The file runs in WAL mode (readers never block the one writer) with ``synchronous=NORMAL``
(durable at checkpoints, never corrupt), so that many threads of one process and several
processes (gunicorn workers) share it. Every repository write goes through
:meth:`SqliteStore.transaction` (``BEGIN IMMEDIATE``, nested as SAVEPOINTs), which makes a
multi-row write (a course, its search index and its audit event) atomic.

Repositories are built from :data:`REPOSITORY_MODULES`: each module exposes ``SCHEMA`` (a tuple of
``CREATE ... IF NOT EXISTS`` statements), ``SCHEMA_VERSION`` and ``attach(store)``, which sets the
repository attributes (``store.courses = ...``), and may expose ``upgrade(conn, old_version)``
to rewrite a file written at an older version. The module's name is the key of its schema
version in ``schema_migrations``, so it must not change.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

try:  # POSIX: writers of every process queue on one flock (see SqliteStore.transaction)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from storage.errors import DuplicateKey, StorageError, StoreClosed, StoreUnavailable
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
from storage.sqlite.group_commit import run_grouped

T = TypeVar("T")

#: Modules whose ``SCHEMA``/``attach`` make up the store, in creation order.
REPOSITORY_MODULES: tuple[str, ...] = ("storage.sqlite.marketplace", "storage.sqlite.forwarding",
                                       "storage.sqlite.xapi", "storage.sqlite.lti_platforms",
                                       "storage.sqlite.lti_grades", "storage.sqlite.lti_keys",
                                       "storage.sqlite.lti_tools", "storage.sqlite.lti_platform",
                                       "storage.sqlite.frac",
                                       "storage.sqlite.frac_suggestions",
                                       "storage.sqlite.blended",
                                       "storage.sqlite.plans",
                                       "storage.sqlite.demands",
                                       "storage.sqlite.cmi5",
                                       "storage.sqlite.passbook")

#: sqlite3 OperationalError messages that mean "the file cannot be used right now".
_UNAVAILABLE = ("unable to open", "database is locked", "disk i/o", "readonly", "read-only",
                "no such file", "not a database", "database or disk is full", "busy")


def translate(exc: sqlite3.Error) -> StorageError:
    """The :mod:`storage.errors` exception for a sqlite3 error (translated at the adapter's
    boundary)."""
    message = str(exc)
    lowered = message.lower()
    if isinstance(exc, sqlite3.IntegrityError) and (
        "unique constraint" in lowered or "primary key" in lowered
    ):
        return DuplicateKey(message)
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        marker in lowered for marker in _UNAVAILABLE
    ):
        return StoreUnavailable(message)
    return StorageError(message)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Run a block with sqlite3 errors turned into storage errors."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc) from exc


def path_from_url(url: str) -> Path:
    """``sqlite:///rel/path.db`` -> ``rel/path.db``; ``sqlite:////abs/path.db`` -> ``/abs/...``
    (SQLAlchemy's convention). A query string is ignored."""
    prefix = "sqlite:///"
    if not url.lower().startswith(prefix) or len(url) == len(prefix):
        raise StoreUnavailable(f"store URL {url!r}: expected sqlite:///relative/path or "
                               "sqlite:////absolute/path")
    return Path(url[len(prefix):].split("?", 1)[0])


class SqliteStore:
    """Every repository over one SQLite file (see the module docstring): a
    :class:`storage.ports.Store`, whose repositories the ``attach`` of each module of
    :data:`REPOSITORY_MODULES` sets (declared here so that mypy checks them against the port;
    a Store subclass would leave them abstract)."""

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

    def __init__(self, path: Path, busy_timeout_ms: int = 5000,
                 modules: Sequence[str] = REPOSITORY_MODULES) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writer = threading.Lock()  # one write transaction per process at a time
        self._writer_fd: int | None = None  # flock across processes (opened on first write)
        self._closed = False
        self._pid = os.getpid()
        with translated():
            path.parent.mkdir(parents=True, exist_ok=True)
        loaded = [importlib.import_module(name) for name in modules]
        self._migrate(loaded)
        for module in loaded:
            module.attach(self)

    # -- connections ------------------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        if self._pid != os.getpid():
            # A forked child (gunicorn --preload) must not use its parent's connections
            # (SQLite: "do not open a database, then fork"); abandon them, open its own.
            self._pid = os.getpid()
            self._local = threading.local()
            self._lock = threading.Lock()
            self._writer = threading.Lock()
            self._writer_fd = None  # a flock is shared across fork: open our own
            self._connections = []
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise StoreClosed("the store is closed")
        with translated():
            # isolation_level=None: we issue BEGIN/COMMIT ourselves; check_same_thread=False
            # only so that close() may close every thread's connection.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=self.busy_timeout_ms / 1000)
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: the search index stays hot
            conn.execute("PRAGMA mmap_size = 268435456")
        self._local.conn = conn
        self._local.depth = 0
        with self._lock:
            self._connections.append(conn)
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An atomic write: ``BEGIN IMMEDIATE`` (takes the write lock at once, so a
        read-then-write cannot deadlock), or a SAVEPOINT when already inside one.

        The threads of one process queue on a lock first: it wakes the next writer at once,
        whereas SQLite's busy handler sleeps up to 100 ms per retry and is unfair, so under
        8 concurrent ingest clients some writers waited past ``busy_timeout`` (503s). Only
        the processes still meet at SQLite's lock."""
        self.connection()
        if self._local.depth:
            with self._transaction() as conn:
                yield conn
            return
        with self._writer, self._writer_file_lock(), self._transaction() as conn:
            yield conn

    @contextlib.contextmanager
    def _writer_file_lock(self) -> Iterator[None]:
        """Across processes, writers queue on ``flock`` of ``<db>.writer-lock``: the kernel
        wakes a waiter as soon as the lock is free, whereas SQLite's busy handler sleeps and
        retries, so one gunicorn worker's threads could hold SQLite's lock back to back and
        starve the other worker's writers past busy_timeout (503 "database is locked")."""
        if fcntl is None:  # pragma: no cover - not POSIX: SQLite's own locking only
            yield
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(f"{self.path}.writer-lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.connection()
        depth = self._local.depth
        with translated():
            conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
        self._local.depth = depth + 1
        try:
            yield conn
        except BaseException as exc:
            self._local.depth = depth
            with translated():
                if depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO sp{depth}")
                    conn.execute(f"RELEASE sp{depth}")
            if isinstance(exc, sqlite3.Error):
                raise translate(exc) from exc
            raise
        self._local.depth = depth
        with translated():
            conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several SELECTs see one snapshot of the file (WAL)."""
        conn = self.connection()
        if self._local.depth:
            with translated():
                yield conn
            return
        with translated():
            conn.execute("BEGIN DEFERRED")
        self._local.depth = 1
        try:
            with translated():
                yield conn
        finally:
            self._local.depth = 0
            with translated():
                conn.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        """Whether this thread is inside :meth:`transaction` or :meth:`reading`."""
        return bool(getattr(self._local, "depth", 0))

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """All rows of one SELECT (errors translated)."""
        with translated():
            return self.connection().execute(sql, params).fetchall()

    # -- schema -----------------------------------------------------------------------------

    def _migrate(self, modules: list[Any]) -> None:
        """Create each module's schema once per ``SCHEMA_VERSION`` (recorded in
        ``schema_migrations`` so that a later version can add statements)."""
        with self.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "module TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            for module in modules:
                row = conn.execute("SELECT version FROM schema_migrations WHERE module = ?",
                                   (module.__name__,)).fetchone()
                if row is not None and row[0] >= module.SCHEMA_VERSION:
                    continue
                if row is not None and hasattr(module, "upgrade"):
                    module.upgrade(conn, row[0])
                for statement in module.SCHEMA:
                    conn.execute(statement)
                conn.execute("INSERT OR REPLACE INTO schema_migrations VALUES (?, ?)",
                             (module.__name__, module.SCHEMA_VERSION))

    # -- Store protocol ---------------------------------------------------------------------

    def write(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in one transaction, merged with the concurrent writes of this process's
        other threads into one commit (:mod:`storage.sqlite.group_commit`); returns once it
        committed. Inside an open transaction it is a SAVEPOINT of that one."""

        def atomic() -> T:
            with self.transaction():
                return fn()

        return run_grouped(self, atomic)  # type: ignore[no-any-return]

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the file cannot be read."""
        self.query("SELECT count(*) FROM schema_migrations")

    def close(self) -> None:
        """Close every thread's connection; the store cannot be used afterwards."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()
        if self._writer_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._writer_fd)
            self._writer_fd = None


def open_store(url: str, **options: Any) -> SqliteStore:
    """The store for a ``sqlite:///...`` URL (the parent directory is created).
    Options: ``busy_timeout_ms`` (default 5000), ``modules`` (default
    :data:`REPOSITORY_MODULES`)."""
    return SqliteStore(path_from_url(url), **options)
