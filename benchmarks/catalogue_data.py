"""Deterministic synthetic catalogues for the search benchmark (no data files)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from storage.timestamps import format_timestamp
from tests.frac_support import THEME_OF, stored_tag

TOPICS_EN = [
    ("public", "लोक"), ("administration", "प्रशासन"), ("governance", "शासन"),
    ("finance", "वित्त"), ("budgeting", "बजट"), ("procurement", "खरीद"),
    ("leadership", "नेतृत्व"), ("ethics", "नैतिकता"), ("policy", "नीति"),
    ("digital", "डिजिटल"), ("data", "डेटा"), ("analytics", "विश्लेषण"),
    ("cybersecurity", "साइबर"), ("health", "स्वास्थ्य"), ("agriculture", "कृषि"),
    ("rural", "ग्रामीण"), ("development", "विकास"), ("communication", "संचार"),
    ("negotiation", "वार्ता"), ("project", "परियोजना"), ("management", "प्रबंधन"),
    ("law", "कानून"), ("disaster", "आपदा"), ("climate", "जलवायु"),
    ("urban", "शहरी"), ("planning", "योजना"), ("audit", "लेखा"), ("taxation", "कराधान"),
    ("education", "शिक्षा"), ("gender", "लैंगिक"), ("citizen", "नागरिक"), ("services", "सेवाएं"),
]
FORMS = ["Foundations of", "Advanced", "Introduction to", "Practical", "Strategic",
         "Essentials of", "Applied", "Modern"]
CATEGORIES = ["course", "course", "course", "program", "learning-resource", "assessment"]
MODES = ["self-paced", "self-paced", "instructor-led", "classroom"]
LEVELS = ["beginner", "intermediate", "advanced"]
LANGS = [["en"], ["en", "hi"], ["hi"], ["en", "ta"], ["en", "bn"], ["mr"], ["en", "hi", "te"]]
MINUTES = [20, 45, 90, 150, 300, 480, 900, 1800, 3000]


def add_courses(store: Any, documents: Iterable[dict[str, Any]], batch: int = 2000) -> None:
    """Insert course documents straight into the store, ``batch`` per write."""
    pending: list[dict[str, Any]] = []
    for doc in documents:
        pending.append(doc)
        if len(pending) == batch:
            store.courses.add_many(pending, [])
            pending = []
    if pending:
        store.courses.add_many(pending, [])


def _tag(rng: random.Random) -> dict[str, Any]:
    """A competency tag of the small test framework (tests.frac_support, which the benchmark
    publishes), in its stored shape; odd competencies define levels 1-5, even ones 1-3."""
    number = rng.randint(1, len(THEME_OF))
    return stored_tag(number, rng.randint(1, 5 if number % 2 else 3))


def course_documents(n: int, provider_ids: list[str], seed: int = 7) -> Iterator[dict[str, Any]]:
    """``n`` published course documents (the ``CourseRepository`` shape), spread over providers."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(n):
        a, b = rng.sample(TOPICS_EN, 2)
        form = rng.choice(FORMS)
        minutes = rng.choice(MINUTES)
        title = {"en": f"{form} {a[0].title()} {b[0].title()} {i}",
                 "hi": f"{a[1]} {b[1]} पाठ्यक्रम {i}"}
        extra = rng.sample(TOPICS_EN, 3)
        description = {
            "en": f"A course on {a[0]} {b[0]} for civil servants, covering "
                  + ", ".join(t[0] for t in extra) + ".",
            "hi": f"सिविल सेवकों के लिए {a[1]} और {b[1]} पर पाठ्यक्रम।",
        }
        live = {
            "title": title,
            "description": description,
            "keywords": [a[0], b[0]],
            "category": rng.choice(CATEGORIES),
            "mode": rng.choice(MODES),
            "level": rng.choice(LEVELS),
            "languages": rng.choice(LANGS),
            "duration": f"PT{minutes // 60}H{minutes % 60}M",
            "duration_minutes": minutes,
            "competencies": [_tag(rng)],
            "delivery": {"type": "external", "url": f"https://learn.example.org/c/{i}"},
            "licence": {"licence": "CC-BY-4.0", "price": None},
            "certificate": rng.random() < 0.6,
            "version": "1.0",
        }
        at = format_timestamp(start + timedelta(minutes=7 * i))
        rated = rng.random() < 0.7
        yield {
            "id": f"crs_bench{i:07d}",
            "provider_id": provider_ids[i % len(provider_ids)],
            "state": "published",
            "row_version": 1,
            "revision": live,
            "revision_number": 1,
            "live": live,
            "live_version": 1,
            "created_at": at,
            "updated_at": at,
            "published_at": at,
            "rating": {"average": round(rng.uniform(1.5, 5.0), 2) if rated else None,
                       "count": rng.randint(1, 500) if rated else 0},
            "search_seq": None,
        }


def search_queries(count: int = 200, provider_ids: list[str] | None = None,
                   seed: int = 11) -> list[str]:
    """A fixed mix of catalogue queries (query strings), every one asking for facets."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        params: list[str] = []
        kind = rng.random()
        if kind < 0.45:
            params.append("q=" + rng.choice(TOPICS_EN)[0][: rng.choice([4, 6, 20])])
        elif kind < 0.65:
            a, b = rng.sample(TOPICS_EN, 2)
            params.append(f"q={a[0]}+{b[0]}")
        elif kind < 0.75:
            params.append("q=" + rng.choice(TOPICS_EN)[1])
        # else: browse without text (facets over the whole catalogue: the hardest case)
        if rng.random() < 0.4:
            params.append("mode=" + rng.choice(MODES))
        if rng.random() < 0.3:
            params.append("language=" + rng.choice(["en", "hi", "ta"]))
        if rng.random() < 0.2:
            params.append("level=" + rng.choice(LEVELS))
        if provider_ids and rng.random() < 0.15:
            params.append("provider=" + rng.choice(provider_ids))
        if rng.random() < 0.25:
            params.append("sort=" + rng.choice(["newest", "rating", "title", "duration"]))
        out.append(quote("/catalogue/search?" + "&".join(params), safe="/?=&+"))
    return out
