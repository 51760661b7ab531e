"""Validators and the multipart codec at their edges: what they must refuse (non-ASCII digits,
a trailing newline, ``en_US``, CR/LF in a media type, ``application/jsonx``) and what they
must accept (fractions on the smallest duration component, a boundary string inside content).
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest

from tests.xapi.conftest import LRS, statement
from tests.xapi.test_attachments import (
    BOUNDARY,
    attachment_meta,
    multipart,
    part_headers,
    post_multipart,
)
from tests.xapi.validation.statements import FULL, derive
from xapi.attachments import blob_key, multipart_response, parse_multipart
from xapi.validation import StatementInvalid, validate_statement

REFUSED = [
    ("timestamp", "२०२४-01-01T00:00:00Z"),
    ("timestamp", "2024-01-01T00:00:00Z\n"),
    ("timestamp", "2024-01-01T0\u0660:00:00Z"),  # Arabic-Indic zero
    ("result.duration", "PT१H"),
    ("result.duration", "PT1H\n"),
    ("result.duration", "PT1.5H30M"),  # a fraction only on the smallest component
    ("result.duration", "P1.5DT1H"),
    ("verb.display", {"en_US": "attempted"}),
    ("attachments.0.contentType", "text/plain\r\nX-Injected: 1"),
    ("attachments.0.contentType", "text/plain; a=b\nc"),
    ("attachments.0.contentType", "téxt/plain"),
]
ACCEPTED = [
    ("result.duration", "PT1.5H"), ("result.duration", "PT0.5M"),
    ("result.duration", "P0.5D"), ("result.duration", "P1Y2M3DT4H5M6.789S"),
    ("result.duration", "P1,5W"), ("result.duration", "PT1H30M"),
    ("attachments.0.contentType", "text/plain; charset=utf-8"),
]


def _with(path: str, value: Any) -> dict[str, Any]:
    base = dict(FULL)
    if path.startswith("attachments"):
        base["attachments"] = [attachment_meta(b"x")]
    return derive(base, {path: value})


@pytest.mark.parametrize(("path", "value"), REFUSED, ids=[repr(v) for _, v in REFUSED])
def test_refused_values(path: str, value: Any) -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(_with(path, value))
    assert next(iter(caught.value.errors)).startswith(path.rsplit(".", 1)[0])


@pytest.mark.parametrize(("path", "value"), ACCEPTED, ids=[repr(v) for _, v in ACCEPTED])
def test_accepted_values(path: str, value: Any) -> None:
    validate_statement(_with(path, value))


def test_fractional_hour_is_stored_and_compared(lrs: LRS) -> None:
    stmt = statement(result={"duration": "PT1.5H"})
    assert lrs.post(stmt).status_code == 200
    assert lrs.post(stmt).status_code == 200  # the same statement again: not a conflict
    other = dict(stmt, result={"duration": "PT1.6H"})
    assert lrs.post(other).status_code == 409
    seconds = statement(result={"duration": "PT1.234S"})
    assert lrs.post(seconds).status_code == 200
    assert lrs.post(dict(seconds, result={"duration": "PT1.2300S"})).status_code == 200


@pytest.mark.parametrize("ctype", ["application/jsonx", "application/json-patch",
                                   "application/jsonl", "multipart/mixedx; boundary=a"])
def test_only_json_is_json(lrs: LRS, ctype: str) -> None:
    resp = lrs.post(None, data=orjson.dumps(statement()), content_type=ctype)
    assert resp.status_code == 400 and "Content-Type" in resp.get_json()["errors"]
    assert lrs.ids() == []


def test_json_with_parameters_is_json(lrs: LRS) -> None:
    resp = lrs.post(None, data=orjson.dumps(statement()),
                    content_type="Application/JSON; charset=utf-8")
    assert resp.status_code == 200


def test_boundary_string_inside_content_is_not_a_split_point(lrs: LRS) -> None:
    content = f"a line that mentions --{BOUNDARY} mid-line\n--{BOUNDARY}x at a LF".encode()
    stmt = statement(attachments=[attachment_meta(content)])
    resp = post_multipart(lrs, multipart(stmt, [(content, part_headers(content))]))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    sha2 = hashlib.sha256(content).hexdigest()
    back = lrs.get(f"/xapi/statements?statementId={stmt['id']}&attachments=true")
    assert back.status_code == 200
    assert parse_multipart(back.get_data(), back.headers["Content-Type"])[1] == {sha2: content}


def test_preamble_and_first_boundary_at_the_start() -> None:
    payload = statement()
    body = multipart(payload, [])
    assert parse_multipart(body, f"multipart/mixed; boundary={BOUNDARY}")[0] == payload
    preamble = b"This is a preamble --" + BOUNDARY.encode() + b" ignored\r\n" + body
    assert parse_multipart(preamble, f"multipart/mixed; boundary={BOUNDARY}")[0] == payload


class _Blobs:
    def __init__(self, data: dict[str, bytes]) -> None:
        self.data = data

    def exists(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str) -> bytes:
        return self.data[key]


def test_multipart_writer_never_writes_cr_lf_into_part_headers() -> None:
    sha2 = hashlib.sha256(b"x").hexdigest()
    stored = [{"attachments": [{"sha2": sha2, "contentType": "text/plain\r\nX-Injected: 1"}]}]
    body, ctype = multipart_response({}, stored, _Blobs({blob_key("org-a", sha2): b"x"}),
                                     ["org-a"])
    assert b"X-Injected" not in body.split(b"\r\n\r\n")[2].split(b"\r\n")[0]
    assert b"\r\nX-Injected: 1\r\n" not in body
    _, parts = parse_multipart(body, ctype)
    assert parts == {sha2: b"x"}
