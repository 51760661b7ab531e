"""Index keys of a statement: what the statement query filters of Communication 2.1.3 match.

The storage port (``storage.ports.xapi.StatementRecord``) takes opaque key strings, so every adapter
indexes the same thing and none of them reads a statement. A query matches a statement when all
of the query's keys are among the statement's keys.

- ``verb|<iri>``: the verb ("verb" parameter).
- ``agent|<ifi>``: Actor or Object, and members of a Group in those places ("agent").
- ``agent*|<ifi>``: every Agent anywhere, incl. authority, instructor, team and the same inside a
  SubStatement ("agent" with ``related_agents=true``); a superset of ``agent|``.
- ``act|<iri>``: the Object Activity ("activity").
- ``act*|<iri>``: the Object and every context Activity, incl. a SubStatement's
  (``related_activities=true``); a superset of ``act|``.
- ``reg|<uuid>``: ``context.registration`` ("registration").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any, TypeGuard

import orjson

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def agent_key(agent: Any) -> str | None:
    """The canonical string of an Agent's or identified Group's IFI (Data 2.4.2.3), or None.

    Two Agents are the same when they use the same IFI with the same value; ``account`` is
    the pair (homePage, name)."""
    if not isinstance(agent, dict):
        return None
    for prop in IFI_PROPERTIES:
        value = agent.get(prop)
        if value is None:
            continue
        if prop == "account":
            if not isinstance(value, dict):
                return None
            return f"account|{value.get('homePage')}|{value.get('name')}"
        return f"{prop}|{value}"
    return None


def _agent_keys(agent: Any) -> Iterable[str]:
    """The agent's own key and, for a Group, its members' keys (Communication 2.1.3: a Group
    whose members match the agent parameter is a match)."""
    if not isinstance(agent, dict):
        return
    own = agent_key(agent)
    if own:
        yield own
    members = agent.get("member")
    if agent.get("objectType") == "Group" and isinstance(members, list):
        for member in members:
            key = agent_key(member)
            if key:
                yield key


def _is_agent(obj: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(obj, dict) and obj.get("objectType") in ("Agent", "Group")


def _is_activity(obj: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity"


def _context_activity_ids(context: Any) -> Iterable[str]:
    if not isinstance(context, dict):
        return
    activities = context.get("contextActivities")
    if not isinstance(activities, dict):
        return
    for value in activities.values():
        for activity in value if isinstance(value, list) else [value]:
            if isinstance(activity, dict) and isinstance(activity.get("id"), str):
                yield activity["id"]


def _context_agents(context: Any) -> Iterable[Any]:
    if not isinstance(context, dict):
        return
    yield context.get("instructor")
    yield context.get("team")
    # xAPI 2.0 contextAgents / contextGroups (Data 2.4.6.2 of 2.0)
    for entry in context.get("contextAgents") or ():
        if isinstance(entry, dict):
            yield entry.get("agent")
    for entry in context.get("contextGroups") or ():
        if isinstance(entry, dict):
            yield entry.get("group")


def statement_keys(stmt: dict[str, Any]) -> set[str]:
    """Every index key of one statement (not counting a StatementRef target's keys)."""
    keys: set[str] = set()
    verb = stmt.get("verb")
    if isinstance(verb, dict) and isinstance(verb.get("id"), str):
        keys.add("verb|" + verb["id"])
    context = stmt.get("context")
    if isinstance(context, dict) and isinstance(context.get("registration"), str):
        keys.add("reg|" + context["registration"].lower())
    _add_parts(stmt, keys, top=True)
    for key in _agent_keys(stmt.get("authority")):
        keys.add("agent*|" + key)
    return keys


def _add_parts(stmt: dict[str, Any], keys: set[str], *, top: bool) -> None:
    """Actor/Object/context of a statement or SubStatement. Inside a SubStatement only the
    related (``*``) keys apply (Communication 2.1.3 related_agents/related_activities)."""
    actor, obj = stmt.get("actor"), stmt.get("object")
    direct_agents = list(_agent_keys(actor))
    if _is_agent(obj):
        direct_agents.extend(_agent_keys(obj))
    for key in direct_agents:
        if top:
            keys.add("agent|" + key)
        keys.add("agent*|" + key)
    for agent in _context_agents(stmt.get("context")):
        for key in _agent_keys(agent):
            keys.add("agent*|" + key)
    if _is_activity(obj) and isinstance(obj.get("id"), str):
        if top:
            keys.add("act|" + obj["id"])
        keys.add("act*|" + obj["id"])
    for activity_id in _context_activity_ids(stmt.get("context")):
        keys.add("act*|" + activity_id)
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        _add_parts(obj, keys, top=False)


def inherited_keys(target_keys: Iterable[str]) -> set[str]:
    """Keys a statement referencing a target inherits (Communication 2.1.3 "Filter Conditions
    for StatementRefs": non-time filters match when the targeted statement matches)."""
    return set(target_keys)


#: Properties the LRS sets or that the spec says to ignore when comparing statements
#: (Data 2.3.1 "Statement Comparision Requirements").
_IGNORED_IN_COMPARISON = ("id", "stored", "authority", "version")


_SECONDS_FRACTION = re.compile(r"([0-9]+)[.,]([0-9]+)S\Z")


def comparable_duration(duration: str) -> str:
    """A Duration with its seconds cut to hundredths (and trailing zeros dropped): Data 4.6 /
    xAPI 2.0 4.2.7, "any precision beyond 0.01 second precision shall not be included in the
    comparison". ``PT1.2345S``, ``PT1.23S`` and ``PT1.230S`` compare equal."""
    match = _SECONDS_FRACTION.search(duration)
    if match is None:
        return duration
    fraction = match.group(2)[:2].rstrip("0")
    seconds = f"{match.group(1)}.{fraction}S" if fraction else f"{match.group(1)}S"
    return duration[:match.start()] + seconds


def _with_comparable_duration(part: dict[str, Any]) -> dict[str, Any]:
    result = part.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        part = {**part, "result": {**result,
                                   "duration": comparable_duration(result["duration"])}}
    return part


def fingerprint(stmt: dict[str, Any]) -> str:
    """A digest of the statement's content, equal for statements the spec calls the same.

    Computed on the statement as received (before the LRS fills ``timestamp``), with the
    LRS-set properties left out, durations compared to the hundredth of a second and keys
    sorted, so a re-POST of the same statement (or its signed copy) matches."""
    content = _with_comparable_duration(
        {k: v for k, v in stmt.items() if k not in _IGNORED_IN_COMPARISON})
    obj = content.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        content["object"] = _with_comparable_duration(obj)
    return hashlib.blake2b(orjson.dumps(content, option=orjson.OPT_SORT_KEYS),
                           digest_size=16).hexdigest()
