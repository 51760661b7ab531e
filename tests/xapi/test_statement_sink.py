"""The statement sink the LRS registers for marketplace (hub.context.get_statement_sink): the
hub's own statements validated, stored under the organisation with the hub as authority, and
readable by that organisation only; on both store adapters."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hub.context import get_statement_sink
from hub.errors import ValidationError

XAPI = {"X-Experience-API-Version": "1.0.3"}


def statement(**overrides: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()),
            "actor": {"account": {"homePage": "http://hub.test", "name": "l1"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended",
                     "display": {"en": "attended"}},
            "object": {"id": "http://hub.test/blended/sessions/ses_1"}, **overrides}


def test_the_sink_stores_for_the_organisation_with_the_hub_as_authority(
        app: Any, client: Any, tenants: Any) -> None:
    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    other = tenants.make("Health Dept", "department", ("lrs-reader",))
    store = app.extensions["hub.store"]
    first, second = statement(), statement()
    with app.app_context():
        ids = get_statement_sink()(store, reader["org"]["id"], [first, second])
    assert ids == [first["id"], second["id"]]
    assert "authority" not in first  # the caller's dicts are not changed
    got = client.get("/xapi/statements", query_string={"statementId": first["id"]},
                     headers={**reader["headers"], **XAPI})
    assert got.status_code == 200
    assert got.get_json()["authority"] == {
        "objectType": "Agent", "name": "Karmayogi Hub",
        "account": {"homePage": "http://hub.test", "name": "hub"}}
    assert client.get("/xapi/statements", query_string={"statementId": first["id"]},
                      headers={**other["headers"], **XAPI}).status_code == 404


def test_a_statement_the_lrs_refuses_stores_nothing(app: Any, client: Any,
                                                     tenants: Any) -> None:
    reader = tenants.make("Revenue Dept", "department", ("lrs-reader",))
    good, bad = statement(), statement(verb={"id": "not an IRI"})
    with app.app_context(), pytest.raises(ValidationError):
        get_statement_sink()(app.extensions["hub.store"], reader["org"]["id"], [good, bad])
    assert client.get("/xapi/statements", query_string={"statementId": good["id"]},
                      headers={**reader["headers"], **XAPI}).status_code == 404
