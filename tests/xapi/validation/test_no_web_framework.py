"""The validator is a model of the xAPI Data part, kept apart from the server: importing it
loads neither Flask nor werkzeug (so it can check statements in a script, a worker or a test
without an app)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["xapi.validation", "hub.errors"])
def test_importing_loads_no_web_framework(module: str) -> None:
    # A fresh interpreter: in this one the test app has long since imported Flask.
    probe = (f"import sys, {module}; "
             "loaded = sorted(m for m in ('flask', 'werkzeug') if m in sys.modules); "
             "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
