"""JSON Schema (OpenAPI 3.1) of the xAPI objects the LRS takes and returns, for the document.

The LRS validates statements with its own code (:mod:`xapi.validation`, every rule of xAPI 1.0.3
Data part 2); these schemas describe the shapes for readers and fuzzers and are deliberately
open (``additionalProperties`` allowed): the LRS, not the schema, says what is valid.
"""

from __future__ import annotations

from typing import Any

DATA = "https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#"

_STRING = {"type": "string"}
_LANGUAGE_MAP = {"type": "object", "additionalProperties": _STRING,
                 "description": "language map: RFC 5646 tag -> text (Data 5.2)"}

AGENT: dict[str, Any] = {
    "type": "object",
    "description": f"Agent or Identified Group with one inverse functional identifier "
                   f"(Data 2.4.2): {DATA}2.4.2",
    "properties": {
        "objectType": {"type": "string", "enum": ["Agent", "Group"]},
        "name": _STRING,
        "mbox": {"type": "string", "pattern": "^mailto:"},
        "mbox_sha1sum": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
        "openid": {"type": "string", "format": "uri"},
        "account": {"type": "object", "required": ["homePage", "name"],
                    "properties": {"homePage": {"type": "string", "format": "uri"},
                                   "name": _STRING}},
        "member": {"type": "array", "items": {"type": "object"}},
    },
}

STATEMENT: dict[str, Any] = {
    "type": "object",
    "description": f"Statement (Data 2.4): {DATA}2.4",
    "required": ["actor", "verb", "object"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "actor": {"$ref": "#/components/schemas/Agent"},
        "verb": {"type": "object", "required": ["id"],
                 "properties": {"id": {"type": "string", "format": "iri"},
                                "display": _LANGUAGE_MAP}},
        "object": {"type": "object", "description": "Activity, Agent, Group, StatementRef or "
                   "SubStatement (Data 2.4.4)"},
        "result": {"type": "object"},
        "context": {"type": "object"},
        "timestamp": {"type": "string", "format": "date-time"},
        "stored": {"type": "string", "format": "date-time", "readOnly": True},
        "authority": {"$ref": "#/components/schemas/Agent"},
        "version": _STRING,
        "attachments": {"type": "array", "items": {"type": "object"}},
    },
}

STATEMENT_RESULT: dict[str, Any] = {
    "type": "object",
    "description": f"StatementResult (Data 2.5): {DATA}2.5",
    "required": ["statements"],
    "properties": {
        "statements": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}},
        "more": {"type": "string", "description": "relative IRL of the next page, or ''"},
    },
}

ACTIVITY: dict[str, Any] = {
    "type": "object",
    "description": f"Activity (Data 2.4.4.1): {DATA}2.4.4.1",
    "required": ["id"],
    "properties": {"objectType": {"type": "string", "enum": ["Activity"]},
                   "id": {"type": "string", "format": "iri"},
                   "definition": {"type": "object"}},
}

PERSON: dict[str, Any] = {
    "type": "object",
    "description": "Person (Communication 2.4): every identity of the Agent",
    "required": ["objectType"],
    "properties": {"objectType": {"type": "string", "enum": ["Person"]},
                   "name": {"type": "array", "items": _STRING},
                   "mbox": {"type": "array", "items": _STRING},
                   "mbox_sha1sum": {"type": "array", "items": _STRING},
                   "openid": {"type": "array", "items": _STRING},
                   "account": {"type": "array", "items": {"type": "object"}}},
}

ABOUT: dict[str, Any] = {
    "type": "object",
    "description": "About (Communication 2.8)",
    "required": ["version"],
    "properties": {"version": {"type": "array", "items": _STRING},
                   "extensions": {"type": "object"}},
}

#: Component name -> schema, as the document lists them.
SCHEMAS: dict[str, dict[str, Any]] = {
    "Agent": AGENT, "Statement": STATEMENT, "StatementResult": STATEMENT_RESULT,
    "Activity": ACTIVITY, "Person": PERSON, "About": ABOUT,
}
