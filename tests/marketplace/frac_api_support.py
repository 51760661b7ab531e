"""The cast of the FRAC API tests: a ministry with a curator, two level-1 reviewers and an
approver, another ministry, and helpers that drive the API (never the store)."""

from __future__ import annotations

from typing import Any

import pytest

HI_NAME = "सार्वजनिक वित्तीय प्रबंधन"


class FracCast:
    """Credentials and API helpers for FRAC tests."""

    def __init__(self, tenants: Any, client: Any) -> None:
        self.client = client
        self.curator = tenants.make("Ministry of Finance", "department", ("curator",))
        self.curator2 = tenants.make("Ministry of Finance", "department", ("curator",))
        self.reviewer = tenants.make("Ministry of Finance", "department", ("frac-reviewer",))
        self.reviewer2 = tenants.make("Ministry of Finance", "department", ("frac-reviewer",))
        self.approver = tenants.make("Ministry of Finance", "department", ("frac-approver",))
        self.approver2 = tenants.make("Ministry of Finance", "department", ("frac-approver",))
        self.publisher = tenants.make("Ministry of Finance", "department", ("publisher",))
        self.other = tenants.make("Ministry of Health", "department",
                                  ("curator", "frac-reviewer", "frac-approver"))
        self.admin = tenants.make("Hub Admin", "platform-admin", ("admin",))

    def framework(self, who: dict[str, Any] | None = None, **body: Any) -> dict[str, Any]:
        """A new framework; returns it."""
        body = {"title": {"en": "Finance FRAC", "hi": "वित्त ढांचा"}, **body}
        res = self.client.post("/frac/frameworks", json=body,
                               headers=(who or self.curator)["headers"])
        assert res.status_code == 201, res.json
        return res.json  # type: ignore[no-any-return]

    def post_node(self, fid: str, who: dict[str, Any] | None = None, **body: Any) -> Any:
        """``POST /frac/frameworks/<fid>/nodes`` as ``who`` (the curator); the response."""
        return self.client.post(f"/frac/frameworks/{fid}/nodes", json=body,
                                headers=(who or self.curator)["headers"])

    def node(self, fid: str, node_type: str, label: str, parent: str | None = None,
             **body: Any) -> dict[str, Any]:
        """A new node named ``{"en": label}`` unless ``name`` is given (201 checked)."""
        body = {"type": node_type, "name": {"en": label}, "parent": parent, **body}
        res = self.post_node(fid, **body)
        assert res.status_code == 201, res.json
        return res.json  # type: ignore[no-any-return]

    def review(self, node_id: str, level: int, decision: str, who: dict[str, Any],
               comment: str = "", status: int = 200) -> Any:
        """One review step (status checked); the JSON body."""
        res = self.client.post(f"/frac/nodes/{node_id}/review", headers=who["headers"],
                               json={"level": level, "decision": decision, "comment": comment})
        assert res.status_code == status, res.json
        return res.json

    def confirm(self, *node_ids: str) -> None:
        """Take nodes through both review levels."""
        for node_id in node_ids:
            self.review(node_id, 1, "accept", self.reviewer)
            self.review(node_id, 2, "accept", self.approver)

    def patch(self, node_id: str, who: dict[str, Any] | None = None, **changes: Any) -> Any:
        """``PATCH /frac/nodes/<id>``; the response."""
        return self.client.patch(f"/frac/nodes/{node_id}", json=changes,
                                 headers=(who or self.curator)["headers"])

    def publish(self, fid: str, who: dict[str, Any] | None = None, status: int = 201) -> Any:
        """``POST /frac/frameworks/<fid>/versions`` (status checked); the JSON body."""
        res = self.client.post(f"/frac/frameworks/{fid}/versions",
                               headers=(who or self.approver)["headers"])
        assert res.status_code == status, res.json
        return res.json

    def small_framework(self) -> dict[str, Any]:
        """A confirmed and published framework: one area, theme, two sub-themes, a position,
        a role requiring both, an activity with a URL resource. Returns the nodes by name."""
        fw = self.framework()
        fid = fw["id"]
        n: dict[str, Any] = {"framework": fw}
        n["area"] = self.node(fid, "area", "Functional competencies", area="functional")
        n["theme"] = self.node(fid, "theme", "Financial Management", n["area"]["id"])
        n["pfm"] = self.node(fid, "subtheme", "Public financial management", n["theme"]["id"],
                             name={"en": "Public financial management", "hi": HI_NAME},
                             description={"en": "Treasury, budgets and audit."},
                             keywords={"en": ["treasury"], "hi": ["कोष"]},
                             levels={str(i): {"en": f"PFM level {i}"} for i in range(1, 5)})
        n["audit"] = self.node(fid, "subtheme", "Financial rules and audit", n["theme"]["id"],
                               levels={"1": {"en": "Knows the rules"},
                                       "2": {"en": "Applies the rules"}})
        n["position"] = self.node(fid, "position", "Section Officer")
        n["role"] = self.node(fid, "role", "Budget and accounts handling", n["position"]["id"],
                              requirements=[{"competency": n["pfm"]["id"], "level": 3},
                                            {"competency": n["audit"]["id"], "level": 2}])
        n["activity"] = self.node(fid, "activity", "Prepare budget estimates", n["role"]["id"],
                                  resources=[{"url": "https://example.org/budget-manual",
                                              "title": {"en": "Budget manual"}}])
        self.confirm(*(n[k]["id"] for k in ("area", "theme", "pfm", "audit", "position",
                                            "role", "activity")))
        n["version"] = self.publish(fid)
        return n


@pytest.fixture
def frac(tenants: Any, client: Any) -> FracCast:
    """The FRAC cast on the test app."""
    return FracCast(tenants, client)


def fuzz_framework(tenants: Any, client: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """For the OpenAPI fuzz: a published framework, a credential holding every FRAC role in
    its organisation, and the real ids of its path parameters."""
    cast = FracCast(tenants, client)
    nodes = cast.small_framework()
    everything = tenants.make("Ministry of Finance", "department",
                              ("curator", "frac-reviewer", "frac-approver"))
    return everything, {"framework_id": nodes["framework"]["id"], "node_id": nodes["pfm"]["id"],
                        "role_id": nodes["role"]["id"], "number": 1}
