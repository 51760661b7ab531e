"""AGS 2.0 on the platform side: a provider's tool reads and manages the line items of the
contexts it was launched in, publishes scores, and reads results.

Every function takes the request's :class:`~lti.platform_tokens.Grant` and checks the scope
the operation needs (AGS §3.1: ``lineitem`` to manage, ``lineitem.readonly`` to read,
``score`` to publish, ``result.readonly`` to read results); a context the tool was not launched
in, or a line item of another context or tool, is 404 (DESIGN.md "Tenancy").
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

from hub.errors import Conflict, NotFound, ValidationError
from lti import links
from lti.platform_scores import record_score
from lti.platform_services import (
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
)
from lti.platform_tokens import Grant
from storage.ports import Document, Store
from storage.ports.blobs import BlobStore
from storage.timestamps import format_timestamp, utcnow

#: Line item fields a tool sets (AGS §3.2.2), as stored.
ITEM_FIELDS = ("label", "score_maximum", "resource_link_id", "resource_id", "tag",
               "start_date_time", "end_date_time", "grades_released")


def tool_context(store: Store, grant: Grant, context_id: str) -> Document:
    """The context, when the grant's tool was launched in it; 404 otherwise."""
    context = store.lti_contexts.get_context(grant.tool["id"], context_id)
    if context is None:
        raise NotFound(f"no context {context_id!r} for this tool")
    return context


def _stored_fields(data: dict[str, Any]) -> Document:
    return {name: (value.isoformat() if isinstance(value, datetime) else value)
            for name, value in data.items() if name in ITEM_FIELDS}


def line_item_body(public_url: str, item: Document) -> dict[str, Any]:
    """The AGS representation of a stored line item (AGS §3.2.2)."""
    body: dict[str, Any] = {
        "id": links.platform_lineitem_url(public_url, item["context_id"], item["id"]),
        "scoreMaximum": item["score_maximum"], "label": item["label"]}
    for name, key in (("resource_link_id", "resourceLinkId"), ("resource_id", "resourceId"),
                      ("tag", "tag"), ("start_date_time", "startDateTime"),
                      ("end_date_time", "endDateTime"), ("grades_released", "gradesReleased")):
        if item.get(name) is not None:
            body[key] = item[name]
    return body


def list_line_items(store: Store, grant: Grant, context_id: str,
                    args: dict[str, Any]) -> tuple[list[Document], str | None]:
    """A page of the context's line items (AGS §3.2.6 filters) and the next page's cursor."""
    grant.require(SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)
    tool_context(store, grant, context_id)
    limit = args["limit"]
    items = store.lti_contexts.line_items(
        grant.tool["id"], context_id, resource_link_id=args.get("resource_link_id"),
        resource_id=args.get("resource_id"), tag=args.get("tag"), after=args.get("after"),
        limit=limit + 1)
    more = len(items) > limit
    items = items[:limit]
    return items, (items[-1]["id"] if more else None)


def create_line_item(store: Store, grant: Grant, context_id: str,
                     data: dict[str, Any]) -> Document:
    """A new line item in the context (AGS §3.2.5); the tool may name one of its own
    resource links and any resource id."""
    grant.require(SCOPE_LINEITEM)
    context = tool_context(store, grant, context_id)
    now = utcnow()
    item: Document = {
        "id": "li_" + uuid.uuid4().hex, "tool_id": grant.tool["id"], "context_id": context_id,
        "org_id": context["org_id"], "course_id": context["course_id"],
        **{name: None for name in ITEM_FIELDS}, **_stored_fields(data),
        "created_at": now, "updated_at": now}
    store.lti_contexts.add_line_item(item)
    return item


def get_line_item(store: Store, grant: Grant, context_id: str, item_id: str) -> Document:
    """One line item of the tool's context (AGS §3.3); 404 otherwise."""
    grant.require(SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)
    return _item(store, grant, context_id, item_id)


def _item(store: Store, grant: Grant, context_id: str, item_id: str) -> Document:
    item = store.lti_contexts.get_line_item(grant.tool["id"], context_id, item_id)
    if item is None:
        raise NotFound(f"no line item {item_id!r} in this context")
    return item


def update_line_item(store: Store, grant: Grant, context_id: str, item_id: str,
                     data: dict[str, Any]) -> Document:
    """Replace a line item's fields (AGS §3.3: PUT; fields left out are cleared)."""
    grant.require(SCOPE_LINEITEM)
    changes = {**{name: None for name in ITEM_FIELDS}, **_stored_fields(data),
               "updated_at": utcnow()}
    item = store.lti_contexts.update_line_item(grant.tool["id"], context_id, item_id, changes)
    if item is None:
        raise NotFound(f"no line item {item_id!r} in this context")
    return item


def delete_line_item(store: Store, grant: Grant, context_id: str, item_id: str) -> None:
    """Remove a line item and its results (AGS §3.3: DELETE)."""
    grant.require(SCOPE_LINEITEM)
    if not store.lti_contexts.delete_line_item(grant.tool["id"], context_id, item_id):
        raise NotFound(f"no line item {item_id!r} in this context")


def post_score(store: Store, blobs: BlobStore, public_url: str, grant: Grant,
               context_id: str, item_id: str, score: dict[str, Any]) -> list[str]:
    """Publish a user's score (AGS §3.4) as their result and as xAPI statements in the
    launching organisation's LRS (:mod:`lti.platform_scores`), in one write; the ids of the
    statements. 400 when the user was never launched in the context; 409 when a score with
    the same or a later ``timestamp`` is stored (AGS §3.4.4: a platform must not let an older
    score replace a newer one)."""
    grant.require(SCOPE_SCORE)
    item = _item(store, grant, context_id, item_id)
    member = store.lti_contexts.get_member(grant.tool["id"], context_id, score["user_id"])
    if member is None:
        raise ValidationError.for_field("userId", "not a member of this context (the hub "
                                        "never launched this user here)")
    result: Document = {
        "line_item_id": item_id, "user_id": score["user_id"],
        "timestamp": format_timestamp(score["timestamp"]),
        "activity_progress": score["activity_progress"],
        "grading_progress": score["grading_progress"], "updated_at": utcnow()}
    for name in ("score_given", "score_maximum", "comment"):
        if name in score:
            result[name] = score[name]

    def write() -> list[str]:
        if not store.lti_contexts.put_result(result):
            raise Conflict("a score with the same or a later timestamp is stored for this "
                           "user", errors={"timestamp": ["not after the stored score's"]})
        return record_score(store, blobs, public_url, grant.tool, item, member, result)

    return store.write(write)


def list_results(store: Store, public_url: str, grant: Grant, context_id: str, item_id: str,
                 args: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a line item's results (AGS §3.5) and the next page's cursor."""
    grant.require(SCOPE_RESULT_READONLY)
    item = _item(store, grant, context_id, item_id)
    limit = args["limit"]
    rows = store.lti_contexts.results(item_id, user_id=args.get("user_id"),
                                      after=args.get("after"), limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    item_url = links.platform_lineitem_url(public_url, context_id, item_id)
    return ([_result_body(item_url, item, row) for row in rows],
            rows[-1]["user_id"] if more else None)


def _result_body(item_url: str, item: Document, row: Document) -> dict[str, Any]:
    """AGS §3.5: ``resultScore`` on the line item's scale (``resultMaximum``)."""
    body: dict[str, Any] = {"id": f"{item_url}/results/{quote(row['user_id'], safe='')}",
                            "scoreOf": item_url,
                            "userId": row["user_id"]}
    given, maximum = row.get("score_given"), row.get("score_maximum")
    if given is not None and maximum:
        body["resultScore"] = given / maximum * item["score_maximum"]
        body["resultMaximum"] = item["score_maximum"]
    if row.get("comment"):
        body["comment"] = row["comment"]
    return body
