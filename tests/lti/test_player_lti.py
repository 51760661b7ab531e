"""An LMS's LTI launch of a cmi5 course over real HTTP, on every store adapter: the hub sends the
browser to /play with a sealed ticket naming the learner (a tampered or expired one is refused
with a 400 naming ``ticket``), the page launches AUs for that learner, and when the course is
satisfied the LMS gets exactly one AGS score through the score outbox."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lti import links
from lti.devpeers.browser import Browser
from lti.player_routes import TICKET_PURPOSE
from lti.sealed import seal
from tests.conftest import Tenants
from tests.lti.chain_fixtures import Chain, chain  # noqa: F401 (a fixture)
from tests.lti.devpeer_fixtures import dev_platform, dev_tool  # noqa: F401 (fixtures)
from tests.lti.player_support import Au, published_cmi5
from tests.marketplace.conftest import Cast
from tests.marketplace.package_support import AU_EXTERNAL, AU_INTRO, AU_QUIZ


def _ticket(page_url: str) -> str:
    return parse_qs(urlsplit(page_url).query)["ticket"][0]


def _au_launch(chain: Chain, browser: Browser, page_url: str,  # noqa: F811
               au_id: str) -> dict[str, Any]:
    """Press the AU's button on the page: the hop to the AU's URL, as the launch API names
    it (for :class:`Au`)."""
    action = links.player_url(chain.url, urlsplit(page_url).path.rsplit("/", 1)[1]) + "/launch"
    hop = browser.run(action, "POST", {"ticket": _ticket(page_url), "au_id": au_id},
                      stop=lambda h: h.status == 303)
    assert hop.status == 303 and hop.location, hop.body
    params = {k: v[0] for k, v in parse_qs(urlsplit(hop.location).query).items()}
    if hop.location.startswith(chain.url):  # the AU's page itself, from the package
        assert browser.run(hop.location).status == 200
    session = parse_qs(urlsplit(hop.location).query)["fetch"][0]
    assert session
    store = chain.store
    sessions = store.cmi5.sessions(chain.lms_org["org"]["id"], params["registration"])
    return {"url": hop.location, "au_id": au_id, "session_id": sessions[-1]["session_id"],
            "registration": params["registration"]}


def test_lti_launch_play_page_and_one_ags_score(chain: Chain) -> None:  # noqa: F811
    client = chain.app.test_client()
    course_id = published_cmi5(Cast(Tenants(chain.app), client))
    target = links.course_target_link(chain.url, course_id)
    with Browser() as browser:
        page = browser.run(chain.lms.launch_url(target_link_uri=target))
        assert page.status == 200 and page.url.startswith(
            links.player_url(chain.url, course_id) + "?ticket="), page.body
        body = unescape(page.body)
        assert [m for m in re.findall(r'data-au-id="([^"]+)"', body)] == [
            AU_INTRO, AU_QUIZ, AU_EXTERNAL]
        assert 'target="_blank"' in body  # the quiz is OwnWindow (cmi5 §13.1.4)
        learner_id = chain.store.learners.resolve(
            chain.lms.issuer, "dev-learner-1", chain.lms_org["org"]["id"])["id"]

        intro = Au(client, _au_launch(chain, browser, page.url, AU_INTRO))
        assert intro.params["actor"].find(learner_id) > 0  # the LTI learner, not anonymous
        for verb, result in (("initialized", None),
                             ("completed", {"completion": True, "duration": "PT3M"}),
                             ("terminated", {"duration": "PT4M"})):
            assert intro.send(verb, result).status_code == 200
        assert chain.send_scores() == {"sent": 0, "retry": 0, "dead": 0}  # not yet
        quiz = Au(client, _au_launch(chain, browser, page.url, AU_QUIZ))
        for verb, result in (("initialized", None),
                             ("passed", {"success": True, "score": {"scaled": 0.85},
                                         "duration": "PT9M"}),
                             ("terminated", {"duration": "PT9M"})):
            assert quiz.send(verb, result).status_code == 200
        # The external AU (moveOn NotApplicable) was satisfied from the registration on: the
        # quiz's pass satisfies the course.
        again = browser.run(page.url)
        assert 'class="course-satisfied"' in again.body
        assert again.body.count('data-state="satisfied"') == 3

    assert chain.send_scores() == {"sent": 1, "retry": 0, "dead": 0}
    [scores] = chain.lms.scores.values()
    [given] = scores
    assert (given["userId"], given["scoreGiven"], given["scoreMaximum"],
            given["activityProgress"], given["gradingProgress"]) == (
        "dev-learner-1", 85.0, 100.0, "Completed", "FullyGraded")
    assert chain.send_scores()["sent"] == 0  # exactly one


def test_a_tampered_or_expired_ticket_is_refused(chain: Chain) -> None:  # noqa: F811
    client = chain.app.test_client()
    course_id = published_cmi5(Cast(Tenants(chain.app), client))
    with chain.app.app_context():
        good, _ = seal(TICKET_PURPOSE, {"org": chain.lms_org["org"]["id"], "learner": "l1",
                                        "course": course_id, "registration": None}, 60)
        expired, _ = seal(TICKET_PURPOSE, {"org": chain.lms_org["org"]["id"],
                                           "learner": "l1", "course": course_id}, -1)
    page = f"/play/{course_id}"
    assert client.get(page, query_string={"ticket": good}).status_code == 200
    for ticket, why in ((good[:-4] + "AAAA", "not one the hub issued"),
                        (expired, "expired"), ("", "missing")):
        res = client.get(page, query_string={"ticket": ticket})
        assert res.status_code == 400 and res.mimetype == "application/problem+json"
        assert res.get_json()["errors"] == {"ticket": [why]}
    other = client.get("/play/crs_other", query_string={"ticket": good})
    assert other.status_code == 400 and list(other.get_json()["errors"]) == ["ticket"]
    posted = client.post(f"{page}/launch", data={"ticket": good, "au_id": AU_INTRO})
    assert posted.status_code == 303 and "fetch=" in posted.headers["Location"]
