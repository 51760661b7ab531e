"""Every setting is read in one place, :mod:`hub.config`, once, when the app starts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hub import create_app
from hub.config import Config
from xapi.forwarding_worker import worker_enabled

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "marketplace", "xapi", "storage", "lti", "catalogue_schemas")


def test_no_module_but_the_config_reads_the_environment() -> None:
    readers = [str(path.relative_to(ROOT)) for package in PACKAGES
               for path in sorted((ROOT / package).rglob("*.py"))
               if re.search(r"os\.environ|os\.getenv|getenv\(", path.read_text())]
    assert readers == ["hub/config.py"]


@pytest.mark.parametrize(("value", "enabled"), [
    (None, True), ("on", True), ("off", False), ("OFF ", False), ("0", False), ("no", False),
])
def test_forwarding_worker_setting(value: str | None, enabled: bool) -> None:
    overrides = {} if value is None else {"HUB_FORWARDING_WORKER": value}
    assert Config.from_env(overrides).forwarding_worker is enabled


def test_forwarding_worker_is_read_at_start_up(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_FORWARDING_WORKER", "off")
    app: Any = create_app({"TESTING": True, "HUB_STORE_URL": f"sqlite:///{tmp_path}/hub.db",
                           "HUB_BLOB_URL": f"file://{tmp_path}/blobs"})
    try:
        monkeypatch.setenv("HUB_FORWARDING_WORKER", "on")  # too late: the app has its settings
        assert not worker_enabled(app)
    finally:
        app.extensions["hub.store"].close()


def test_the_readme_documents_every_setting() -> None:
    from hub.config import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in SETTINGS if f"| `{name}` |" not in readme] == []
