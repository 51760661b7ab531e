"""Deterministic xAPI statements for the LRS benchmarks (~700 bytes each, realistic shape)."""

from __future__ import annotations

import random
import uuid
from typing import Any

VERBS = [
    "http://adlnet.gov/expapi/verbs/experienced", "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed", "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/launched", "http://adlnet.gov/expapi/verbs/initialized",
    "http://adlnet.gov/expapi/verbs/terminated", "https://w3id.org/xapi/adl/verbs/satisfied",
]
LEARNERS = 20_000
ACTIVITIES = 5_000


def learner(i: int) -> dict[str, Any]:
    """The xAPI agent of learner ``i`` (an account on the hub, as LTI users are mapped)."""
    return {"objectType": "Agent", "name": f"Learner {i}",
            "account": {"homePage": "https://hub.karmayogi.example", "name": f"u{i:06d}"}}


def activity_id(i: int) -> str:
    """IRI of activity ``i``."""
    return f"https://hub.karmayogi.example/activities/course/{i:05d}"


def statement(rng: random.Random) -> dict[str, Any]:
    """One statement with result and context, as content in the catalogue sends them."""
    a = rng.randrange(ACTIVITIES)
    verb = rng.choice(VERBS)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": learner(rng.randrange(LEARNERS)),
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
        "object": {
            "objectType": "Activity", "id": activity_id(a),
            "definition": {"name": {"en-US": f"Course {a}", "hi-IN": f"पाठ्यक्रम {a}"},
                           "type": "http://adlnet.gov/expapi/activities/course"},
        },
        "result": {"score": {"scaled": round(rng.random(), 2)}, "success": rng.random() < 0.8,
                   "completion": True, "duration": f"PT{rng.randint(60, 7200)}S"},
        "context": {
            "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "contextActivities": {"parent": [{"id": activity_id(a // 10 * 10)}],
                                  "category": [{"id": "https://w3id.org/xapi/cmi5/context/"
                                                      "categories/cmi5"}]},
            "platform": "Karmayogi Hub", "language": "en-IN",
        },
        "timestamp": f"2026-11-{rng.randint(1, 24):02d}T{rng.randint(0, 23):02d}:"
                     f"{rng.randint(0, 59):02d}:00.000Z",
    }


def batches(count: int, size: int, seed: int) -> list[list[dict[str, Any]]]:
    """``count`` batches of ``size`` statements."""
    rng = random.Random(seed)
    return [[statement(rng) for _ in range(size)] for _ in range(count)]
