"""The Statement Resource's rules (Communication 2.1, Data 2.3-2.6), on the storage ports.

Routes hand over parsed statements and attachment parts; this module validates, fills in what
the LRS sets (``id``, ``authority``, ``version``, ``timestamp``; ``stored`` by the repository),
computes the index keys, applies voiding, stores the batch in one transaction, and answers
queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from hub.errors import NotFound, ValidationError
from hub.principal import Principal
from storage.ports import Store
from storage.ports.xapi import StatementPage, StatementQuery, StatementRecord
from storage.timestamps import utcnow
from xapi import activities, attachments, cmi5_rules, cmi5_sessions
from xapi.index_keys import agent_key, fingerprint, statement_keys
from xapi.validation import VOIDED_VERB, validate_batch

#: Page size when the client asks for none or for more (Communication 2.1.3 ``limit``: 0 means
#: the server's maximum).
MAX_LIMIT = 500
#: How deep a chain of StatementRefs is followed when inheriting filter keys.
_REF_DEPTH = 10

#: ``listener(store, org_id, statements)``: called inside the write that stores a batch, with
#: the statements that batch newly stored, so that what a listener writes (an outbox row)
#: commits with them or not at all. A listener must be cheap when a batch is not for it:
#: every ingest runs it.
StatementListener = Callable[[Store, str, list[dict[str, Any]]], None]
_listeners: list[StatementListener] = []


def add_statement_listener(listener: StatementListener) -> None:
    """Call ``listener`` for every batch stored from now on (once, however often added). Layers
    above the LRS (``lti``) register here: the LRS never imports them."""
    if listener not in _listeners:
        _listeners.append(listener)


def authority_for(principal: Principal, public_url: str) -> dict[str, Any]:
    """The Agent the LRS records as ``authority`` (Data 2.4.9): the credential, as an account
    on the hub, named after its organisation."""
    return {
        "objectType": "Agent",
        "name": principal.org_name or principal.org_id,
        "account": {"homePage": public_url, "name": principal.key},
    }


def _context_activities_as_arrays(stmt: dict[str, Any]) -> None:
    """Data 2.4.6.2: a single context Activity is returned as an array of one."""
    for part in (stmt, stmt.get("object")):
        context = part.get("context") if isinstance(part, dict) else None
        activities = context.get("contextActivities") if isinstance(context, dict) else None
        if isinstance(activities, dict):
            for name, value in activities.items():
                if isinstance(value, dict):
                    activities[name] = [value]


def _record(stmt: dict[str, Any], authority: dict[str, Any], now: str,
            org_id: str) -> StatementRecord:
    _context_activities_as_arrays(stmt)
    digest = fingerprint(stmt)  # on the statement as received (Data 2.3.1 comparison)
    if "id" not in stmt:  # (not setdefault: a uuid4 per statement costs a getrandom call)
        stmt["id"] = str(uuid.uuid4())
    stmt["authority"] = authority
    stmt.setdefault("version", "1.0.0")  # Data 2.4.10
    stmt.setdefault("timestamp", now)  # Data 2.4.7: the LRS sets it when absent
    obj = stmt.get("object") or {}
    ref = obj.get("id") if obj.get("objectType") == "StatementRef" else None
    voids = ref if stmt["verb"].get("id") == VOIDED_VERB else None
    return StatementRecord(id=stmt["id"], statement=stmt, fingerprint=digest,
                           keys=tuple(statement_keys(stmt)), voids=voids, ref=ref,
                           org_id=org_id)


def _merge_ref_keys(store: Store, org_id: str, records: list[StatementRecord]) -> None:
    """Communication 2.1.3 "Filter Conditions for StatementRefs": a statement targeting another
    matches the non-time filters its target matches (recursively). Also applies Data 2.3.2:
    a voiding statement whose target is itself a voiding statement voids nothing.

    Targets are looked up in the writer's organisation only (``org_id``, administrators
    included): each organisation's LRS is its own store, so a reference to another
    organisation's statement is a reference to an unknown one and brings no keys along."""
    pending = {r.ref for r in records if r.ref}
    if not pending:
        return
    in_batch = {r.id: r for r in records}
    found: dict[str, dict[str, Any]] = {}
    depth = 0
    while pending and depth < _REF_DEPTH:
        fetched = store.statements.get_many(pending - found.keys(), org_id)
        found.update(fetched)
        nxt = set()
        for row in fetched.values():
            obj = row["statement"].get("object") or {}
            if obj.get("objectType") == "StatementRef" and obj.get("id") not in found:
                nxt.add(obj["id"])
        pending = nxt
        depth += 1

    def keys_of(target_id: str, seen: set[str]) -> set[str]:
        if target_id in seen:
            return set()
        seen.add(target_id)
        if target_id in in_batch:
            stmt = in_batch[target_id].statement
        elif target_id in found:
            stmt = found[target_id]["statement"]
        else:
            return set()
        keys = statement_keys(stmt)
        obj = stmt.get("object") or {}
        if obj.get("objectType") == "StatementRef":
            keys |= keys_of(obj.get("id", ""), seen)
        return keys

    for record in records:
        if not record.ref:
            continue
        record.keys = tuple(set(record.keys) | keys_of(record.ref, {record.id}))
        target = found.get(record.ref)
        target_is_voiding = (target is not None and target.get("voids")) or (
            record.ref in in_batch and in_batch[record.ref].voids)
        if record.voids and target_is_voiding:
            record.voids = None


def store_statements(store: Store, blobs: Any, principal: Principal, public_url: str,
                     statements: list[Any], parts: dict[str, bytes] | None = None,
                     statement_id: str | None = None, version: str = "1.0.3") -> list[str]:
    """Validate and store statements atomically; returns their ids in order.

    ``parts`` are the attachment bodies of a multipart request by SHA-2 (Data 2.4.11);
    ``statement_id`` is the ``statementId`` of a PUT (Communication 2.1.1); ``version`` the
    request's X-Experience-API-Version."""
    validate_batch(statements, version=version)
    if statement_id is not None:
        stmt = statements[0]
        if "id" in stmt and stmt["id"] != statement_id:
            raise ValidationError.for_field(
                "statementId", "does not match the statement's id")
        stmt["id"] = statement_id
    ids = [s["id"] for s in statements if "id" in s]
    if len(ids) != len(set(ids)):
        raise ValidationError.for_field("id", "the batch holds the same id twice")
    if principal.scope is not None:  # an AU session token (cmi5 §8.2)
        cmi5_sessions.check_statements(principal.scope, statements)
    cmi5_rules.check_batch(store, principal, statements)  # cmi5 §9, cmi5 defined only
    attachments.check_parts(statements, parts or {})
    now = utcnow()
    authority = authority_for(principal, public_url)
    records = [_record(stmt, authority, now, principal.org_id) for stmt in statements]
    _merge_ref_keys(store, principal.org_id, records)
    attachments.save_parts(blobs, principal.org_id, parts or {})
    # Communication 2.1.2: another statement under an existing id raises DuplicateKey,
    # which the hub's error handler answers with 409 Conflict.
    new_ids = _insert(store, principal, records)
    if new_ids:
        activities.merge_definitions(store, principal.org_id, [r.statement for r in records])
    return [r.id for r in records]


def _insert(store: Store, principal: Principal, records: list[StatementRecord]) -> list[str]:
    """One atomic write (:meth:`storage.ports.Store.write`): the statements, their forwarding
    outbox rows and whatever the statement listeners write."""
    from xapi.forwarding import enqueue_forwarding

    def write() -> list[str]:
        _, new_ids = store.statements.insert(records)
        if new_ids:
            new = set(new_ids)
            stored = [r.statement for r in records if r.id in new]
            enqueue_forwarding(store, principal.org_id, stored)
            for listener in _listeners:
                listener(store, principal.org_id, stored)
        return list(new_ids)

    return store.write(write)


def get_statement(store: Store, principal: Principal, statement_id: str,
                  voided: bool) -> tuple[dict[str, Any], str | None]:
    """One statement by ``statementId`` (not voided) or ``voidedStatementId`` (voided only),
    Communication 2.1.3, with the organisation that holds it; 404 otherwise.

    Ids are unique per organisation: a caller finds its own organisation's statement. A platform
    administrator reads across organisations: its own organisation's statement under that id
    when there is one, else the earliest stored one of any organisation."""
    row = store.statements.get(statement_id, principal.org_id)
    if row is None and principal.reads_across_organisations():
        row = store.statements.get(statement_id, None)
    if row is None or row["voided"] != voided or (
            principal.scope is not None
            and not cmi5_sessions.may_read_statement(principal.scope, row["statement"])):
        raise NotFound(f"no statement {statement_id}" + (" voided" if voided else ""))
    return dict(row["statement"]), row.get("org_id")


def query_keys(agent: dict[str, Any] | None, verb: str | None, activity: str | None,
               registration: str | None, related_agents: bool,
               related_activities: bool) -> tuple[str, ...]:
    """The index keys (see :mod:`xapi.index_keys`) for the filters of a query, the most
    selective first: adapters drive the scan by the first key and check the others per row
    (a registration or an agent has few statements, a verb very many)."""
    keys: list[str] = []
    if registration:
        keys.append("reg|" + registration.lower())
    if agent is not None:
        ifi = agent_key(agent)
        if ifi is None:
            raise ValidationError.for_field("agent", "must have an identifier (IFI)")
        keys.append(("agent*|" if related_agents else "agent|") + ifi)
    if activity:
        keys.append(("act*|" if related_activities else "act|") + activity)
    if verb:
        keys.append("verb|" + verb)
    return tuple(keys)


def run_query(store: Store, principal: Principal, keys: Iterable[str], since: str | None,
              until: str | None, ascending: bool, limit: int,
              cursor: str | None) -> StatementPage:
    """One page of a statement query."""
    if limit <= 0 or limit > MAX_LIMIT:
        limit = MAX_LIMIT
    if principal.scope is not None:
        # cmi5 §9.3.3/§9.3.4: an AU reads its registration's statements (to know what it
        # completed or passed); its learner's, in its registration, nothing else.
        keys = (*cmi5_sessions.query_keys(principal.scope), *keys)
    query = StatementQuery(
        keys=tuple(keys), since=since, until=until, ascending=ascending, limit=limit,
        cursor=cursor, org_id=None if principal.reads_across_organisations() else principal.org_id,
    )
    page: StatementPage = store.statements.query(query)
    return page
