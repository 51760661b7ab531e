"""Statements for the validator tests: one valid statement using every property, and the tools
to derive a variant of it by setting or deleting properties at dotted paths."""

from __future__ import annotations

import copy
from typing import Any

DELETE = object()

STATEMENT_ID = "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"
REF_ID = "8f87ccde-bb56-4c2e-ab83-44982ef22df0"
REGISTRATION = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
HUB = "https://hub.karmayogi.example"

AGENT = {"objectType": "Agent", "name": "Asha Rao", "mbox": "mailto:asha@example.gov.in"}
GROUP = {
    "objectType": "Group",
    "name": "Batch 7",
    "member": [{"mbox": "mailto:ravi@example.gov.in"}, {"openid": "https://id.example/ravi"}],
}

# A statement that is valid and uses every property of Data 2.4 at least once.
FULL: dict[str, Any] = {
    "id": STATEMENT_ID,
    "actor": {
        "objectType": "Agent",
        "name": "Asha Rao",
        "account": {"homePage": HUB, "name": "u-1"},
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/answered",
        "display": {"en-US": "answered", "hi-IN": "उत्तर दिया"},
    },
    "object": {
        "objectType": "Activity",
        "id": f"{HUB}/courses/c-42/q/1",
        "definition": {
            "name": {"en-US": "Question 1"},
            "description": {"en-US": "Which rule governs procurement?"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "moreInfo": f"{HUB}/courses/c-42",
            "interactionType": "choice",
            "correctResponsesPattern": ["gfr"],
            "choices": [
                {"id": "gfr", "description": {"en-US": "GFR 2017"}},
                {"id": "frbm", "description": {"en-US": "FRBM Act"}},
            ],
            "extensions": {f"{HUB}/ext/weight": 2},
        },
    },
    "result": {
        "score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
        "success": True,
        "completion": True,
        "response": "gfr",
        "duration": "PT1M14.5S",
        "extensions": {f"{HUB}/ext/attempt": 1},
    },
    "context": {
        "registration": REGISTRATION,
        "instructor": AGENT,
        "team": GROUP,
        "contextActivities": {
            "parent": [{"id": f"{HUB}/courses/c-42"}],
            "grouping": {"id": f"{HUB}/programs/p-7", "objectType": "Activity"},
            "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
            "other": [],
        },
        "revision": "r2",
        "platform": "Karmayogi Hub",
        "language": "en-IN",
        "statement": {"objectType": "StatementRef", "id": REF_ID},
        "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-9"},
    },
    "timestamp": "2026-11-25T07:40:27.123+05:30",
    "stored": "2026-11-25T02:10:28.001Z",
    "authority": {
        "objectType": "Group",
        "member": [
            {"account": {"homePage": f"{HUB}/oauth", "name": "consumer-1"}},
            {"mbox": "mailto:asha@example.gov.in"},
        ],
    },
    "version": "1.0.3",
    "attachments": [
        {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "Signature"},
            "description": {"en-US": "A JWS of the statement"},
            "contentType": "application/octet-stream",
            "length": 4235,
            "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
            "fileUrl": f"{HUB}/files/sig.jws",
        }
    ],
}

SUBSTATEMENT: dict[str, Any] = {
    "objectType": "SubStatement",
    "actor": AGENT,
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": f"{HUB}/courses/c-42"},
    "result": {"completion": True},
    "context": {"platform": "Karmayogi Hub"},
    "timestamp": "2026-12-01T10:00:00Z",
}

ACT = f"{HUB}/a/1"
MINIMAL = {"actor": AGENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}}
# Changes to FULL that make its object a SubStatement / an Agent (dropping the context properties
# only an Activity object may have, Data 2.4.6.s4).
SUB = {"object": SUBSTATEMENT, "context.revision": DELETE, "context.platform": DELETE}
AGENT_OBJ = {"object": AGENT, "context.revision": DELETE, "context.platform": DELETE}


def _split(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def derive(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with each dotted path set to its value (or removed: DELETE)."""
    stmt = copy.deepcopy(base)
    for path, value in changes.items():
        *parents, last = _split(path)
        node: Any = stmt
        for part in parents:
            node = node[part]
        if value is DELETE:
            del node[last]
        else:
            node[last] = copy.deepcopy(value)
    return stmt
