"""The port of departments' demand for content (DESIGN.md "FRAC": Demand).

A department asks providers for content the catalogue lacks; a provider accepts and fulfils it
with a published catalogue item. The shapes are in :class:`DemandRepository`; the workflow that
moves a demand between statuses is :mod:`marketplace.demands` (nothing here knows its rules
beyond "compare-and-set on ``row_version``").
"""

from __future__ import annotations

import builtins
from typing import Protocol, runtime_checkable

from storage.ports.document import Document

#: Statuses in which a demand is open to providers (``list_open`` returns only these).
OPEN_STATUS = "unassigned"


def competency_ids(demand: Document) -> builtins.list[str]:
    """The ids of the competencies a demand asks for (its stored tags), which both adapters
    index so that a provider's published competencies find it."""
    return [str(t["id"]) for t in demand.get("competencies") or ()
            if isinstance(t, dict) and t.get("id")]


@runtime_checkable
class DemandRepository(Protocol):
    """``store.demands``: demands and their audit events.

    A demand::

        {"id", "org_id" (the department), "title": langmap, "objective": langmap,
         "target_learners": {"description": langmap, "designations": [str], "count": int|None},
         "competencies": [stored tags, marketplace.frac_tags], "learning_mode",
         "provider_id": str | None (sent to one provider; None: broadcast to every provider),
         "status": "unassigned" | "assigned" | "in_progress" | "fulfilled" | "invalid",
         "assigned_to": provider org id | None, "fulfilment": {"catalogue_id", ...} | None,
         "row_version": int, "created_at", "updated_at", "created_by"}

    An event: ``{"id", "demand_id", "at", "actor", "org_id", "action", "from", "to",
    "comment"}``, written in the same atomic write as the change it records.

    Lists are ordered by id ascending (ids are time-ordered) and paged with ``after`` (the last
    id of the previous page).
    """

    def add(self, demand: Document, event: Document) -> None:
        """Insert a demand and its first event; ``DuplicateKey`` when the id exists."""
        ...

    def get(self, demand_id: str) -> Document | None:
        """One demand, or None."""
        ...

    def replace(self, demand: Document, *, expected_version: int, event: Document
                ) -> Document | None:
        """Compare-and-set: store ``demand`` when the stored ``row_version`` equals
        ``expected_version``, with ``row_version`` set to ``expected_version + 1`` and
        ``event`` appended, in one atomic write; the stored document, or None (nothing
        written) when the demand is absent or changed since it was read. Two providers
        accepting one broadcast demand: exactly one of them gets a document back."""
        ...

    def list_for_org(self, org_id: str, statuses: tuple[str, ...] = (), limit: int = 50,
                     after: str | None = None) -> builtins.list[Document]:
        """Demands a department raised, of ``statuses`` (any when empty)."""
        ...

    def list_assigned(self, provider_id: str, statuses: tuple[str, ...] = (), limit: int = 50,
                      after: str | None = None) -> builtins.list[Document]:
        """Demands a provider accepted, of ``statuses`` (any when empty)."""
        ...

    def list_open(self, provider_id: str, competencies: builtins.list[str], limit: int = 50,
                  after: str | None = None) -> builtins.list[Document]:
        """Open demands (status ``unassigned``) a provider may accept: those sent to it, and
        the broadcast ones asking for at least one of ``competencies`` (competency ids)."""
        ...

    def events(self, demand_id: str) -> builtins.list[Document]:
        """A demand's audit events, oldest first."""
        ...
