"""Agents and Groups (Data 2.4.2): wherever an Actor appears -- actor, object, instructor, team,
authority, Group members, and the xAPI 2.0 contextAgents/contextGroups."""

from __future__ import annotations

from typing import Any

from xapi.validation.datatypes import check_iri, check_string, is_iri, is_mbox, is_sha1
from xapi.validation.errors import Path, fail, reject_unknown, required

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = frozenset(("objectType", "name", *IFIS))
_GROUP_KEYS = frozenset((*_AGENT_KEYS, "member"))
_ACCOUNT_KEYS = frozenset(("homePage", "name"))


def _check_ifis(obj: dict, path: Path, *, required: bool) -> int:
    """Check the Inverse Functional Identifiers present (Data 2.4.2.3) and return how many there
    are; an Agent and an Identified Group carry exactly one (2.4.2.1.s2, 2.4.2.2.s5.b1)."""
    count = 0
    if "mbox" in obj:
        count += 1
        if not is_mbox(obj["mbox"]):
            fail((path, "mbox"), "must be a mailto: IRI of an email address")
    if "mbox_sha1sum" in obj:
        count += 1
        if not is_sha1(obj["mbox_sha1sum"]):
            fail((path, "mbox_sha1sum"), "must be the 40 hex digits of a SHA-1 sum")
    if "openid" in obj:
        count += 1
        value = obj["openid"]
        if not is_iri(value):
            fail((path, "openid"), "must be an absolute URI")
    if "account" in obj:
        count += 1
        _check_account(obj["account"], (path, "account"))
    if count > 1:
        fail(path, "must have exactly one inverse functional identifier, not several")
    if required and count == 0:
        fail(
            path, "must have an inverse functional identifier (mbox, mbox_sha1sum, openid, account)"
        )
    return count


def _check_account(value: Any, path: Path) -> None:
    """An Account Object (Data 2.4.2.4): homePage (IRL) and name, both required."""
    if type(value) is not dict:
        fail(path, "must be an Account object")
    reject_unknown(value, _ACCOUNT_KEYS, path)
    check_iri(*required(value, "homePage", path))
    check_string(*required(value, "name", path))


def check_agent(value: Any, path: Path) -> None:
    """An Agent (Data 2.4.2.1): optional objectType "Agent", optional name, exactly one IFI."""
    if type(value) is not dict:
        fail(path, "must be an Agent object")
    if "objectType" in value and value["objectType"] != "Agent":
        fail((path, "objectType"), 'must be "Agent"')
    reject_unknown(value, _AGENT_KEYS, path)
    if "name" in value:
        check_string(value["name"], (path, "name"))
    _check_ifis(value, path, required=True)


def check_group(value: Any, path: Path, *, identified: bool | None = None) -> None:
    """A Group (Data 2.4.2.2): objectType "Group" is required; an Anonymous Group lists its
    members (2.4.2.2.s4.b1), an Identified Group has exactly one IFI; members are Agents only
    (2.4.2.2.s4.b2, s5.b2). ``identified`` demands one kind (True/False) when not None."""
    if type(value) is not dict:
        fail(path, "must be a Group object")
    if value.get("objectType") != "Group":
        fail((path, "objectType"), 'must be "Group"')
    reject_unknown(value, _GROUP_KEYS, path)
    if "name" in value:
        check_string(value["name"], (path, "name"))
    count = _check_ifis(value, path, required=False)
    if identified is True and count == 0:
        fail(path, "must be an Identified Group (with one inverse functional identifier)")
    if identified is False and count:
        fail(path, "must be an Anonymous Group (without an inverse functional identifier)")
    if "member" in value:
        members = value["member"]
        member_path = (path, "member")
        if type(members) is not list:
            fail(member_path, "must be an array of Agents")
        for index, member in enumerate(members):
            item = (member_path, index)
            if type(member) is dict and member.get("objectType") == "Group":
                fail((item, "objectType"), "a Group's members must be Agents, not Groups")
            check_agent(member, item)
    elif count == 0:
        fail((path, "member"), "is required in an Anonymous Group")


def check_actor(value: Any, path: Path) -> None:
    """An Agent or a Group, told apart by objectType (absent means Agent, Data 2.4.2.1)."""
    if type(value) is not dict:
        fail(path, "must be an Agent or Group object")
    object_type = value.get("objectType", "Agent")
    if object_type == "Agent":
        check_agent(value, path)
    elif object_type == "Group":
        check_group(value, path)
    else:
        fail((path, "objectType"), 'must be "Agent" or "Group"')


def check_authority(value: Any, path: Path) -> None:
    """The authority (Data 2.4.9.s3.b1): an Agent, or -- for 3-legged OAuth -- a Group of exactly
    two Agents, the consumer and the user; that Group is anonymous (2.4.9.s7)."""
    if type(value) is dict and value.get("objectType") == "Group":
        check_group(value, path, identified=False)
        if len(value["member"]) != 2:
            fail((path, "member"), "an authority Group must have exactly two Agents")
        return
    check_agent(value, path)


def check_identified_actor(value: Any, path: Path) -> None:
    """An Agent or an Identified Group: something an ``agent`` query parameter can name."""
    check_actor(value, path)
    if value.get("objectType") == "Group" and not any(ifi in value for ifi in IFIS):
        fail(path, "must be an Agent or an Identified Group")
