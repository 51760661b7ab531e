"""The forwarding API in the OpenAPI document: request and response schemas that hold."""

from __future__ import annotations

from typing import Any

from tests.openapi_support import conforms, documented_schema


def test_forwarding_is_documented_from_its_schemas(hub: Any, tenants: Any) -> None:
    # /xapi/forwarding was missing from the document; its answers must match what it says.
    client = hub.test_client()
    spec = client.get("/openapi.json").get_json()
    lms = tenants.make("State LMS", "lms", ("lrs-writer", "lrs-reader"))
    created = client.post("/xapi/forwarding", headers=lms["headers"], json={
        "url": "https://lrs.example.org/xapi", "username": "u", "password": "p",
        "verbs": ["http://adlnet.gov/expapi/verbs/completed"], "label": "state LRS"})
    assert created.status_code == 201, created.get_json()
    fid = created.get_json()["id"]
    body_schema = spec["paths"]["/xapi/forwarding"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert spec["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[-1]][
        "required"] == ["url"]
    checks = [
        ("/xapi/forwarding", "post", "201", created),
        ("/xapi/forwarding", "get", "200", client.get("/xapi/forwarding",
                                                      headers=lms["headers"])),
        ("/xapi/forwarding/{forwarder_id}", "get", "200",
         client.get(f"/xapi/forwarding/{fid}", headers=lms["headers"])),
        ("/xapi/forwarding/{forwarder_id}", "patch", "200",
         client.patch(f"/xapi/forwarding/{fid}", json={"active": False},
                      headers=lms["headers"])),
        ("/xapi/forwarding/{forwarder_id}/retry", "post", "200",
         client.post(f"/xapi/forwarding/{fid}/retry", headers=lms["headers"])),
    ]
    for path, method, status, resp in checks:
        assert str(resp.status_code) == status, (path, method, resp.get_json())
        schema = documented_schema(spec, path, method, status, "application/json")
        assert conforms(spec, schema, resp.get_json()) == [], (path, method)
        assert "password" not in resp.get_data(as_text=True)
    assert "204" in spec["paths"]["/xapi/forwarding/{forwarder_id}"]["delete"]["responses"]
