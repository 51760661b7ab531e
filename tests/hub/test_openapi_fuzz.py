"""schemathesis over the whole OpenAPI document, through the WSGI app, with real credentials.

Every operation gets a bounded, reproducible number of generated requests (hypothesis
derandomized: the same requests on every run) sent with a credential of the role it needs, so
that fuzzing reaches the code rather than stopping at 401. Each response must not be a 5xx and
must be what the document says: a documented status, a documented content type, a body valid
against the documented schema.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace import demo_frac_data
from tests.conftest import Tenants
from tests.lti.platform_services_support import service_caller
from tests.lti.player_support import player_ids
from tests.marketplace.blended_support import blended_ids, publish_blended_program
from tests.marketplace.frac_suggestion_support import publish_demo_framework
from tests.xapi.forwarding.support import FakeDNS

#: Generated requests per operation (each operation is one pytest item; HEAD included).
#: ``HUB_FUZZ_EXAMPLES=500`` explores further on a developer's machine.
EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _document() -> dict[str, Any]:
    """The document the hub serves (it depends on code only, not on data)."""
    from hub import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "HUB_STORE_URL": f"sqlite:///{tmp}/doc.db",
                          "HUB_BLOB_URL": f"file://{tmp}/blobs", "HUB_FORWARDING_WORKER": "off"})
        try:
            return app.test_client().get("/openapi.json").get_json()  # type: ignore[no-any-return]
        finally:
            app.extensions["hub.store"].close()


# Package uploads (PUT /courses/{id}/package) take a zip: fuzzed bytes are sent as they are.
schemathesis.serializer.alias("application/zip", "application/octet-stream")
CONFIG = SchemathesisConfig.from_dict({"generation": {
    "mode": "positive", "deterministic": True, "with-security-parameters": False,
    "max-examples": EXAMPLES, "database": "none"}})
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)


class FuzzHub:
    """The hub on a fresh SQLite store with a published course, a forwarding registration
    and a credential for each kind of caller."""

    def __init__(self, root: Path) -> None:
        from hub import create_app

        self.app = create_app({"TESTING": True, "HUB_STORE_URL": f"sqlite:///{root}/hub.db",
                               "HUB_BLOB_URL": f"file://{root}/blobs",
                               "HUB_PUBLIC_URL": "http://hub.test",
                               "HUB_FORWARDING_WORKER": "off"})
        tenants = Tenants(self.app)
        self.admin = tenants.make("Platform", "platform-admin", ("admin",))
        self.provider = tenants.make("Provider", "provider", ("publisher", "lti-manager"))
        self.reviewer = tenants.make("Board", "platform-admin", ("reviewer",))
        self.lms = tenants.make("State LMS", "lms", ("lrs-writer", "lrs-reader"))
        self.spare = tenants.make("Spare", "provider", ("publisher",))
        client = self.app.test_client()
        from tests.marketplace.conftest import course_body

        course = client.post("/courses", json=course_body(), headers=self.provider["headers"])
        self.course_id = course.get_json()["id"]
        for action, who in (("submit", self.provider), ("start_review", self.reviewer),
                            ("publish", self.reviewer)):
            etag = client.get(f"/courses/{self.course_id}",
                              headers=who["headers"]).headers.get("ETag")
            done = client.post(f"/courses/{self.course_id}/transitions", json={"action": action},
                               headers={**who["headers"], "If-Match": etag or ""})
            assert done.status_code == 200, done.get_json()
        forwarder = client.post("/xapi/forwarding", headers=self.lms["headers"], json={
            "url": "https://lrs.example.org/xapi", "username": "u", "password": "p"})
        self.forwarder_id = forwarder.get_json()["id"]
        self.lti_manager = tenants.make("State LMS", "lms", ("lti-manager",))
        platform = client.post("/lti/platforms", headers=self.lti_manager["headers"], json={
            "issuer": "https://lms.example.org", "client_id": "hub", "deployment_ids": ["1"],
            "auth_login_url": "https://lms.example.org/auth",
            "auth_token_url": "https://lms.example.org/token",
            "key_set_url": "https://lms.example.org/jwks"})
        tool = client.post("/lti/tools", headers=self.provider["headers"], json={
            "name": "Tool", "initiate_login_url": "https://tool.example.org/login",
            "redirect_uris": ["https://tool.example.org/launch"],
            "key_set_url": "https://tool.example.org/jwks"})
        self.real_ids = {"course_id": self.course_id, "forwarder_id": self.forwarder_id,
                         "org_id": self.provider["org"]["id"], "key": self.spare["key"],
                         "registration_id": platform.get_json()["id"],
                         "tool_id": tool.get_json()["id"]}
        # A provider's tool launched once, calling the AGS/NRPS endpoints with its token.
        self.lti_tool, lti_ids = service_caller(self.app, self.provider["org"]["id"],
                                                self.lms["org"]["id"], self.course_id)
        self.real_ids.update(lti_ids)
        publish_demo_framework(self.app)
        self.real_ids["competency"] = demo_frac_data.node_id("COMSUBTHEME-18")
        from tests.marketplace.frac_api_support import fuzz_framework

        self.frac, frac_ids = fuzz_framework(tenants, client)  # a published FRAC framework
        self.real_ids.update(frac_ids)
        # The CASE paths read the demo framework; CASE imports need a curator.
        self.real_ids["identifier"] = demo_frac_data.FRAMEWORK["id"]
        self.curator = tenants.make("Commission", "department", ("curator",))
        # A curated program of the published course (the /programs paths need a curator).
        program = client.post("/programs", headers=self.curator["headers"], json={
            "title": {"en": "Program"}, "level": "beginner",
            "program": {"items": [{"kind": "course", "course": self.course_id}]}})
        assert program.status_code == 201, program.get_json()
        self.real_ids["program_id"] = program.get_json()["id"]
        self.blended = tenants.make("Training Dept", "department",
                                    ("coordinator", "department-approver"))
        blended_program = publish_blended_program(client, self.curator, self.reviewer,
                                                  self.course_id)
        self.real_ids.update(blended_ids(client, self.blended, blended_program))

        from tests.marketplace.plan_support import fuzz_plan_ids

        self.real_ids.update(fuzz_plan_ids(client, self.curator, self.course_id))  # /plans
        demand = client.post("/demands", headers=self.curator["headers"], json={
            "title": {"en": "GeM buying"}, "objective": {"en": "Buy on GeM"},
            "target_learners": {"description": {"en": "Buyers"}},
            "competencies": [{"id": self.real_ids["competency"], "level": 2}],
            "learning_mode": "self-paced"})
        assert demand.status_code == 201, demand.get_json()
        self.real_ids["demand_id"] = demand.get_json()["id"]
        self.real_ids.update(player_ids(tenants, client, self.lms))  # /player: a cmi5 launch
        from tests.marketplace.passbook_support import fuzz_passbook_ids

        # passbooks and flagged completions: a curator-reviewer of the plans' department
        self.passbook, passbook_ids = fuzz_passbook_ids(tenants, client, self.course_id)
        self.real_ids.update(passbook_ids)

    def caller(self, method: str, path: str) -> dict[str, Any] | None:
        """The credential an operation needs (None: public)."""
        if path.startswith(("/completions/", "/learners/{learner_id}/passbook")):
            return self.passbook
        if path == "/frac/imports" or path.startswith(("/programs", "/plans", "/learners")):
            return self.curator
        if path.startswith("/blended/"):
            return self.blended
        if path.startswith("/demands"):  # raised by a department; providers list open ones
            return self.provider if path == "/demands/open" else self.curator
        if path.startswith("/talent/") or path.endswith("/recommendations"):
            return self.curator  # issue 13: a department's learners (u-fuzz is one)
        if path.startswith("/admin/"):
            return self.admin
        if path.startswith("/lti/platform/contexts/"):
            return self.lti_tool
        if path.startswith("/player/"):
            return self.lms
        if path.startswith("/xapi/"):
            return None if path == "/xapi/about" else self.lms
        if path.startswith("/lti/platforms"):
            return self.lti_manager
        if path.startswith("/catalogue/"):
            return self.lms if method == "POST" else None
        if path.startswith("/frac/"):
            return self.frac
        if path in ("/review-queue", "/courses/{course_id}/competency-suggestions/{competency}"):
            return self.reviewer
        if path in ("/health", "/openapi.json"):
            return None
        return self.provider

    def prepare(self, case: Any) -> None:
        """Real credentials, and real ids in half of the path parameters (chosen by the
        generated value, so the choice is as reproducible as the value)."""
        who = self.caller(case.method.upper(), case.path)
        headers = dict(case.headers or {})
        headers.pop("Authorization", None)
        if who is not None:
            headers.update(who["headers"])
        case.headers = headers
        for name, value in (case.path_parameters or {}).items():
            if name in self.real_ids and len(str(value)) % 2 == 0:
                case.path_parameters[name] = self.real_ids[name]


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # Forwarding resolves the host of every URL it is given: names answer from a table here,
    # so fuzzed registrations never reach a real resolver (the worker is off: nothing is sent).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", FakeDNS())
        hub = FuzzHub(tmp_path_factory.mktemp("fuzz"))
        yield hub
        hub.app.extensions["hub.store"].close()


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case: Any, fuzz_hub: FuzzHub) -> None:
    fuzz_hub.prepare(case)
    response = case.call(app=fuzz_hub.app)
    case.validate_response(response, checks=CHECKS)
