"""The LRS and its forwarding API in the OpenAPI document.

The xAPI resources are plain Flask views with the hand-written parsing the xAPI spec asks for
(raw and multipart bodies, JSON in query parameters, the Alternate Request Syntax), so they are
not smorest views: their operations are added here to the spec of :class:`hub.docs.HubApi`,
each bound to the Flask rule that serves it (a renamed route fails at start-up, not silently in
the document). Summaries point to the section of xAPI 1.0.3 Communication that each implements.
Forwarding is documented from the schema its route loads with and from
:mod:`catalogue_schemas.forwarding`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from catalogue_schemas.forwarding import ForwarderListSchema, ForwarderStatusSchema
from catalogue_schemas.xapi import SCHEMAS
from xapi.transport import SUPPORTED_VERSIONS

#: Where each resource is specified.
SPEC = "https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#"
SECURED: list[dict[str, list[str]]] = [{"basic": []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict[str, Any] | None = None,
           required: bool = False, example: Any = None) -> dict[str, Any]:
    param: dict[str, Any] = {"in": "query", "name": name, "required": required,
                             "description": description, "schema": schema or {"type": "string"}}
    if example is not None:
        param["example"] = example
    return param


def _json_query(name: str, description: str, schema: str, required: bool,
                example: Any) -> dict[str, Any]:
    """A query parameter whose value is JSON (an Agent): OpenAPI 3.1 §4.8.12.1 ``content``."""
    return {"in": "query", "name": name, "required": required, "description": description,
            "content": {"application/json": {"schema": _ref(schema), "example": example}}}


VERSION_HEADER = {
    "in": "header", "name": "X-Experience-API-Version", "required": True,
    "description": "xAPI version of the request (Communication 3.3); 1.0.x or 2.0.x",
    "schema": {"type": "string",
               "enum": ["1.0.0", "1.0.1", "1.0.2", "1.0.3", *SUPPORTED_VERSIONS[1:]]},
}
AGENT_EXAMPLE = {"objectType": "Agent", "mbox": "mailto:learner@example.org"}
STATEMENT_EXAMPLE = {
    "actor": AGENT_EXAMPLE,
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
    "object": {"id": "https://courses.example/activities/unit-1", "objectType": "Activity"},
}
ACTIVITY_ID = _query("activityId", "Activity id (IRI)", {"type": "string"}, True,
                     "https://courses.example/activities/unit-1")
AGENT = _json_query("agent", "the Agent (JSON)", "Agent", True, AGENT_EXAMPLE)
REGISTRATION = _query("registration", "registration (UUID)", {"type": "string", "format": "uuid"})
SINCE = _query("since", "only ids of documents stored since this timestamp (ISO 8601), when "
               "listing", {"type": "string", "format": "date-time"})
IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": "ETag of the document as last read (Communication 1.4)"}
IF_NONE_MATCH = {"in": "header", "name": "If-None-Match", "required": False,
                 "schema": {"type": "string"}, "description": "* to write only a new document"}

JSON = "application/json"
ANY = "*/*"
NO_CONTENT = {"description": "done"}
DOCUMENT_BODY = {"required": True, "description": "the document: any media type; JSON objects "
                 "are merged by POST (Communication 2.2)",
                 "content": {JSON: {"schema": {"type": "object"}},
                             "application/octet-stream": {"schema": {"type": "string",
                                                                     "format": "binary"}}}}


def _op(summary: str, section: str, responses: dict[str, Any], parameters: list[Any],
        *, secured: bool = True, body: dict[str, Any] | None = None,
        tag: str = "xapi") -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary, "tags": [tag],
        "responses": {**responses, "default": "DEFAULT_ERROR"},
        "security": SECURED if secured else [],
    }
    if section:
        op["description"] = f"xAPI 1.0.3 Communication {section}: {SPEC}{section}"
    if parameters:
        op["parameters"] = parameters
    if body is not None:
        op["requestBody"] = body
    return op


def _ok(description: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": content}


def _with_head(operations: dict[str, Any]) -> dict[str, Any]:
    """HEAD answers every GET without the body (Communication 1.1)."""
    get = operations["get"]
    head = {**get, "summary": "HEAD: " + get["summary"] + " (headers only)",
            "responses": {status: {"description": "the headers of the GET, no body"}
                          for status in get["responses"] if status != "default"}}
    head["responses"]["default"] = "DEFAULT_ERROR"
    return {**operations, "head": head}


def statement_operations() -> dict[str, dict[str, Any]]:
    """PUT, POST, GET (and HEAD) /xapi/statements, by method of the view (one view each)."""
    v = VERSION_HEADER
    body: dict[str, Any] = {
            "required": True, "description": "a Statement or an array of Statements; "
            "multipart/mixed when they carry attachment bodies (Communication 1.5.2)",
            "content": {JSON: {"schema": {"anyOf": [_ref("Statement"),
                                                    {"type": "array",
                                                     "items": _ref("Statement")}]},
                               "example": [STATEMENT_EXAMPLE]},
                        # Communication 1.5.2: the statements part first, then one part per
                        # attachment body (X-Experience-API-Hash).
                        "multipart/mixed": {"schema": {"type": "string", "format": "binary"}}}}
    single = {**body, "description": "one Statement",
              "content": {JSON: {"schema": _ref("Statement"), "example": STATEMENT_EXAMPLE},
                          "multipart/mixed": body["content"]["multipart/mixed"]}}
    query = [
        _query("statementId", "the Statement with this id (alone, or with format and "
               "attachments)", {"type": "string", "format": "uuid"},
               example="7ccd3322-e1a5-411a-a67d-6a735c76f119"),
        _query("voidedStatementId", "the voided Statement with this id",
               {"type": "string", "format": "uuid"}),
        _json_query("agent", "Actor or Object is this Agent or Identified Group", "Agent",
                    False, AGENT_EXAMPLE),
        _query("verb", "Verb id (IRI)", example="http://adlnet.gov/expapi/verbs/completed"),
        _query("activity", "Object is the Activity with this id (IRI)"),
        REGISTRATION,
        _query("related_activities", "match activity anywhere in the Statement",
               {"type": "boolean"}),
        _query("related_agents", "match agent anywhere in the Statement", {"type": "boolean"}),
        _query("since", "stored after (ISO 8601)", {"type": "string", "format": "date-time"}),
        _query("until", "stored at or before (ISO 8601)",
               {"type": "string", "format": "date-time"}),
        _query("limit", "page size (0: the server's maximum)",
               {"type": "integer", "minimum": 0}),
        _query("format", "ids, exact or canonical",
               {"type": "string", "enum": ["ids", "exact", "canonical"]}),
        _query("attachments", "true: multipart/mixed with the attachment bodies",
               {"type": "boolean"}),
        _query("ascending", "oldest first", {"type": "boolean"}),
        _query("more", "the 'more' of the previous page (sent alone)"),
    ]
    found = _ok("a StatementResult, or the Statement asked for by id", {
        JSON: {"schema": {"anyOf": [_ref("StatementResult"), _ref("Statement")]}},
        "multipart/mixed": {"schema": {"type": "string", "format": "binary"}}})
    return {
        "put": {"put": _op("Store one Statement with the given id", "2.1.1",
                           {"204": NO_CONTENT}, [v, {**query[0], "required": True}],
                           body=single)},
        "post": {"post": _op("Store a Statement or a batch (atomic)", "2.1.2",
                             {"200": _ok("the ids, in order", {JSON: {"schema": {
                                 "type": "array", "items": {"type": "string",
                                                            "format": "uuid"}}}})},
                             [v], body=body)},
        "get": _with_head({"get": _op("One Statement, or a page of a query", "2.1.3",
                                      {"200": found}, [v, *query])}),
    }


def document_operations(section: str, what: str, scope: list[dict[str, Any]],
                        id_name: str, listable_delete: bool) -> dict[str, Any]:
    """GET/PUT/POST/DELETE of a Document Resource (State, Activity or Agent Profile)."""
    v = VERSION_HEADER
    doc_id = _query(id_name, f"id of the {what}", example="bookmark")
    required_id = {**doc_id, "required": True}
    got = _ok(f"the {what} (with {id_name}), or the array of ids (without)", {
        JSON: {"schema": {}}, ANY: {"schema": {}}})
    writes = [v, *scope, required_id, IF_MATCH, IF_NONE_MATCH]
    delete_params = [v, *scope, doc_id if listable_delete else required_id, IF_MATCH]
    return _with_head({
        "get": _op(f"A {what}, or the ids of them all", section, {"200": got},
                   [v, *scope, doc_id, SINCE]),
        "put": _op(f"Store a {what}", section, {"204": NO_CONTENT}, writes, body=DOCUMENT_BODY),
        "post": _op(f"Merge JSON into a {what}", section, {"204": NO_CONTENT}, writes,
                    body=DOCUMENT_BODY),
        "delete": _op(f"Delete a {what}" + (" (all of them without an id)"
                                             if listable_delete else ""),
                      section, {"204": NO_CONTENT}, delete_params),
    })


def lrs_paths() -> dict[str, dict[str, Any]]:
    """Operations of every xAPI resource, by the endpoint of the Flask view that serves it."""
    v = VERSION_HEADER
    statements = statement_operations()
    return {
        "xapi.xapi_statements.put_statement": statements["put"],
        "xapi.xapi_statements.post_statements": statements["post"],
        "xapi.xapi_statements.get_statements": statements["get"],
        "xapi.xapi_documents.state": document_operations(
            "2.3", "state document", [ACTIVITY_ID, AGENT, REGISTRATION], "stateId", True),
        "xapi.xapi_documents.activity_profile": document_operations(
            "2.7", "activity profile", [ACTIVITY_ID], "profileId", False),
        "xapi.xapi_documents.agent_profile": document_operations(
            "2.6", "agent profile", [AGENT], "profileId", False),
        "xapi.xapi_documents.activity": _with_head({"get": _op(
            "The canonical Activity", "2.5",
            {"200": _ok("the Activity", {JSON: {"schema": _ref("Activity")}})},
            [v, ACTIVITY_ID])}),
        "xapi.xapi_documents.agents": _with_head({"get": _op(
            "The Person object of an Agent", "2.4",
            {"200": _ok("the Person", {JSON: {"schema": _ref("Person")}})}, [v, AGENT])}),
        "xapi.xapi_documents.about": _with_head({"get": _op(
            "The versions this LRS speaks (no credential, no version header)", "2.8",
            {"200": _ok("About", {JSON: {"schema": _ref("About")}})}, [], secured=False)}),
    }


def forwarding_paths() -> dict[str, dict[str, Any]]:
    """Operations of the forwarding API (hub administration, not an xAPI resource)."""
    status = {"200": {"description": "the registration and its progress",
                      "content": {JSON: {"schema": ForwarderStatusSchema}}}}

    def op(summary: str, responses: dict[str, Any], body: str | None = None) -> dict[str, Any]:
        operation = _op(summary, "", responses, [], tag="xapi-forwarding")
        if body:
            operation["requestBody"] = {"required": True,
                                        "content": {JSON: {"schema": _ref(body)}}}
        return operation

    return {
        "xapi_forwarding.create_forwarder": {"post": op(
            "Register a downstream LRS (lrs-writer for its own organisation, admin for any)",
            {"201": {**status["200"], "headers": {"Location": {"schema": {"type": "string"}}}}},
            "ForwarderIn")},
        "xapi_forwarding.list_forwarders_view": {"get": op(
            "The caller's organisation's registrations (every one for an admin)",
            {"200": {"description": "registrations with progress",
                     "content": {JSON: {"schema": ForwarderListSchema}}}})},
        "xapi_forwarding.get_forwarder": {"get": op("One registration with progress", status)},
        "xapi_forwarding.patch_forwarder": {"patch": op(
            "Change a registration (active, url, credentials, filter, label)", status,
            "ForwarderChanges")},
        "xapi_forwarding.delete_forwarder_view": {"delete": op(
            "Remove a registration and its outbox", {"204": NO_CONTENT})},
        "xapi_forwarding.retry_forwarder": {"post": op(
            "Put the dead letters back in the queue", status)},
    }


def cmi5_fetch_operation() -> dict[str, Any]:
    """The cmi5 fetch URL (cmi5 §8.2): 200 with the token once, then a cmi5 error, also 200."""
    operation = _op("cmi5 §8.2: an AU session's token, once (no credential: the id is one)",
                    "", {"200": _ok("the token, or a cmi5 error (error-code 1: already "
                                    "returned or expired; 2: not a fetch URL of this hub)",
                                    {JSON: {"schema": {"type": "object", "properties": {
                                        "auth-token": {"type": "string"},
                                        "error-code": {"type": "string",
                                                       "enum": ["1", "2", "3"]},
                                        "error-text": {"type": "string"}}}}})},
                    [], secured=False, tag="xapi")
    operation["description"] = ("https://github.com/AICC/CMI-5_Spec_Current/blob/quartz/"
                                "cmi5_spec.md#fetch_url")
    return operation


def document(app: Flask) -> None:
    """Add the LRS and forwarding operations to the app's OpenAPI document."""
    spec = app.extensions["hub.api"].spec
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    spec.tag({"name": "xapi", "description": "The xAPI 1.0.3 Learning Record Store"})
    paths = lrs_paths()
    if "xapi_forwarding" in app.blueprints:
        from xapi.forwarding_routes import ForwarderSchema

        # The schema the route loads with, so the document follows its validation.
        spec.components.schema("ForwarderIn", schema=ForwarderSchema)
        spec.components.schema("ForwarderChanges",
                               schema=ForwarderSchema(partial=True, exclude=("org_id",)))
        spec.tag({"name": "xapi-forwarding",
                  "description": "Copying an organisation's statements to a downstream LRS"})
        paths.update(forwarding_paths())
    if "xapi_cmi5" in app.blueprints:
        paths["xapi_cmi5.fetch"] = {"post": cmi5_fetch_operation()}
    for endpoint, operations in paths.items():
        rule = next(app.url_map.iter_rules(endpoint))
        undocumented = {m.lower() for m in operations} - {m.lower() for m in rule.methods or ()}
        assert not undocumented, f"{endpoint} does not serve {undocumented}"
        spec.path(rule=rule, operations=operations)
