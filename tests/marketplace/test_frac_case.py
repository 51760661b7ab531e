"""CASE 1.1 export and import of FRAC framework versions, on both store adapters: the round
trip (export, import into an empty hub, export again: the same bytes), a package written
elsewhere (kept and exported again), bad packages (400 listing every problem, nothing stored),
the CASE REST paths and the ``hub frac`` commands."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from marketplace.frac_case import EXT
from tests.conftest import Tenants
from tests.marketplace.frac_case_support import (
    FRAMEWORK_ID,
    nid,
    publish_test_framework,
)
from tests.mongo_support import mongo_store_url

CASE = "/ims/case/v1p1"
FOREIGN = Path(__file__).parent / "data" / "foreign_case_package.json"
FOREIGN_ID = "7f3c2a10-5b7e-4c1e-9a4d-2e6f8b1c0d01"


@contextmanager
def other_hub(store_url: str, tmp_path: Path) -> Iterator[Any]:
    """A second, empty hub on the same kind of store."""
    from hub import create_app

    @contextmanager
    def url() -> Iterator[str]:
        if store_url.startswith("sqlite"):
            yield f"sqlite:///{tmp_path / 'other.db'}"
        else:
            with mongo_store_url() as mongo:
                yield mongo

    with url() as second:
        app = create_app({"TESTING": True, "HUB_STORE_URL": second,
                          "HUB_BLOB_URL": f"file://{tmp_path / 'other-blobs'}",
                          "HUB_PUBLIC_URL": "http://hub.test"})
        try:
            yield app
        finally:
            app.extensions["hub.store"].close()


def curator(app: Any, name: str = "Commission") -> dict[str, Any]:
    return Tenants(app).make(name, "department", ("curator",))


def empty(app: Any, framework_id: str) -> bool:
    frac = app.extensions["hub.store"].frac
    return (frac.get_framework(framework_id) is None and not frac.list_nodes(framework_id)
            and frac.get_version(framework_id) is None)


# --- export -----------------------------------------------------------------------------------


def test_a_version_exports_as_a_case_package(app: Any, client: Any) -> None:
    owner = curator(app)
    publish_test_framework(app.extensions["hub.store"], owner["org"]["id"])
    answer = client.get(f"{CASE}/CFPackages/{FRAMEWORK_ID}")
    assert answer.status_code == 200, answer.get_json()
    package = answer.get_json()
    doc = package["CFDocument"]
    assert doc["identifier"] == FRAMEWORK_ID and doc["version"] == "1"
    assert doc["title"] == "Test FRAC" and doc["creator"] == "Capacity Building Commission"
    assert doc["extensions"][EXT]["title"]["hi"] == "परीक्षण FRAC"
    items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    sub = items["COMSUBTHEME-1"]
    assert sub["CFItemType"] == "Competency Sub-theme"
    assert sub["fullStatement"] == "Integrity and ethical conduct"
    assert sub["uri"] == f"http://hub.test{CASE}/CFItems/{nid('COMSUBTHEME-1')}"
    assert sub["extensions"][EXT]["name"]["hi"] == "सत्यनिष्ठा"
    assert [i["humanCodingScheme"] for i in package["CFItems"]][:7] == [
        "COMAREA-1", "COMAREA-2", "COMTHEME-1", "COMTHEME-2", "COMSUBTHEME-1",
        "COMSUBTHEME-2", "COMSUBTHEME-10"]
    links = {(a["associationType"], a["originNodeURI"]["identifier"],
              a["destinationNodeURI"]["identifier"]): a for a in package["CFAssociations"]}
    assert ("isChildOf", nid("COMAREA-1"), FRAMEWORK_ID) in links
    assert ("isChildOf", nid("COMSUBTHEME-1"), nid("COMTHEME-1")) in links
    assert ("isChildOf", nid("ACT-1"), nid("ROLE-1")) in links
    need = links[("isRelatedTo", nid("ROLE-1"), nid("COMSUBTHEME-2"))]
    assert need["extensions"][EXT]["level"] == 3
    rubric = package["CFRubrics"][0]
    criteria = {c["CFItemURI"]["identifier"]: c for c in rubric["CFRubricCriteria"]}
    assert set(criteria) == {nid("COMSUBTHEME-1"), nid("COMSUBTHEME-2")}
    levels = criteria[nid("COMSUBTHEME-2")]["CFRubricCriterionLevels"]
    assert [(lv["position"], lv["quality"]) for lv in levels] == [
        (1, "Basic"), (2, "Proficient"), (3, "Advanced"), (4, "Expert")]
    assert levels[0]["description"] == "Procurement at level 1"
    types = {t["title"] for t in package["CFDefinitions"]["CFItemTypes"]}
    assert types == {"Competency Area", "Competency Theme", "Competency Sub-theme", "Position",
                     "Role", "Activity"}
    # byte-for-byte reproducible
    assert client.get(f"{CASE}/CFPackages/{FRAMEWORK_ID}").data == answer.data


def test_documents_items_and_unknown_identifiers(app: Any, client: Any) -> None:
    owner = curator(app)
    publish_test_framework(app.extensions["hub.store"], owner["org"]["id"])
    listing = client.get(f"{CASE}/CFDocuments").get_json()["CFDocuments"]
    assert [d["identifier"] for d in listing] == [FRAMEWORK_ID]
    assert listing[0]["CFPackageURI"]["uri"].endswith(f"/CFPackages/{FRAMEWORK_ID}")
    doc = client.get(f"{CASE}/CFDocuments/{FRAMEWORK_ID}?version=1").get_json()
    assert doc["identifier"] == FRAMEWORK_ID
    item = client.get(f"{CASE}/CFItems/{nid('ROLE-1')}").get_json()
    assert item["CFItemType"] == "Role" and item["CFDocumentURI"]["identifier"] == FRAMEWORK_ID
    for path in (f"CFPackages/{FRAMEWORK_ID}?version=2", f"CFItems/{FRAMEWORK_ID}",
                 "CFDocuments/00000000-0000-4000-8000-000000000000", "CFPackages/not-a-uuid"):
        miss = client.get(f"{CASE}/{path}")
        assert miss.status_code == 404 and miss.mimetype == "application/problem+json"
        body = miss.get_json()
        assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    minor = client.get(f"{CASE}/CFPackages/not-a-uuid").get_json()["imsx_codeMinor"]
    assert minor["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "invalid_uuid"
    assert client.get(f"{CASE}/CFPackages/{FRAMEWORK_ID}?version=x").status_code == 400


# --- the round trip ---------------------------------------------------------------------------


def test_export_import_export_gives_the_same_package(app: Any, client: Any, store_url: str,
                                                     tmp_path: Path) -> None:
    owner = curator(app)
    publish_test_framework(app.extensions["hub.store"], owner["org"]["id"], number=3)
    first = client.get(f"{CASE}/CFPackages/{FRAMEWORK_ID}").data
    with other_hub(store_url, tmp_path) as second:
        who = curator(second, "Academy")
        other = second.test_client()
        done = other.post("/frac/imports", data=first, content_type="application/json",
                          headers=who["headers"])
        assert done.status_code == 201, done.get_json()
        assert done.get_json() == {"framework": FRAMEWORK_ID, "version": 3,
                                   "status": "created", "nodes": 10, "associations_kept": 0}
        again = other.get(f"{CASE}/CFPackages/{FRAMEWORK_ID}").data
        assert again == first
        frac = second.extensions["hub.store"].frac
        node = frac.get_node(nid("ROLE-1"))
        assert node["status"] == "confirmed" and node["framework"] == FRAMEWORK_ID
        assert sorted(r["level"] for r in node["requirements"]) == [2, 3]
        assert [e["action"] for e in frac.list_node_events(nid("ROLE-1"))] == ["imported"]
        assert frac.get_framework(FRAMEWORK_ID)["org_id"] == who["org"]["id"]
        # the same package again changes nothing
        same = other.post("/frac/imports", data=first, content_type="application/json",
                          headers=who["headers"])
        assert same.status_code == 200 and same.get_json()["status"] == "unchanged"
        # changed content is a new version; the dropped node is retired
        changed = json.loads(first)
        changed["CFItems"] = [i for i in changed["CFItems"]
                              if i["humanCodingScheme"] != "ACT-1"]
        changed["CFAssociations"] = [a for a in changed["CFAssociations"]
                                     if a["originNodeURI"]["identifier"] != nid("ACT-1")]
        update = other.post("/frac/imports", json=changed, headers=who["headers"])
        assert update.status_code == 201 and update.get_json()["version"] == 4
        latest = frac.get_version(FRAMEWORK_ID)
        assert latest["retired"] == [nid("ACT-1")]
        assert frac.get_node(nid("ACT-1"))["status"] == "retired"
        # another organisation cannot import over it
        stranger = curator(second, "Elsewhere")
        assert other.post("/frac/imports", json=changed,
                          headers=stranger["headers"]).status_code == 409


def test_the_demo_framework_round_trips_through_cli_files(app: Any, runner: Any,
                                                        store_url: str,
                                                        tmp_path: Path) -> None:
    owner = curator(app)
    from marketplace.demo_frac import load_demo_framework

    fid = load_demo_framework(app.extensions["hub.store"], owner["org"]["id"]).framework
    first = runner.invoke(args=["frac", "export", fid])
    assert first.exit_code == 0, first.output
    package = json.loads(first.stdout)
    assert len(package["CFItems"]) == 3 + 10 + 40 + 4 + 12 + 24
    assert len(package["CFRubrics"][0]["CFRubricCriteria"]) == 40
    path = tmp_path / "demo.json"
    path.write_text(first.stdout)
    with other_hub(store_url, tmp_path) as second:
        curator(second, "Academy")
        cli = second.test_cli_runner()
        done = cli.invoke(args=["frac", "import", str(path), "--org", "Academy"])
        assert done.exit_code == 0, done.output
        assert "import" in done.stderr  # the progress bar
        again = cli.invoke(args=["frac", "export", fid])
        assert again.stdout == first.stdout


# --- a package from elsewhere -----------------------------------------------------------------


def test_a_foreign_package_imports_and_survives_re_export(app: Any, client: Any) -> None:
    who = curator(app)
    source = json.loads(FOREIGN.read_text())
    done = client.post("/frac/imports", json=source, headers=who["headers"])
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["version"] == 1 and done.get_json()["associations_kept"] == 2 + 1
    frac = app.extensions["hub.store"].frac
    competency = frac.get_node("a1000000-0000-4000-8000-000000000002")
    assert competency["type"] == "other"
    assert competency["extensions"]["case"]["CFItemType"] == "Competency"
    assert competency["extensions"]["case"]["abbreviatedStatement"] == "Reads dashboards"
    assert competency["description"] == {"en": "Adapted from the national data literacy "
                                         "guidance."}
    assert competency["parent"] == "a1000000-0000-4000-8000-000000000001"
    package = client.get(f"{CASE}/CFPackages/{FOREIGN_ID}").get_json()
    doc = package["CFDocument"]
    assert doc["version"] == "2.1" and doc["adoptionStatus"] == "Implemented"
    assert doc["publisher"] == "SIPA Digital Learning Cell"
    assert doc["extensions"]["sipa:reviewCycle"] == "annual"
    assert package["extensions"] == {"sipa:exportedBy": "framework editor 4.2"}
    items = {i["identifier"]: i for i in package["CFItems"]}
    for original in source["CFItems"]:
        exported = items[original["identifier"]]
        for key, value in original.items():
            if key not in ("uri", "lastChangeDateTime", "extensions"):
                assert exported.get(key) == value, (original["identifier"], key)
    assert items["a1000000-0000-4000-8000-000000000002"]["extensions"]["sipa:hoursOfStudy"] == 6
    assert "humanCodingScheme" not in items["a1000000-0000-4000-8000-000000000004"]
    exported = {a["identifier"]: a for a in package["CFAssociations"]}
    for original in source["CFAssociations"]:
        again = exported[original["identifier"]]
        assert again["associationType"] == original["associationType"]
        assert again["originNodeURI"]["identifier"] == original["originNodeURI"]["identifier"]
        assert (again["destinationNodeURI"]["identifier"]
                == original["destinationNodeURI"]["identifier"])
        assert again.get("sequenceNumber") == original.get("sequenceNumber")
    match = exported["c3000000-0000-4000-8000-000000000006"]
    assert match["destinationNodeURI"]["uri"].startswith("https://national.example.gov/")
    assert match["notes"].startswith("Same outcome")
    assert exported["c3000000-0000-4000-8000-000000000005"]["CFAssociationGroupingURI"][
        "title"] == "Learning progression"
    assert exported["c3000000-0000-4000-8000-000000000007"]["extensions"] == {
        "sipa:weight": 0.4}
    definitions = package["CFDefinitions"]
    for key, values in source["CFDefinitions"].items():
        for value in values:
            assert value in definitions[key]
    assert source["CFRubrics"][0] in package["CFRubrics"]
    # and the re-exported package, imported again, is the same content
    assert client.post("/frac/imports", json=package,
                       headers=who["headers"]).get_json()["status"] == "unchanged"


# --- bad packages -----------------------------------------------------------------------------


def _foreign() -> dict[str, Any]:
    return copy.deepcopy(json.loads(FOREIGN.read_text()))


def _native(app: Any, client: Any) -> dict[str, Any]:
    owner = curator(app, "Source")
    store = app.extensions["hub.store"]
    publish_test_framework(store, owner["org"]["id"])
    package = client.get(f"{CASE}/CFPackages/{FRAMEWORK_ID}").get_json()
    return {"package": package, "store": store}


def _break_missing_identifier(p: dict[str, Any]) -> None:
    del p["CFItems"][1]["identifier"]


def _break_dangling(p: dict[str, Any]) -> None:
    p["CFAssociations"][4]["destinationNodeURI"] = {"title": "x", "identifier":
                                                    "a1000000-0000-4000-8000-0000000000ff"}


def _break_cycle(p: dict[str, Any]) -> None:
    p["CFAssociations"][0]["destinationNodeURI"] = copy.deepcopy(
        p["CFAssociations"][3]["originNodeURI"])


def _break_duplicate_code(p: dict[str, Any]) -> None:
    p["CFItems"][2]["humanCodingScheme"] = "DS.1.1"


def _break_types(p: dict[str, Any]) -> None:
    p["CFItems"][0]["conceptKeywords"] = "dashboards"
    p["CFItems"][1]["fullStatement"] = 42
    p["CFAssociations"][1]["sequenceNumber"] = "first"
    p["CFDocument"]["lastChangeDateTime"] = "yesterday"


BAD = {
    "missing identifier": (_break_missing_identifier, "CFItems[1].identifier"),
    "dangling association": (_break_dangling,
                             "CFAssociations[4].destinationNodeURI.identifier"),
    "cycle in isChildOf": (_break_cycle, "isChildOf makes a cycle"),
    "duplicate humanCodingScheme": (_break_duplicate_code, "CFItems[2].humanCodingScheme"),
    "wrong JSON types": (_break_types, "CFItems[0].conceptKeywords"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_foreign_package_is_refused_whole(app: Any, client: Any, case: str) -> None:
    who = curator(app)
    package = _foreign()
    breaker, expected = BAD[case]
    breaker(package)
    answer = client.post("/frac/imports", json=package, headers=who["headers"])
    assert answer.status_code == 400, answer.get_json()
    assert answer.mimetype == "application/problem+json"
    problems = answer.get_json()["item_errors"]
    assert any(expected in (p["field"], p["message"]) for p in problems), problems
    assert all(set(p) == {"item", "field", "message"} for p in problems)
    assert empty(app, FOREIGN_ID)


def test_wrong_types_are_all_listed(app: Any, client: Any) -> None:
    who = curator(app)
    package = _foreign()
    _break_types(package)
    fields = {p["field"] for p in client.post("/frac/imports", json=package,
                                              headers=who["headers"]).get_json()["item_errors"]}
    assert {"CFItems[0].conceptKeywords", "CFItems[1].fullStatement",
            "CFAssociations[1].sequenceNumber", "CFDocument.lastChangeDateTime"} <= fields


def test_levels_outside_1_to_5_and_wrong_parents_are_refused(app: Any, client: Any,
                                                            store_url: str,
                                                            tmp_path: Path) -> None:
    package = _native(app, client)["package"]
    level = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]
    level["position"] = 6
    level["score"] = 6
    requirement = next(a for a in package["CFAssociations"]
                       if a["associationType"] == "isRelatedTo")
    requirement["extensions"][EXT]["level"] = 0
    theme = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "COMTHEME-1")
    parent_link = next(a for a in package["CFAssociations"]
                       if a["originNodeURI"]["identifier"] == theme["identifier"])
    parent_link["destinationNodeURI"] = copy.deepcopy(parent_link["originNodeURI"]) | {
        "identifier": nid("POS-1")}
    with other_hub(store_url, tmp_path) as second:
        who = curator(second)
        answer = second.test_client().post("/frac/imports", json=package,
                                           headers=who["headers"])
        assert answer.status_code == 400
        messages = " | ".join(p["message"] for p in answer.get_json()["item_errors"])
        assert "a proficiency level is 1..5" in messages
        assert "a required level is 1..5" in messages
        assert "must be isChildOf a Competency Area" in messages
        assert empty(second, FRAMEWORK_ID)


@pytest.mark.parametrize("body", [[], "package", {"CFItems": []}, {"CFDocument": []}])
def test_not_a_package_at_all(app: Any, client: Any, body: Any) -> None:
    who = curator(app)
    answer = client.post("/frac/imports", json=body, headers=who["headers"])
    assert answer.status_code == 400 and answer.get_json()["item_errors"]


def test_imports_need_a_curator(app: Any, client: Any) -> None:
    publisher = Tenants(app).make("Provider", "provider", ("publisher",))
    package = _foreign()
    assert client.post("/frac/imports", json=package).status_code == 401
    assert client.post("/frac/imports", json=package,
                       headers=publisher["headers"]).status_code == 403
    assert empty(app, FOREIGN_ID)


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_import_and_export(app: Any, runner: Any, tmp_path: Path) -> None:
    owner = curator(app)
    done = runner.invoke(args=["frac", "import", str(FOREIGN), "--org", "Commission"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["framework"] == FOREIGN_ID
    assert app.extensions["hub.store"].frac.get_framework(FOREIGN_ID)["org_id"] == \
        owner["org"]["id"]
    exported = runner.invoke(args=["frac", "export", FOREIGN_ID, "--version", "1"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["CFDocument"]["identifier"] == FOREIGN_ID
    bad = _foreign()
    _break_duplicate_code(bad)
    bad["CFDocument"]["identifier"] = "7f3c2a10-5b7e-4c1e-9a4d-2e6f8b1c0d02"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    refused = runner.invoke(args=["frac", "import", str(path), "--org", "Commission"])
    assert refused.exit_code == 2
    assert "CFItems[2].humanCodingScheme" in refused.stderr
    assert empty(app, "7f3c2a10-5b7e-4c1e-9a4d-2e6f8b1c0d02")
    missing = runner.invoke(args=["frac", "export", "7f3c2a10-5b7e-4c1e-9a4d-2e6f8b1c0d02"])
    assert missing.exit_code == 2


def test_clashes_with_stored_nodes_are_refused_before_writing(app: Any, client: Any) -> None:
    who = curator(app)
    store = app.extensions["hub.store"]
    publish_test_framework(store, who["org"]["id"])
    stolen = _foreign()
    stolen["CFItems"][0]["identifier"] = nid("COMAREA-1")
    for assoc in stolen["CFAssociations"]:
        for end in ("originNodeURI", "destinationNodeURI"):
            if assoc[end]["identifier"] == "a1000000-0000-4000-8000-000000000001":
                assoc[end]["identifier"] = nid("COMAREA-1")
    answer = client.post("/frac/imports", json=stolen, headers=who["headers"])
    assert answer.status_code == 400
    assert answer.get_json()["item_errors"][0]["item"] == nid("COMAREA-1")
    assert empty(app, FOREIGN_ID)
    # a working node created since the import holds a code the next package uses
    assert client.post("/frac/imports", json=_foreign(),
                       headers=who["headers"]).status_code == 201
    store.frac.add_nodes([{
        "id": "a1000000-0000-4000-8000-0000000000aa", "framework": FOREIGN_ID,
        "type": "other", "code": "DS.9", "name": {"en": "Draft"}, "description": {},
        "parent": None, "status": "unverified", "revision": 1, "created_at": "x",
        "updated_at": "x", "extensions": {}}], [])
    changed = _foreign()
    changed["CFItems"][2]["humanCodingScheme"] = "DS.9"
    refused = client.post("/frac/imports", json=changed, headers=who["headers"])
    assert refused.status_code == 400
    assert refused.get_json()["item_errors"][0]["field"] == "CFItems.humanCodingScheme"
    assert [v["number"] for v in store.frac.list_versions(FOREIGN_ID)] == [1]
    assert store.frac.get_node("a1000000-0000-4000-8000-000000000003")["code"] == "DS.1.2"


def test_a_kept_association_whose_end_left_the_version_is_not_exported() -> None:
    from marketplace.frac_case_export import export_package
    from marketplace.frac_case_read import read_package

    plan = read_package(_foreign())
    gone = "a1000000-0000-4000-8000-000000000003"
    nodes = [{**n, "framework": plan.document_id} for n in plan.nodes if n["id"] != gone]
    version = {"framework": plan.document_id, "number": 2, "published_at": plan.published_at,
               "title": plan.title, "description": plan.description,
               "extensions": plan.extensions, "nodes": nodes,
               "associations": plan.associations}
    package = export_package({"id": plan.document_id, "creator": "x"}, version, "http://h")
    kinds = sorted(a["associationType"] for a in package["CFAssociations"])
    assert kinds == ["exactMatchOf", "isChildOf", "isChildOf", "isChildOf"]
