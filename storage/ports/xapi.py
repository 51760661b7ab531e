"""Ports of the LRS: statements, documents (State, Activity Profile, Agent Profile), activities.

Every store gives them as ``store.statements`` (:class:`StatementRepository`),
``store.xapi_documents`` (:class:`DocumentRepository`) and ``store.activities``
(:class:`ActivityRepository`).

Each organisation's LRS is its own store (as Learning Locker's stores are): statement ids are
unique per organisation, voiding and StatementRef keys reach only the same organisation's
statements, and documents and activity definitions are keyed by organisation. Only reads with
``org_id=None`` (a platform administrator's) cross organisations.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from storage import json_text
from storage.ports.document import Document

#: Kinds of xAPI document (Communication 2.3 State, 2.6 Activity Profile, 2.7 Agent Profile).
XAPI_DOCUMENT_KINDS: tuple[str, ...] = ("state", "activity-profile", "agent-profile")


@dataclass
class StatementRecord:
    """One statement to store, with the index keys the LRS computed from it (``xapi/``).

    ``keys`` are opaque strings; a query matches a statement when every key of the query is among
    the statement's keys. The LRS builds them (``"verb|<iri>"``, ``"agent|<ifi>"``,
    ``"agent*|<ifi>"`` for related agents, ``"act|<iri>"``, ``"act*|<iri>"``, ``"reg|<uuid>"``) so
    adapters never look inside a statement. A related key ``kind*|v`` is always accompanied by
    its direct form ``kind|v`` when that applies (related sets are supersets), so an adapter may
    store only ``kind|v`` and match a query for ``kind*|v`` against either (the SQLite adapter
    does, to write fewer index entries). ``fingerprint`` identifies the statement's content:
    a re-insert of the same id with the same fingerprint is a no-op, with another one a conflict.
    """

    id: str
    statement: Document  # the statement as stored; the repository fills in ``stored``
    fingerprint: str
    keys: tuple[str, ...]
    voids: str | None = None  # id of the statement this voiding statement voids
    ref: str | None = None  # id targeted by a StatementRef object (the LRS already merged the
    # target's keys into ``keys``; informational for adapters)
    org_id: str | None = None  # organisation of the credential that stored it


@dataclass(frozen=True)
class StatementQuery:
    """A page of ``GET /xapi/statements`` (xAPI 1.0.3 Communication 2.1.3). Voided statements
    never match. ``since``/``until`` compare with ``stored`` (``stored > since``,
    ``stored <= until``). ``cursor`` is the opaque ``StatementPage.cursor`` of the previous page
    of the same query."""

    keys: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    ascending: bool = False
    limit: int = 100
    cursor: str | None = None
    org_id: str | None = None  # only statements stored by this organisation


@dataclass
class StatementPage:
    """Statements of one page, ordered by ``stored`` (then insertion); ``cursor`` continues the
    same query after the last one, None when the query is exhausted.

    ``bodies`` are the statements as the adapter keeps them (JSON text, exactly the stored
    statement), so that a page served unchanged (``format=exact``) is never parsed and
    re-serialised; ``statements`` parses them on first use."""

    bodies: list[str]
    cursor: str | None = None
    orgs: list[str | None] = field(default_factory=list)  # each body's organisation

    @functools.cached_property
    def statements(self) -> list[Document]:
        """The statements as objects."""
        return [json_text.loads(body, None) for body in self.bodies]


@runtime_checkable
class StatementRepository(Protocol):
    """xAPI statements, immutable once stored."""

    def insert(self, records: list[StatementRecord]) -> tuple[str, list[str]]:
        """Store a batch atomically; returns ``(stored, ids newly stored)``.

        One transaction: a record whose id exists in its organisation (``record.org_id``) with
        the same fingerprint is skipped, with a different one raises ``DuplicateKey`` and nothing
        of the batch is stored; the same id in another organisation is another statement. The
        repository sets ``statement["stored"]`` (one timestamp for the batch, taken inside the
        write so that stored order is commit order where the backend allows) and marks the
        ``voids`` target of the record's own organisation voided (Data 2.3.2). Keys are stored
        as given (the LRS merged in a StatementRef target's keys, Communication 2.1.3 "Filter
        Conditions for StatementRefs")."""
        ...

    def get(self, statement_id: str, org_id: str | None = None) -> Document | None:
        """``{"statement": {...}, "voided": bool, "voids": str | None, "org_id": str | None}``
        or None: the statement of organisation ``org_id`` under that id; with ``org_id`` None
        (reading across organisations) the earliest stored one under that id."""
        ...

    def get_many(self, ids: Iterable[str], org_id: str | None = None) -> dict[str, Document]:
        """As ``get`` for several ids; absent ids are left out."""
        ...

    def query(self, query: StatementQuery) -> StatementPage: ...

    def scan(self, cursor: str | None, limit: int) -> StatementPage:
        """Every statement of every organisation, voided ones included, oldest first, a page
        at a time (``cursor`` None for the first): for maintenance, never for requests."""
        ...

    def count(self) -> int: ...


@dataclass(frozen=True)
class DocumentKey:
    """Where an xAPI document lives. Fields that do not apply to the kind are ``""``; ``agent`` is
    the LRS's canonical string of the Agent's IFI, ``registration`` ``""`` when none;
    ``org_id`` the organisation whose LRS holds it (required: no document is global)."""

    kind: str  # one of XAPI_DOCUMENT_KINDS
    doc_id: str  # stateId or profileId
    activity_id: str = ""
    agent: str = ""
    registration: str = ""
    org_id: str = field(kw_only=True)


@runtime_checkable
class DocumentRepository(Protocol):
    """xAPI documents: ``{"content": bytes, "content_type": str, "etag": str, "updated": str}``.

    Writes are compare-and-set on the etag so that If-Match / If-None-Match (Communication
    3.1) and JSON merges hold under concurrency."""

    def get(self, key: DocumentKey) -> Document | None: ...

    def get_many(self, keys: list[DocumentKey]) -> dict[DocumentKey, Document]:
        """The documents of ``keys`` that exist, in one round trip or a few (the cmi5 rules
        look up a batch's launches at once, on the ingest path)."""
        ...

    def save(self, key: DocumentKey, doc: Document, expected_etag: str | None) -> None:
        """Store ``doc`` if the stored etag equals ``expected_etag`` (None: must not exist),
        else raise ``ConcurrentUpdate``."""
        ...

    def delete(self, key: DocumentKey) -> bool:
        """Delete one document; False when absent."""
        ...

    def list_ids(
        self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
        registration: str | None = None, since: str | None = None,
    ) -> list[str]:
        """Ids of organisation ``org_id``'s documents in a scope updated after ``since``;
        ``registration`` None matches every registration (State), ``""`` only documents
        without one."""
        ...

    def delete_many(
        self, org_id: str, kind: str, activity_id: str = "", agent: str = "",
        registration: str | None = None,
    ) -> int:
        """Delete every document of a scope of organisation ``org_id`` (State multi-delete);
        returns how many."""
        ...


@runtime_checkable
class ActivityRepository(Protocol):
    """Canonical Activity objects (``{"id", "objectType": "Activity", "definition": {...}}``),
    as merged by the LRS from the statements each organisation accepted (Communication 2.5):
    one per (organisation, activity id)."""

    def get_many(self, org_id: str, ids: Iterable[str]) -> dict[str, Document]: ...

    def put_many(self, org_id: str, activities: list[Document]) -> None:
        """Insert or replace organisation ``org_id``'s whole activity objects (keyed by
        ``id``)."""
        ...
