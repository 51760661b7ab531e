"""The tool side's LTI Advantage services: what a launch offered is remembered, and completions
recorded in the LRS go back to the launching LMS as AGS scores, once.

- :func:`remember_launch` (called by the launch handler after every valid launch) keeps, per
  learner and resource link, the AGS endpoint claim (AGS 2.0 §3.1) and, per context, the NRPS
  claim (NRPS 2.0 §3.6.1), in ``store.lti_grades``.
- :func:`context_roster` reads an LMS context's roster (NRPS 2.0) for the LMS organisation.
- :func:`enqueue_scores` is a statement listener (:func:`xapi.statements.add_statement_listener`,
  registered by :func:`lti.init_app`): inside the write that stores a batch it turns the
  completions of a course an LMS launched into an outbox entry keyed by (target, statement), so
  it commits with the statements and is sent once (:mod:`lti.score_sender` sends it). A batch
  makes at most one entry per target (see :func:`final_score`).

A score is built from the statement (AGS 2.0 §3.4 "Score publish service"): a result score wins
(``scaled`` as a percentage, else ``raw`` within ``min``..``max``); without one, ``passed`` and
``completed`` count as full marks and ``failed`` as none; a ``scored`` statement without a score
sends nothing. ``activityProgress`` is ``Completed`` for every verb but ``scored``, which is
``Completed`` only with ``result.completion`` true (a score on the way, say a quiz inside the
course, is ``InProgress``); ``gradingProgress`` is ``FullyGraded``, unless the statement records
a provider tool's AGS score (:data:`lti.xapi_bridge.GRADING_PROGRESS_EXTENSION`): then it is the
tool's, and a completion the tool has not graded yet goes without ``scoreGiven``, not as full
marks.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from catalogue_schemas.lti_platform_services import GRADING_PROGRESS
from hub.errors import NotFound
from hub.principal import Principal
from lti.ags_client import FULL_MARKS, SCOPE_SCORE, AccessTokens
from lti.links import course_activity_id
from lti.lms_http import LmsHttp, LmsServiceError, LmsServiceFailed
from lti.model import ToolLaunch
from lti.nrps_client import read_roster
from lti.xapi_bridge import GRADING_PROGRESS_EXTENSION, RESULT_VERBS, VERBS
from storage.ports import Store
from storage.timestamps import utcnow

FAILED, SCORED = VERBS["failed"], VERBS["scored"]
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"  # cmi5 §9.3.9: a course's moveOn met
#: The verbs a completion is recognised by (the bridge's result verbs, and cmi5's): the
#: listener looks at nothing else.
PASSBACK_VERBS = frozenset({*(VERBS[v] for v in RESULT_VERBS), SATISFIED})


def _target_id(launch: ToolLaunch) -> str:
    """One target per (registration, deployment, context, resource link, learner): a learner's
    launches of the same link refresh it, another link or course is another target."""
    parts = (launch.registration_id, launch.deployment_id, launch.context_id or "",
             launch.resource_link_id or "", launch.learner_id)
    return "tgt_" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def _home_page(launch: ToolLaunch) -> str:
    account = launch.agent.get("account") or {}
    return str(account.get("homePage") or "")


def remember_launch(store: Store, launch: ToolLaunch, public_url: str | None = None) -> None:
    """Remember what ``launch`` offered for grade pass-back and the roster (nothing when it
    offered neither). ``public_url`` defaults to the ``homePage`` of the launch's agent, which
    is the hub's public URL (DESIGN.md, "xAPI LRS": learner identity)."""
    now = utcnow()
    public_url = public_url or _home_page(launch)
    nrps = launch.nrps
    if launch.context_id and nrps and nrps.get("context_memberships_url"):
        context = launch.claims.get("https://purl.imsglobal.org/spec/lti/claim/context") or {}
        store.lti_grades.remember_context({
            "registration_id": launch.registration_id, "context_id": launch.context_id,
            "org_id": launch.org_id, "title": context.get("title"),
            "memberships_url": nrps["context_memberships_url"],
            "service_versions": list(nrps.get("service_versions") or ()), "updated_at": now})
    ags = launch.ags
    scopes = [str(s) for s in (ags or {}).get("scope") or ()]
    # AGS 2.0 §3.1: without the score scope the LMS does not take scores from this link.
    if (launch.message_type != "LtiResourceLinkRequest" or not launch.course_id or not ags
            or SCOPE_SCORE not in scopes
            or not (ags.get("lineitem") or ags.get("lineitems"))):
        return
    store.lti_grades.remember({
        "id": _target_id(launch), "org_id": launch.org_id,
        "registration_id": launch.registration_id, "deployment_id": launch.deployment_id,
        "issuer": launch.issuer, "client_id": launch.client_id,
        "learner_id": launch.learner_id, "home_page": _home_page(launch),
        "sub": str(launch.claims.get("sub") or ""),
        "activity_id": course_activity_id(public_url, launch.course_id),
        "course_id": launch.course_id, "resource_link_id": launch.resource_link_id,
        "context_id": launch.context_id, "lineitems": ags.get("lineitems"),
        "lineitem": ags.get("lineitem"), "scopes": scopes, "updated_at": now})


def score_for(statement: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    """The AGS Score (AGS 2.0 §3.4.1) a completion statement stands for, or None when it
    stands for none (a ``scored`` statement without a usable score)."""
    verb = statement["verb"]["id"]
    result = statement.get("result")
    result = result if isinstance(result, dict) else {}
    score = result.get("score")
    score = score if isinstance(score, dict) else {}
    given: float | None = None
    maximum = FULL_MARKS
    if isinstance(score.get("scaled"), int | float):
        given = max(0.0, float(score["scaled"])) * FULL_MARKS
    elif isinstance(score.get("raw"), int | float) and isinstance(score.get("max"), int | float):
        low = float(score["min"]) if isinstance(score.get("min"), int | float) else 0.0
        maximum = float(score["max"]) - low
        given = float(score["raw"]) - low
        if maximum <= 0:
            given, maximum = None, FULL_MARKS
    done = verb != SCORED or result.get("completion") is True
    extensions = result.get("extensions")
    grading = extensions.get(GRADING_PROGRESS_EXTENSION) if isinstance(extensions, dict) else None
    grading = grading if grading in GRADING_PROGRESS else "FullyGraded"
    sent: dict[str, Any] = {
        "userId": user_id, "activityProgress": "Completed" if done else "InProgress",
        "gradingProgress": grading,
        # AGS 2.0 §3.4.1.1: the LMS orders scores by this, so a resend is harmless
        "timestamp": statement.get("timestamp") or utcnow()}
    if given is None:
        if verb == SCORED:
            return None
        if grading != "FullyGraded":
            # A provider tool's "done, not graded yet" (AGS 2.0 §3.4: no scoreGiven until the
            # grade is known): the LMS hears of the progress, not of full marks.
            return sent
        given = 0.0 if verb == FAILED else FULL_MARKS
    return {**sent, "scoreGiven": round(given, 4), "scoreMaximum": maximum}


def _instant(stamp: Any) -> float:
    """Seconds since the epoch of an ISO 8601 timestamp (0 when it is none: never the case
    for a statement the LRS validated)."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def final_score(kept: dict[str, Any], candidate: dict[str, Any]) -> dict[str, Any]:
    """Of two scores for one target from one batch, the one the LMS must end with: the later
    ``timestamp``, and at the same instant a ``Completed`` one over one ``InProgress``; else
    ``candidate`` (the later in the batch).

    One batch sends one score per target because an LMS keeps only the latest score of a user
    and may ignore one whose ``timestamp`` equals the stored one (AGS 2.0 §3.4.1.1; the hub's
    own AGS endpoint refuses it with 409). A provider tool's one AGS score becomes up to three
    statements at one instant (``scored`` in progress, ``completed``, ``passed``,
    :mod:`lti.platform_scores`): sent one by one, the first, "in progress", could be the one
    the LMS keeps."""
    def rank(score: dict[str, Any]) -> tuple[float, bool]:
        return _instant(score["timestamp"]), score["activityProgress"] == "Completed"

    return candidate if rank(candidate) >= rank(kept) else kept


def _learner_of(statement: dict[str, Any]) -> tuple[str, str] | None:
    account = (statement.get("actor") or {}).get("account")
    if not isinstance(account, dict):
        return None
    return str(account.get("homePage") or ""), str(account.get("name") or "")


def enqueue_scores(store: Store, org_id: str, statements: list[dict[str, Any]]) -> None:
    """The statement listener: outbox entries for the completions in a stored batch of
    ``org_id`` whose learner and course an LMS of that organisation launched, one per target
    (:func:`final_score` picks it). Filters by verb before any lookup, so ordinary ingest costs
    a set test per statement."""
    completions = [s for s in statements if (s.get("verb") or {}).get("id") in PASSBACK_VERBS]
    if not completions:
        return
    chosen: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}  # target id -> its entry
    for statement in completions:
        learner = _learner_of(statement)
        activity = (statement.get("object") or {}).get("id")
        if learner is None or not isinstance(activity, str):
            continue
        for target in store.lti_grades.targets(org_id, learner[1], activity):
            score = score_for(statement, target["sub"])
            if score is None or target.get("home_page") != learner[0]:
                continue
            kept = chosen.get(target["id"])
            if kept is None or final_score(kept[1]["score"], score) is score:
                chosen[target["id"]] = (target, {"statement_id": statement["id"],
                                                 "score": score})
    entries = [{"key": f"{target['id']}|{pick['statement_id']}", "org_id": org_id,
                "target_id": target["id"], **pick, "status": "pending", "attempts": 0,
                "next_attempt_at": None, "last_error": None, "created_at": utcnow(),
                "sent_at": None} for target, pick in chosen.values()]
    if entries and store.lti_grades.enqueue(entries):
        from lti.score_sender import wake_sender

        wake_sender()


def context_roster(store: Store, principal: Principal, registration_id: str, context_id: str,
                   http: LmsHttp, tokens: AccessTokens) -> dict[str, Any]:
    """The roster of an LMS context (NRPS 2.0), for the LMS organisation's people: 404 when the
    registration is another organisation's or no launch from that context offered NRPS."""
    registration = store.lti_platforms.get(registration_id)
    if registration is None or not principal.acts_for(registration["org_id"]):
        raise NotFound("no such platform registration")
    context = store.lti_grades.get_context(registration_id, context_id)
    if context is None:
        raise NotFound("no launch from this context offered its roster (NRPS)")
    try:
        roster = read_roster(http, tokens, registration, context["memberships_url"])
    except LmsServiceError as exc:
        raise LmsServiceFailed(str(exc)) from None
    return {"registration_id": registration_id, "context_id": context_id,
            "context": {"title": context.get("title"), **roster["context"]},
            "members": roster["members"]}
