"""Handouts of blended sessions: files a coordinator attaches to a session, kept in the blob
store (:mod:`storage.ports.blobs`) under ``blended/<batch>/<session>/<name>`` and listed on the
session (name, content type, size). Every authenticated caller may download them, as they may
read the session.

The blob is written before the session lists it, so a failure between the two leaves an
unlisted blob (overwritten by the next upload of that name), never a listed handout without its
file.
"""

from __future__ import annotations

import re

from hub.errors import NotFound, ValidationError
from hub.principal import Principal
from marketplace.blended import coordinated_batch, get_session
from storage.errors import BlobNotFound
from storage.ports import Document, Store
from storage.ports.blobs import BlobStore

#: A handout's name: a plain file name (no path, no leading dot), so it is also a safe blob key
#: segment and a safe ``Content-Disposition`` file name.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
#: A media type as ``type/subtype`` (RFC 6838 §4.2 restricted names), parameters dropped.
_RESTRICTED_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
MEDIA_TYPE = re.compile(rf"^{_RESTRICTED_NAME}/{_RESTRICTED_NAME}$")
OCTET_STREAM = "application/octet-stream"


def _name(name: str) -> str:
    if not NAME.match(name):
        raise ValidationError.for_field("name", "a file name of letters, digits, '.', '_', '-'")
    return name


def _media_type(header: str | None) -> str:
    value = (header or "").split(";", 1)[0].strip().lower()
    return value if MEDIA_TYPE.match(value) else OCTET_STREAM


def _key(session: Document, name: str) -> str:
    return f"blended/{session['batch_id']}/{session['id']}/{name}"


def _coordinated(store: Store, principal: Principal, session_id: str) -> Document:
    session = get_session(store, session_id)
    coordinated_batch(store, principal, session["batch_id"])
    return session


def put_handout(store: Store, blobs: BlobStore, principal: Principal, session_id: str,
                name: str, data: bytes, content_type: str | None) -> Document:
    """Attach (or replace) handout ``name``; the session with its handouts."""
    name = _name(name)
    session = _coordinated(store, principal, session_id)
    if not data:
        raise ValidationError.for_field("body", "a handout is not empty")
    ctype = _media_type(content_type)
    size = blobs.put(_key(session, name), data, ctype)
    handouts = [h for h in session["handouts"] if h["name"] != name]
    handouts.append({"name": name, "content_type": ctype, "size": size})
    updated = store.blended.update_session(session_id, {"handouts": handouts})
    if updated is None:
        raise NotFound(f"no session {session_id}")
    return updated


def get_handout(store: Store, blobs: BlobStore, session_id: str, name: str
                ) -> tuple[bytes, str]:
    """The bytes and content type of a listed handout; 404 otherwise."""
    session = get_session(store, session_id)
    listed = next((h for h in session["handouts"] if h["name"] == name), None)
    if listed is None:
        raise NotFound(f"no handout {name!r} on session {session_id}")
    try:
        return blobs.get(_key(session, name)), listed["content_type"]
    except BlobNotFound as exc:
        raise NotFound(f"no handout {name!r} on session {session_id}") from exc


def delete_handout(store: Store, blobs: BlobStore, principal: Principal, session_id: str,
                   name: str) -> None:
    """Remove a handout from the session, then its blob."""
    session = _coordinated(store, principal, session_id)
    if not any(h["name"] == name for h in session["handouts"]):
        raise NotFound(f"no handout {name!r} on session {session_id}")
    store.blended.update_session(
        session_id, {"handouts": [h for h in session["handouts"] if h["name"] != name]})
    blobs.delete(_key(session, name))
