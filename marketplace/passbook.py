"""The competency passbook derived from an organisation's statements (DESIGN.md "FRAC":
Competency passbook, Integrity): the rows :class:`storage.ports.passbook.PassbookRepository`
holds, computed from a batch of statements of one organisation.

Which statements count and how the hub writes its own is in
:mod:`marketplace.passbook_statements`; learning time and flags in
:mod:`marketplace.passbook_integrity`. The same :func:`derive` serves the ingest listener
(:mod:`marketplace.passbook_ingest`, one stored batch) and the rebuild
(:mod:`marketplace.passbook_rebuild`, pages of the LRS), so the live view and a rebuilt one
cannot differ.

A completion or pass of a catalogue item earns one completion row and, for each competency
the item's LIVE version is tagged with (a program: its target competencies), one evidence row
with source ``item:<id>`` (a course completed twice is one row, the port keeps the stronger).
Its evidence is withheld while the completion is flagged and not accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace import passbook_integrity as integrity
from marketplace import passbook_statements as vocab
from marketplace.learner_states import agent_key
from storage.ports import Document, Store


@dataclass(frozen=True)
class ItemFacts:
    """What the passbook needs of a catalogue item's live version."""

    tags: tuple[tuple[str, int], ...]  # (competency id, level)
    expected_seconds: float | None  # the item's duration


class Items:
    """Live facts of catalogue items, memoised for one run (one ingest batch, one rebuild).

    Nothing outlives the run, so a course (re)published between two batches is read afresh
    by the next one: its new tags apply to completions stored after it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._seen: dict[str, ItemFacts | None] = {}

    def get(self, item_id: str) -> ItemFacts | None:
        """The item's live facts, or None when it is absent or not live."""
        if item_id not in self._seen:
            course = self.store.courses.get(item_id)
            live = course.get("live") if course else None
            self._seen[item_id] = None if not live else ItemFacts(
                tags=tuple((t["id"], int(t["level"])) for t in live.get("competencies") or ()
                           if isinstance(t, dict) and isinstance(t.get("level"), int)),
                expected_seconds=(live["duration_minutes"] * 60.0
                                  if isinstance(live.get("duration_minutes"), int) else None))
        return self._seen[item_id]


@dataclass
class Derived:
    """Rows derived from a batch, and the acceptances it records (applied after the rows)."""

    items: Items
    completions: list[Document] = field(default_factory=list)
    evidence: list[Document] = field(default_factory=list)
    acceptances: list[tuple[str, Document]] = field(default_factory=list)


def derive(store: Store, org_id: str, statements: list[Document], public_url: str,
           ratio: float, items: Items) -> Derived:
    """The passbook rows of ``statements`` (already stored in ``org_id``'s LRS)."""
    out = Derived(items)
    for statement in statements:
        verb = vocab.verb_of(statement)
        if verb in vocab.KIND_OF_VERB:
            _completion(store, org_id, statement, vocab.KIND_OF_VERB[verb], public_url, ratio,
                        items, out)
        elif verb == vocab.EVIDENCED and vocab.by_hub(statement, public_url):
            _declared(org_id, statement, out)
        elif verb == vocab.ACCEPTED and vocab.by_hub(statement, public_url):
            target = statement.get("object") or {}
            if target.get("objectType") == "StatementRef" and isinstance(target.get("id"), str):
                out.acceptances.append((target["id"], {
                    "by": vocab.learner_of(statement), "at": statement.get("timestamp"),
                    "statement_id": statement.get("id")}))
    return out


def _completion(store: Store, org_id: str, statement: Document, kind: str, public_url: str,
                ratio: float, items: Items, out: Derived) -> None:
    learner = vocab.learner_of(statement)
    item_id = vocab.item_of(statement, public_url)
    facts = items.get(item_id) if learner and item_id else None
    if facts is None or learner is None or item_id is None:
        return
    home_page = statement["actor"]["account"].get("homePage")
    registration = vocab.registration_of(statement)
    keys = integrity.attempt_keys(statement, agent_key(home_page, learner),
                                  statement["object"]["id"], registration)
    # Only what was stored up to the completion (its batch included): the live listener sees
    # no more than that, so a rebuild, which sees the whole LRS, measures the same time.
    stored = statement.get("stored") or ""
    attempt = [s for s in integrity.attempt_statements(store, org_id, keys)
               if (s.get("stored") or "") <= stored]
    seconds = integrity.learning_seconds(attempt, statement)
    flagged = integrity.is_flagged(seconds, facts.expected_seconds, ratio)
    at = statement.get("timestamp")
    out.completions.append({
        "org_id": org_id, "statement_id": statement["id"], "learner_id": learner,
        "item_id": item_id, "kind": kind, "at": at, "registration": registration,
        "seconds": seconds, "expected_seconds": facts.expected_seconds, "flagged": flagged,
        "accepted": None})
    out.evidence.extend(_earned(out.completions[-1], facts, flagged))


def _earned(completion: Document, facts: ItemFacts, withheld: bool) -> list[Document]:
    """The evidence rows a completion earns: one per tag of the item's live version."""
    return [{"org_id": completion["org_id"], "learner_id": completion["learner_id"],
             "competency": competency, "level": level, "kind": completion["kind"],
             "source": "item:" + completion["item_id"], "item_id": completion["item_id"],
             "statement_id": completion["statement_id"], "at": completion["at"],
             "withheld": withheld} for competency, level in facts.tags]


def _declared(org_id: str, statement: Document, out: Derived) -> None:
    learner = vocab.learner_of(statement)
    body = vocab.evidence_of(statement)
    if learner is None or body is None:
        return
    out.evidence.append({
        "org_id": org_id, "learner_id": learner, "competency": body["competency"],
        "level": body["level"], "kind": body["kind"], "source": vocab.source_of(body),
        "item_id": None, "statement_id": statement.get("id"), "at": statement.get("timestamp"),
        "withheld": False, "details": {k: body[k] for k in
                                       ("issuer", "id", "url", "title", "provider") if k in body}})


def forget_voided(store: Store, org_id: str, statements: list[Document], public_url: str,
                  ratio: float, items: Items) -> None:
    """Take back what the targets of voiding statements (xAPI Data 2.3.2) earned, then derive
    again the learner's other statements about the same activity (another completion of the
    same item, or its acceptance, may now be the strongest of that source): the view becomes
    what a rebuild, which never sees voided statements, gives."""
    for statement in statements:
        target = statement.get("object") or {}
        if vocab.verb_of(statement) != vocab.VOIDED or not isinstance(target.get("id"), str):
            continue
        if not store.passbook.forget(org_id, target["id"]):
            continue
        row = store.statements.get(target["id"], org_id)
        voided = row["statement"] if row else {}
        learner = vocab.learner_of(voided)
        activity = (voided.get("object") or {}).get("id")
        if learner is None or not isinstance(activity, str):
            continue
        keys = (agent_key(voided["actor"]["account"].get("homePage"), learner),
                "act|" + activity)
        # the voiding statement matches these keys too (it inherits its target's): skip it
        others = [s for s in integrity.attempt_statements(store, org_id, keys)
                  if vocab.verb_of(s) != vocab.VOIDED]
        apply(store, org_id, derive(store, org_id, others, public_url, ratio, items))


def apply(store: Store, org_id: str, derived: Derived) -> None:
    """Write derived rows, then the acceptances (an acceptance may follow its completion in
    the same batch).

    An accepted completion's evidence is merged again, released: while it was withheld a
    later completion of the same item may have taken its place, which it now beats again
    (earlier, same level). So the view does not depend on whether the acceptance came
    before or after that later completion, as it cannot in a rebuild, which replays every
    acceptance last."""
    if derived.completions or derived.evidence:
        store.passbook.record(derived.completions, derived.evidence)
    for statement_id, accepted in derived.acceptances:
        if not store.passbook.accept(org_id, statement_id, accepted):
            continue
        completion = store.passbook.completion(org_id, statement_id)
        facts = derived.items.get(completion["item_id"]) if completion else None
        if completion is not None and facts is not None:
            store.passbook.record([], _earned(completion, facts, withheld=False))
