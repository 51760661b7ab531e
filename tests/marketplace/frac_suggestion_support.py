"""Test support for competency suggestions: the demo framework published in a test store."""

from __future__ import annotations

from typing import Any

from benchmarks.frac_suggestions import demo_version_document
from marketplace import demo_frac_data


def publish_demo_framework(app: Any) -> None:
    """Store the demo framework and its version 1, as publishing would."""
    store = app.extensions["hub.store"]
    doc = demo_version_document()
    framework = demo_frac_data.FRAMEWORK
    store.frac.add_framework({
        "id": framework["id"], "org_id": "org_demo", "title": framework["title"],
        "description": framework["description"], "creator": framework["creator"],
        "created_at": doc["published_at"], "updated_at": doc["published_at"],
        "extensions": {}})
    store.frac.add_version(doc)
