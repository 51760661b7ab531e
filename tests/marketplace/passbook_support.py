"""A department, tagged catalogue items and statements for the passbook tests (statements go
through the real ``POST /xapi/statements``, so the ingest listener runs as in production)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.frac_support import node_id, publish_test_framework, stored_tag
from tests.storage.factories import course_doc

PUBLIC_URL = "http://hub.test"  # the app fixture's HUB_PUBLIC_URL
XAPI = {"X-Experience-API-Version": "1.0.3"}
ADL = "http://adlnet.gov/expapi/verbs/"
T0 = "2026-11-02T09:00:00.000Z"


def comp(n: int) -> str:
    """The id of competency COMSUBTHEME-n of the test framework."""
    return node_id(f"COMSUBTHEME-{n}")


def iri(item_id: str) -> str:
    """A catalogue item's activity IRI."""
    page = "programs" if item_id.startswith("prg_") else "courses"
    return f"{PUBLIC_URL}/catalogue/{page}/{item_id}"


def at(seconds: int) -> str:
    """T0 plus ``seconds``."""
    minutes, sec = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"2026-11-02T{9 + hours:02d}:{minutes:02d}:{sec:02d}.000Z"


def statement(learner: str, verb: str, item_id: str, *, registration: str | None = None,
              duration: str | None = None, when: str = T0, sid: str | None = None,
              home_page: str = PUBLIC_URL) -> dict[str, Any]:
    """A learner's statement about a catalogue item."""
    out: dict[str, Any] = {
        "id": sid or str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": home_page, "name": learner}},
        "verb": {"id": ADL + verb}, "object": {"objectType": "Activity", "id": iri(item_id)},
        "timestamp": when}
    if registration:
        out["context"] = {"registration": registration}
    if duration:
        out["result"] = {"duration": duration}
    return out


class Department:
    """A department with an LRS writer, a curator and a reviewer, over the test framework."""

    def __init__(self, app: Any, tenants: Any, client: Any, name: str = "Revenue Dept",
                 framework: bool = True) -> None:
        self.app, self.client = app, client
        self.store = app.extensions["hub.store"]
        self.writer = tenants.make(name, "department", ("lrs-writer", "lrs-reader"))
        self.curator = tenants.make(name, "department", ("curator",))
        self.reviewer = tenants.make(name, "department", ("reviewer",))
        self.org_id = self.writer["org"]["id"]
        if framework and not self.store.frac.latest_version_numbers():
            publish_test_framework(self.store)

    def course(self, item_id: str, tags: dict[int, int], minutes: int = 20, **kw: Any) -> None:
        """A published item tagged ``{competency number: level}``."""
        self.store.courses.add(course_doc(item_id, "org_provider", minutes=minutes,
                                          competencies=[stored_tag(n, lv)
                                                        for n, lv in tags.items()], **kw))

    def learner(self, learner_id: str, **extra: Any) -> None:
        """A learner record of the department (straight into the directory)."""
        self.store.department_learners.put({
            "org_id": self.org_id, "learner_id": learner_id, "name": f"Officer {learner_id}",
            "designation": "Under Secretary", "position": None, "languages": ["en"],
            "home_page": PUBLIC_URL, "source": "api", "created_at": T0, "updated_at": T0,
            **extra})

    def post(self, *statements: dict[str, Any], status: int = 200) -> Any:
        """Statements through the LRS as the department's writer."""
        res = self.client.post("/xapi/statements", json=list(statements),
                               headers={**self.writer["headers"], **XAPI})
        assert res.status_code == status, res.get_data(as_text=True)
        return res.get_json()

    def attempt(self, learner: str, item_id: str, seconds: int, verb: str = "completed",
                registration: str | None = None) -> str:
        """An attempt of ``seconds`` recorded as durations; returns the completion's id."""
        registration = registration or str(uuid.uuid4())
        sid = str(uuid.uuid4())
        self.post(statement(learner, "initialized", item_id, registration=registration),
                  statement(learner, "progressed", item_id, registration=registration,
                            duration=f"PT{seconds // 2}S", when=at(seconds // 2)),
                  statement(learner, verb, item_id, registration=registration, sid=sid,
                            duration=f"PT{seconds - seconds // 2}S", when=at(seconds)))
        return sid

    def held(self) -> dict[str, dict[str, int]]:
        """Held levels of every learner of the department."""
        return self.store.passbook.held_levels(self.org_id)  # type: ignore[no-any-return]


def fuzz_passbook_ids(tenants: Any, client: Any, course_id: str, org_name: str = "Commission"
                      ) -> tuple[dict[str, Any], dict[str, str]]:
    """For the fuzzed hub: a curator-and-reviewer of department ``org_name`` (whose directory
    holds ``u-fuzz``) and a flagged completion of the published course by that learner, so
    ``statement_id`` can be a real one."""
    caller = tenants.make(org_name, "department", ("curator", "reviewer"))
    writer = tenants.make(org_name, "department", ("lrs-writer",))
    sid = str(uuid.uuid4())
    res = client.post("/xapi/statements", headers={**writer["headers"], **XAPI}, json=[
        statement("u-fuzz", "completed", course_id, sid=sid, duration="PT1S",
                  registration=str(uuid.uuid4()))])
    assert res.status_code == 200, res.get_json()
    return caller, {"statement_id": sid}
