"""``hub demo load`` registers the development platform for the demo LMS and gives that LMS an
lti-manager credential that sees the registration through ``/lti/platforms``."""

from __future__ import annotations

from typing import Any

import orjson

from lti.demo import DEV_CLIENT_ID, DEV_PLATFORM_URL
from tests.conftest import basic


def test_demo_registers_the_dev_platform_for_the_demo_lms(runner: Any, client: Any) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    creds = orjson.loads(result.stdout)
    lti = creds["lms-lti"]
    assert lti["org_id"] == creds["lms"]["org_id"]
    listed = client.get("/lti/platforms", headers=basic(lti["key"], lti["secret"])).json
    [registration] = listed["items"]
    assert (registration["issuer"], registration["client_id"], registration["org_id"]) == (
        DEV_PLATFORM_URL, DEV_CLIENT_ID, lti["org_id"])
    assert registration["key_set_url"] == f"{DEV_PLATFORM_URL}/jwks"
