"""The tool side's demo data (``hub demo load``, which ``make run`` runs): the demo LMS
organisation gets a registration of the development platform (``hub lti dev-platform`` on its
default address) and an ``lti-manager`` credential, so a newcomer can launch catalogue courses
from an LMS stand-in without configuring anything (README, "LTI: try a launch")."""

from __future__ import annotations

from typing import Any

from hub.auth import create_credential
from hub.principal import Role
from lti.platform_registrations import add_registration
from marketplace.demo import DEMO_LMS
from storage.ports import Store

#: Where ``hub lti dev-platform`` serves by default (its issuer), and what it registers.
DEV_PLATFORM_URL = "http://127.0.0.1:8100"
DEV_CLIENT_ID = "dev-tool-client"
DEV_DEPLOYMENT_ID = "dev-deployment-1"


def load_demo_lms(store: Store) -> dict[str, Any]:
    """Register the dev platform for the demo LMS; the new credential, keyed ``lms-lti``."""
    org = store.organisations.get_by_name(DEMO_LMS)
    if org is None:
        return {}
    add_registration(store, org["id"], {
        "issuer": DEV_PLATFORM_URL, "client_id": DEV_CLIENT_ID,
        "deployment_ids": [DEV_DEPLOYMENT_ID],
        "auth_login_url": f"{DEV_PLATFORM_URL}/authorize",
        "auth_token_url": f"{DEV_PLATFORM_URL}/token",
        "key_set_url": f"{DEV_PLATFORM_URL}/jwks",
        "name": "Development LMS (hub lti dev-platform)"}, created_by="demo")
    credential = create_credential(store, org["id"], [Role.LTI_MANAGER], "demo")
    return {"lms-lti": {**credential, "org": org["name"]}}
