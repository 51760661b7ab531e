"""Fixtures of the LTI tests (each kept in its own module, re-exported here)."""

from tests.lti.tool_side_fixtures import live_hub  # noqa: F401  (the tool side's live hub)
