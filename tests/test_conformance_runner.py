"""The conformance runner's own plumbing (``benchmarks.conformance``, ``benchmarks.server``),
without Node.js."""

from __future__ import annotations

import os
import secrets
import shutil
import urllib.request
from pathlib import Path

import pytest

from benchmarks.conformance import provision, run_suite
from benchmarks.server import serve
from hub import create_app
from hub.auth import authenticate


def test_provisioned_secret_never_reads_as_a_command_line_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A secret starting with "-" is parsed by the suite's command line as flags (``-o`` turns
    on OAuth, an unknown letter exits): the runner must hand over one that cannot be."""
    real = secrets.token_urlsafe
    drawn = iter(["-oAuthFlagsLookAlike0123456789abcdefghijk"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n=None: next(drawn, None) or real(n))
    store_url = f"sqlite:///{tmp_path / 'hub.db'}"
    blob_url = f"file://{tmp_path / 'blobs'}"

    key, secret = provision(store_url, blob_url)

    assert not secret.startswith("-")
    store = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url}
                       ).extensions["hub.store"]
    try:
        assert authenticate(store, key, secret) is not None
    finally:
        store.close()


def test_conformance_server_log_lists_every_request(tmp_path: Path) -> None:
    """A run that ends early must show what the server answered last: the hub the runner
    starts logs one line per request (status, bytes, milliseconds) beside its errors."""
    store_url = f"sqlite:///{tmp_path / 'hub.db'}"
    blob_url = f"file://{tmp_path / 'blobs'}"
    provision(store_url, blob_url)
    log = tmp_path / "server.log"
    env = {"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url, "HUB_LOG_LEVEL": "WARNING"}
    with serve(env, threads=2, log=log, access_log=True) as (base, _), \
            urllib.request.urlopen(f"{base}/health?probe=1", timeout=10) as response:
        assert response.status == 200
    assert '"GET /health?probe=1 HTTP/1.1" 200' in log.read_text(encoding="utf-8")


# Like the suite's console runner: forks the test process, prints the counts every 200 ms;
# the test process waits for ever, as one does when a request's callback is never called.
STALLED_RUNNER = """
const {fork} = require("child_process");
if (process.argv[2] === "child") {
  process.on("message", () => {});
} else {
  const child = fork(__filename, ["child"]);
  require("fs").writeFileSync(process.env.PID_FILE, String(child.pid));
  setInterval(() => console.log(JSON.stringify({total: 3, passed: 1, failed: 0})), 200);
}
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_a_stalled_suite_is_stopped_with_its_test_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A suite whose counts stop moving is stopped after ``stall`` seconds, test process and
    all, and the run says so, instead of waiting out the hour-long timeout."""
    suite = tmp_path / "suite"
    (suite / "bin").mkdir(parents=True)
    (suite / "bin" / "console_runner.js").write_text(STALLED_RUNNER, encoding="utf-8")
    pid_file = tmp_path / "child.pid"
    monkeypatch.setenv("PID_FILE", str(pid_file))

    with pytest.raises(SystemExit, match="no progress for 2 s after 1 passed, 0 failed"):
        run_suite(suite, "http://127.0.0.1:9/xapi", "k", "s", tmp_path, stall=2.0,
                  timeout=60.0)

    assert _gone_or_zombie(int(pid_file.read_text()))


def _gone_or_zombie(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie has ended; its new parent reaps it when it can)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rpartition(")")[2].split()[0] == "Z"
