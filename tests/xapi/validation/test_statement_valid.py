"""Data-driven: one valid variant of the full statement per allowance of the Data part (each
must pass); ``test_statement_table`` holds the invalid ones."""

from __future__ import annotations

from typing import Any

import pytest

from tests.xapi.validation.statements import (
    ACT,
    AGENT,
    AGENT_OBJ,
    DELETE,
    FULL,
    GROUP,
    HUB,
    MINIMAL,
    REF_ID,
    SUB,
    derive,
)
from xapi.validation import validate_statement

# (case id, changes applied to FULL)
GOOD: list[tuple[str, dict[str, Any]]] = [
    ("full statement", {}),
    ("no id (the LRS assigns one)", {"id": DELETE}),
    ("id uppercase hex", {"id": "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE"}),
    ("id version 1 uuid", {"id": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}),
    ("only actor verb object", {k: DELETE for k in FULL if k not in ("actor", "verb", "object")}),
    ("actor without objectType", {"actor.objectType": DELETE}),
    ("actor mbox", {"actor": {"mbox": "mailto:a.b+c@example.gov.in"}}),
    ("actor mbox_sha1sum", {"actor": {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}}),
    ("actor openid", {"actor": {"openid": "http://openid.example.org/12345"}}),
    ("actor anonymous group", {"actor": GROUP}),
    (
        "actor identified group, no members",
        {"actor": {"objectType": "Group", "mbox": "mailto:g@x.in"}},
    ),
    (
        "identified group with members",
        {"actor": {**GROUP, "account": {"homePage": HUB, "name": "g"}}},
    ),
    ("anonymous group with empty member list", {"actor": {"objectType": "Group", "member": []}}),
    ("verb without display", {"verb.display": DELETE}),
    ("verb display private-use tag", {"verb.display": {"x-klingon": "qaStaH"}}),
    ("verb display script+region tag", {"verb.display": {"zh-Hant-TW": "回答"}}),
    ("verb display grandfathered tag", {"verb.display": {"i-klingon": "jang"}}),
    ("iri with unicode", {"verb.id": "http://例え.テスト/動詞/答えた"}),
    ("urn iri", {"object.id": "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
    ("object without objectType", {"object.objectType": DELETE}),
    ("object without definition", {"object.definition": DELETE}),
    ("empty definition", {"object.definition": {}}),
    ("sequencing with choices", {"object.definition.interactionType": "sequencing"}),
    (
        "likert with scale",
        {
            "object.definition.interactionType": "likert",
            "object.definition.choices": DELETE,
            "object.definition.scale": [{"id": "1"}, {"id": "2"}],
        },
    ),
    (
        "matching with source and target",
        {
            "object.definition.interactionType": "matching",
            "object.definition.choices": DELETE,
            "object.definition.source": [{"id": "a"}],
            "object.definition.target": [{"id": "1"}],
        },
    ),
    (
        "performance with steps",
        {
            "object.definition.interactionType": "performance",
            "object.definition.choices": DELETE,
            "object.definition.steps": [{"id": "s1", "description": {"en": "step"}}],
        },
    ),
    ("empty correctResponsesPattern", {"object.definition.correctResponsesPattern": []}),
    ("extension value null", {"object.definition.extensions": {f"{HUB}/e": None}}),
    ("extension value empty object", {"result.extensions": {f"{HUB}/e": {}}}),
    ("empty extensions", {"context.extensions": {}}),
    ("object agent", AGENT_OBJ),
    ("object group", {**AGENT_OBJ, "object": GROUP}),
    ("object statementref", {**AGENT_OBJ, "object": {"objectType": "StatementRef", "id": REF_ID}}),
    ("object substatement", SUB),
    (
        "substatement with statementref object",
        {
            **SUB,
            "object.context": {},
            "object.object": {"objectType": "StatementRef", "id": REF_ID},
        },
    ),
    ("score raw equals max", {"result.score.raw": 100}),
    ("score scaled -1", {"result.score.scaled": -1}),
    ("score float raw", {"result.score.raw": 12.125}),
    ("score without min and max", {"result.score": {"raw": -5000}}),
    ("empty score", {"result.score": {}}),
    ("duration P4W", {"result.duration": "P4W"}),
    ("duration full form", {"result.duration": "P3Y1M29DT4H35M59.14S"}),
    ("duration fraction with comma", {"result.duration": "PT0,5S"}),
    ("context activity single object", {"context.contextActivities.parent": {"id": ACT}}),
    ("timestamp without timezone (1.0.3 SHOULD)", {"timestamp": "2026-11-25T07:40:27.123"}),
    ("timestamp basic offset", {"timestamp": "2026-11-25T07:40:27+0530"}),
    ("timestamp minutes precision", {"timestamp": "2026-11-25T07:40Z"}),
    ("timestamp +00:00", {"timestamp": "2026-11-25T07:40:27.123456789+00:00"}),
    ("timestamp far future", {"timestamp": "2099-12-31T23:59:59Z"}),
    ("authority agent", {"authority": AGENT}),
    ("version 1.0", {"version": "1.0"}),
    ("version 1.0.9", {"version": "1.0.9"}),
    ("version 2.0.0", {"version": "2.0.0"}),
    ("attachment without fileUrl", {"attachments.0.fileUrl": DELETE}),
    ("attachment sha-512", {"attachments.0.sha2": "ab" * 64}),
    ("no attachments", {"attachments": []}),
    (
        "other usageType in any content type",
        {
            "attachments.0.usageType": f"{HUB}/attachments/certificate",
            "attachments.0.contentType": "application/pdf",
        },
    ),
    (
        "voiding statement",
        {
            **AGENT_OBJ,
            "verb.id": "http://adlnet.gov/expapi/verbs/voided",
            "object": {"objectType": "StatementRef", "id": REF_ID},
        },
    ),
]


@pytest.mark.parametrize(("changes"), [case[1] for case in GOOD], ids=[case[0] for case in GOOD])
def test_valid_statement_is_accepted(changes: dict[str, Any]) -> None:
    validate_statement(derive(FULL, changes))


def test_minimal_statement_is_accepted() -> None:
    validate_statement({**MINIMAL, "object": {"id": ACT}})
