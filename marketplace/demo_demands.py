"""Demo data of departments' demand (``hub demo load``): a department with a curator, one
broadcast demand still open and one that the first demo provider accepted and is working on.

Registered as a demo loader (:data:`marketplace.demo.DEMO_LOADERS`), so it runs after the
catalogue and the demo FRAC framework are loaded, and goes through the same service as the API.
"""

from __future__ import annotations

from hub.auth import create_credential, create_organisation
from hub.principal import OrgKind, Principal, Role
from marketplace import demands
from marketplace.demo_frac_data import node_id
from storage.ports import Document, Store

DEMO_DEPARTMENT = "Department of Rural Development (demo)"


def _principal(store: Store, key: str) -> Principal:
    cred = store.credentials.get(key)
    org = store.organisations.get(cred["org_id"]) if cred else None
    assert cred is not None and org is not None
    return Principal(key=key, org_id=org["id"], org_kind=org["kind"], org_name=org["name"],
                     roles=frozenset(cred["roles"]))


def load_demo_demands(store: Store) -> Document:
    """The demo department, its curator credential and two demands in different states;
    returns ``{"demand_department": credential}``."""
    department = create_organisation(store, DEMO_DEPARTMENT, OrgKind.DEPARTMENT, country="IN")
    cred = create_credential(store, department["id"], [Role.CURATOR], "demo")
    curator = _principal(store, cred["key"])
    demands.raise_demand(store, curator, {
        "title": {"en": "Buying on the Government e-Marketplace",
                  "hi": "सरकारी ई-मार्केटप्लेस पर खरीद"},
        "objective": {"en": "Block officers procure through GeM within the financial rules."},
        "target_learners": {"description": {"en": "Block development officers"},
                            "designations": ["Block Development Officer"], "count": 650},
        "competencies": [{"id": node_id("COMSUBTHEME-18"), "level": 2}],
        "learning_mode": "blended", "provider_id": None})
    # The demo provider with a publisher credential (the one ``hub demo load`` prints).
    provider_id, publisher = next(
        (org["id"], cred) for org in store.organisations.list(OrgKind.PROVIDER)
        for cred in store.credentials.list_for_org(org["id"]) if Role.PUBLISHER in cred["roles"])
    taken = demands.raise_demand(store, curator, {
        "title": {"en": "Grievance redressal in Hindi", "hi": "हिंदी में शिकायत निवारण"},
        "objective": {"en": "Resolve citizens' grievances within the service-level time."},
        "target_learners": {"description": {"en": "Grievance officers of the districts"},
                            "designations": [], "count": None},
        "competencies": [{"id": node_id("COMSUBTHEME-24"), "level": 2}],
        "learning_mode": "self-paced", "provider_id": provider_id})
    provider = _principal(store, publisher["key"])
    demands.transition(store, provider, taken["id"], "accept")
    demands.transition(store, provider, taken["id"], "start",
                       comment="a Hindi edition of our course is in production")
    return {"demand_department": {**cred, "org": department["name"]}}
