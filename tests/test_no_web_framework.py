"""Models, rules and vocabularies import without the server: the xAPI validator (a model of the
Data part, kept apart from the server as Ralph keeps its models), the error hierarchy it raises,
the principal's rules and the schemas' vocabulary load neither Flask nor werkzeug, so scripts,
workers and tests can use them without an app."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", [
    "xapi.validation", "hub.errors", "hub.principal", "catalogue_schemas.organisation",
    "storage.timestamps",
])
def test_importing_loads_no_web_framework(module: str) -> None:
    # A fresh interpreter: in this one the test app has long since imported Flask.
    probe = (f"import sys, {module}; "
             "loaded = sorted(m for m in ('flask', 'werkzeug') if m in sys.modules); "
             "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
