"""Hostile JSON bodies on every route: 400 problem+json naming the body, never 500.

One nesting limit (:data:`storage.json_text.MAX_DEPTH`) holds for Flask's ``get_json``, the
smorest blueprints' webargs parser and the xAPI resources alike.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from storage.json_text import MAX_DEPTH, JSONTextError, loads
from tests.conftest import Tenants


def nested(depth: int, leaf: str = "1") -> bytes:
    """``depth`` levels of arrays and objects around ``leaf``."""
    return (b'{"a":[' * (depth // 2)) + leaf.encode() + (b"]}" * (depth // 2))


def _writes(app: Any) -> list[tuple[str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "x", rule.rule)
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            out.append((method, path))
    return out


@pytest.fixture
def admin(tenants: Tenants) -> dict[str, Any]:
    return tenants.make("Platform", kind="platform-admin",
                        roles=("admin", "lrs-writer", "lrs-reader"))


@pytest.mark.parametrize("depth", [MAX_DEPTH + 2, 300, 1100, 10_000])
def test_deep_json_is_never_a_server_error(app: Any, client: Any, admin: dict[str, Any],
                                           depth: int) -> None:
    failures = []
    for method, path in _writes(app):
        resp = client.open(path, method=method, data=nested(depth),
                           content_type="application/json",
                           headers={**admin["headers"], "X-Experience-API-Version": "1.0.3"})
        if resp.status_code >= 500:
            failures.append((method, path, resp.status_code))
        elif path.startswith("/xapi/cmi5/fetch/"):
            # cmi5 §8.2.3: the fetch URL reads no body and answers its errors as 200 JSON
            # {"error-code", "error-text"}, as the spec prescribes, never a problem document.
            if resp.status_code != 200 or "error-code" not in (resp.get_json() or {}):
                failures.append((method, path, resp.status_code))
        elif resp.mimetype != "application/problem+json":
            failures.append((method, path, resp.status_code))
    assert not failures


@pytest.mark.parametrize("path", ["/courses", "/admin/organisations", "/xapi/forwarding",
                                  "/courses/x/transitions", "/catalogue/courses/x/reviews",
                                  "/admin/organisations/x/credentials"])
def test_deep_json_is_400_naming_the_body(client: Any, admin: dict[str, Any],
                                          path: str) -> None:
    resp = client.post(path, data=nested(10_000), content_type="application/json",
                       headers=admin["headers"])
    assert resp.status_code == 400, resp.data[:300]
    assert resp.mimetype == "application/problem+json"
    assert "body" in resp.get_json()["errors"]
    assert "nested deeper" in resp.get_json()["detail"]
    # nothing was created, and the server still answers
    assert client.get("/admin/organisations", headers=admin["headers"]).json["items"] == [
        admin["org"]] or client.get("/me", headers=admin["headers"]).status_code == 200


def test_json_at_the_limit_is_accepted() -> None:
    assert loads(nested(MAX_DEPTH)) is not None
    with pytest.raises(JSONTextError, match="nested deeper"):
        loads(nested(MAX_DEPTH + 2))


def test_numbers_orjson_cannot_hold_are_kept_as_written() -> None:
    import orjson

    for text in ("123456789012345678901234567890", "1e400", "-1E+999", "9" * 5000,
                 "18446744073709551616", "-9223372036854775809"):
        value = loads(f'{{"n":[{text}]}}')
        assert orjson.dumps(value) == f'{{"n":[{text}]}}'.encode()
    assert loads("[18446744073709551615, 1.5]") == [18446744073709551615, 1.5]
    for bad in ("[NaN]", '["\\ud800"]', "[1e400", "[Infinity]"):
        with pytest.raises(JSONTextError):
            loads(bad)


@pytest.mark.parametrize("opener,closer", [(b"[", b"]"), (b'{"a":', b"}")])
def test_depth_is_exact_for_arrays_and_objects(opener: bytes, closer: bytes) -> None:
    assert loads(opener * MAX_DEPTH + b"1" + closer * MAX_DEPTH) is not None
    with pytest.raises(JSONTextError, match="nested deeper"):
        loads(opener * (MAX_DEPTH + 1) + b"1" + closer * (MAX_DEPTH + 1))


def test_brackets_inside_strings_neither_hide_nor_fake_depth() -> None:
    hiding = b'[")]}",' * (MAX_DEPTH + 1) + b"1" + b"]" * (MAX_DEPTH + 1)
    with pytest.raises(JSONTextError, match="nested deeper"):
        loads(hiding)
    faking = b'["' + b"[{" * 500 + b'"]'
    assert loads(faking) == ["[{" * 500]
