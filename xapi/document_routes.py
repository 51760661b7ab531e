"""Routes of the Document Resources and of Activities, Agents and About (Communication 2.2-2.8).

- ``/xapi/activities/state``: activityId + agent (+ registration) + stateId; without stateId,
  GET lists ids (``since``) and DELETE deletes them all (Communication 2.3);
- ``/xapi/activities/profile``: activityId + profileId (Communication 2.7);
- ``/xapi/agents/profile``: agent + profileId (Communication 2.6);
- ``/xapi/activities``, ``/xapi/agents``, ``/xapi/about``.

Documents and activity definitions belong to the caller's organisation (each organisation's LRS
is its own store): another organisation's document is absent, whoever asks, since these
resources have no way to name an organisation.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Any

from flask import Blueprint, Response, request

from hub.context import get_store
from hub.errors import ValidationError
from hub.principal import Principal
from storage.ports.xapi import DocumentKey
from storage.timestamps import utcnow
from xapi import activities, cmi5_sessions, documents, transport
from xapi.index_keys import IFI_PROPERTIES, agent_key
from xapi.validation import is_iri, is_uuid, validate_agent_param

bp = Blueprint("xapi_documents", __name__)

STATE_PARAMS = ("activityId", "agent", "registration", "stateId", "since")
ACTIVITY_PROFILE_PARAMS = ("activityId", "profileId", "since")
AGENT_PROFILE_PARAMS = ("agent", "profileId", "since")


def _activity(params: dict[str, str]) -> str:
    value = params["activityId"]
    if not is_iri(value):
        raise ValidationError.for_field("activityId", "must be an IRI")
    return value


def _agent(params: dict[str, str], allow_group: bool = True) -> str:
    key = agent_key(validate_agent_param(params["agent"], "agent", allow_group=allow_group))
    if key is None:
        raise ValidationError.for_field("agent", "must identify an Agent (one IFI)")
    return key


def _registration(params: dict[str, str]) -> str | None:
    value = params.get("registration")
    if value is None:
        return None
    if not is_uuid(value):
        raise ValidationError.for_field("registration", "must be a UUID")
    return value.lower()


def _preconditions() -> documents.Preconditions:
    return documents.Preconditions(request.headers.get("If-Match"),
                                   request.headers.get("If-None-Match"))


def _document_response(doc: dict[str, Any]) -> Response:
    updated = datetime.fromisoformat(doc["updated"].replace("Z", "+00:00"))
    return Response(doc["content"], status=200, content_type=doc["content_type"], headers={
        "ETag": f'"{doc["etag"]}"',
        "Last-Modified": format_datetime(updated, usegmt=True),
    })


def _write(key: DocumentKey) -> Response:
    """PUT or POST of one document."""
    body = request.get_data(cache=False)
    if request.method == "PUT":
        documents.put_document(get_store(), key, body, request.content_type, _preconditions(),
                               xapi2=transport.is_xapi2())
    else:
        documents.post_document(get_store(), key, body, request.content_type, _preconditions())
    return transport.no_content()


def _read_or_list(org_id: str, key: DocumentKey | None, kind: str, scope: dict[str, Any],
                  since: str | None) -> Response:
    if key is not None:
        return _document_response(documents.get_document(get_store(), key))
    ids = get_store().xapi_documents.list_ids(org_id, kind, since=since, **scope)
    return transport.json_response(ids)


@bp.route("/activities/state", methods=["GET", "PUT", "POST", "DELETE"])
def state() -> Response:
    """The State Resource (Communication 2.3)."""
    single = request.method in ("PUT", "POST")
    required = ("activityId", "agent", "stateId") if single else ("activityId", "agent")
    params = transport.check_params(STATE_PARAMS, required=required)
    if request.method in ("GET", "HEAD"):
        principal = transport.reader(content_session=True)
    else:
        principal = transport.writer(content_session=True)
    org_id = principal.org_id
    activity_id, agent = _activity(params), _agent(params)
    registration = _registration(params)
    since = transport.parse_instant(params, "since")
    state_id = params.get("stateId")
    if principal.scope is not None:
        cmi5_sessions.check_state(principal.scope, request.method, activity_id, agent,
                                  registration, state_id)
    key = (DocumentKey("state", state_id, activity_id, agent, registration or "", org_id=org_id)
           if state_id is not None else None)
    if request.method in ("PUT", "POST"):
        assert key is not None
        return _write(key)
    if request.method in ("GET", "HEAD"):
        return _read_or_list(org_id, key, "state", {"activity_id": activity_id, "agent": agent,
                                                    "registration": registration}, since)
    if key is not None:
        documents.delete_document(get_store(), key, _preconditions())
    else:
        get_store().xapi_documents.delete_many(org_id, "state", activity_id, agent,
                                               registration)
    return transport.no_content()


def _profile(org_id: str, kind: str, params: dict[str, str],
             scope: dict[str, str]) -> Response:
    since = transport.parse_instant(params, "since")
    profile_id = params.get("profileId")
    key = (DocumentKey(kind, profile_id, **scope, org_id=org_id)
           if profile_id is not None else None)
    if request.method in ("PUT", "POST"):
        assert key is not None
        return _write(key)
    if request.method in ("GET", "HEAD"):
        return _read_or_list(org_id, key, kind, scope, since)
    assert key is not None
    documents.delete_document(get_store(), key, _preconditions())
    return transport.no_content()


def _profile_params(allowed: tuple[str, ...], scope_param: str,
                    content_session: bool = False) -> tuple[Principal, dict[str, str]]:
    """The caller and the checked parameters of a profile request (an AU session token only
    where ``content_session``: the view checks its scope)."""
    required = (scope_param,) if request.method in ("GET", "HEAD") else (scope_param, "profileId")
    params = transport.check_params(allowed, required=required)
    if request.method in ("GET", "HEAD"):
        return transport.reader(content_session), params
    return transport.writer(content_session), params


@bp.route("/activities/profile", methods=["GET", "PUT", "POST", "DELETE"])
def activity_profile() -> Response:
    """The Activity Profile Resource (Communication 2.7)."""
    principal, params = _profile_params(ACTIVITY_PROFILE_PARAMS, "activityId")
    return _profile(principal.org_id, "activity-profile", params,
                    {"activity_id": _activity(params)})


@bp.route("/agents/profile", methods=["GET", "PUT", "POST", "DELETE"])
def agent_profile() -> Response:
    """The Agent Profile Resource (Communication 2.6)."""
    principal, params = _profile_params(AGENT_PROFILE_PARAMS, "agent", content_session=True)
    agent = _agent(params, allow_group=False)
    if principal.scope is not None:
        cmi5_sessions.check_agent_profile(principal.scope, request.method, agent,
                                          params.get("profileId"))
        # cmi5 §11: the AU reads the preferences before "initialized" (the rules check it).
        get_store().cmi5.note_preferences_read(principal.key, utcnow())
    return _profile(principal.org_id, "agent-profile", params, {"agent": agent})


@bp.get("/activities")
def activity() -> Response:
    """The canonical Activity object (Communication 2.5) as the caller's organisation's
    statements define it."""
    params = transport.check_params(("activityId",), required=("activityId",))
    org_id = transport.reader().org_id
    return transport.json_response(activities.canonical(get_store(), org_id,
                                                        _activity(params)))


@bp.get("/agents")
def agents() -> Response:
    """The Person object of an Agent (Communication 2.4): what the LRS knows of it, which is
    the Agent itself (the hub does not link identities)."""
    params = transport.check_params(("agent",), required=("agent",))
    transport.reader()
    agent = validate_agent_param(params["agent"], "agent", allow_group=False)
    person: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for prop in IFI_PROPERTIES:
        if prop in agent:
            person[prop] = [agent[prop]]
    return transport.json_response(person)


@bp.get("/about")
def about() -> Response:
    """The About Resource (Communication 2.8): no version header or credential needed."""
    transport.check_params(())
    versions = transport.ABOUT_VERSIONS_2 if transport.is_xapi2() else transport.ABOUT_VERSIONS
    return transport.json_response({"version": list(versions), "extensions": {}})
