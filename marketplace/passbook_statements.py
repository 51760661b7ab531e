"""The statements the passbook is derived from, and the ones the hub writes for it.

Evidence comes only from an organisation's own LRS (the shared contract of issue 13):

- ``completed`` / ``passed`` (ADL verbs) whose object is a catalogue item's activity IRI
  (:func:`catalogue_schemas.links.catalogue_item_url`) and whose actor is a learner's account
  agent ``{"account": {"homePage", "name": learner_id}}``;
- statements the hub writes itself (authority: the hub's account, xAPI Data 2.4.9) through
  the statement sink (:func:`hub.context.get_statement_sink`):

  - **evidence the LRS cannot see by itself**, verb :data:`EVIDENCED`
    (``https://karmayogi.example/xapi/verbs/evidenced``): actor the learner's agent, object
    the competency as an Activity (``https://karmayogi.example/xapi/competencies/<id>``,
    type :data:`COMPETENCY_TYPE`), and in ``result.extensions`` under :data:`EVIDENCE_EXT`
    (``https://karmayogi.example/xapi/extensions/evidence``) the object
    ``{"kind": "certificate" | "external" | "self-declared", "competency", "level",
    "issuer", "id", "url", "title" (a language map), "provider"}`` (what the kind needs;
    the rest absent);
  - **a reviewer's acceptance of a flagged completion**, verb :data:`ACCEPTED`
    (``https://karmayogi.example/xapi/verbs/accepted-completion``): actor the reviewer's
    credential as an account agent on the hub, object a StatementRef to the completion
    (Data 2.4.4.3), so the acceptance is as durable and replayable as the completion.

Only statements whose authority is the hub's own account count for the last two: any
``lrs-writer`` could otherwise certify its learners by posting the verb itself.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from catalogue_schemas.links import catalogue_item_id
from hub.context import HUB_ACCOUNT, HUB_NAME
from storage.ports import Document

ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED = ADL + "completed"
PASSED = ADL + "passed"
BASE = "https://karmayogi.example/xapi/"
EVIDENCED = BASE + "verbs/evidenced"
ACCEPTED = BASE + "verbs/accepted-completion"
EVIDENCE_EXT = BASE + "extensions/evidence"
COMPETENCY_TYPE = BASE + "activities/competency"
VOIDED = ADL + "voided"
#: The verbs the passbook reads: the listener's first (set) test (a voiding statement,
#: Data 2.3.2, takes back what its target earned).
VERBS = frozenset({COMPLETED, PASSED, EVIDENCED, ACCEPTED, VOIDED})
#: Evidence kinds a completion verb earns.
KIND_OF_VERB = {COMPLETED: "completion", PASSED: "pass"}
#: Verbs in the order a rebuild replays them: an acceptance after the completion it accepts.
REPLAY_ORDER = (COMPLETED, PASSED, EVIDENCED, ACCEPTED)


def verb_of(statement: Document) -> str | None:
    """The statement's verb IRI."""
    verb = statement.get("verb")
    return verb.get("id") if isinstance(verb, dict) else None


def learner_of(statement: Document) -> str | None:
    """The learner id of an account agent actor (``account.name``), else None."""
    actor = statement.get("actor")
    if not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent":
        return None
    account = actor.get("account")
    if not isinstance(account, dict):
        return None
    name = account.get("name")
    return name if isinstance(name, str) and name else None


def item_of(statement: Document, public_url: str) -> str | None:
    """The catalogue id the statement's object Activity names, else None."""
    obj = statement.get("object")
    if not isinstance(obj, dict) or obj.get("objectType", "Activity") != "Activity":
        return None
    activity_id = obj.get("id")
    return catalogue_item_id(public_url, activity_id) if isinstance(activity_id, str) else None


def by_hub(statement: Document, public_url: str) -> bool:
    """Whether the hub itself wrote the statement (its authority, Data 2.4.9)."""
    authority = statement.get("authority")
    account = authority.get("account") if isinstance(authority, dict) else None
    return isinstance(account, dict) and account.get("name") == HUB_ACCOUNT and (
        account.get("homePage") == public_url)


def registration_of(statement: Document) -> str | None:
    """``context.registration`` (Data 2.4.6), lower-cased as the LRS indexes it."""
    context = statement.get("context")
    registration = context.get("registration") if isinstance(context, dict) else None
    return registration.lower() if isinstance(registration, str) else None


def source_of(evidence: Document) -> str:
    """The de-duplication key of a piece of evidence (storage.ports.passbook)."""
    kind = evidence["kind"]
    if kind == "certificate":
        return f"certificate:{evidence.get('issuer') or ''}|{evidence['id']}"
    if kind == "external":
        title = evidence.get("title") or {}
        named = title.get("en") or next(iter(title.values()), "") if isinstance(
            title, dict) else str(title)
        return f"external:{evidence.get('url') or named}"
    return "self"


def competency_activity(competency: str) -> str:
    """The Activity IRI an evidence statement names a competency by."""
    return BASE + "competencies/" + quote(competency, safe="")


def agent(home_page: str, name: str) -> dict[str, Any]:
    """An account agent (Data 2.4.2.2)."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def evidence_statement(learner: Document, evidence: Document, by: str, public_url: str
                       ) -> dict[str, Any]:
    """The statement recording ``evidence`` (the validated request body) for a learner
    record, on behalf of credential ``by``; its id is new, each call a new statement."""
    body = {k: v for k, v in evidence.items() if v is not None}
    return {
        "id": str(uuid.uuid4()),
        "actor": agent(learner["home_page"], learner["learner_id"]),
        "verb": {"id": EVIDENCED, "display": {"en": "recorded evidence of"}},
        "object": {"objectType": "Activity", "id": competency_activity(evidence["competency"]),
                   "definition": {"type": COMPETENCY_TYPE}},
        "result": {"extensions": {EVIDENCE_EXT: body}},
        "context": {"instructor": agent(public_url, by),
                    "platform": HUB_NAME},
    }


def acceptance_statement(completion: Document, by: str, public_url: str) -> dict[str, Any]:
    """The statement accepting a flagged completion, by reviewer credential ``by``. Its id is
    derived from the completion's (UUID v5), so accepting twice is the same statement."""
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, ACCEPTED + "/" + completion["statement_id"])),
        "actor": agent(public_url, by),
        "verb": {"id": ACCEPTED, "display": {"en": "accepted the completion"}},
        "object": {"objectType": "StatementRef", "id": completion["statement_id"]},
    }


def evidence_of(statement: Document) -> Document | None:
    """The evidence object of an :data:`EVIDENCED` statement, when well formed."""
    result = statement.get("result")
    extensions = result.get("extensions") if isinstance(result, dict) else None
    body = extensions.get(EVIDENCE_EXT) if isinstance(extensions, dict) else None
    if not isinstance(body, dict) or body.get("kind") not in (
            "certificate", "external", "self-declared"):
        return None
    level = body.get("level")
    if not isinstance(body.get("competency"), str) or not isinstance(level, int) or not (
            1 <= level <= 5) or (body["kind"] == "certificate" and not body.get("id")):
        return None
    return body
