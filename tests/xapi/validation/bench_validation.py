"""Micro-benchmark of the statement validator (not collected by pytest).

    .venv/bin/python -m tests.xapi.validation.bench_validation

Prints microseconds per statement for a typical LMS statement (account actor, completed verb,
activity with definition, score, context with registration and three context activities), for
the full test statement (every property), for a minimal one, and per statement in a batch of
100. The LRS ingest target (6,000 statements/s on 2 cores) leaves ~330 us of CPU per statement.
"""

from __future__ import annotations

import timeit
import uuid
from typing import Any

from tests.xapi.validation.statements import FULL
from xapi.validation import validate_batch, validate_statement

HUB = "https://hub.karmayogi.example"
TYPICAL: dict[str, Any] = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "objectType": "Agent",
        "name": "Asha Rao",
        "account": {"homePage": HUB, "name": "u-1"},
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"en-US": "completed", "hi-IN": "पूर्ण किया"},
    },
    "object": {
        "objectType": "Activity",
        "id": f"{HUB}/courses/c-42/modules/m-3",
        "definition": {
            "name": {"en-US": "Module 3: Procurement rules"},
            "description": {"en-US": "GFR 2017 basics"},
            "type": "http://adlnet.gov/expapi/activities/module",
        },
    },
    "result": {
        "score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
        "success": True,
        "completion": True,
        "duration": "PT23M14.5S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "platform": "Karmayogi Hub",
        "language": "en-US",
        "contextActivities": {
            "parent": [{"id": f"{HUB}/courses/c-42"}],
            "grouping": [{"id": f"{HUB}/programs/p-7"}],
            "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
        },
        "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-998"},
    },
    "timestamp": "2026-11-25T07:40:27.123Z",
}
MINIMAL = {
    "actor": {"mbox": "mailto:a@example.gov.in"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
    "object": {"id": f"{HUB}/a/1"},
}


def per_call_us(func: Any, number: int) -> float:
    """Best of five runs, in microseconds per call (the minimum is the least disturbed run)."""
    return min(timeit.repeat(func, number=number, repeat=5)) / number * 1e6


def main() -> None:
    """Print the figures."""
    for name, stmt in (("typical", TYPICAL), ("full", FULL), ("minimal", MINIMAL)):
        validate_statement(stmt)
        cost = per_call_us(lambda s=stmt: validate_statement(s), 5000)
        print(f"{name:>8} statement: {cost:6.1f} us")
    batch = [{**TYPICAL, "id": str(uuid.uuid4())} for _ in range(100)]
    validate_batch(batch)
    print(
        f"   batch of 100: {per_call_us(lambda: validate_batch(batch), 50) / 100:6.1f} us/statement"
    )


if __name__ == "__main__":
    main()
