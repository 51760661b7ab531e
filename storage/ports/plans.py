"""The port of capacity-building plans (DESIGN.md "FRAC": Capacity-building plan): a
department's learner directory and its plans.

- ``store.department_learners`` (:class:`DepartmentLearnerRepository`): the learner records
  (issue 13), each named by ``(org_id, learner_id)`` (the id that names the learner's xAPI
  agent account): a department's learners, or the learners an LMS launched, with a name, the
  designation that plans assign content to, a FRAC position and languages.
- ``store.plans`` (:class:`PlanRepository`): plans as whole aggregates (live version, working
  draft, audit events), written compare-and-set on ``row_version``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from storage.ports.document import Document


@runtime_checkable
class DepartmentLearnerRepository(Protocol):
    """``store.department_learners``: ``{"org_id", "learner_id", "name", "designation",
    "position", "languages", "home_page", "source", "created_at", "updated_at"}``, one per
    ``(org_id, learner_id)``.

    ``designation`` and ``position`` (a published FRAC position node id) may be None,
    ``languages`` is a list of BCP 47 tags, ``source`` is ``"api"``, ``"import"`` or ``"lti"``.
    Documents are kept whole, so fields pass through; documents written before issue 13 lack
    ``position``, ``languages`` and ``source`` (readers default them)."""

    def put(self, learner: Document) -> bool:
        """Insert or replace the learner of ``(learner["org_id"], learner["learner_id"])``;
        True when it was new."""
        ...

    def get(self, org_id: str, learner_id: str) -> Document | None:
        """One learner of one organisation, or None."""
        ...

    def list(self, org_id: str) -> builtins.list[Document]:
        """An organisation's learners, by learner id."""
        ...

    def delete(self, org_id: str, learner_id: str) -> bool:
        """Remove a learner; False when absent."""
        ...

    def page(self, org_id: str, limit: int, after: str | None = None, *,
             designation: str | None = None, position: str | None = None,
             ) -> builtins.list[Document]:
        """Up to ``limit`` learners of an organisation whose learner id sorts after ``after``
        (keyset paging), by learner id; only those of one ``designation`` and/or one
        ``position`` when given (exact match)."""
        ...

    def put_many(self, learners: Iterable[Document]) -> int:
        """Insert or replace each learner (as :meth:`put`) in one write; how many were new.
        A key given twice keeps its last document."""
        ...


@runtime_checkable
class PlanRepository(Protocol):
    """``store.plans``: ``{"id", "org_id", "state": "draft" | "live" | "retired",
    "live": {...version...} | None, "live_version": int, "draft": {...version...} | None,
    "events": [audit event, ...], "created_at", "updated_at", "row_version": int}``.

    ``live`` is what learners' mandated items are computed from; ``draft`` is the working copy
    (editable while the plan is live, which keeps serving ``live``)."""

    def add(self, plan: Document) -> None:
        """Insert (``row_version`` 1); ``DuplicateKey`` when the id is taken."""
        ...

    def get(self, plan_id: str) -> Document | None:
        """One plan, or None."""
        ...

    def list(self, org_id: str, state: str | None = None) -> builtins.list[Document]:
        """An organisation's plans (of one state when given), oldest first."""
        ...

    def replace(self, plan: Document, expected_row_version: int) -> Document:
        """Compare-and-set: store ``plan`` (its ``id`` and ``org_id`` unchanged) when the stored
        ``row_version`` equals ``expected_row_version``, with ``row_version`` one higher;
        the stored plan. ``ConcurrentUpdate`` when another write came first or it is absent."""
        ...
