"""Hostile input to the LRS: 400 naming the part at fault, never 500, nothing stored."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.xapi.conftest import LRS, statement

EXT = "http://example.org/ext"


def _deep(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def _deep_text(depth: int) -> bytes:
    """The JSON text of :func:`_deep` (orjson itself writes at most 255 levels)."""
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("depth", [70, 254, 600, 1022])
def test_extension_nested_too_deep_is_400(lrs: LRS, depth: int) -> None:
    stmt = statement(result={"extensions": {EXT: 0}})
    body = orjson.dumps(stmt).replace(b"0}}", _deep_text(depth) + b"}}")
    resp = lrs.client.post("/xapi/statements", data=body,
                           content_type="application/json", headers=lrs.headers)
    assert resp.status_code == 400, resp.data[:300]
    assert resp.mimetype == "application/problem+json"
    assert "content" in resp.get_json()["errors"]
    assert lrs.ids() == []


def test_extension_within_the_limit_is_stored(lrs: LRS) -> None:
    stmt = statement(result={"extensions": {EXT: _deep(50)}})
    assert lrs.post([stmt]).status_code == 200
    got = lrs.get(f"/xapi/statements?statementId={stmt['id']}").get_json()
    assert got["result"]["extensions"][EXT] == _deep(50)


@pytest.mark.parametrize("number", ["123456789012345678901234567890", "1e400", "-1E+999",
                                    "18446744073709551616"])
@pytest.mark.parametrize("fmt", ["exact", "ids", "canonical"])
def test_numbers_beyond_64_bits_are_stored_and_served_as_written(lrs: LRS, number: str,
                                                                 fmt: str) -> None:
    stmt = statement()
    body = orjson.dumps(stmt)[:-1] + b',"result":{"extensions":{"' + EXT.encode() + b'":' \
        + number.encode() + b"}}}"
    resp = lrs.post(None, data=body, content_type="application/json")
    assert resp.status_code == 200, resp.data[:300]
    for path in (f"/xapi/statements?statementId={stmt['id']}&format={fmt}",
                 f"/xapi/statements?format={fmt}"):
        served = lrs.get(path).get_data()
        assert b'"' + EXT.encode() + b'":' + number.encode() + b"}" in served, served[:500]


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


TAMPERED_MORE = [
    _b64(b'{"p":{},"c":"abc"}'), _b64(b'"1e5"'), _b64(b"1e5"), _b64(b"null"),
    _b64(b'{"p":{"limit":5}}'), _b64(b'{"p":{"ascending":1},"c":"1"}'),
    _b64(b'{"p":{"limit":"1"},"c":"-1"}'), _b64(bytes(range(256))), "é", "a.é", "...",
    "x" * 3000, "",
]


@pytest.mark.parametrize("token", TAMPERED_MORE)
def test_tampered_more_tokens_are_400(lrs: LRS, token: str) -> None:
    for i in range(3):
        assert lrs.post(statement(actor=f"a{i}")).status_code == 200
    resp = lrs.get("/xapi/statements", query_string={"more": token})
    assert resp.status_code == 400, resp.data[:300]
    assert resp.mimetype == "application/problem+json"
    assert "more" in resp.get_json()["errors"]


def test_more_token_is_signed_and_cannot_be_edited(lrs: LRS) -> None:
    for i in range(3):
        assert lrs.post(statement(actor=f"a{i}")).status_code == 200
    more = lrs.query("limit=1")["more"]
    assert more.startswith("/xapi/statements?more=")
    token = more.split("=", 1)[1]
    assert all(c.isalnum() or c in "-_." for c in token)  # usable in the IRL as it is
    second = lrs.get(more).get_json()
    assert len(second["statements"]) == 1
    body, _, sig = token.rpartition(".")
    import base64

    data = orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["p"]["limit"] = "50"  # a client asking for more than it was given
    forged = _b64(orjson.dumps(data)) + "." + sig
    assert lrs.get("/xapi/statements", query_string={"more": forged}).status_code == 400
    # nothing may be appended to a token
    assert lrs.get("/xapi/statements", query_string={"more": token + "x"}).status_code == 400
