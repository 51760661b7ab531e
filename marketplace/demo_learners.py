"""Demo data of learner records (issue 13, "Demo data"): the demo department's Section Officer
gets the FRAC position "Section Officer" of the demo framework (whose roles require levels of
competencies: a gap to close), languages, and a history in the department's LRS:

- completions of published demo courses tagged with competencies his roles require (so the
  passbook built from the LRS holds them);
- one completion impossibly fast: ``launched`` then ``completed`` 20 seconds later in the same
  registration, on a course of at least 20 minutes (DESIGN.md "Integrity": the 20-minute
  courses "completed" in 20 seconds), for completion integrity to flag.

Runs after the department's loader (:mod:`marketplace.demo_plans`, which registers the
learners); records change through :mod:`marketplace.learners` as the department's curator, and
statements go through the statement sink (:func:`hub.context.get_statement_sink`), so they
are validated and stored in the department's LRS like any other.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from catalogue_schemas.fields import duration_minutes
from catalogue_schemas.links import catalogue_item_url
from hub.auth import create_credential
from hub.principal import OrgKind, Principal, Role
from marketplace import demo_frac_data as frac_data
from marketplace import learners
from marketplace.demo_plans import DEMO_DEPARTMENT
from storage.ports import Document, Store

ADL = "http://adlnet.gov/expapi/verbs/"
#: (learner id, position code, languages) of the department's learners given a position.
POSITIONS = (("rev-0004", "POS-1", ["hi", "en-IN"]), ("rev-0003", "POS-2", ["en-IN", "bn"]))
#: The learner with a history, and the competencies (sub-theme numbers) of the courses he
#: completed: noting (21) and public financial management (13) properly, procurement rules
#: (17) in 20 seconds.
LEARNER = "rev-0004"
COMPLETED = (21, 13)
TOO_FAST = 17
FAST_SECONDS = 20


def _minutes(live: Document) -> int:
    try:
        return duration_minutes(str(live.get("duration") or ""))
    except ValueError:
        return 0


def _course_tagged(store: Store, subtheme: int) -> Document:
    """The first published demo course tagged with sub-theme ``subtheme`` that lasts 20
    minutes or more."""
    wanted = frac_data.node_id(f"COMSUBTHEME-{subtheme}")
    for index in range(1000):
        course = store.courses.get(f"crs_demo{index:04d}")
        live = course.get("live") if course else None
        if course and live and any(t["id"] == wanted for t in live.get("competencies", [])) \
                and _minutes(live) >= 20:
            return course
    raise LookupError(f"no published demo course on COMSUBTHEME-{subtheme}")


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _statement(public_url: str, learner_id: str, verb: str, course: Document,
               registration: str, at: datetime, duration: str | None = None) -> Document:
    """An xAPI statement of the learner about a catalogue course (xAPI 1.0.3 Data 2.4), with a
    deterministic id so a reload writes the same statements."""
    statement: Document = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{public_url}/demo/{registration}/{verb}")),
        "actor": {"objectType": "Agent",
                  "account": {"homePage": public_url, "name": learner_id}},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": catalogue_item_url(public_url, course["id"]),
                   "definition": {"name": course["live"]["title"]}},
        "context": {"registration": registration},
        "timestamp": _stamp(at)}
    if verb == "completed":
        # xAPI Data 2.4.5: the time the learner took (ISO 8601 duration).
        statement["result"] = {"completion": True, "duration": duration}
    return statement


def _attempt(public_url: str, course: Document, started: datetime,
             seconds: int) -> list[Document]:
    """``launched`` then ``completed`` ``seconds`` later in one registration."""
    registration = str(uuid.uuid5(uuid.NAMESPACE_URL,
                                  f"{public_url}/demo/{LEARNER}/{course['id']}"))
    return [_statement(public_url, LEARNER, "launched", course, registration, started),
            _statement(public_url, LEARNER, "completed", course, registration,
                       started + timedelta(seconds=seconds), f"PT{seconds}S")]


def demo_statements(store: Store, public_url: str, now: datetime) -> list[Document]:
    """The learner's statements: each proper completion took the course's whole duration,
    the last one 20 seconds."""
    statements: list[Document] = []
    for days_ago, subtheme in zip((20, 12), COMPLETED, strict=True):
        course = _course_tagged(store, subtheme)
        minutes = _minutes(course["live"])
        statements += _attempt(public_url, course, now - timedelta(days=days_ago),
                               int(minutes * 60))
    statements += _attempt(public_url, _course_tagged(store, TOO_FAST),
                           now - timedelta(days=2), FAST_SECONDS)
    return statements


def load_demo_learners(store: Store) -> Document:
    """The demo loader (:data:`marketplace.demo.DEMO_LOADERS`, after the department's):
    positions and languages of the department's learners, the learner's statements, and a
    reader credential of the department (LRS reader and reviewer: reads the learners and
    their statements, and accepts flagged completions) as ``department_reader``."""
    from hub.context import get_config, get_statement_sink

    public_url = get_config().public_url
    department = store.organisations.get_by_name(DEMO_DEPARTMENT)
    assert department is not None, "the demo department is loaded first"
    curator = Principal(key="demo", org_id=department["id"], org_kind=OrgKind.DEPARTMENT,
                        org_name=department["name"], roles=frozenset({Role.CURATOR.value}))
    for learner_id, position, languages in POSITIONS:
        learners.patch_learner(store, curator, learner_id, {
            "position": frac_data.node_id(position), "languages": languages}, public_url)
    now = datetime.now(UTC).replace(microsecond=0)
    get_statement_sink()(store, department["id"], demo_statements(store, public_url, now))
    reader = create_credential(store, department["id"], [Role.LRS_READER, Role.REVIEWER],
                               "demo")
    return {"department_reader": {**reader, "org": department["name"]}}
