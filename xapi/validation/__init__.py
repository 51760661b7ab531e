"""xAPI statement validation: every rule of the Data part (xAPI 1.0.3, and the cheap 2.0 additions).

The LRS calls :func:`validate_statement` / :func:`validate_batch` before it stores anything and
the parameter validators on query strings (Data 2.2.s4.b4: parameters are held to the same
standard as the same types in Statements). Every failure is a :class:`StatementInvalid`
(``hub.errors.ValidationError``, 400, problem+json) naming the dotted path of the property.

The checks are hand-written over precompiled regular expressions (no JSON Schema): the LRS must
ingest thousands of statements a second on two cores, with full validation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from xapi.validation.actors import check_agent, check_identified_actor
from xapi.validation.datatypes import (
    check_iri,
    check_uuid,
    is_iri,
    is_language_tag,
    is_uuid,
    parse_timestamp,
    validate_duration,
    validate_language_map,
)
from xapi.validation.errors import StatementInvalid, fail
from xapi.validation.statement import RULES_1_0, RULES_2_0, VOIDED_VERB, check_statement

__all__ = [
    "VOIDED_VERB",
    "StatementInvalid",
    "is_iri",
    "is_language_tag",
    "is_uuid",
    "parse_timestamp",
    "validate_activity_id",
    "validate_agent_param",
    "validate_batch",
    "validate_duration",
    "validate_language_map",
    "validate_statement",
    "validate_timestamp_param",
    "validate_uuid_param",
]


def validate_statement(
    stmt: Any, *, path: str = "", version: str = "1.0.3", allow_stored_fields: bool = False
) -> None:
    """Raise :class:`StatementInvalid` for the first rule of the Data part ``stmt`` breaks.

    ``version`` is the request's ``X-Experience-API-Version``: "2.0.x" also accepts
    ``context.contextAgents``/``contextGroups`` and requires time zones on timestamps.
    ``allow_stored_fields`` is accepted for API stability and changes nothing: the spec lets a
    client send ``stored``, ``authority`` and ``version`` (Data 2.4.8.s3.b2, 2.4.9.s3.b5,
    2.4.10), so they are always validated when present and the LRS then overwrites
    stored/authority. (A SubStatement can never carry them, Data 2.4.4.3.s2.)"""
    del allow_stored_fields
    check_statement(stmt, path, RULES_2_0 if version.startswith("2.") else RULES_1_0)


def validate_batch(stmts: list[Any], *, version: str = "1.0.3") -> None:
    """Validate every statement of a POSTed batch; the first failure names ``<index>.<path>``.

    All-or-nothing (Communication 2.1.2): call it before storing any statement of the batch.
    Two statements with the same id reject the batch (Communication 2.1.2.s2.b6)."""
    if type(stmts) is not list:
        fail("", "a batch must be a JSON array of Statements")
    rules = RULES_2_0 if version.startswith("2.") else RULES_1_0
    seen: dict[str, int] = {}
    for index, stmt in enumerate(stmts):
        check_statement(stmt, str(index), rules)
        statement_id = stmt.get("id")
        if statement_id is not None:
            key = statement_id.lower()  # UUIDs compare case-insensitively (RFC 4122 section 3)
            if key in seen:
                fail((str(index), "id"), f"repeats the id of statement {seen[key]} of this batch")
            seen[key] = index


def validate_agent_param(value: str, param: str = "agent", *, allow_group: bool = True) -> dict:
    """Parse and validate an ``agent`` query parameter; returns the parsed object.

    The Statement Resource filters by an Agent or an Identified Group (Communication 2.1.3); the
    State, Agents and Agent Profile Resources take an Agent only (Communication 2.3, 2.4, 2.6):
    pass ``allow_group=False`` there."""
    try:
        agent = orjson.loads(value)
    except (orjson.JSONDecodeError, TypeError):
        fail(
            param, "must be the JSON of an Agent" + (" or Identified Group" if allow_group else "")
        )
    if allow_group:
        check_identified_actor(agent, param)
    else:
        check_agent(agent, param)
    return agent


def validate_activity_id(value: str, param: str = "activityId") -> str:
    """An ``activityId`` / ``activity`` parameter: an absolute IRI (Data 2.4.4.1, 2.2.s4.b4)."""
    check_iri(value, param)
    return value


def validate_uuid_param(value: str, param: str = "statementId") -> str:
    """A ``statementId`` / ``voidedStatementId`` / ``registration`` parameter: a UUID."""
    check_uuid(value, param)
    return value


def validate_timestamp_param(value: str, param: str = "since") -> datetime:
    """A ``since`` / ``until`` parameter: an ISO 8601 timestamp, returned as an aware datetime."""
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise StatementInvalid(param, f"must be an ISO 8601 timestamp ({exc})") from None
