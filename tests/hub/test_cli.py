"""The ``hub`` command: ``hub org create`` and ``hub credential create`` print JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import basic


def _org(runner: Any, name: str = "Lal Bahadur Shastri Academy", kind: str = "institution",
         *extra: str) -> Any:
    return runner.invoke(args=["org", "create", "--name", name, "--kind", kind, *extra])


def test_org_create_prints_json(runner: Any, app: Any) -> None:
    result = _org(runner, "Lal Bahadur Shastri Academy", "institution", "--country", "IN")
    assert result.exit_code == 0, result.output
    org = json.loads(result.output)
    assert org["name"] == "Lal Bahadur Shastri Academy" and org["kind"] == "institution"
    assert org["country"] == "IN"
    assert app.extensions["hub.store"].organisations.get(org["id"]) == org


def test_org_create_refuses_duplicates_and_bad_kinds(runner: Any) -> None:
    assert _org(runner).exit_code == 0
    again = _org(runner)
    assert again.exit_code == 1 and "exists" in again.output
    bad = _org(runner, "Other", "school")
    assert bad.exit_code == 2 and "school" in bad.output


def test_credential_create_prints_a_working_key_and_secret(runner: Any, client: Any) -> None:
    _org(runner)
    result = runner.invoke(args=["credential", "create", "--org", "Lal Bahadur Shastri Academy",
                                 "--roles", "lrs-writer, lrs-reader", "--label", "moodle"])
    assert result.exit_code == 0, result.output
    cred = json.loads(result.output)
    assert set(cred) >= {"key", "secret"}
    assert cred["roles"] == ["lrs-reader", "lrs-writer"]
    me = client.get("/me", headers=basic(cred["key"], cred["secret"]))
    assert me.status_code == 200
    assert me.json["organisation"]["name"] == "Lal Bahadur Shastri Academy"


def test_credential_create_errors(runner: Any) -> None:
    nobody = runner.invoke(args=["credential", "create", "--org", "Nobody", "--roles", "admin"])
    assert nobody.exit_code == 2 and "Nobody" in nobody.output
    _org(runner)
    bad = runner.invoke(args=["credential", "create", "--org", "Lal Bahadur Shastri Academy",
                              "--roles", "root"])
    assert bad.exit_code == 2 and "root" in bad.output


def test_credential_revoke(runner: Any, client: Any) -> None:
    _org(runner)
    cred = json.loads(runner.invoke(args=[
        "credential", "create", "--org", "Lal Bahadur Shastri Academy", "--roles", "curator",
    ]).output)
    assert runner.invoke(args=["credential", "revoke", cred["key"]]).exit_code == 0
    assert client.get("/me", headers=basic(cred["key"], cred["secret"])).status_code == 401
    assert runner.invoke(args=["credential", "revoke", "k_nope"]).exit_code == 2


def test_console_script_honours_hub_store_url(tmp_path: Path) -> None:
    """The real entry point, in a fresh process, against the store named in the environment."""
    env = {**os.environ, "HUB_STORE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "HUB_BLOB_URL": f"file://{tmp_path / 'blobs'}"}
    env.pop("FLASK_APP", None)

    def hub(*args: str) -> Any:
        return subprocess.run([sys.executable, "-c", "from hub import main; main()", *args],
                              env=env, capture_output=True, text=True, timeout=60,
                              cwd=Path(__file__).resolve().parents[2])

    made = hub("org", "create", "--name", "Ministry of Ports", "--kind", "department")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["kind"] == "department"
    cred = hub("credential", "create", "--org", "Ministry of Ports", "--roles", "curator")
    assert cred.returncode == 0, cred.stderr
    assert set(json.loads(cred.stdout)) >= {"key", "secret"}
    assert (tmp_path / "cli.db").exists()
    listed = hub("org", "list")
    assert [o["name"] for o in json.loads(listed.stdout)] == ["Ministry of Ports"]
