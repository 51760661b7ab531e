"""Search of the published FRAC frameworks and a role's requirement tree, over HTTP without a
credential (both store adapters)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from marketplace.frac_search import fold, words
from tests.marketplace.frac_api_support import HI_NAME, FracCast


@pytest.fixture
def published(frac: FracCast) -> dict[str, Any]:
    return frac.small_framework()


def _search(frac: FracCast, query: str, **headers: str) -> dict[str, Any]:
    res = frac.client.get(f"/frac/search?{quote(query, safe='=&')}", headers=headers)
    assert res.status_code == 200, res.json
    return res.json  # type: ignore[no-any-return]


def _codes(body: dict[str, Any]) -> list[str]:
    return [item["code"] for item in body["items"]]


def test_by_code_exact_first_then_prefix(frac: FracCast, published: dict[str, Any]) -> None:
    assert _codes(_search(frac, "code=COMSUBTHEME-2")) == ["COMSUBTHEME-2"]
    assert _codes(_search(frac, "code=comsubtheme")) == ["COMSUBTHEME-1", "COMSUBTHEME-2"]
    assert _codes(_search(frac, "code=COM")) == ["COMAREA-1", "COMSUBTHEME-1",
                                                 "COMSUBTHEME-2", "COMTHEME-1"]
    assert _search(frac, "code=NOPE")["items"] == []


def test_by_name_in_any_language(frac: FracCast, published: dict[str, Any]) -> None:
    assert _codes(_search(frac, "q=financial")) == ["COMSUBTHEME-1", "COMSUBTHEME-2",
                                                    "COMTHEME-1"]
    # a whole name first, then names holding the words, then other text
    assert _codes(_search(frac, "q=Financial Management"))[0] == "COMTHEME-1"
    hindi = _search(frac, "q=वित्तीय")
    assert _codes(hindi) == ["COMSUBTHEME-1"]
    assert _codes(_search(frac, "q=कोष")) == ["COMSUBTHEME-1"]  # a Hindi keyword
    assert _codes(_search(frac, "q=TREASURY")) == ["COMSUBTHEME-1"]  # description, any case
    assert _codes(_search(frac, "q=ﬁnancial rules")) == ["COMSUBTHEME-2"]  # NFKD: the ligature


def test_accents_do_not_matter_but_indic_vowel_signs_do(frac: FracCast) -> None:
    assert fold("Équité Sociale") == "equite sociale"
    assert fold(HI_NAME) == HI_NAME  # nothing of the Devanagari word is dropped
    assert words(fold("सार्वजनिक-वित्तीय प्रबंधन")) == ["सार्वजनिक", "वित्तीय", "प्रबंधन"]
    fid = frac.framework()["id"]
    area = frac.node(fid, "area", "Équité", area="behavioural")
    other = frac.node(fid, "area", "विधि", area="domain")  # not वेद: the vowel sign counts
    frac.confirm(area["id"], other["id"])
    frac.publish(fid)
    assert [i["id"] for i in _search(frac, "q=equite")["items"]] == [area["id"]]
    assert _search(frac, "q=वेद")["items"] == []


def test_names_come_in_the_requested_language(frac: FracCast,
                                              published: dict[str, Any]) -> None:
    pfm = published["pfm"]["id"]
    hit = _search(frac, "code=COMSUBTHEME-1&lang=hi")["items"][0]
    assert hit["name"] == HI_NAME and hit["id"] == pfm
    assert hit["description"] == "Treasury, budgets and audit."  # English when no Hindi
    assert hit["theme"]["name"] == "Financial Management" and hit["area"] == "functional"
    assert hit["levels"]["3"] == {"name": "Advanced", "description": "PFM level 3"}
    assert hit["framework"] == published["framework"]["id"] and hit["version"] == 1
    by_header = _search(frac, "code=COMSUBTHEME-1", **{"Accept-Language": "hi-IN, en;q=0.5"})
    assert by_header["items"][0]["name"] == HI_NAME
    assert _search(frac, "code=COMSUBTHEME-1")["items"][0]["name"] == \
        "Public financial management"


def test_filters_by_type_area_theme_and_framework(frac: FracCast,
                                                  published: dict[str, Any]) -> None:
    theme = published["theme"]
    assert _codes(_search(frac, "type=role&type=position")) == ["POS-1", "ROLE-1"]
    assert _codes(_search(frac, "area=functional&type=subtheme")) == ["COMSUBTHEME-1",
                                                                      "COMSUBTHEME-2"]
    assert _search(frac, "area=behavioural")["items"] == []
    assert _codes(_search(frac, f"theme={theme['id']}")) == ["COMSUBTHEME-1", "COMSUBTHEME-2"]
    # a name holding the word ranks above a description holding it
    assert _codes(_search(frac, "theme=COMTHEME-1&q=audit")) == ["COMSUBTHEME-2",
                                                                 "COMSUBTHEME-1"]
    assert _search(frac, "framework=elsewhere")["items"] == []
    assert len(_search(frac, f"framework={published['framework']['id']}")["items"]) == 7
    assert frac.client.get("/frac/search?area=cosmic").status_code == 400


def test_unpublished_nodes_are_not_found(frac: FracCast, published: dict[str, Any]) -> None:
    fid = published["framework"]["id"]
    frac.node(fid, "position", "Unreviewed Director")
    assert _search(frac, "q=director")["items"] == []


def test_cursor_pages_are_stable_while_a_new_version_is_published(
        frac: FracCast, published: dict[str, Any]) -> None:
    first = _search(frac, "limit=3")
    assert len(first["items"]) == 3 and first["next"]
    fid = published["framework"]["id"]
    extra = frac.node(fid, "position", "Additional Secretary")
    frac.confirm(extra["id"])
    frac.publish(fid)
    seen = list(first["items"])
    cursor = first["next"]
    while cursor:
        page = _search(frac, f"limit=3&cursor={cursor}")
        seen += page["items"]
        cursor = page["next"]
    assert len(seen) == 7 and len({i["id"] for i in seen}) == 7
    assert all(i["version"] == 1 for i in seen)
    assert len(_search(frac, "limit=10")["items"]) == 8  # a new search sees version 2
    for bad in ("garbage", first["next"][:-2] + "xx"):
        res = frac.client.get(f"/frac/search?limit=3&cursor={bad}")
        assert res.status_code == 400 and "cursor" in res.json["errors"]
    other_query = frac.client.get(f"/frac/search?limit=3&type=role&cursor={first['next']}")
    assert other_query.status_code == 400


def test_a_roles_whole_requirement_tree_in_one_call(frac: FracCast, cast: Any,
                                                    published: dict[str, Any]) -> None:
    role = published["role"]
    res = frac.client.get(f"/frac/roles/{role['id']}/requirements?lang=hi")
    assert res.status_code == 200, res.json
    tree = res.json
    assert tree["framework"] == published["framework"]["id"] and tree["version"] == 1
    assert tree["role"]["code"] == "ROLE-1" and tree["position"]["name"] == "Section Officer"
    assert tree["activities"] == [{
        "id": published["activity"]["id"], "code": "ACT-1", "type": "activity",
        "name": "Prepare budget estimates", "description": None,
        "resources": [{"url": "https://example.org/budget-manual", "title": "Budget manual"}]}]
    first, second = tree["requirements"]
    assert first["competency"]["name"] == HI_NAME and first["level"] == 3
    assert first["level_name"] == "Advanced" and first["level_description"] == "PFM level 3"
    assert first["theme"]["code"] == "COMTHEME-1" and first["area"]["code"] == "COMAREA-1"
    assert second["competency"]["code"] == "COMSUBTHEME-2" and second["level_name"] == \
        "Proficient"
    assert second["level_description"] == "Applies the rules"
    by_code = frac.client.get("/frac/roles/ROLE-1/requirements").json
    assert by_code["role"]["id"] == role["id"]
    for missing in ("nope", published["pfm"]["id"]):  # unknown, or not a role
        assert frac.client.get(f"/frac/roles/{missing}/requirements").status_code == 404


def test_course_resources_carry_the_catalogue_title(frac: FracCast, cast: Any) -> None:
    course = cast.publish()
    fid = frac.framework()["id"]
    pos = frac.node(fid, "position", "Officer")
    role = frac.node(fid, "role", "Accounts", pos["id"])
    act = frac.node(fid, "activity", "Keep accounts", role["id"],
                    resources=[{"course": course["id"]}])
    frac.confirm(pos["id"], role["id"], act["id"])
    frac.publish(fid)
    tree = frac.client.get(f"/frac/roles/{role['id']}/requirements?lang=hi").json
    assert tree["activities"][0]["resources"] == [{"course": course["id"],
                                                   "title": "सार्वजनिक वित्तीय प्रबंधन"}]
    assert tree["requirements"] == []
