"""Document Resources: State, Activity Profile, Agent Profile (Communication 2.2-2.7, 3.1).

Every document has an ETag (SHA-1 of its bytes, Communication 3.1) and an ``updated`` time
(``Last-Modified``, ``since``). Writes are compare-and-set on the etag in the repository, so the
If-Match / If-None-Match checks and a JSON merge (POST, Communication 2.2 "JSON Procedure with
Requirements") hold when clients race.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from hub.errors import Conflict, NotFound, PreconditionFailed, ValidationError
from storage.errors import ConcurrentUpdate
from storage.json_text import JSONTextError, loads
from storage.ports import Store
from storage.ports.xapi import DocumentKey
from storage.timestamps import utcnow

JSON_TYPE = "application/json"
_MERGE_RETRIES = 5


@dataclass(frozen=True)
class Preconditions:
    """The concurrency headers of a request (Communication 3.1)."""

    if_match: str | None = None
    if_none_match: str | None = None

    def _etags(self, value: str) -> set[str]:
        return {tag.strip().removeprefix("W/").strip('"') for tag in value.split(",")}

    def check(self, current: dict[str, Any] | None, *, require_for_existing: bool,
              require_for_new: bool = False) -> None:
        """412 when a header does not hold. With ``require_for_existing`` (a profile PUT, or a
        State PUT under xAPI 2.0) and neither header: 409 when the document exists
        (Communication 3.1: "If a PUT request is received without either header for a resource
        that already exists, the LRS MUST return 409 Conflict"); with ``require_for_new`` (a
        profile PUT) 400 when it does not."""
        if self.if_match is not None:
            tags = self._etags(self.if_match)
            if current is None or ("*" not in tags and current["etag"] not in tags):
                raise PreconditionFailed("If-Match does not match the document's ETag")
        if self.if_none_match is not None:
            tags = self._etags(self.if_none_match)
            if current is not None and ("*" in tags or current["etag"] in tags):
                raise PreconditionFailed("If-None-Match: the document exists")
        if require_for_existing and self.if_match is None and self.if_none_match is None:
            if current is not None:
                raise Conflict("the document exists: send If-Match with its ETag to say "
                               "what you expect to overwrite")
            if require_for_new:
                # Communication 2.6/2.7 (suite XAPI-00273): a profile PUT carries a precondition.
                raise ValidationError.for_field(
                    "If-Match", "a profile PUT needs If-Match or If-None-Match")


def etag_of(content: bytes) -> str:
    """The ETag of a document: SHA-1 hex of its bytes (Communication 3.1)."""
    # SHA-1 is the spec's choice for ETags (Communication 3.1), not a security measure.
    return hashlib.sha1(content).hexdigest()


def _is_json(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == JSON_TYPE


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    try:
        value = loads(content)
    except JSONTextError as exc:
        raise ValidationError.for_field("content", f"{what}: {exc}") from None
    if not isinstance(value, dict):
        raise ValidationError.for_field("content", f"{what} is not a JSON object")
    return value


def get_document(store: Store, key: DocumentKey) -> dict[str, Any]:
    """One document, 404 when absent."""
    doc = store.xapi_documents.get(key)
    if doc is None:
        raise NotFound(f"no document {key.doc_id!r}")
    return dict(doc)


def put_document(store: Store, key: DocumentKey, content: bytes, content_type: str | None,
                 pre: Preconditions, *, xapi2: bool = False) -> None:
    """PUT: store or replace (Communication 2.2). Profiles need a precondition to overwrite, and
    so does State under xAPI 2.0 (``xapi2``: the request's version is 2.0.x)."""
    ctype = content_type or "application/octet-stream"
    if _is_json(ctype):
        _json_object(content, "the document")
    current = store.xapi_documents.get(key)
    profile = key.kind != "state"
    pre.check(current, require_for_existing=profile or xapi2, require_for_new=profile)
    doc = {"content": content, "content_type": ctype, "etag": etag_of(content),
           "updated": utcnow()}
    try:
        store.xapi_documents.save(key, doc, current["etag"] if current else None)
    except ConcurrentUpdate:
        raise PreconditionFailed("the document changed while it was being written") from None


def post_document(store: Store, key: DocumentKey, content: bytes, content_type: str | None,
                  pre: Preconditions) -> None:
    """POST: store when absent, else merge two JSON objects one level deep (Communication 2.2
    "JSON Procedure with Requirements"); 400 when either is not a JSON object."""
    ctype = content_type or "application/octet-stream"
    new = _json_object(content, "the document") if _is_json(ctype) else None
    for _ in range(_MERGE_RETRIES):
        current = store.xapi_documents.get(key)
        pre.check(current, require_for_existing=False)
        if current is None:
            body = content
        else:
            if new is None or not _is_json(current["content_type"]):
                raise ValidationError.for_field(
                    "Content-Type", "POST merges only application/json documents")
            merged = {**_json_object(current["content"], "the stored document"), **new}
            body = orjson.dumps(merged)
            ctype = JSON_TYPE
        doc = {"content": body, "content_type": ctype, "etag": etag_of(body),
               "updated": utcnow()}
        try:
            store.xapi_documents.save(key, doc, current["etag"] if current else None)
            return
        except ConcurrentUpdate:
            continue  # another writer won: merge into its version
    raise Conflict("the document is being changed by others; try again")


def delete_document(store: Store, key: DocumentKey, pre: Preconditions) -> None:
    """DELETE one document (absent is fine: the result is the same)."""
    current = store.xapi_documents.get(key)
    pre.check(current, require_for_existing=False)
    store.xapi_documents.delete(key)
