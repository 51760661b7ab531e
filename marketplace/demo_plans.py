"""Demo data of capacity-building plans: a department with its learner directory, a live plan
assigned to every learner and to one designation (one item already past due, so the overdue
report shows rows), a live plan for one designation listing the department's curated
program, and a draft plan for named learners. The department's programs, batches and seats come
from :mod:`marketplace.demo_programs`.

Written through :mod:`marketplace.plans` with a principal of the department's curator, so the
demo's plans pass the same checks (published items, known learners) and carry the same audit
events as the API's.
"""

from __future__ import annotations

from hub.auth import create_credential, create_organisation
from hub.principal import OrgKind, Principal, Role
from marketplace import plans
from marketplace.demo_programs import load_demo_programs
from storage.ports import Document, Store

DEMO_DEPARTMENT = "Demo Department of Revenue"
#: (learner id, name, designation) of the department's directory.
LEARNERS = (("rev-0001", "Asha Verma", "Under Secretary"),
            ("rev-0002", "Ravi Iyer", "Under Secretary"),
            ("rev-0003", "Meera Das", "Deputy Secretary"),
            ("rev-0004", "Karan Singh", "Section Officer"))


def load_demo_department(store: Store) -> Document:
    """The demo loader (``hub demo load``, :data:`marketplace.demo.DEMO_LOADERS`): the
    department over the first published demo courses, with its programs
    (:mod:`marketplace.demo_programs`); ``{"department": credential, …}``."""
    from hub.context import get_config

    published: list[str] = []
    for index in range(1000):
        course = store.courses.get(f"crs_demo{index:04d}")
        if course is not None and course.get("live") is not None:
            published.append(course["id"])
        if len(published) == 5:
            break
    return load_demo_plans(store, get_config().public_url, published)


def load_demo_plans(store: Store, public_url: str, item_ids: list[str]) -> Document:
    """The department, its directory, its programs and plans over ``item_ids`` (published
    catalogue ids, at least five); returns its curator credential (also an LRS writer, to add
    statements) as ``department`` and the programs' credentials."""
    org = create_organisation(store, DEMO_DEPARTMENT, OrgKind.DEPARTMENT, country="IN")
    credential = create_credential(store, org["id"], [Role.CURATOR, Role.LRS_WRITER], "demo")
    curator = Principal(key=credential["key"], org_id=org["id"], org_kind=OrgKind.DEPARTMENT,
                        org_name=org["name"], roles=frozenset({Role.CURATOR.value}))
    for learner_id, name, designation in LEARNERS:
        plans.register_learner(store, curator, learner_id,
                               {"name": name, "designation": designation}, public_url)
    made = load_demo_programs(store, org, curator, [row[0] for row in LEARNERS], item_ids)
    annual = plans.create_plan(store, curator, {
        "title": {"en": "Annual capacity-building plan", "hi": "वार्षिक क्षमता निर्माण योजना"},
        "description": None, "items": item_ids[:2], "due_date": "2025-03-31",
        "audience": {"all": True, "designations": [], "learners": []}})
    plans.transition(store, curator, annual["id"], "go_live")
    secretaries = plans.create_plan(store, curator, {
        "title": {"en": "Under Secretaries' plan", "hi": "अवर सचिवों की योजना"},
        "description": None, "items": [made["curated_program"]], "due_date": "2099-12-31",
        "audience": {"all": False, "designations": ["Under Secretary"], "learners": []}})
    plans.transition(store, curator, secretaries["id"], "go_live")
    plans.create_plan(store, curator, {
        "title": {"en": "Induction (draft)", "hi": "प्रवेश प्रशिक्षण (प्रारूप)"},
        "description": None, "items": item_ids[3:4], "due_date": "2099-06-30",
        "audience": {"all": False, "designations": [], "learners": ["rev-0004"]}})
    return {"department": {**credential, "org": org["name"]}, **made["credentials"]}
