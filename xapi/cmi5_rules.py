"""The cmi5 statement rules the LRS enforces (cmi5 §9 "xAPI Statement Data Model").

They apply to "cmi5 defined" statements (cmi5 §7.1.3: the cmi5 category activity in
``context.contextActivities.category``) of a cmi5 launch: a registration with an
``LMS.LaunchData`` State document (cmi5 §10) for (object = the AU's activity, actor,
registration) in the writer's organisation, or any cmi5 defined statement an AU's session token
sends. Statements without the category ("cmi5 allowed") pass untouched, and cost one dict
lookup each: ingest stays fast.

A statement breaking a rule raises :class:`Cmi5RuleBroken`: 403 Forbidden, naming the field and
the rule's section, and :func:`xapi.statements.store_statements` then stores nothing of the
batch. The statement is well-formed xAPI (a malformed one is still a 400, Communication 2.1.2):
what the LRS refuses is the cmi5 registration's rules, and 403 is what the ADL cmi5 LMS test
suite expects of an LMS that rejects a statement (cmi5 §6.3 "SHOULD reject" names no code).

Order is arrival order: statements are checked one after another against what the
registration's stored cmi5 statements say (:func:`au_progress`) and the batch's earlier ones.
cmi5 §9.3 orders by ``timestamp``; an AU sends a session's statements in order, and an LRS
cannot take back a statement it stored, so arrival order is what it can enforce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hub.errors import PermissionDenied
from hub.principal import Principal
from storage.json_text import JSONTextError, loads
from storage.ports import Store
from storage.ports.xapi import DocumentKey, StatementQuery
from xapi.cmi5_vocabulary import (
    CATEGORY,
    LAUNCH_DATA,
    LMS_VERBS,
    MASTERY_SCORE,
    MOVEON_CATEGORY,
    SESSION_ID,
    VERB_NAMES,
)
from xapi.index_keys import agent_key

#: cmi5 §10.2.2: modes in which an AU records no satisfaction-related statements.
_NO_JUDGEMENT_MODES = ("Browse", "Review")
_JUDGED = ("completed", "passed", "failed")
_PAGE = 500


@dataclass
class SessionProgress:
    """One AU session (cmi5 §9.6.3.1 session id) as its cmi5 defined statements tell it."""

    verbs: set[str] = field(default_factory=set)
    au_statements: int = 0  # statements of the AU (not of the LMS's verbs)
    initialized: bool = False
    terminated: bool = False
    abandoned: bool = False


@dataclass
class AuProgress:
    """What one registration's cmi5 defined statements say of one AU (cmi5 §9.3): what was
    completed, passed, failed or waived, and each session's state. Satisfaction (cmi5 §9.3.9,
    moveOn) and abandoning sessions (§9.3.6) are computed from it."""

    completed: bool = False
    passed: bool = False
    failed: bool = False
    waived: bool = False
    sessions: dict[str, SessionProgress] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)  # statements already counted

    def session(self, session_id: str) -> SessionProgress:
        """The session's progress (new and empty the first time)."""
        return self.sessions.setdefault(session_id, SessionProgress())


def is_cmi5_defined(stmt: dict[str, Any]) -> bool:
    """Whether the statement carries the cmi5 category activity (cmi5 §9.6.2.1)."""
    context = stmt.get("context")
    if not isinstance(context, dict):
        return False
    activities = context.get("contextActivities")
    if not isinstance(activities, dict):
        return False
    category = activities.get("category")
    if isinstance(category, dict):  # one activity, not yet made a list (Data 2.4.6.2)
        category = [category]
    return isinstance(category, list) and any(
        isinstance(c, dict) and c.get("id") == CATEGORY for c in category)


class Cmi5RuleBroken(PermissionDenied):
    """A well-formed statement that a cmi5 registration's rules forbid (403, naming the
    field and the rule, like a validation problem)."""

    type = "cmi5-rule"
    title = "Statement refused by the cmi5 rules of its registration"


def _refuse(field_name: str, rule: str) -> Cmi5RuleBroken:
    return Cmi5RuleBroken(f"{field_name}: {rule}", errors={field_name: [rule]})


def launch_key(org_id: str, activity_id: str, agent: str, registration: str) -> DocumentKey:
    """Where the ``LMS.LaunchData`` State document (cmi5 §10) of a launch lives; ``agent`` is
    the learner's IFI key."""
    return DocumentKey("state", LAUNCH_DATA, activity_id, agent, registration.lower(),
                       org_id=org_id)


def parse_launch_data(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """The LaunchData document's JSON object (``{}`` when it is not one), None without one."""
    if doc is None:
        return None
    try:
        value = loads(doc["content"])
    except JSONTextError:
        return {}
    return value if isinstance(value, dict) else {}


def au_progress(store: Store, org_id: str, registration: str, activity_id: str) -> AuProgress:
    """The stored cmi5 defined statements of one registration and AU, applied in stored order
    (voided ones do not count: queries never return them)."""
    progress = AuProgress()
    cursor: str | None = None
    while True:
        page = store.statements.query(StatementQuery(
            keys=("reg|" + registration.lower(), "act|" + activity_id), ascending=True,
            limit=_PAGE, cursor=cursor, org_id=org_id))
        for stmt in page.statements:
            if is_cmi5_defined(stmt):
                _apply(progress, stmt, _verb_name(stmt), _session_id(stmt) or "")
        if page.cursor is None:
            return progress
        cursor = page.cursor


def _verb_name(stmt: dict[str, Any]) -> str | None:
    verb = stmt.get("verb")
    return VERB_NAMES.get(verb.get("id", "")) if isinstance(verb, dict) else None


def _session_id(stmt: dict[str, Any]) -> str | None:
    extensions = stmt["context"].get("extensions")
    value = extensions.get(SESSION_ID) if isinstance(extensions, dict) else None
    return value if isinstance(value, str) and value else None


def _apply(progress: AuProgress, stmt: dict[str, Any], name: str | None,
           session_id: str) -> None:
    """Count an accepted statement."""
    if isinstance(stmt.get("id"), str):
        progress.ids.add(stmt["id"])
    session = progress.session(session_id)
    if name is not None:
        session.verbs.add(name)
    if name not in LMS_VERBS:
        session.au_statements += 1
    if name == "initialized":
        session.initialized = True
    elif name == "terminated":
        session.terminated = True
    elif name == "abandoned":
        session.abandoned = True
    elif name in ("completed", "passed", "failed", "waived"):
        setattr(progress, name, True)


def _launch_of(principal: Principal, stmt: dict[str, Any]) -> DocumentKey | None:
    """The LaunchData key a cmi5 defined statement names (None when it names none)."""
    context = stmt["context"]
    registration = context.get("registration")
    agent = agent_key(stmt.get("actor"))
    obj = stmt.get("object")
    activity = obj.get("id") if isinstance(obj, dict) else None
    if not isinstance(registration, str) or agent is None or not isinstance(activity, str):
        return None
    return launch_key(principal.org_id, activity, agent, registration)


def check_batch(store: Store, principal: Principal, statements: list[Any]) -> None:
    """Refuse (400) the first statement of the batch that breaks a cmi5 rule; see the module
    docstring for which statements the rules apply to. The batch's launches are looked up in
    one query (this runs on every ingest of cmi5 defined statements)."""
    token = principal.scope
    # An AU's token (cmi5, not an xAPI package's): its "cmi5 allowed" statements too.
    gate = launch_key(principal.org_id, token.activity_id, token.agent, token.registration) \
        if token is not None and token.activity_id else None
    defined = {index: stmt for index, stmt in enumerate(statements)
               if isinstance(stmt, dict) and is_cmi5_defined(stmt)}
    if not defined and gate is None:
        return
    keys = {index: _launch_of(principal, stmt) for index, stmt in defined.items()}
    named = [key for key in keys.values() if key is not None]
    found = store.xapi_documents.get_many(named) if named else {}
    progress: dict[DocumentKey, AuProgress] = {}
    for index, stmt in enumerate(statements):
        try:
            if index in defined:
                _check_statement(store, principal, stmt, keys[index], found, progress)
            elif gate is not None:
                _check_allowed(store, principal, gate, progress, stmt)
        except Cmi5RuleBroken as exc:
            # Named like the validator's errors: "<index in the batch>.<field>".
            errors = {f"{index}.{name}": msgs for name, msgs in (exc.errors or {}).items()}
            raise Cmi5RuleBroken(f"{index}.{exc}", errors=errors) from None


def _check_allowed(store: Store, principal: Principal, key: DocumentKey,
                   progresses: dict[DocumentKey, AuProgress], stmt: dict[str, Any]) -> None:
    """cmi5 §7.1.1 / §9.3.0: an AU's "cmi5 allowed" statements come after its session's
    ``initialized`` and before its ``terminated``; §9.6.2.2: without the moveOn category."""
    assert principal.scope is not None
    context = stmt.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    category = activities.get("category") if isinstance(activities, dict) else None
    if isinstance(category, list) and any(
            isinstance(c, dict) and c.get("id") == MOVEON_CATEGORY for c in category):
        raise _refuse("context.contextActivities.category", "cmi5 §9.6.2.2: the moveOn "
                      "category goes in cmi5 defined statements only")
    extensions = context.get("extensions") if isinstance(context, dict) else None
    if not isinstance(extensions, dict) or extensions.get(SESSION_ID) != \
            principal.scope.session_id:
        raise _refuse("context.extensions", f"cmi5 §9.6.3.1: an AU's statements carry its "
                      f"session id in {SESSION_ID}")
    if key not in progresses:
        progresses[key] = au_progress(store, principal.org_id, key.registration, key.activity_id)
    session = progresses[key].session(principal.scope.session_id)
    if not session.initialized or session.terminated or session.abandoned:
        raise _refuse("verb", "cmi5 §9.3.0: an AU's \"cmi5 allowed\" statements come between "
                      "its session's initialized and terminated")


def _check_statement(store: Store, principal: Principal, stmt: dict[str, Any],
                     key: DocumentKey | None, found: dict[DocumentKey, Any],
                     progresses: dict[DocumentKey, AuProgress]) -> None:
    token = principal.scope
    if key is None:
        if token is None:
            return  # no launch can be named: not a statement of a cmi5 launch of this LRS
        raise _refuse("context.registration",
                      "cmi5 §9.6.1: a cmi5 defined statement carries the launch's registration")
    launch = parse_launch_data(found.get(key))
    if launch is None:
        if token is None:
            return  # no LaunchData: not a launch (a token's always is; its data may be gone)
        launch = {}
    if key not in progresses:
        progresses[key] = au_progress(store, principal.org_id, key.registration,
                                      key.activity_id)
    progress = progresses[key]
    if stmt.get("id") in progress.ids:
        return  # stored already (a retry: the store decides whether it is the same)
    name = _verb_name(stmt)
    session_id = _required_context(stmt, stmt.get("actor"), token)
    if token is not None and name in LMS_VERBS:
        raise _refuse("verb", f"cmi5 §9.3: {name} is an LMS verb; an AU may not send it")
    if token is not None and name == "initialized":
        session = store.cmi5.get_session(principal.key) or {}
        if not session.get("preferences_read_at"):
            raise _refuse("verb", "cmi5 §11: an AU reads its learner's preferences "
                          "(cmi5LearnerPreferences) before it sends initialized")
    if name not in LMS_VERBS:
        _check_session(progress.session(session_id), name)
        _check_judgement(progress, progress.session(session_id), name, stmt, launch)
        if name is not None:
            _check_result(name, stmt)
    _apply(progress, stmt, name, session_id)


def _required_context(stmt: dict[str, Any], actor: Any, token: Any) -> str:
    """cmi5 §9.2 and §9.6: the actor an Agent with an account, the session id extension (the
    token's own session for an AU's token); returns the session id."""
    if (not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent"
            or not isinstance(actor.get("account"), dict)):
        raise _refuse("actor", "cmi5 §9.2: the actor of a cmi5 defined statement is an Agent "
                      "with an account")
    session_id = _session_id(stmt)
    if session_id is None:
        raise _refuse("context.extensions",
                      f"cmi5 §9.6.3.1: a cmi5 defined statement carries {SESSION_ID}")
    if token is not None and session_id != token.session_id:
        raise _refuse("context.extensions",
                      "cmi5 §9.6.3.1: the session id is not this launch's session")
    return session_id


def _check_session(session: SessionProgress, name: str | None) -> None:
    """cmi5 §9.3 ordering within a session: initialized first, terminated last, each once."""
    if session.terminated or session.abandoned:
        raise _refuse("verb", "cmi5 §9.3.8: the session has ended (terminated or abandoned); "
                      "no statement may follow")
    if name == "initialized":
        if session.au_statements:
            raise _refuse("verb", "cmi5 §9.3.2: initialized must be the session's first "
                          "statement, and only one")
    elif not session.initialized:
        raise _refuse("verb", "cmi5 §9.3.2: the session's first statement must be "
                      "initialized")
    if name is not None and name in session.verbs:
        raise _refuse("verb", f"cmi5 §9.3: {name} is already used in this session")


def _result(stmt: dict[str, Any]) -> dict[str, Any]:
    result = stmt.get("result")
    return result if isinstance(result, dict) else {}


def _check_judgement(progress: AuProgress, session: SessionProgress, name: str | None,
                     stmt: dict[str, Any], launch: dict[str, Any]) -> None:
    """completed / passed / failed: once per registration as cmi5 §9.3 allows, with the result
    §9.5 requires, against the LaunchData's masteryScore (§9.3.4, §9.3.5) and launchMode
    (§10.2.2)."""
    if name not in _JUDGED:
        return
    if launch.get("launchMode", "Normal") in _NO_JUDGEMENT_MODES:
        raise _refuse("verb", f"cmi5 §10.2.2: no {name} statement in "
                      f"{launch.get('launchMode')} launch mode")
    result = _result(stmt)
    if name == "completed":
        if progress.completed:
            raise _refuse("verb", "cmi5 §9.3.3: completed at most once per registration")
        if result.get("completion") is not True:
            raise _refuse("result.completion", "cmi5 §9.5.3: completed needs completion true")
        return
    if progress.passed:
        raise _refuse("verb", "cmi5 §9.3: passed at most once per registration, and no "
                      "failed after passed" if name == "failed" else
                      "cmi5 §9.3.4: passed at most once per registration")
    if {"passed", "failed"} & session.verbs:
        raise _refuse("verb", "cmi5 §9.3: at most one of passed and failed per session")
    if result.get("success") is not (name == "passed"):
        raise _refuse("result.success", f"cmi5 §9.5.2: {name} needs success "
                      f"{'true' if name == 'passed' else 'false'}")
    _check_mastery(name, result, launch.get("masteryScore"))
    mastery = launch.get("masteryScore")
    if "score" in result and isinstance(mastery, int | float) and not isinstance(mastery, bool):
        extensions = stmt["context"].get("extensions")
        if not isinstance(extensions, dict) or extensions.get(MASTERY_SCORE) != mastery:
            raise _refuse("context.extensions", f"cmi5 §9.6.3.2: a scored {name} carries "
                          f"the masteryScore {mastery} in {MASTERY_SCORE}")


def _check_mastery(name: str, result: dict[str, Any], mastery: Any) -> None:
    """cmi5 §9.3.4 / §9.3.5 / §9.5.1: a scaled score, when the statement has one, agrees
    with the verb and the masteryScore (a passed or failed without a score is allowed)."""
    if not isinstance(mastery, int | float) or isinstance(mastery, bool):
        return
    score = result.get("score")
    scaled = score.get("scaled") if isinstance(score, dict) else None
    if not isinstance(scaled, int | float) or isinstance(scaled, bool):
        return  # cmi5 §9.3.4/§9.3.5: the score is checked "if the statement contains" one
    if name == "passed" and scaled < mastery:
        raise _refuse("result.score.scaled", f"cmi5 §9.3.4: passed needs a scaled score of at "
                      f"least the masteryScore {mastery}, not {scaled}")
    if name == "failed" and scaled >= mastery:
        raise _refuse("result.score.scaled", f"cmi5 §9.3.5: failed needs a scaled score below "
                      f"the masteryScore {mastery}, not {scaled}")


#: cmi5 §9.5: which cmi5 defined AU statements may carry (or must carry) what in ``result``.
_DURATION_REQUIRED = ("completed", "passed", "failed", "terminated")  # §9.5.4.1
_SCORED = ("passed", "failed")  # §9.5.1: score only here
_SUCCESS = ("passed", "failed")  # §9.5.2 (and the LMS's waived)
_COMPLETION = ("completed",)  # §9.5.3 (and the LMS's waived)


def _check_result(name: str, stmt: dict[str, Any]) -> None:
    """cmi5 §9.5 result properties and §9.6.2.2 the moveOn category, for the AU's verbs."""
    result = _result(stmt)
    if name in _DURATION_REQUIRED and "duration" not in result:
        raise _refuse("result.duration", f"cmi5 §9.5.4.1: {name} needs result.duration")
    for prop, allowed, section in (("score", _SCORED, "§9.5.1"), ("success", _SUCCESS, "§9.5.2"),
                                   ("completion", _COMPLETION, "§9.5.3")):
        if prop in result and name not in allowed:
            raise _refuse(f"result.{prop}", f"cmi5 {section}: {name} must not carry "
                          f"result.{prop}")
    score = result.get("score")
    if isinstance(score, dict) and "raw" in score:
        for bound in ("min", "max"):
            if bound not in score:
                raise _refuse(f"result.score.{bound}", f"cmi5 §9.5.1: a raw score comes with "
                              f"score.{bound}")
    judged = "success" in result or "completion" in result
    category = stmt["context"]["contextActivities"].get("category")
    ids = {c.get("id") for c in (category if isinstance(category, list) else [category])
           if isinstance(c, dict)}
    if judged != (MOVEON_CATEGORY in ids):
        raise _refuse("context.contextActivities.category",
                      "cmi5 §9.6.2.2: the moveOn category activity goes in exactly the "
                      "statements whose result carries success or completion")
