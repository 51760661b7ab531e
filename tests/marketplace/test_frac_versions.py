"""Publishing FRAC versions over HTTP (both store adapters): what a version takes, immutability,
``retired``, nothing to publish, who publishes, and public reading."""

from __future__ import annotations

from typing import Any

from tests.marketplace.frac_api_support import FracCast


def _version(frac: FracCast, fid: str, number: int) -> dict[str, Any]:
    res = frac.client.get(f"/frac/frameworks/{fid}/versions/{number}")  # public: no credential
    assert res.status_code == 200, res.json
    return res.json  # type: ignore[no-any-return]


def test_a_version_takes_confirmed_nodes_with_a_confirmed_parent_chain(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Functional", area="functional")
    theme = frac.node(fid, "theme", "Finance", area["id"])
    sub = frac.node(fid, "subtheme", "Budgeting", theme["id"], levels={"1": {"en": "b"}})
    pos = frac.node(fid, "position", "Officer")
    frac.publish(fid, status=409)  # nothing confirmed yet
    frac.confirm(area["id"], sub["id"], pos["id"])  # theme stays unverified
    frac.review(theme["id"], 1, "accept", frac.reviewer)  # verified is not confirmed
    summary = frac.publish(fid)
    assert summary["number"] == 1 and summary["node_count"] == 2
    assert summary["retired"] == [] and summary["published_by"] == frac.approver["key"]
    v1 = _version(frac, fid, 1)
    assert {n["id"] for n in v1["nodes"]} == {area["id"], pos["id"]}
    assert all(n["status"] == "confirmed" and "revision" not in n for n in v1["nodes"])
    assert v1["title"] == {"en": "Finance FRAC", "hi": "वित्त ढांचा"}
    frac.review(theme["id"], 2, "accept", frac.approver)
    v2 = frac.publish(fid)
    assert v2["number"] == 2 and v2["node_count"] == 4
    frac.publish(fid, status=409)  # the same again: nothing to publish


def test_versions_are_immutable_and_list_retired_nodes(frac: FracCast) -> None:
    n = frac.small_framework()
    fid = n["framework"]["id"]
    # an edit under review keeps the published text, in v1 and in the next version
    res = frac.patch(n["pfm"]["id"], name={"en": "Public finance"})
    assert res.json["status"] == "unverified"
    frac.client.patch(f"/frac/frameworks/{fid}", json={"title": {"en": "Finance FRAC 2"}},
                      headers=frac.curator["headers"])
    # retire the activity: it leaves the next version, which says so
    assert frac.client.post(f"/frac/nodes/{n['activity']['id']}/retire", json={},
                            headers=frac.curator["headers"]).status_code == 200
    v2 = frac.publish(fid)
    assert v2["retired"] == [n["activity"]["id"]] and v2["title"] == {"en": "Finance FRAC 2"}
    full = _version(frac, fid, 2)
    pfm = next(x for x in full["nodes"] if x["id"] == n["pfm"]["id"])
    assert pfm["name"]["en"] == "Public financial management"
    assert n["activity"]["id"] not in {x["id"] for x in full["nodes"]}
    v1 = _version(frac, fid, 1)
    assert n["activity"]["id"] in {x["id"] for x in v1["nodes"]}
    assert v1["title"] == {"en": "Finance FRAC", "hi": "वित्त ढांचा"}
    # once confirmed, the edit is in the next version
    frac.review(n["pfm"]["id"], 1, "accept", frac.reviewer)
    frac.review(n["pfm"]["id"], 2, "accept", frac.approver)
    frac.publish(fid)
    pfm3 = next(x for x in _version(frac, fid, 3)["nodes"] if x["id"] == n["pfm"]["id"])
    assert pfm3["name"]["en"] == "Public finance"
    listed = frac.client.get(f"/frac/frameworks/{fid}/versions").json["items"]
    assert [v["number"] for v in listed] == [1, 2, 3]
    assert all("nodes" not in v for v in listed)


def test_a_rejected_node_leaves_and_a_role_cannot_require_what_is_missing(
        frac: FracCast) -> None:
    n = frac.small_framework()
    fid = n["framework"]["id"]
    # a new sub-theme required by an edited role: the role's new text waits for both
    new = frac.node(fid, "subtheme", "Treasury", n["theme"]["id"], levels={"2": {"en": "t"}})
    frac.patch(n["role"]["id"], requirements=[{"competency": new["id"], "level": 2}])
    frac.confirm(n["role"]["id"])
    problem = frac.publish(fid, status=409)
    assert "requirements" in problem["errors"]
    frac.confirm(new["id"])
    assert frac.publish(fid)["number"] == 2
    # an edit rejected at level 1 is final: the node leaves the next version
    frac.patch(n["audit"]["id"], name={"en": "Audit"})
    frac.review(n["audit"]["id"], 1, "reject", frac.reviewer, "no such competency")
    assert frac.publish(fid)["retired"] == [n["audit"]["id"]]


def test_only_an_approver_of_the_organisation_publishes(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Functional", area="functional")
    frac.confirm(area["id"])
    for who, status in ((frac.curator, 403), (frac.reviewer, 403), (frac.other, 404)):
        frac.publish(fid, who, status=status)
    assert frac.publish(fid, frac.admin)["number"] == 1


def test_published_versions_are_public_working_ones_are_not(frac: FracCast) -> None:
    fid = frac.framework()["id"]
    assert frac.client.get(f"/frac/frameworks/{fid}/versions").status_code == 404
    own = frac.client.get(f"/frac/frameworks/{fid}/versions", headers=frac.curator["headers"])
    assert own.status_code == 200 and own.json["items"] == []
    area = frac.node(fid, "area", "Functional", area="functional")
    frac.confirm(area["id"])
    frac.publish(fid)
    for missing in (2, 0, 10**30):
        assert frac.client.get(f"/frac/frameworks/{fid}/versions/{missing}").status_code == 404
    public = frac.client.get(f"/frac/frameworks/{fid}")
    assert public.status_code == 200 and public.json["latest_version"] == 1
    assert "creator" not in public.json
    listed = frac.client.get("/frac/frameworks", headers=frac.other["headers"]).json["items"]
    assert [(f["id"], f["latest_version"]) for f in listed] == [(fid, 1)]
    own_fw = frac.client.get(f"/frac/frameworks/{fid}", headers=frac.curator["headers"]).json
    assert own_fw["creator"] == frac.curator["key"] and own_fw["latest_version"] == 1
