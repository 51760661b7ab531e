"""Statements and SubStatements with their verb, object, result, context and attachments
(Data 2.4), for xAPI 1.0.x and the cheap xAPI 2.0 additions."""

from __future__ import annotations

import re
from typing import Any

from xapi.validation import activities as activity_checks
from xapi.validation import actors
from xapi.validation.actors import check_agent, check_authority, check_group
from xapi.validation.datatypes import (
    check_bool,
    check_extensions,
    check_iri,
    check_string,
    check_timestamp,
    check_uuid,
    is_language_tag,
    is_number,
    is_statement_id,
    remember_valid,
    validate_duration,
    validate_language_map,
)
from xapi.validation.errors import Path, fail, reject_unknown, required

#: The verb of a voiding Statement (Data 2.3.2): the validator, the LRS's voiding and the
#: forwarding filter all recognise it by this IRI.
VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
OCTET_STREAM = "application/octet-stream"

# Data 2.4.10: "version" is 1.0.x; xAPI 2.0 statements carry 2.0.x.
_VERSION = re.compile(r"(?:1\.0|2\.0)(?:\.[0-9]+)?")

_STATEMENT_KEYS = frozenset(
    (
        "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
        "authority", "version", "attachments",
    )
)  # fmt: skip
# Data 2.4.4.3.s2: a SubStatement MUST NOT have id, stored, version or authority.
_SUBSTATEMENT_KEYS = frozenset(
    ("objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments")
)
_VERB_KEYS = frozenset(("id", "display"))

# Learners, verbs and course activities repeat across statements: each distinct one is checked
# once (see remember_valid; these checks depend on the value alone).
check_actor = remember_valid(actors.check_actor, 32768)
check_activity = remember_valid(activity_checks.check_activity, 16384)
_STATEMENT_REF_KEYS = frozenset(("objectType", "id"))
_RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
_SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))
_CONTEXT_KEYS = frozenset(
    (
        "registration", "instructor", "team", "contextActivities", "revision", "platform",
        "language", "statement", "extensions",
    )
)  # fmt: skip
_CONTEXT_KEYS_2_0 = _CONTEXT_KEYS | {"contextAgents", "contextGroups"}
_CONTEXT_ACTIVITY_KEYS = frozenset(("parent", "grouping", "category", "other"))
_ATTACHMENT_KEYS = frozenset(
    ("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl")
)
_CONTEXT_AGENT_KEYS = frozenset(("objectType", "agent", "relevantTypes"))
_CONTEXT_GROUP_KEYS = frozenset(("objectType", "group", "relevantTypes"))
# RFC 6838 type/subtype with optional parameters; best effort, the suite sends charsets.
# RFC 6838 §4.2 type/subtype, then parameters without control characters: the value is written
# into multipart part headers (attachments=true, forwarding), where CR/LF would inject headers.
_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*(?:[ \t]*;[^\x00-\x08\x0a-\x1f\x7f]*)?",
    re.ASCII)
_SHA2 = re.compile(r"[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}")


class Rules:
    """What differs between the versions a statement is checked against."""

    __slots__ = ("context_keys", "require_timezone")

    def __init__(self, version: str) -> None:
        v2 = version.startswith("2.")
        # xAPI 2.0 (IEEE 9274.1.1) adds contextAgents/contextGroups and makes the time zone
        # of a timestamp mandatory; 1.0.3 only recommends it (Data 4.5.s1.b4).
        self.context_keys = _CONTEXT_KEYS_2_0 if v2 else _CONTEXT_KEYS
        self.require_timezone = v2


RULES_1_0 = Rules("1.0.3")
RULES_2_0 = Rules("2.0.0")


def check_statement(stmt: Any, path: Path, rules: Rules) -> None:
    """A whole Statement (Data 2.4), stored/authority/version included when present: the
    spec lets a client send them (2.4.8.s3.b2, 2.4.9.s3.b5, 2.4.10)."""
    if type(stmt) is not dict:
        fail(path, "a Statement must be a JSON object")
    reject_unknown(stmt, _STATEMENT_KEYS, path)
    if "id" in stmt and not is_statement_id(stmt["id"]):
        fail((path, "id"), "must be a UUID (RFC 4122 variant, standard string form)")
    _check_core(stmt, path, rules, substatement=False)
    if "stored" in stmt:
        check_timestamp(stmt["stored"], (path, "stored"), require_timezone=False)
    if "authority" in stmt:
        check_authority(stmt["authority"], (path, "authority"))
    if "version" in stmt:
        version = stmt["version"]
        if type(version) is not str or _VERSION.fullmatch(version) is None:
            fail((path, "version"), 'must be "1.0", "1.0.x" or "2.0.x"')
    # Data 2.3.2.s2.b1: a voiding Statement's object is the StatementRef of the voided one.
    verb = stmt["verb"]
    if verb["id"] == VOIDED_VERB and stmt["object"].get("objectType") != "StatementRef":
        fail((path, "object"), "a voiding Statement's object must be a StatementRef")


def _check_core(stmt: dict, path: Path, rules: Rules, *, substatement: bool) -> None:
    """What a Statement and a SubStatement share: actor, verb, object (required, Data 2.2.s2.b3),
    result, context, timestamp, attachments."""
    for key in ("actor", "verb", "object"):
        if key not in stmt:
            fail((path, key), "is required")
    check_actor(stmt["actor"], (path, "actor"))
    _check_verb_remembered(stmt["verb"], (path, "verb"))
    object_path = (path, "object")
    obj = stmt["object"]
    if substatement:
        _check_object(obj, object_path, rules, allow_substatement=False)
    else:
        _check_object(obj, object_path, rules, allow_substatement=True)
    if "result" in stmt:
        _check_result(stmt["result"], (path, "result"))
    if "context" in stmt:
        _check_context(stmt["context"], (path, "context"), obj, rules)
    if "timestamp" in stmt:
        check_timestamp(
            stmt["timestamp"], (path, "timestamp"), require_timezone=rules.require_timezone
        )
    if "attachments" in stmt:
        _check_attachments(stmt["attachments"], (path, "attachments"))


def _check_verb(value: Any, path: Path) -> None:
    """A Verb (Data 2.4.3): id IRI required, display a language map."""
    if type(value) is not dict:
        fail(path, "must be a Verb object")
    reject_unknown(value, _VERB_KEYS, path)
    check_iri(*required(value, "id", path))
    if "display" in value:
        validate_language_map(value["display"], (path, "display"))


_check_verb_remembered = remember_valid(_check_verb, 4096)


def _check_object(value: Any, path: Path, rules: Rules, *, allow_substatement: bool) -> None:
    """The Object (Data 2.4.4), by objectType; absent means Activity (2.4.4.s2), which is why an
    Agent or Group object must say so (2.4.4.2.s1.b1)."""
    if type(value) is not dict:
        fail(path, "must be an object")
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        check_activity(value, path)
    elif object_type == "Agent":
        check_agent(value, path)
    elif object_type == "Group":
        check_group(value, path)
    elif object_type == "StatementRef":
        check_statement_ref(value, path)
    elif object_type == "SubStatement":
        if not allow_substatement:
            fail((path, "objectType"), "a SubStatement cannot contain a SubStatement")
        reject_unknown(value, _SUBSTATEMENT_KEYS, path)
        _check_core(value, path, rules, substatement=True)
    else:
        fail(
            (path, "objectType"),
            'must be "Activity", "Agent", "Group", "StatementRef" or "SubStatement"',
        )


def check_statement_ref(value: Any, path: Path) -> None:
    """A Statement Reference (Data 2.4.4.3): objectType "StatementRef" and a UUID id."""
    if type(value) is not dict:
        fail(path, "must be a StatementRef object")
    reject_unknown(value, _STATEMENT_REF_KEYS, path)
    if value.get("objectType") != "StatementRef":
        fail((path, "objectType"), 'must be "StatementRef"')
    check_uuid(*required(value, "id", path))


def _check_result(value: Any, path: Path) -> None:
    """A Result (Data 2.4.5)."""
    if type(value) is not dict:
        fail(path, "must be a Result object")
    reject_unknown(value, _RESULT_KEYS, path)
    if "score" in value:
        _check_score(value["score"], (path, "score"))
    if "success" in value:
        check_bool(value["success"], (path, "success"))
    if "completion" in value:
        check_bool(value["completion"], (path, "completion"))
    if "response" in value:
        check_string(value["response"], (path, "response"))
    if "duration" in value:
        validate_duration(value["duration"], (path, "duration"))
    if "extensions" in value:
        check_extensions(value["extensions"], (path, "extensions"))


def _check_score(value: Any, path: Path) -> None:
    """A Score (Data 2.4.5.1): scaled in [-1, 1]; min < max; raw within [min, max]."""
    if type(value) is not dict:
        fail(path, "must be a Score object")
    reject_unknown(value, _SCORE_KEYS, path)
    for key in value:
        if not is_number(value[key]):
            fail((path, key), "must be a number")
    scaled = value.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        fail((path, "scaled"), "must be between -1 and 1")
    low, high, raw = value.get("min"), value.get("max"), value.get("raw")
    if low is not None and high is not None and not low < high:
        fail((path, "min"), "must be less than max")
    if raw is not None:
        if low is not None and raw < low:
            fail((path, "raw"), "must not be less than min")
        if high is not None and raw > high:
            fail((path, "raw"), "must not be greater than max")


def _check_context(value: Any, path: Path, obj: dict, rules: Rules) -> None:
    """A Context (Data 2.4.6)."""
    if type(value) is not dict:
        fail(path, "must be a Context object")
    reject_unknown(value, rules.context_keys, path)
    if "registration" in value:
        check_uuid(value["registration"], (path, "registration"))
    if "instructor" in value:
        check_actor(value["instructor"], (path, "instructor"))
    if "team" in value:
        check_group(value["team"], (path, "team"))
    if "contextActivities" in value:
        _check_context_activities(value["contextActivities"], (path, "contextActivities"))
    # Data 2.4.6.s4.b1/b2: revision and platform only when the Object is an Activity.
    is_activity = obj.get("objectType", "Activity") == "Activity"
    for key in ("revision", "platform"):
        if key in value:
            check_string(value[key], (path, key))
            if not is_activity:
                fail((path, key), "is only allowed when the Statement's object is an Activity")
    if "language" in value and not is_language_tag(value["language"]):
        fail((path, "language"), "must be an RFC 5646 language tag")
    if "statement" in value:
        check_statement_ref(value["statement"], (path, "statement"))
    if "extensions" in value:
        check_extensions(value["extensions"], (path, "extensions"))
    if "contextAgents" in value:
        _check_context_actors(value["contextAgents"], (path, "contextAgents"), agents=True)
    if "contextGroups" in value:
        _check_context_actors(value["contextGroups"], (path, "contextGroups"), agents=False)


def _check_context_activities(value: Any, path: Path) -> None:
    """contextActivities (Data 2.4.6.2.s4): keys parent, grouping, category, other; each value
    an Activity or an array of Activities."""
    if type(value) is not dict:
        fail(path, "must be an object")
    reject_unknown(value, _CONTEXT_ACTIVITY_KEYS, path)
    for key, activities in value.items():
        key_path = (path, key)
        if type(activities) is list:
            for index, activity in enumerate(activities):
                check_activity(activity, (key_path, index))
        else:
            check_activity(activities, key_path)


def _check_context_actors(value: Any, path: Path, *, agents: bool) -> None:
    """xAPI 2.0 contextAgents / contextGroups (9274.1.1 Data 2.4.6): arrays of objects with
    objectType "contextAgent"/"contextGroup", the Agent/Group, and optional relevantTypes
    (a non-empty array of IRIs)."""
    if type(value) is not list:
        fail(path, "must be an array")
    object_type, member, keys = (
        ("contextAgent", "agent", _CONTEXT_AGENT_KEYS)
        if agents
        else ("contextGroup", "group", _CONTEXT_GROUP_KEYS)
    )
    for index, item in enumerate(value):
        item_path = (path, index)
        if type(item) is not dict:
            fail(item_path, "must be an object")
        reject_unknown(item, keys, item_path)
        if item.get("objectType") != object_type:
            fail((item_path, "objectType"), f'must be "{object_type}"')
        if member not in item:
            fail((item_path, member), "is required")
        if agents:
            check_agent(item[member], (item_path, member))
        else:
            check_group(item[member], (item_path, member))
        if "relevantTypes" in item:
            types = item["relevantTypes"]
            types_path = (item_path, "relevantTypes")
            if type(types) is not list or not types:
                fail(types_path, "must be a non-empty array of IRIs")
            for position, iri in enumerate(types):
                check_iri(iri, (types_path, position))


def _check_attachments(value: Any, path: Path) -> None:
    """Attachments (Data 2.4.11): an array of Attachment objects."""
    if type(value) is not list:
        fail(path, "must be an array of Attachment objects")
    for index, attachment in enumerate(value):
        _check_attachment(attachment, (path, index))


def _check_attachment(value: Any, path: Path) -> None:
    """One Attachment (Data 2.4.11.s2): usageType, display, contentType, length and sha2 are
    required; description and fileUrl optional."""
    if type(value) is not dict:
        fail(path, "must be an Attachment object")
    reject_unknown(value, _ATTACHMENT_KEYS, path)
    for key in ("usageType", "display", "contentType", "length", "sha2"):
        if key not in value:
            fail((path, key), "is required")
    check_iri(value["usageType"], (path, "usageType"))
    validate_language_map(value["display"], (path, "display"))
    if "description" in value:
        validate_language_map(value["description"], (path, "description"))
    content_type = value["contentType"]
    if type(content_type) is not str or _MEDIA_TYPE.fullmatch(content_type) is None:
        fail((path, "contentType"), "must be an Internet Media Type")
    length = value["length"]
    if type(length) is not int or length < 0:
        fail((path, "length"), "must be a non-negative integer")
    sha2 = value["sha2"]
    if type(sha2) is not str or _SHA2.fullmatch(sha2) is None:
        fail((path, "sha2"), "must be the hex digest of a SHA-2 hash")
    if "fileUrl" in value:
        check_iri(value["fileUrl"], (path, "fileUrl"))
    # Data 2.6.s4.b1: a signature is a JWS attached as application/octet-stream.
    if value["usageType"] == SIGNATURE and content_type.split(";")[0].strip() != OCTET_STREAM:
        fail((path, "contentType"), f"a signature attachment must be {OCTET_STREAM}")
