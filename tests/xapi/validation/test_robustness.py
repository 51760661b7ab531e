"""Whatever JSON arrives, the validator answers with a verdict, never a crash (a crash would be a
500 instead of the 400 the spec asks for): every property of the full statement, and of a
SubStatement, is replaced in turn by a value of every JSON type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.xapi.validation.statements import FULL, SUB, derive
from xapi.validation import StatementInvalid, validate_batch, validate_statement

JSON_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "x", [], [None], [{}], {}, {"a": None}]


def _paths(node: Any, prefix: str = "") -> Iterator[str]:
    """Every dotted path inside a JSON value (object keys and array indexes)."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        yield path
        # extension keys are IRIs with dots in them, and their values may be anything anyway
        if isinstance(value, dict | list) and key != "extensions":
            yield from _paths(value, path)


BASES = {"full": FULL, "substatement": derive(FULL, SUB)}
CASES = [(name, path) for name, base in BASES.items() for path in _paths(base)]


@pytest.mark.parametrize(("base", "path"), CASES, ids=[f"{b}:{p}" for b, p in CASES])
def test_any_json_value_anywhere_gets_a_verdict(base: str, path: str) -> None:
    rejected = 0
    for value in JSON_VALUES:
        stmt = derive(BASES[base], {path: value})
        try:
            validate_statement(stmt)
        except StatementInvalid as exc:
            rejected += 1
            assert exc.field  # the problem names a property
    assert rejected > 0


@pytest.mark.parametrize("value", JSON_VALUES)
def test_any_json_value_as_a_batch_gets_a_verdict(value: Any) -> None:
    with pytest.raises(StatementInvalid):
        validate_batch([value])
