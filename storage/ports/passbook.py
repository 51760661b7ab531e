"""The port of the competency passbook (DESIGN.md "FRAC": Competency passbook, Integrity): a
view derived from each organisation's LRS, rebuildable from scratch.

- ``store.passbook`` (:class:`PassbookRepository`) holds two kinds of rows, both derived from
  statements and both dropped by :meth:`PassbookRepository.clear` before a rebuild:

  - **completions**: one per completion or pass statement of a catalogue item (the statement
    that earns evidence), with the learning time the statements record and whether it is
    flagged as too fast (and, once a reviewer of the department accepted it, who and when);
  - **evidence**: one per ``(org_id, learner_id, competency, source)``, the competency level
    that source proves. A source is one catalogue item, one certificate, one external
    training or the learner's own declaration, so a course completed twice is one piece of
    evidence (de-duplicated by source, keeping the strongest).

Nothing here is a source of truth: the LRS is. An acceptance of a flagged completion is itself a
statement, so a rebuild replays it.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from storage.ports.document import Document

#: Evidence kinds, strongest first when one source proves a competency at one level twice.
EVIDENCE_KINDS = ("pass", "completion", "certificate", "external", "self-declared")

#: The kinds that count as proof (a self-declared level is shown, never counted as held).
PROVEN_KINDS = frozenset(EVIDENCE_KINDS) - {"self-declared"}


@runtime_checkable
class PassbookRepository(Protocol):
    """``store.passbook``.

    Evidence: ``{"org_id", "learner_id", "competency" (FRAC competency node id), "level"
    (1-5), "kind" (one of :data:`EVIDENCE_KINDS`), "source" (the de-duplication key, e.g.
    ``item:<catalogue id>``, ``certificate:<id>``, ``external:<iri>``, ``self``), "item_id"
    (catalogue item or None), "statement_id", "at" (the statement's timestamp), "withheld"
    (True while its completion is flagged and not accepted)}``.

    Completion: ``{"org_id", "statement_id", "learner_id", "item_id", "kind", "at",
    "registration" | None, "seconds" | None (learning time recorded), "expected_seconds" |
    None (the item's duration), "flagged": bool, "accepted": {"by", "at", "statement_id"} |
    None}``.
    """

    def record(self, completions: Iterable[Document], evidence: Iterable[Document]) -> None:
        """Insert or replace completions (by ``(org_id, statement_id)``) and merge evidence:
        per ``(org_id, learner_id, competency, source)`` keep the stronger row (higher
        level, then a stronger kind in :data:`EVIDENCE_KINDS` order, then not withheld, then
        the earlier ``at``). One call is one atomic write on stores that have transactions."""
        ...

    def accept(self, org_id: str, statement_id: str, accepted: Document) -> bool:
        """Mark a flagged completion accepted and release (``withheld`` False) the evidence
        it earned; False when no flagged completion has that id."""
        ...

    def forget(self, org_id: str, statement_id: str) -> builtins.list[Document]:
        """Drop the completion row of a statement and every evidence row it earned (its
        statement was voided); returns the dropped rows, the completion first when there
        was one. Evidence that another statement of the same source would earn is the
        caller's to derive again."""
        ...

    def completion(self, org_id: str, statement_id: str) -> Document | None:
        """One completion row, or None."""
        ...

    def flagged(self, org_id: str, pending_only: bool = True, after: str | None = None,
                limit: int = 100) -> builtins.list[Document]:
        """An organisation's flagged completions (only those not accepted, by default), by
        ``statement_id`` after ``after``; at most ``limit``."""
        ...

    def evidence(self, org_id: str, learner_id: str) -> builtins.list[Document]:
        """A learner's evidence rows, by competency then source."""
        ...

    def holders(self, org_id: str | None, competency: str, min_level: int,
                after: tuple[str, str] | None = None, limit: int = 100
                ) -> builtins.list[Document]:
        """Learners holding ``competency`` at ``min_level`` or above on proven, not withheld
        evidence: ``{"org_id", "learner_id", "level"}`` (the best level), by ``(org_id,
        learner_id)`` after ``after``; every organisation's when ``org_id`` is None."""
        ...

    def held_levels(self, org_id: str, learner_ids: Iterable[str] | None = None
                    ) -> dict[str, dict[str, int]]:
        """``{learner_id: {competency: best level}}`` on proven, not withheld evidence, for
        the given learners (every learner of the organisation when None)."""
        ...

    def clear(self, org_id: str | None = None) -> None:
        """Drop the view of one organisation (every organisation when None)."""
        ...


def strength(row: Document) -> tuple[int, int, bool, str]:
    """The order in which :meth:`PassbookRepository.record` keeps one evidence row per source:
    the smaller key is the stronger row (higher level, then a stronger kind, then not
    withheld, then the earlier ``at``). Shared by the adapters so they cannot disagree."""
    kind = row.get("kind")
    rank = EVIDENCE_KINDS.index(kind) if kind in EVIDENCE_KINDS else len(EVIDENCE_KINDS)
    return (-int(row.get("level") or 0), rank, bool(row.get("withheld")), str(row.get("at")))
