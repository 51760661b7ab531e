"""Interop with a real xAPI client: TinCanPython (``tincan``) over HTTP against the hub.

The hub is served by werkzeug on 127.0.0.1 in a thread (on each store adapter) and ``tincan``'s
``RemoteLRS`` talks to it exactly as it talks to any LRS: statements saved, retrieved, queried
(with ``more`` pages), voided; State, Activity Profile and Agent Profile documents saved,
listed, read and deleted.

tincan 1.0 quirks these tests live with (they are the client's, not the LRS's): boolean query
parameters are sent as Python's ``True``; ``save_state`` sends its PUT twice and drops the
registration; document ETags are never read back from responses; and it cannot create a
profile document (see :func:`create_profile`).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

tincan = pytest.importorskip("tincan")
from tincan import (  # noqa: E402 - after importorskip, the documented pattern
    Activity,
    ActivityDefinition,
    Agent,
    AgentAccount,
    Context,
    LanguageMap,
    RemoteLRS,
    Result,
    Score,
    Statement,
    StatementRef,
    Verb,
)
from tincan.documents import (  # noqa: E402
    ActivityProfileDocument,
    AgentProfileDocument,
    StateDocument,
)
from tincan.http_request import HTTPRequest  # noqa: E402

from tests.conftest import Tenants  # noqa: E402

COMPLETED = Verb(id="http://adlnet.gov/expapi/verbs/completed",
                 display=LanguageMap({"en-US": "completed", "hi": "पूरा किया"}))
ATTEMPTED = Verb(id="http://adlnet.gov/expapi/verbs/attempted",
                 display=LanguageMap({"en-US": "attempted"}))
VOIDED = Verb(id="http://adlnet.gov/expapi/verbs/voided", display=LanguageMap({"en-US": "voided"}))


@pytest.fixture
def lrs(app: Any, tenants: Tenants) -> Iterator[RemoteLRS]:
    """A ``RemoteLRS`` on the hub served over real HTTP on a free loopback port."""
    cred = tenants.make("Ministry LMS", "lms", ("lrs-writer", "lrs-reader"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RemoteLRS(endpoint=f"http://127.0.0.1:{server.server_port}/xapi/",
                        version="1.0.3", username=cred["key"], password=cred["secret"])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def learner(name: str = "asha") -> Agent:
    """A learner as the hub identifies LTI users: an account on the hub (DESIGN, xAPI LRS)."""
    return Agent(name=name.title(), account=AgentAccount(home_page="http://hub.test",
                                                         name=name))


def course(n: int = 1) -> Activity:
    return Activity(id=f"https://courses.example/igot/c{n}",
                    definition=ActivityDefinition(
                        name=LanguageMap({"en-US": f"Course {n}", "hi": f"पाठ्यक्रम {n}"}),
                        type="http://adlnet.gov/expapi/activities/course"))


def ok(response: Any) -> Any:
    """The content of a successful tincan response (with the LRS's body when it failed)."""
    assert response.success, (response.response.status, response.data)
    return response.content


def test_about_reports_1_0_3(lrs: RemoteLRS) -> None:
    about = ok(lrs.about())
    assert "1.0.3" in about.version


def test_save_and_retrieve_a_statement(lrs: RemoteLRS) -> None:
    registration = str(uuid.uuid4())
    statement = Statement(
        actor=learner(), verb=COMPLETED, object=course(),
        result=Result(score=Score(scaled=0.9, raw=90, min=0, max=100), success=True,
                      completion=True, duration="PT1H2M"),
        context=Context(registration=registration, language="hi"),
    )
    saved = ok(lrs.save_statement(statement))
    assert saved.id is not None  # POST returned the id the LRS assigned

    got = ok(lrs.retrieve_statement(saved.id))
    assert str(got.id) == str(saved.id)
    assert got.actor.account.name == "asha"
    assert got.verb.id == COMPLETED.id
    assert got.object.id == course().id
    assert got.result.score.scaled == 0.9 and got.result.duration is not None
    assert str(got.context.registration) == registration
    assert got.stored is not None  # set by the LRS (Data 2.4.8)
    assert got.authority is not None  # from the credential (Data 2.4.9)
    assert got.version is not None


def test_put_with_a_client_id_is_idempotent(lrs: RemoteLRS) -> None:
    statement = Statement(id=str(uuid.uuid4()), actor=learner(), verb=ATTEMPTED, object=course())
    ok(lrs.save_statement(statement))
    assert lrs.save_statement(statement).response.status == 204  # same id, same content
    clash = Statement(id=statement.id, actor=learner("ravi"), verb=ATTEMPTED, object=course())
    assert lrs.save_statement(clash).response.status == 409


def test_batch_then_query_with_more_pages(lrs: RemoteLRS) -> None:
    batch = [Statement(actor=learner(), verb=COMPLETED, object=course(n)) for n in range(5)]
    batch.append(Statement(actor=learner("ravi"), verb=ATTEMPTED, object=course(1)))
    saved = ok(lrs.save_statements(batch))
    ids = [str(s.id) for s in saved]
    assert len(set(ids)) == 6

    first = ok(lrs.query_statements({"verb": COMPLETED, "limit": 2}))
    seen = [str(s.id) for s in first.statements]
    assert len(seen) == 2 and first.more
    page = first
    while page.more:
        page = ok(lrs.more_statements(page))
        seen += [str(s.id) for s in page.statements]
    assert seen == list(reversed(ids[:5]))  # newest first (Communication 2.1.3)

    by_agent = ok(lrs.query_statements({"agent": learner("ravi")}))
    assert [str(s.id) for s in by_agent.statements] == [ids[5]]
    by_activity = ok(lrs.query_statements({"activity": course(1)}))
    assert sorted(str(s.id) for s in by_activity.statements) == sorted([ids[1], ids[5]])


def test_query_by_registration_and_since(lrs: RemoteLRS) -> None:
    registration = str(uuid.uuid4())
    ok(lrs.save_statement(Statement(actor=learner(), verb=ATTEMPTED, object=course())))
    first = ok(lrs.save_statement(Statement(actor=learner(), verb=ATTEMPTED, object=course(),
                                            context=Context(registration=registration))))
    stored = ok(lrs.retrieve_statement(first.id)).stored
    later = ok(lrs.save_statement(Statement(actor=learner(), verb=COMPLETED, object=course(),
                                            context=Context(registration=registration))))

    by_registration = ok(lrs.query_statements({"registration": registration}))
    assert [str(s.id) for s in by_registration.statements] == [str(later.id), str(first.id)]
    since = ok(lrs.query_statements({"since": stored.isoformat()}))
    assert [str(s.id) for s in since.statements] == [str(later.id)]


def test_voided_statement_is_only_reachable_as_voided(lrs: RemoteLRS) -> None:
    target = ok(lrs.save_statement(Statement(actor=learner(), verb=COMPLETED, object=course(9))))
    ok(lrs.save_statement(Statement(actor=learner(), verb=VOIDED,
                                    object=StatementRef(id=target.id))))

    assert lrs.retrieve_statement(target.id).response.status == 404  # Data 2.3.2
    voided = ok(lrs.retrieve_voided_statement(target.id))
    assert str(voided.id) == str(target.id)
    listed = ok(lrs.query_statements({"activity": course(9)}))
    assert str(target.id) not in [str(s.id) for s in listed.statements]


def test_state_documents(lrs: RemoteLRS) -> None:
    activity, agent = course(), learner()
    state = StateDocument(id="bookmark", activity=activity, agent=agent,
                          content=json.dumps({"page": 7}),
                          content_type="application/json")
    assert lrs.save_state(state).success
    ok(lrs.save_state(StateDocument(id="progress", activity=activity, agent=agent,
                                    content="42%", content_type="text/plain")))

    got = ok(lrs.retrieve_state(activity, agent, "bookmark"))
    assert json.loads(got.content) == {"page": 7}
    assert sorted(ok(lrs.retrieve_state_ids(activity, agent))) == ["bookmark", "progress"]

    assert lrs.delete_state(state).success
    assert ok(lrs.retrieve_state_ids(activity, agent)) == ["progress"]
    missing = lrs.retrieve_state(activity, agent, "bookmark")  # tincan treats 404 as "no doc"
    assert missing.response.status == 404
    assert lrs.clear_state(activity, agent).success
    assert ok(lrs.retrieve_state_ids(activity, agent)) == []


def create_profile(lrs: RemoteLRS, resource: str, params: dict[str, str],
                   content: str) -> None:
    """Create a profile document through tincan's own transport.

    tincan 1.0's ``save_*_profile`` sends a PUT without If-Match/If-None-Match for a document it
    has no ETag for, which a conformant LRS must refuse with 400 (Communication 3.1; conformance
    suite XAPI-00273, "fails without ETag header"). So creation adds ``If-None-Match: *``."""
    request = HTTPRequest(method="PUT", resource=resource, content=content,
                          headers={"Content-Type": "application/json", "If-None-Match": "*"})
    request.query_params = params
    response = lrs._send_request(request)
    assert response.response.status == 204, response.data


def etag_of(response: Any) -> str:
    """The ETag of a document response (tincan 1.0 never reads it back: it looks for the header
    in a list of tuples)."""
    etag = response.response.getheader("ETag")
    assert etag
    return str(etag)


def test_activity_profile_documents(lrs: RemoteLRS) -> None:
    activity = course(3)
    profile = ActivityProfileDocument(id="syllabus", activity=activity,
                                      content=json.dumps({"weeks": 4}),
                                      content_type="application/json")
    refused = lrs.save_activity_profile(profile)  # no ETag, no If-None-Match
    assert refused.response.status == 400
    create_profile(lrs, "activities/profile", {"activityId": activity.id,
                                               "profileId": "syllabus"}, profile.content.decode())
    assert ok(lrs.retrieve_activity_profile_ids(activity)) == ["syllabus"]
    got = lrs.retrieve_activity_profile(activity, "syllabus")
    assert json.loads(ok(got).content) == {"weeks": 4}

    profile.etag = etag_of(got)  # tincan then sends If-Match: an update
    profile.content = json.dumps({"weeks": 6})
    assert lrs.save_activity_profile(profile).response.status == 204
    assert json.loads(ok(lrs.retrieve_activity_profile(activity, "syllabus")).content) == {
        "weeks": 6}
    assert lrs.save_activity_profile(profile).response.status == 412  # that ETag is stale now
    assert lrs.delete_activity_profile(profile).response.status == 412  # deletes check it too

    profile.etag = etag_of(lrs.retrieve_activity_profile(activity, "syllabus"))
    assert lrs.delete_activity_profile(profile).success
    assert ok(lrs.retrieve_activity_profile_ids(activity)) == []


def test_agent_profile_documents(lrs: RemoteLRS) -> None:
    agent = learner("meera")
    profile = AgentProfileDocument(id="preferences", agent=agent,
                                   content=json.dumps({"language": "ta"}),
                                   content_type="application/json")
    assert lrs.save_agent_profile(profile).response.status == 400  # as for activity profiles
    create_profile(lrs, "agents/profile", {"agent": agent.to_json("1.0.3"),
                                           "profileId": "preferences"},
                   profile.content.decode())
    assert ok(lrs.retrieve_agent_profile_ids(agent)) == ["preferences"]
    got = lrs.retrieve_agent_profile(agent, "preferences")
    assert json.loads(ok(got).content) == {"language": "ta"}
    profile.etag = etag_of(got)
    profile.content = json.dumps({"language": "hi"})
    assert lrs.save_agent_profile(profile).response.status == 204
    latest = lrs.retrieve_agent_profile(agent, "preferences")
    assert json.loads(ok(latest).content) == {"language": "hi"}
    profile.etag = etag_of(latest)  # tincan sends If-Match on delete as well
    assert lrs.delete_agent_profile(profile).success
    assert ok(lrs.retrieve_agent_profile_ids(agent)) == []


def test_wrong_secret_is_refused(lrs: RemoteLRS) -> None:
    intruder = RemoteLRS(endpoint=lrs.endpoint, version="1.0.3", username="k_nobody",
                         password="wrong")
    response = intruder.save_statement(Statement(actor=learner(), verb=COMPLETED,
                                                 object=course()))
    assert not response.success and response.response.status == 401
