"""The validator's public API beyond single statements: batches, query parameters, the data type
helpers, the xAPI 2.0 additions, and the problem+json a rejection becomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from flask import Flask

from hub import errors_http
from hub.errors import ValidationError
from tests.xapi.validation.statements import AGENT, DELETE, FULL, GROUP, HUB, derive
from xapi.validation import (
    StatementInvalid,
    is_iri,
    is_language_tag,
    is_uuid,
    parse_timestamp,
    validate_activity_id,
    validate_agent_param,
    validate_batch,
    validate_duration,
    validate_language_map,
    validate_statement,
    validate_timestamp_param,
    validate_uuid_param,
)

V2_CONTEXT = {
    "context.contextAgents": [
        {"objectType": "contextAgent", "agent": AGENT, "relevantTypes": [f"{HUB}/types/mentor"]}
    ],
    "context.contextGroups": [{"objectType": "contextGroup", "group": GROUP}],
}


# ----- batches ---------------------------------------------------------------------------------


def test_batch_of_valid_statements_passes() -> None:
    validate_batch([FULL, derive(FULL, {"id": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"})])


def test_batch_error_names_the_statement_index() -> None:
    second = derive(FULL, {"id": DELETE})
    batch = [FULL, second, derive(FULL, {"id": DELETE, "actor.mbox": "mailto:a@b.in"})]
    with pytest.raises(StatementInvalid) as caught:
        validate_batch(batch)
    assert caught.value.field == "2.actor"


def test_batch_error_path_reaches_nested_lists() -> None:
    batch = [derive(FULL, {"context.contextActivities.parent.0.id": "nope"})]
    with pytest.raises(StatementInvalid) as caught:
        validate_batch(batch)
    assert caught.value.errors == {
        "0.context.contextActivities.parent.0.id": ["must be an absolute IRI with a scheme"]
    }


def test_batch_rejects_a_repeated_id() -> None:
    other = derive(FULL, {"id": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"})
    repeat = derive(FULL, {"id": FULL["id"].upper(), "verb.display": {"en": "other"}})
    with pytest.raises(StatementInvalid) as caught:
        validate_batch([FULL, other, repeat])
    assert caught.value.errors == {"2.id": ["repeats the id of statement 0 of this batch"]}


def test_batch_statements_without_ids_do_not_clash() -> None:
    no_id = derive(FULL, {"id": DELETE})
    validate_batch([no_id, no_id])


@pytest.mark.parametrize("value", [FULL, "[]", None])
def test_batch_must_be_a_list(value: Any) -> None:
    with pytest.raises(StatementInvalid):
        validate_batch(value)


def test_batch_rejects_a_non_object_member() -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_batch([FULL, 7])
    assert caught.value.field == "1"


def test_path_prefix_of_a_single_statement() -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(derive(FULL, {"verb.id": "x"}), path="body")
    assert caught.value.field == "body.verb.id"


# ----- xAPI 2.0 additions ----------------------------------------------------------------------


def test_context_agents_and_groups_accepted_under_2_0() -> None:
    validate_statement(derive(FULL, {**V2_CONTEXT, "version": "2.0.0"}), version="2.0.0")


def test_context_agents_rejected_under_1_0_3() -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(derive(FULL, V2_CONTEXT))
    assert caught.value.field == "context.contextAgents"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"context.contextAgents.0.objectType": "Agent"}, "context.contextAgents.0.objectType"),
        ({"context.contextAgents.0.agent": GROUP}, "context.contextAgents.0.agent.objectType"),
        ({"context.contextAgents.0.relevantTypes": []}, "context.contextAgents.0.relevantTypes"),
        (
            {"context.contextAgents.0.relevantTypes": ["mentor"]},
            "context.contextAgents.0.relevantTypes.0",
        ),
        ({"context.contextGroups.0.group": AGENT}, "context.contextGroups.0.group.objectType"),
        ({"context.contextGroups": {}}, "context.contextGroups"),
        ({"context.contextGroups.0.agent": AGENT}, "context.contextGroups.0.agent"),
    ],
)
def test_context_agents_rules_under_2_0(changes: dict[str, Any], field: str) -> None:
    stmt = derive(derive(FULL, V2_CONTEXT), changes)
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(stmt, version="2.0.0")
    assert caught.value.field == field


def test_2_0_requires_timestamp_time_zone() -> None:
    stmt = derive(FULL, {"timestamp": "2026-11-25T07:40:27.123"})
    validate_statement(stmt)  # 1.0.3: a time zone is only recommended (Data 4.5.s1.b4)
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(stmt, version="2.0.0")
    assert caught.value.field == "timestamp"


# ----- query parameters (Data 2.2.s4.b4) --------------------------------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        AGENT,
        {"account": {"homePage": HUB, "name": "u-1"}},
        {"objectType": "Group", "openid": "http://g.example/1"},
    ],
)
def test_agent_param_returns_the_parsed_agent(agent: dict[str, Any]) -> None:
    assert validate_agent_param(orjson.dumps(agent).decode()) == agent


@pytest.mark.parametrize(
    "value",
    [
        "wrong",
        "",
        "[]",
        '{"name": "no ifi"}',
        '{"mbox": "asha@example.gov.in"}',
        orjson.dumps(GROUP).decode(),  # an anonymous Group cannot be looked up
    ],
)
def test_agent_param_rejects(value: str) -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_agent_param(value, "agent")
    assert caught.value.field.startswith("agent")
    assert caught.value.status == 400


def test_document_agent_param_takes_an_agent_only() -> None:
    assert validate_agent_param(orjson.dumps(AGENT).decode(), allow_group=False) == AGENT
    group = {"objectType": "Group", "openid": "http://g.example/1"}
    with pytest.raises(StatementInvalid) as caught:
        validate_agent_param(orjson.dumps(group).decode(), allow_group=False)
    assert caught.value.field == "agent.objectType"
    with pytest.raises(StatementInvalid) as caught:
        validate_agent_param("true", allow_group=False)
    assert caught.value.field == "agent"


def test_activity_id_param() -> None:
    assert validate_activity_id(f"{HUB}/a") == f"{HUB}/a"
    with pytest.raises(StatementInvalid) as caught:
        validate_activity_id("not.a.valid.iri.com/activity", "activity")
    assert caught.value.field == "activity"


def test_uuid_param() -> None:
    assert validate_uuid_param(FULL["id"]) == FULL["id"]
    with pytest.raises(StatementInvalid) as caught:
        validate_uuid_param("wrong", "registration")
    assert caught.value.field == "registration"


def test_timestamp_param() -> None:
    got = validate_timestamp_param("2026-11-25T07:40:27.5+05:30")
    assert got == datetime(2026, 11, 25, 2, 10, 27, 500000, tzinfo=UTC)
    with pytest.raises(StatementInvalid) as caught:
        validate_timestamp_param("yesterday", "until")
    assert caught.value.field == "until"


# ----- data type helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://adlnet.gov/expapi/verbs/answered", True),
        ("urn:isbn:0451450523", True),
        ("mailto:a@b.in", True),
        ("https://例え.テスト/パス", True),
        ("adlnet.gov/expapi/verbs/answered", False),
        ("http://a b", False),
        ("1http://x", False),
        ("", False),
        ("http:", False),
        (None, False),
        (12, False),
    ],
)
def test_is_iri(value: Any, expected: bool) -> None:
    assert is_iri(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6690e6c9-3ef0-4ed3-8b37-7f3964730bee", True),
        ("6690E6C9-3EF0-4ED3-8B37-7F3964730BEE", True),
        ("6690e6c9-3ef0-4ed3-cb37-7f3964730bee", True),  # any variant outside a Statement id
        ("00000000-0000-0000-0000-000000000000", True),
        ("{6690e6c9-3ef0-4ed3-8b37-7f3964730bee}", False),
        ("6690e6c93ef04ed38b377f3964730bee", False),
        ("6690e6c9-3ef0-4ed3-8b37-7f3964730be", False),
        (None, False),
    ],
)
def test_is_uuid(value: Any, expected: bool) -> None:
    assert is_uuid(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T07:40:27.123Z", datetime(2026, 11, 25, 7, 40, 27, 123000, tzinfo=UTC)),
        ("2026-11-25T07:40:27Z", datetime(2026, 11, 25, 7, 40, 27, tzinfo=UTC)),
        ("2026-11-25T07:40:27.123456789Z", datetime(2026, 11, 25, 7, 40, 27, 123456, tzinfo=UTC)),
        (
            "2026-11-25T07:40:27-05:00",
            datetime(2026, 11, 25, 7, 40, 27, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("2026-11-25T07:40:27+0530", datetime(2026, 11, 25, 2, 10, 27, tzinfo=UTC)),
        ("2026-11-25T07:40:27", datetime(2026, 11, 25, 7, 40, 27, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(value: str, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-25",
        "2026-11-25T07:40:27.123-00:00",
        "2026-11-25T07:40:27+24:00",
        "2026-11-25T07:40:27+05:60",
        "20261125T074027Z",
        "2026-11-25 07:40:27Z",
        "2026-02-29T00:00:00Z",
        None,
    ],
)
def test_parse_timestamp_rejects(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", True),
        ("en-US", True),
        ("hi-Deva-IN", True),
        ("zh-yue-HK", True),
        ("sl-rozaj-biske", True),
        ("de-CH-1996", True),
        ("en-a-bbb-x-a-ccc", True),
        ("x-whatever", True),
        ("EN-us", True),
        ("en-GB-oed", True),
        ("a12345678", False),
        ("en_US", False),
        ("e", False),
        ("en-", False),
        ("en--US", False),
        ("abcdefghi", False),
        ("en-x", False),
        ("", False),
        (None, False),
    ],
)
def test_is_language_tag(tag: Any, expected: bool) -> None:
    assert is_language_tag(tag) is expected


def test_validate_language_map() -> None:
    value = {"en-US": "answered", "hi": "उत्तर दिया"}
    assert validate_language_map(value) is value
    with pytest.raises(StatementInvalid) as caught:
        validate_language_map({"en-US": "x", "en us": "y"}, "title")
    assert caught.value.field == "title.en us"
    with pytest.raises(StatementInvalid) as caught:
        validate_language_map(["en-US"], "title")
    assert caught.value.field == "title"


@pytest.mark.parametrize("value", ["PT1H0M0.1S", "P1Y", "PT0S", "P4W", "P1DT12H", "P0.5D"])
def test_validate_duration_accepts(value: str) -> None:
    assert validate_duration(value) == value


@pytest.mark.parametrize("value", ["", "P", "PT", "P1H", "1H", "P4W1D", "PT1.5H30M", 12345, None])
def test_validate_duration_rejects(value: Any) -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_duration(value, "result.duration")
    assert caught.value.field == "result.duration"


# ----- the error as the client sees it -----------------------------------------------------------


def test_statement_invalid_is_a_hub_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_statement(derive(FULL, {"actor": {"mbox": "asha@example.gov.in"}}))
    problem = caught.value.to_problem()
    assert problem["status"] == 400
    assert problem["errors"] == {"actor.mbox": ["must be a mailto: IRI of an email address"]}
    assert problem["detail"] == "actor.mbox: must be a mailto: IRI of an email address"


def test_rejection_renders_as_problem_json() -> None:
    app = Flask(__name__)
    errors_http.init_app(app)

    @app.post("/statements")
    def post_statements() -> str:
        validate_batch([FULL, derive(FULL, {"result.score.scaled": 2})])
        return "unreachable"

    response = app.test_client().post("/statements")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {"1.result.score.scaled": ["must be between -1 and 1"]}


def test_iri_cache_is_bounded_and_never_admits_an_invalid_iri(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xapi.validation import datatypes

    remembered = datatypes._RememberedMatch(datatypes._IRI, 3)
    monkeypatch.setattr(datatypes, "_IRI_REMEMBERED", remembered)
    for n in range(10):
        assert is_iri(f"{HUB}/cached/{n}")
        assert len(remembered._known) <= 3
    assert not is_iri("cached/without/scheme")
    assert "cached/without/scheme" not in remembered._known
    assert is_iri(f"{HUB}/cached/9")  # still valid after the cache was cleared


def test_remembered_checks_run_once_per_valid_object_and_always_on_invalid_ones() -> None:
    """remember_valid: a valid object is checked once (then recognised by its JSON), an invalid
    one fails with its own path every time, and the memory stays bounded."""
    from xapi.validation.datatypes import remember_valid
    from xapi.validation.errors import fail

    calls: list[Any] = []

    def check(value: Any, path: Any) -> None:
        calls.append(value)
        if "bad" in value:
            fail(path, "is bad")

    checked = remember_valid(check, 2)
    for _ in range(3):
        checked({"id": 1}, ("0", "actor"))
    assert len(calls) == 1
    for path, rendered in (((("", "0"), "actor"), "0.actor"),
                           (((("", "7"), "context"), "instructor"), "7.context.instructor")):
        with pytest.raises(StatementInvalid) as raised:
            checked({"bad": True}, path)
        assert raised.value.errors == {rendered: ["is bad"]}
    assert len(calls) == 3
    checked({"id": 2}, "p")
    checked({"id": 3}, "p")  # over the bound: memory cleared, then this one remembered
    checked({"id": 1}, "p")  # forgotten, so checked again
    assert len(calls) == 6
    checked("not an object", "p")  # non-objects are never remembered
    checked("not an object", "p")
    assert len(calls) == 8
