"""A department with a curator and an LRS writer, and helpers for the plan
API tests (statements go through the real ``POST /xapi/statements``)."""

from __future__ import annotations

import uuid
from typing import Any

PUBLIC_URL = "http://hub.test"  # the app fixture's HUB_PUBLIC_URL
XAPI = {"X-Experience-API-Version": "1.0.3"}
ADL = "http://adlnet.gov/expapi/verbs/"


def plan_body(items: list[str], **overrides: Any) -> dict[str, Any]:
    """A valid ``POST /plans`` body assigning ``items`` to every learner."""
    body: dict[str, Any] = {"title": {"en": "Annual plan 2027", "hi": "वार्षिक योजना 2027"},
                            "items": items, "due_date": "2027-03-31",
                            "audience": {"all": True}}
    return body | overrides


class Department:
    """A department organisation with a curator and an LRS writer."""

    def __init__(self, tenants: Any, client: Any, name: str = "Revenue Dept") -> None:
        self.client = client
        self.curator = tenants.make(name, "department", ("curator",))
        self.writer = tenants.make(name, "department", ("lrs-writer",))
        self.org_id = self.curator["org"]["id"]

    def call(self, method: str, path: str, status: int, **kwargs: Any) -> Any:
        """A request as the curator; checks the status and returns the JSON body."""
        res = self.client.open(path, method=method, headers=self.curator["headers"], **kwargs)
        assert res.status_code == status, (res.status_code, res.get_data(as_text=True))
        return res.get_json() if res.data else None

    def learner(self, learner_id: str, designation: str = "Under Secretary",
                **extra: Any) -> Any:
        """Register a learner (201 the first time)."""
        return self.call("PUT", f"/plans/learners/{learner_id}", 201,
                         json={"name": f"Officer {learner_id}", "designation": designation,
                               **extra})

    def plan(self, items: list[str], live: bool = True, **overrides: Any) -> Any:
        """Create a plan (and make it live)."""
        plan = self.call("POST", "/plans", 201, json=plan_body(items, **overrides))
        if live:
            plan = self.call("POST", f"/plans/{plan['id']}/transitions", 200,
                             json={"action": "go_live"})
        return plan

    def statement(self, learner_id: str, verb: str, item_id: str,
                  home_page: str = PUBLIC_URL) -> None:
        """One statement of the learner about a catalogue item, through the LRS's API."""
        statement = {"id": str(uuid.uuid4()),
                     "actor": {"account": {"homePage": home_page, "name": learner_id}},
                     "verb": {"id": ADL + verb},
                     "object": {"id": f"{PUBLIC_URL}/catalogue/courses/{item_id}"}}
        res = self.client.post("/xapi/statements", json=statement,
                               headers={**self.writer["headers"], **XAPI})
        assert res.status_code == 200, res.get_json()

    def items(self, learner_id: str) -> dict[str, str]:
        """``{item id: state}`` of a learner's mandated items."""
        body = self.call("GET", f"/plans/learners/{learner_id}/items", 200)
        return {i["item_id"]: i["state"] for i in body["items"]}


def fuzz_plan_ids(client: Any, curator: dict[str, Any], course_id: str) -> dict[str, str]:
    """A learner and a live plan of ``curator``'s department on the fuzzed hub: the real
    ``learner_id`` and ``plan_id`` path parameters."""
    learner = client.put("/plans/learners/u-fuzz", headers=curator["headers"],
                         json={"name": "Officer", "designation": "Under Secretary"})
    assert learner.status_code == 201, learner.get_json()
    plan = client.post("/plans", headers=curator["headers"], json=plan_body([course_id]))
    assert plan.status_code == 201, plan.get_json()
    live = client.post(f"/plans/{plan.get_json()['id']}/transitions",
                       headers=curator["headers"], json={"action": "go_live"})
    assert live.status_code == 200, live.get_json()
    return {"learner_id": "u-fuzz", "plan_id": plan.get_json()["id"]}
