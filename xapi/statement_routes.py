"""The Statement Resource: ``/xapi/statements`` (Communication 2.1).

Views parse the request (JSON or multipart/mixed), hand it to :mod:`xapi.statements` and shape
the answer; they hold no rules of their own.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Any

import orjson
from flask import Blueprint, Response, current_app, request

from hub.context import get_blobs, get_config, get_store
from hub.errors import ValidationError
from hub.json_body import load_body
from xapi import attachments, formats, statements, transport
from xapi.validation import is_iri, is_uuid, validate_agent_param

bp = Blueprint("xapi_statements", __name__)

QUERY_PARAMS = ("agent", "verb", "activity", "registration", "related_activities",
                "related_agents", "since", "until", "limit", "format", "attachments",
                "ascending")
SINGLE_PARAMS = ("statementId", "voidedStatementId", "format", "attachments")


def _read_statements() -> tuple[Any, dict[str, bytes]]:
    """The JSON of a PUT/POST and its attachment parts (Communication 1.5)."""
    mimetype = request.mimetype  # the media type alone, lower-cased, parameters dropped
    body = request.get_data(cache=False)
    if mimetype == "multipart/mixed":
        return attachments.parse_multipart(body, request.content_type or "")
    if mimetype and mimetype != "application/json":  # exact: application/jsonx is not JSON
        raise ValidationError.for_field(
            "Content-Type", "statements are application/json or multipart/mixed")
    return load_body(body, "content"), {}


@bp.put("/statements")
def put_statement() -> Response:
    """Store one statement under ``statementId`` (Communication 2.1.1); 204."""
    params = transport.check_params(("statementId",), required=("statementId",))
    principal = transport.writer(content_session=True)  # scope: xapi.statements
    if not is_uuid(params["statementId"]):
        raise ValidationError.for_field("statementId", "must be a UUID")
    payload, parts = _read_statements()
    if not isinstance(payload, dict):
        raise ValidationError.for_field("content", "PUT takes one statement object")
    statements.store_statements(get_store(), get_blobs(), principal, get_config().public_url,
                                [payload], parts, statement_id=params["statementId"],
                                version=transport.request_version())
    return transport.no_content()


@bp.post("/statements")
def post_statements() -> Response:
    """Store one statement or a batch (Communication 2.1.2); 200 with the ids."""
    transport.check_params(())
    principal = transport.writer(content_session=True)  # scope: xapi.statements
    payload, parts = _read_statements()
    batch = payload if isinstance(payload, list) else [payload]
    if not batch:
        raise ValidationError.for_field("content", "an empty batch")
    ids = statements.store_statements(get_store(), get_blobs(), principal,
                                      get_config().public_url, batch, parts,
                                      version=transport.request_version())
    return transport.json_response(ids)


def _more_codec() -> Any:
    return current_app.extensions["xapi.more"]


def _encode_more(params: dict[str, str], cursor: str) -> str:
    """The ``more`` IRL (Data 2.5): the query and the store's cursor in a signed token (URL-safe
    as it is), so the query a client continues is the one this LRS answered."""
    return "/xapi/statements?more=" + _more_codec().dumps({"p": params, "c": cursor})


def _decode_more(token: str) -> tuple[dict[str, str], str]:
    """(query parameters, store cursor) of a ``more`` token; 400 naming ``more`` otherwise."""
    data = _more_codec().loads(token)
    params = data.get("p") if isinstance(data, dict) else None
    cursor = data.get("c") if isinstance(data, dict) else None
    if (not isinstance(params, dict) or not isinstance(cursor, str)
            or not all(isinstance(v, str) for v in params.values())):
        raise ValidationError.for_field("more", "is not a cursor of this LRS")
    return params, cursor


@bp.get("/statements")
def get_statements() -> Response:
    """A single statement or a page of a query (Communication 2.1.3)."""
    principal = transport.reader(content_session=True)  # scope: statements.query_keys
    consistent = transport.consistent_through()
    if "more" in request.args:
        transport.check_params(("more",))
        params, cursor = _decode_more(request.args["more"])
    else:
        params = transport.check_params(set(QUERY_PARAMS) | set(SINGLE_PARAMS))
        cursor = None
    fmt = params.get("format", "exact")
    if fmt not in formats.FORMATS:
        raise ValidationError.for_field("format", "must be exact, ids or canonical")
    with_attachments = transport.parse_bool(params, "attachments")
    single = params.get("statementId") or params.get("voidedStatementId")
    headers = {"X-Experience-API-Consistent-Through": consistent}
    if "statementId" in params or "voidedStatementId" in params:
        extra = set(params) - set(SINGLE_PARAMS)
        if extra or ("statementId" in params and "voidedStatementId" in params):
            raise ValidationError.for_field(
                sorted(extra)[0] if extra else "voidedStatementId",
                "cannot be combined with statementId/voidedStatementId")
        stmt, org_id = statements.get_statement(get_store(), principal, single or "",
                                                voided="voidedStatementId" in params)
        shaped = _shape([stmt], fmt, [org_id])[0]
        headers["Last-Modified"] = _http_date(stmt.get("stored"))
        return _respond(shaped, [stmt], [org_id], with_attachments, headers)
    page = _query(principal, params, cursor)
    # Later pages see the store as of the first one: pinning ``until`` keeps an ascending
    # walk from running into statements stored after it started (Data 2.5 "more").
    pinned = {**params, "until": params.get("until", consistent)}
    more = _encode_more(pinned, page.cursor) if page.cursor else ""
    if fmt == "exact" and not with_attachments:  # the stored JSON as it is: no re-encoding
        body = ('{"statements":[' + ",".join(page.bodies) + '],"more":'
                + orjson.dumps(more).decode() + "}")
        return Response(body, mimetype="application/json", headers=headers)
    result: dict[str, Any] = {"statements": _shape(page.statements, fmt, page.orgs),
                              "more": more}
    return _respond(result, page.statements, page.orgs, with_attachments, headers)


def _query(principal: Any, params: dict[str, str], cursor: str | None) -> Any:
    agent = validate_agent_param(params["agent"], "agent") if "agent" in params else None
    for name, check in (("verb", is_iri), ("activity", is_iri), ("registration", is_uuid)):
        if name in params and not check(params[name]):
            raise ValidationError.for_field(name, "is not a valid " +
                                            ("UUID" if name == "registration" else "IRI"))
    limit_text = params.get("limit", "0")
    if not limit_text.isdigit():
        raise ValidationError.for_field("limit", "must be a non-negative integer")
    keys = statements.query_keys(
        agent, params.get("verb"), params.get("activity"), params.get("registration"),
        transport.parse_bool(params, "related_agents"),
        transport.parse_bool(params, "related_activities"))
    since = transport.parse_instant(params, "since")
    until = transport.parse_instant(params, "until")
    return statements.run_query(get_store(), principal, keys, since, until,
                                transport.parse_bool(params, "ascending"), int(limit_text),
                                cursor)


def _shape(stmts: list[dict[str, Any]], fmt: str,
           orgs: list[str | None]) -> list[dict[str, Any]]:
    """Statements in ``fmt``; ``canonical`` takes each statement's definitions from its own
    organisation's activities (``orgs``: each statement's organisation)."""
    if fmt == "ids":
        return [formats.to_ids(s) for s in stmts]
    if fmt == "canonical":
        wanted: dict[str | None, set[str]] = {}
        for stmt, org in zip(stmts, orgs, strict=True):
            wanted.setdefault(org, set()).update(formats.activity_ids(stmt))
        known = {org: get_store().activities.get_many(org or "", ids) if ids else {}
                 for org, ids in wanted.items()}
        ranges = formats.parse_accept_language(request.headers.get("Accept-Language"))
        return [formats.to_canonical(s, known[org], ranges)
                for s, org in zip(stmts, orgs, strict=True)]
    return stmts


def _http_date(stamp: str | None) -> str:
    if not stamp:
        return ""
    return format_datetime(datetime.fromisoformat(stamp.replace("Z", "+00:00")), usegmt=True)


def _respond(result: Any, stored: list[dict[str, Any]], orgs: list[str | None],
             with_attachments: bool, headers: dict[str, str]) -> Response:
    if not with_attachments:
        return transport.json_response(result, headers=headers)
    body, ctype = attachments.multipart_response(result, stored, get_blobs(), orgs)
    return Response(body, status=200, content_type=ctype, headers=headers)

