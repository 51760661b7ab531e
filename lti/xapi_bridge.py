"""The LTI sides' statements in the hub's own LRS: launches, and the scores and completions that
travel through AGS, written through the LRS's own service (:func:`xapi.statements.
store_statements`, the one ``POST /xapi/statements`` uses), so they are validated, stored under
the organisation, forwarded and queried like any other statement.

- The actor is the learner as an account on the hub (xAPI Data 2.4.2.4): ``homePage`` is the
  hub's public URL, ``name`` the hub's stable learner id (never the LMS's ``sub`` or an e-mail).
- The authority is the hub itself (Data 2.4.9): name "Karmayogi Hub", account name ``hub``
  (:mod:`xapi.hub_statements`).
- The object is the catalogue course (:func:`lti.links.course_activity_id`), the same IRI the
  course's packaged content and catalogue search use, so a course's statements are found
  together whichever way it was launched.
- ``context.registration`` is the learner's attempt (the launch's registration UUID); context
  extensions name the LTI registration, deployment, context and resource link, so a statement
  can be traced back to the LMS or tool that caused it.

The statements are stored under ``org_id`` (the launching LMS's organisation, DESIGN.md
"Tenancy"): that organisation's ``lrs-reader`` reads them; no other organisation sees them.
"""

from __future__ import annotations

import uuid
from typing import Any

from lti.links import course_activity_id
from storage.timestamps import utcnow

# The hub as authority lives with the LRS (marketplace's statements use it too); the LTI
# sides keep naming it through this module.
from xapi.hub_statements import HUB_ACCOUNT as HUB_ACCOUNT
from xapi.hub_statements import HUB_NAME as HUB_NAME
from xapi.hub_statements import hub_principal as hub_principal
from xapi.hub_statements import record as record

#: ADL verbs (the ADL vocabulary, http://adlnet.gov/expapi/verbs/) the LTI sides record.
VERBS: dict[str, str] = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("launched", "scored", "completed", "passed", "failed")
}
#: The verbs of :func:`result_statement`.
RESULT_VERBS = ("scored", "completed", "passed", "failed")

#: Context extension IRIs (Data 2.4.6.2; extension keys are IRIs) naming the LTI parties.
EXTENSION_BASE = "https://karmayogi.example/xapi/extensions/lti/"
EXTENSIONS: dict[str, str] = {
    name: EXTENSION_BASE + name.replace("_", "-")
    for name in ("platform_registration", "tool_registration", "deployment_id", "context_id",
                 "resource_link_id", "message_type")
}

#: Result extension (Data 2.4.5) carrying the ``gradingProgress`` of the AGS score a result
#: statement records (AGS 2.0 §3.4.1): a tool's "completed, grading pending" is then not taken
#: for a completion without a score, which the pass-back counts as full marks.
GRADING_PROGRESS_EXTENSION = EXTENSION_BASE + "grading-progress"


def learner_agent(public_url: str, learner_id: str) -> dict[str, Any]:
    """The learner as an xAPI Agent with an account on the hub (Data 2.4.2.4): no name or
    e-mail, which the LMS may not have sent and which would put personal data in the LRS."""
    return {"account": {"homePage": public_url, "name": learner_id}}


def _context(registration: str, parties: dict[str, str | None]) -> dict[str, Any]:
    unknown = set(parties) - set(EXTENSIONS)
    if unknown:
        raise TypeError(f"unknown LTI context fields: {', '.join(sorted(unknown))}")
    context: dict[str, Any] = {"registration": registration}
    extensions = {EXTENSIONS[k]: v for k, v in parties.items() if v is not None}
    if extensions:
        context["extensions"] = extensions
    return context


def _statement(verb: str, public_url: str, learner_id: str, course_id: str,
               registration: str, course_name: str | None, timestamp: str | None,
               statement_id: str | None, parties: dict[str, str | None]) -> dict[str, Any]:
    activity: dict[str, Any] = {"objectType": "Activity",
                                "id": course_activity_id(public_url, course_id)}
    if course_name:
        activity["definition"] = {"name": {"en": course_name}}
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": learner_agent(public_url, learner_id),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": activity,
        "context": _context(registration, parties),
        "timestamp": timestamp or utcnow(),
    }


def launched_statement(public_url: str, *, learner_id: str, course_id: str,
                       registration: str, course_name: str | None = None,
                       timestamp: str | None = None, statement_id: str | None = None,
                       **parties: str | None) -> dict[str, Any]:
    """``launched`` (ADL) of the course by the learner in attempt ``registration``.

    ``parties`` are the LTI context fields of :data:`EXTENSIONS` (``platform_registration``,
    ``tool_registration``, ``deployment_id``, ``context_id``, ``resource_link_id``,
    ``message_type``); None values are left out."""
    return _statement("launched", public_url, learner_id, course_id, registration,
                      course_name, timestamp, statement_id, parties)


def score_of(given: float | None, maximum: float | None) -> dict[str, Any] | None:
    """An xAPI score (Data 2.4.5.1.1) from an AGS ``scoreGiven``/``scoreMaximum`` (AGS 2.0
    §3.4): ``scaled`` is given/maximum capped to [0, 1] (AGS allows extra credit beyond the
    maximum; xAPI does not); ``min``/``max`` only when ``raw`` lies between them."""
    if given is None:
        return None
    score: dict[str, Any] = {"raw": given}
    if maximum is not None and maximum > 0:
        score["scaled"] = round(max(0.0, min(1.0, given / maximum)), 6)
        if 0 <= given <= maximum:
            score.update({"min": 0, "max": maximum})
    return score


def result_statement(verb: str, public_url: str, *, learner_id: str, course_id: str,
                     registration: str, score_given: float | None = None,
                     score_maximum: float | None = None, duration: str | None = None,
                     response: str | None = None, course_name: str | None = None,
                     timestamp: str | None = None, statement_id: str | None = None,
                     grading_progress: str | None = None,
                     **parties: str | None) -> dict[str, Any]:
    """A result of the attempt: ``scored``, ``completed``, ``passed`` or ``failed`` (ADL), with
    ``result`` (Data 2.4.5): ``completion`` true for completed/passed/failed, ``success`` for
    passed/failed, the score when given (see :func:`score_of`), an ISO 8601 ``duration``, a
    ``response`` (an AGS comment) and the AGS ``gradingProgress``
    (:data:`GRADING_PROGRESS_EXTENSION`) when given. ``parties`` as in
    :func:`launched_statement`. ``ValueError`` for another verb."""
    if verb not in RESULT_VERBS:
        raise ValueError(f"verb must be one of {', '.join(RESULT_VERBS)}, not {verb!r}")
    result: dict[str, Any] = {}
    if verb != "scored":
        result["completion"] = True
    if verb in ("passed", "failed"):
        result["success"] = verb == "passed"
    score = score_of(score_given, score_maximum)
    if score is not None:
        result["score"] = score
    if duration:
        result["duration"] = duration
    if response:
        result["response"] = response
    if grading_progress:
        result["extensions"] = {GRADING_PROGRESS_EXTENSION: grading_progress}
    statement = _statement(verb, public_url, learner_id, course_id, registration, course_name,
                           timestamp, statement_id, parties)
    if result:
        statement["result"] = result
    return statement
