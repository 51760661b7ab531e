"""Statement forwarding: accepted statements are copied to downstream LRSs, asynchronously.

This module is the registration and ingestion side; :mod:`xapi.forwarding_worker` delivers.

An organisation registers a downstream LRS (its xAPI endpoint, HTTP Basic credentials and an
optional filter by verb ids and activity id prefixes). The statements service calls
:func:`enqueue_forwarding` inside the write that stores a batch (``store.write``), so each
matching statement lands in a durable outbox in the store atomically with the statement itself
(no statement is stored without its outbox entry, none is forwarded that was not stored). A worker
(:class:`ForwardingWorker`, a thread started lazily in each hub process, or ``hub xapi forward
--once`` from cron) drains the outbox with :func:`forward_once`: per downstream, oldest first, in
batches, with exponential back-off after a failure. Ingestion never waits for a downstream: it
only writes outbox rows.

Delivery is at least once: a crash between a successful POST and the outbox delete sends the
batch again. That is safe because xAPI 1.0.3 Communication 2.1.2 makes a re-POST of a statement
with the same id and content a no-op for the downstream LRS. A statement the downstream rejects
for good (400, 409, 413: it would be rejected on every retry) is isolated by resending its batch
one statement at a time; the rejected ones become dead letters (counted as ``failed``, kept in
the store with the error) so that they never block the statements behind them.

Attachment bodies go along (``multipart/mixed``, from the blob store). The downstream password
is sealed at rest (:mod:`xapi.forwarding_secrets`; it has to be sent, so it cannot be hashed).
The hub fetches the URL, so it must not be turned inwards: a destination must be public unless
the operator allows it (:mod:`hub.destinations`), checked here at registration and
again by :mod:`xapi.forwarding_client` when it connects; redirects are never followed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from hub.destinations import DestinationRefused
from hub.errors import NotFound, PermissionDenied, ValidationError
from hub.principal import Principal, Role
from storage.ports import Store
from storage.timestamps import utcnow
from xapi.forwarding_worker import wake_worker
from xapi.validation import VOIDED_VERB

if TYPE_CHECKING:
    from xapi.forwarding_client import DownstreamClient

#: Fields of a forwarder that clients never see: the secret (never again once registered,
#: sealed or, in rows from before sealing, plain) and the worker's lease bookkeeping.
HIDDEN_FIELDS = ("password", "password_sealed", "lease_owner", "lease_until")


# --------------------------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------------------------


def check_destination(client: DownstreamClient, url: str) -> str:
    """The URL to store (no trailing slash: ``/statements`` is appended), once the destination
    rules accept it; 400 naming ``url`` otherwise. The rules run again at each connection."""
    try:
        client.guard.check_url(url)
    except DestinationRefused as exc:
        raise ValidationError.for_field("url", f"refused: {exc}") from None
    except OSError:  # socket.gaierror: nothing to connect to
        raise ValidationError.for_field("url", "the host name does not resolve") from None
    return url.rstrip("/")


def register_forwarder(store: Store, principal: Principal, data: dict[str, Any],
                       client: DownstreamClient) -> dict[str, Any]:
    """Register a downstream LRS for an organisation; ``data`` was loaded by the route's schema.

    An ``admin`` may register for any organisation (``org_id``); an ``lrs-writer`` only for its
    own, since it forwards the statements its own organisation writes. ``client`` (the
    process's downstream client) checks the destination and seals the password."""
    org_id = data.get("org_id") or principal.org_id
    if not principal.acts_for(org_id):
        raise PermissionDenied("an lrs-writer may register forwarding for its own organisation")
    if store.organisations.get(org_id) is None:
        raise ValidationError.for_field("org_id", f"no organisation {org_id!r}")
    forwarder = {
        "id": "fwd_" + uuid.uuid4().hex[:16],
        "org_id": org_id,
        "url": check_destination(client, data["url"]),
        "username": data.get("username"),
        **client.passwords.sealed_fields(data.get("password")),
        "verbs": sorted(set(data.get("verbs") or ())),
        "activity_prefixes": sorted(set(data.get("activity_prefixes") or ())),
        "active": bool(data.get("active", True)),
        "label": data.get("label"),
        "created_at": utcnow(),
        "created_by": principal.key,
        "sent": 0,
        "failed": 0,
        "attempts": 0,
        "last_error": None,
        "last_error_at": None,
        "last_sent_at": None,
        "next_attempt_at": None,
        "lease_owner": None,
        "lease_until": None,
    }
    store.forwarding.add(forwarder)
    return forwarder


def _visible(principal: Principal, forwarder: dict[str, Any] | None) -> dict[str, Any]:
    """The forwarder when the caller may see it; 404 otherwise (no existence leak)."""
    if forwarder is None or not principal.acts_for(forwarder["org_id"]):
        raise NotFound("no such forwarding registration")
    return forwarder


def forwarding_status(store: Store, principal: Principal, forwarder_id: str) -> dict[str, Any]:
    """One registration with its progress (pending, sent, failed, last error, next attempt)."""
    forwarder = _visible(principal, store.forwarding.get(forwarder_id))
    return with_progress(store, forwarder)


def list_forwarders(store: Store, principal: Principal) -> list[dict[str, Any]]:
    """The caller's organisation's registrations (every one for an admin), with progress."""
    org = None if principal.acts_for_every_organisation() else principal.org_id
    return [with_progress(store, f) for f in store.forwarding.list(org)]


#: What ``PATCH /xapi/forwarding/<id>`` may change.
EDITABLE_FIELDS = ("url", "username", "password", "verbs", "activity_prefixes", "active", "label")


def update_forwarder(store: Store, principal: Principal, forwarder_id: str,
                     changes: dict[str, Any], client: DownstreamClient) -> dict[str, Any]:
    """Change a registration (pause it with ``active: false``, new credentials, new filter).
    Statements already in the outbox stay there; a new filter applies to later ones. Changing
    the URL or credentials clears the back-off so the next pass tries at once. A new URL is
    checked as at registration; a new password is sealed."""
    _visible(principal, store.forwarding.get(forwarder_id))
    _writable(principal)
    fields = {k: v for k, v in changes.items() if k in EDITABLE_FIELDS}
    if "url" in fields:
        fields["url"] = check_destination(client, fields["url"])
    if "password" in fields:
        fields.update(client.passwords.sealed_fields(fields["password"]))
    for name in ("verbs", "activity_prefixes"):
        if name in fields:
            fields[name] = sorted(set(fields[name] or ()))
    if {"url", "username", "password", "active"} & fields.keys():
        fields.update({"attempts": 0, "next_attempt_at": None})
    store.forwarding.update(forwarder_id, fields)
    # Deleted by a concurrent request in between: as absent as before.
    return with_progress(store, _visible(principal, store.forwarding.get(forwarder_id)))


def retry_dead_letters(store: Store, principal: Principal, forwarder_id: str) -> dict[str, Any]:
    """Send the dead letters again (the downstream was fixed, or the statements were
    rejected by mistake): they go back to pending, in their original order."""
    _visible(principal, store.forwarding.get(forwarder_id))
    _writable(principal)
    revived = store.forwarding.revive(forwarder_id)
    store.forwarding.update(forwarder_id, {"attempts": 0, "next_attempt_at": None},
                            inc={"failed": -revived})
    wake_worker()
    return with_progress(store, _visible(principal, store.forwarding.get(forwarder_id)))


def delete_forwarder(store: Store, principal: Principal, forwarder_id: str) -> None:
    """Remove a registration and everything still waiting in its outbox."""
    _visible(principal, store.forwarding.get(forwarder_id))
    _writable(principal)
    store.forwarding.delete(forwarder_id)


def _writable(principal: Principal) -> None:
    """Readers may look; only a writer of the organisation (or an admin) may change."""
    if not principal.has(Role.LRS_WRITER):
        raise PermissionDenied("changing forwarding needs the lrs-writer role")


def with_progress(store: Store, forwarder: dict[str, Any]) -> dict[str, Any]:
    """A registration as clients see it: no password, plus the outbox counts."""
    pending, dead = store.forwarding.counts(forwarder["id"])
    shown = {k: v for k, v in forwarder.items() if k not in HIDDEN_FIELDS}
    shown["pending"] = pending
    shown["dead_letters"] = dead
    return shown


# --------------------------------------------------------------------------------------------
# Ingestion side: the outbox
# --------------------------------------------------------------------------------------------


def matches(forwarder: dict[str, Any], statement: dict[str, Any]) -> bool:
    """Does ``statement`` pass the forwarder's filter? Verb ids match exactly; activity id
    prefixes match the statement's object when it is an Activity (Data 2.4.4.1: an object
    without ``objectType`` is an Activity). Empty lists do not filter.

    A voiding statement always passes (Data 2.3.2): its object is a StatementRef and its verb
    is ``voided``, so no filter would let it through, and the downstream would keep serving a
    statement the hub has voided."""
    verb_id = (statement.get("verb") or {}).get("id")
    if verb_id == VOIDED_VERB:
        return True
    verbs = forwarder.get("verbs")
    if verbs and verb_id not in verbs:
        return False
    prefixes = forwarder.get("activity_prefixes")
    if prefixes:
        obj = statement.get("object") or {}
        if obj.get("objectType", "Activity") != "Activity":
            return False
        activity_id = obj.get("id") or ""
        return any(activity_id.startswith(p) for p in prefixes)
    return True


def enqueue_forwarding(store: Store, org_id: str, statements: Iterable[dict[str, Any]]) -> int:
    """Put every statement that a registration of ``org_id`` wants in the outbox.

    Call it inside the ``store.write`` that inserts ``statements`` (their stored form), so that
    the outbox and the statements commit or roll back together. Costs one indexed read per batch
    when the organisation forwards nothing; never does network I/O. Returns the entries written
    and wakes this process's worker when there are any."""
    repo = store.forwarding
    forwarders = repo.active_for_org(org_id)
    if not forwarders:
        return 0
    now = utcnow()
    entries = [
        {"forwarder_id": f["id"], "statement_id": s.get("id"), "statement": s,
         "enqueued_at": now}
        for s in statements
        for f in forwarders
        if matches(f, s)
    ]
    if entries:
        repo.enqueue(entries)
        wake_worker()
    return len(entries)
