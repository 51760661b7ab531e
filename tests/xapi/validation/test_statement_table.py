"""Data-driven: one invalid variant of the full statement per rule of the Data part.

Each case names the property path the 400 must name, so a case that is rejected for the
wrong reason fails too.
"""

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
    REF_ID,
    SUB,
    SUBSTATEMENT,
    derive,
)
from xapi.validation import StatementInvalid, validate_statement

# (case id, changes applied to FULL[, the path the error must name: by default the one changed])
BAD: list[tuple[Any, ...]] = [
    # Data 2.2: types, unknown and mis-cased properties, nulls, required properties
    ("unknown top-level property", {"extra": 1}),
    ("key case differs", {"Actor": AGENT, "actor": DELETE}),
    ("null top-level value", {"result": None}),
    ("null nested value", {"verb.display.en-US": None}),
    ("null name", {"actor.name": None}),
    ("missing actor", {"actor": DELETE}),
    ("missing verb", {"verb": DELETE}),
    ("missing object", {"object": DELETE}),
    # Data 2.4.1 id
    ("id not a uuid", {"id": "wrong"}),
    ("id too many digits", {"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730beee"}),
    ("id non-hex digit", {"id": "M690e6c9-3ef0-4ed3-8b37-7f3964730bee"}),
    ("id not rfc 4122 variant", {"id": "6690e6c9-3ef0-4ed3-cb37-7f3964730bee"}),
    ("id without hyphens", {"id": "6690e6c93ef04ed38b377f3964730bee"}),
    ("id numeric", {"id": 12345}),
    # Data 2.4.2 actor
    ("actor not an object", {"actor": "asha"}),
    ("actor objectType lowercase", {"actor.objectType": "agent"}),
    ("actor objectType numeric", {"actor.objectType": 1}),
    ("agent without ifi", {"actor": {"name": "x"}}),
    ("agent with two ifis", {"actor.mbox": "mailto:a@b.in"}, "actor"),
    ("mbox without mailto", {"actor": {"mbox": "asha@example.gov.in"}}, "actor.mbox"),
    ("mbox not an email", {"actor": {"mbox": "mailto:asha"}}, "actor.mbox"),
    ("mbox_sha1sum too short", {"actor": {"mbox_sha1sum": "cd9b00a5"}}, "actor.mbox_sha1sum"),
    ("mbox_sha1sum not hex", {"actor": {"mbox_sha1sum": "z" * 40}}, "actor.mbox_sha1sum"),
    ("openid without scheme", {"actor": {"openid": "open.id.com/u"}}, "actor.openid"),
    ("account without homePage", {"actor.account.homePage": DELETE}),
    ("account without name", {"actor.account.name": DELETE}),
    ("account homePage not IRL", {"actor.account.homePage": "homePage.com/u"}),
    ("account name numeric", {"actor.account.name": 7}),
    ("account unknown property", {"actor.account.id": "7"}),
    ("agent with member", {"actor.member": []}),
    ("group without objectType", {"actor": {"member": GROUP["member"]}}, "actor.member"),
    (
        "anonymous group without member",
        {"actor": {"objectType": "Group", "name": "g"}},
        "actor.member",
    ),
    (
        "group member is a group",
        {"actor": {**GROUP, "member": [GROUP]}},
        "actor.member.0.objectType",
    ),
    ("group member without ifi", {"actor": {**GROUP, "member": [{"name": "x"}]}}, "actor.member.0"),
    ("group member not array", {"actor": {**GROUP, "member": AGENT}}, "actor.member"),
    (
        "identified group with two ifis",
        {"actor": {**GROUP, "mbox": "mailto:g@x.in", "openid": "http://g"}},
    ),
    # Data 2.4.3 verb
    ("verb without id", {"verb.id": DELETE}),
    ("verb id without scheme", {"verb.id": "adlnet.gov/expapi/verbs/answered"}),
    ("verb id with space", {"verb.id": "http://x.in/a verb"}),
    ("verb id empty", {"verb.id": ""}),
    ("verb display not a map", {"verb.display": "answered"}),
    ("verb display bad tag", {"verb.display": {"a12345678": "x"}}, "verb.display.a12345678"),
    ("verb display empty tag", {"verb.display": {"": "x"}}, "verb.display."),
    ("verb display numeric value", {"verb.display": {"en": 1}}, "verb.display.en"),
    ("verb unknown property", {"verb.name": {"en": "x"}}),
    # Data 2.4.4 object
    ("object unknown objectType", {"object.objectType": "activity"}),
    ("activity without id", {"object.id": DELETE}),
    ("activity id without scheme", {"object.id": "www.example.com/a"}),
    ("activity unknown property", {"object.name": "x"}),
    ("definition not an object", {"object.definition": "x"}),
    ("definition name not a map", {"object.definition.name": "Q1"}),
    (
        "definition description bad tag",
        {"object.definition.description": {"en_US": "x"}},
        "object.definition.description.en_US",
    ),
    ("definition type not IRI", {"object.definition.type": "cmi.interaction"}),
    ("definition moreInfo not IRL", {"object.definition.moreInfo": "hub/c"}),
    (
        "definition extensions key not IRI",
        {"object.definition.extensions": {"weight": 1}},
        "object.definition.extensions.weight",
    ),
    ("definition extensions not object", {"object.definition.extensions": "x"}),
    ("definition unknown property", {"object.definition.title": "x"}),
    ("interactionType unknown", {"object.definition.interactionType": "essay"}),
    ("interactionType wrong case", {"object.definition.interactionType": "Choice"}),
    (
        "components without interactionType",
        {
            "object.definition.interactionType": DELETE,
            "object.definition.correctResponsesPattern": DELETE,
        },
    ),
    (
        "pattern without interactionType",
        {"object.definition.interactionType": DELETE, "object.definition.choices": DELETE},
    ),
    ("pattern not an array", {"object.definition.correctResponsesPattern": "gfr"}),
    (
        "pattern item not a string",
        {"object.definition.correctResponsesPattern": [1]},
        "object.definition.correctResponsesPattern.0",
    ),
    ("scale on a choice", {"object.definition.scale": [{"id": "1"}]}),
    (
        "choices on true-false",
        {"object.definition.interactionType": "true-false"},
        "object.definition.choices",
    ),
    ("component ids not distinct", {"object.definition.choices.1.id": "gfr"}),
    ("component without id", {"object.definition.choices.0.id": DELETE}),
    ("component id numeric", {"object.definition.choices.0.id": 1}),
    ("component unknown property", {"object.definition.choices.0.name": "x"}),
    ("components not an array", {"object.definition.choices": {"id": "a"}}),
    (
        "object agent without objectType",
        {**AGENT_OBJ, "object": {"mbox": "mailto:a@b.in"}},
        "object.mbox",
    ),
    (
        "statementref without id",
        {**AGENT_OBJ, "object": {"objectType": "StatementRef"}},
        "object.id",
    ),
    (
        "statementref id not uuid",
        {**AGENT_OBJ, "object": {"objectType": "StatementRef", "id": "x"}},
        "object.id",
    ),
    (
        "statementref objectType lowercase",
        {**AGENT_OBJ, "object": {"objectType": "statementref", "id": REF_ID}},
        "object.objectType",
    ),
    (
        "statementref extra property",
        {**AGENT_OBJ, "object": {"objectType": "StatementRef", "id": REF_ID, "x": 1}},
        "object.x",
    ),
    # Data 2.4.4.3 SubStatement
    ("substatement with id", {**SUB, "object.id": REF_ID}, "object.id"),
    ("substatement with stored", {**SUB, "object.stored": "2026-01-01T00:00:00Z"}, "object.stored"),
    ("substatement with version", {**SUB, "object.version": "1.0.3"}, "object.version"),
    ("substatement with authority", {**SUB, "object.authority": AGENT}, "object.authority"),
    ("nested substatement", {**SUB, "object.object": SUBSTATEMENT}, "object.object.objectType"),
    ("substatement without verb", {**SUB, "object.verb": DELETE}, "object.verb"),
    ("substatement bad actor", {**SUB, "object.actor": {"name": "x"}}, "object.actor"),
    (
        "substatement revision with agent object",
        {**SUB, "object.object": AGENT, "object.context.revision": "r"},
        "object.context.revision",
    ),
    ("substatement bad timestamp", {**SUB, "object.timestamp": "yesterday"}, "object.timestamp"),
    # Data 2.4.5 result
    ("result not an object", {"result": "passed"}),
    ("result unknown property", {"result.grade": "A"}),
    ("success as string", {"result.success": "true"}),
    ("completion as number", {"result.completion": 1}),
    ("response numeric", {"result.response": 3}),
    ("duration not ISO", {"result.duration": "1 hour"}),
    ("duration weeks combined", {"result.duration": "P4W1D"}),
    ("duration empty", {"result.duration": "P"}),
    ("duration T without time", {"result.duration": "P1DT"}),
    ("duration alternative format", {"result.duration": "P0003-01-29T04:35:59"}),
    ("duration bad designator", {"result.duration": "PA1H0M0S"}),
    ("result extensions key not IRI", {"result.extensions": {"x/y": 1}}, "result.extensions.x/y"),
    # Data 2.4.5.1 score
    ("scaled above 1", {"result.score.scaled": 1.01}),
    ("scaled below -1", {"result.score.scaled": -1.5}),
    ("scaled as string", {"result.score.scaled": "0.5"}),
    ("raw as boolean", {"result.score.raw": True}),
    ("raw above max", {"result.score.raw": 101}),
    ("raw below min", {"result.score.raw": -1}),
    ("min equals max", {"result.score.min": 100}),
    ("min above max", {"result.score.min": 200, "result.score.raw": DELETE}),
    ("score unknown property", {"result.score.percent": 85}),
    # Data 2.4.6 context
    ("context not an object", {"context": []}),
    ("context unknown property", {"context.session": "s"}),
    ("registration not uuid", {"context.registration": "r-1"}),
    ("instructor without ifi", {"context.instructor": {"name": "x"}}),
    ("team is an agent", {"context.team": AGENT}, "context.team.objectType"),
    ("contextActivities unknown key", {"context.contextActivities.consequences": []}),
    ("contextActivities not an object", {"context.contextActivities": []}),
    ("context activity without id", {"context.contextActivities.parent.0.id": DELETE}),
    (
        "context activity not an activity",
        {"context.contextActivities.other": [AGENT]},
        "context.contextActivities.other.0.objectType",
    ),
    ("context activity is a string", {"context.contextActivities.parent": ACT}),
    ("revision numeric", {"context.revision": 2}),
    ("revision with agent object", {**AGENT_OBJ, "context.revision": "r"}, "context.revision"),
    (
        "platform with statementref object",
        {
            **AGENT_OBJ,
            "object": {"objectType": "StatementRef", "id": REF_ID},
            "context.platform": "p",
        },
        "context.platform",
    ),
    ("language not a tag", {"context.language": "english language"}),
    ("language numeric", {"context.language": 1}),
    ("context statement without objectType", {"context.statement.objectType": DELETE}),
    ("context statement id not uuid", {"context.statement.id": "x"}),
    (
        "context extensions key not IRI",
        {"context.extensions": {"example.com/e": 1}},
        "context.extensions.example.com/e",
    ),
    ("contextAgents under 1.0.3", {"context.contextAgents": []}),
    # Data 2.4.7 / 2.4.8 / 4.5 timestamps
    ("timestamp not a date", {"timestamp": "should fail"}),
    ("timestamp locale format", {"timestamp": "01/011/2015"}),
    ("timestamp date only", {"timestamp": "2026-11-25"}),
    ("timestamp offset -00", {"timestamp": "2008-09-15T15:53:00.601-00"}),
    ("timestamp offset -0000", {"timestamp": "2008-09-15T15:53:00.601-0000"}),
    ("timestamp offset -00:00", {"timestamp": "2008-09-15T15:53:00.601-00:00"}),
    ("timestamp month 13", {"timestamp": "2026-13-01T00:00:00Z"}),
    ("timestamp 30 February", {"timestamp": "2026-02-30T00:00:00Z"}),
    ("timestamp hour 25", {"timestamp": "2026-02-03T25:00:00Z"}),
    ("timestamp numeric", {"timestamp": 1764056427}),
    ("stored not a date", {"stored": "now"}),
    # Data 2.4.9 authority
    ("authority without ifi", {"authority": {"objectType": "Agent"}}),
    ("authority group of three", {"authority.member": [AGENT, AGENT, AGENT]}),
    ("authority group of one", {"authority.member": [AGENT]}),
    ("authority identified group", {"authority.mbox": "mailto:g@x.in"}, "authority"),
    (
        "authority anonymous group without members",
        {"authority": {"objectType": "Group"}},
        "authority.member",
    ),
    # Data 2.4.10 version
    ("version 1.1.0", {"version": "1.1.0"}),
    ("version 0.9.9", {"version": "0.9.9"}),
    ("version text", {"version": "should fail"}),
    ("version numeric", {"version": 1.0}),
    # Data 2.4.11 attachments
    ("attachments not an array", {"attachments": FULL["attachments"][0]}),
    ("attachment not an object", {"attachments": ["x"]}, "attachments.0"),
    ("attachment without usageType", {"attachments.0.usageType": DELETE}),
    ("attachment usageType not IRI", {"attachments.0.usageType": "signature"}),
    ("attachment without display", {"attachments.0.display": DELETE}),
    ("attachment display not a map", {"attachments.0.display": "Signature"}),
    (
        "attachment description bad tag",
        {"attachments.0.description": {"e": "x"}},
        "attachments.0.description.e",
    ),
    ("attachment without contentType", {"attachments.0.contentType": DELETE}),
    ("attachment contentType numeric", {"attachments.0.contentType": 12345}),
    ("attachment contentType not a media type", {"attachments.0.contentType": "text"}),
    ("attachment without length", {"attachments.0.length": DELETE}),
    ("attachment length string", {"attachments.0.length": "27"}),
    ("attachment length float", {"attachments.0.length": 27.5}),
    ("attachment length negative", {"attachments.0.length": -1}),
    ("attachment without sha2", {"attachments.0.sha2": DELETE}),
    ("attachment sha2 numeric", {"attachments.0.sha2": 12345}),
    ("attachment sha2 not a digest", {"attachments.0.sha2": "sha256-abc"}),
    ("attachment fileUrl not IRL", {"attachments.0.fileUrl": "over.there.com/file.txt"}),
    ("attachment unknown property", {"attachments.0.name": "sig"}),
    ("signature not octet-stream", {"attachments.0.contentType": "text/plain; charset=ascii"}),
    # Data 2.3.2 voiding
    ("voiding an activity", {"verb.id": "http://adlnet.gov/expapi/verbs/voided"}, "object"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(case[1], case[2] if len(case) > 2 else next(iter(case[1]))) for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_invalid_statement_is_rejected_naming_the_property(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(derive(FULL, changes))
    assert caught.value.errors == {field: [caught.value.message]}
    assert caught.value.detail.startswith(f"{field}: ")


@pytest.mark.parametrize("value", [None, [], "statement", 1, True])
def test_statement_must_be_an_object(value: Any) -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(value)
    assert caught.value.field == "statement"
