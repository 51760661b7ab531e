"""``python -m benchmarks.cmi5_conformance`` (``make cmi5-conformance``): the ADL cmi5 LMS test
suite (GitHub ``adlnet/CATAPULT``, folder ``lts/``: jest and puppeteer) against the hub.

The suite is kept outside the repository: copy its ``lts/`` folder somewhere, ``npm ci`` there
(``PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1``: it drives Debian's chromium), build its packages
(``cd pkg && NODE_OPTIONS=--openssl-legacy-provider npx webpack``) and point
``$CMI5_SUITE_DIR`` at it. This runner then

1. creates a temporary store and blob directory with a provider (publisher), the platform's
   reviewers and an LMS (``lrs-writer`` + ``lrs-reader``), one credential each;
2. serves the hub under werkzeug in a thread on a free 127.0.0.1 port, its public URL being
   that address (the AUs the suite runs talk to it from the browser);
3. copies the hub's adapter ``benchmarks/cmi5/lms.hub.js`` into the suite (``lib/``) and runs
   jest with it (``CATAPULT_LMS``), the credentials in the environment, and a jest-puppeteer
   configuration that launches ``$CHROMIUM_PATH`` headless without its sandbox (we run as root);
4. prints exactly ``cmi5 conformance: P passed, F failed, S skipped of T``; the failing tests with
   why go to ``failures.txt`` in the output directory, the hub's reason for each package it
   refused to ``refusals.txt`` (the suite checks only that a bad package is refused, not why),
   beside jest's JSON report, its console output and the server log.

Without the suite it prints how to get it and exits 0, so the target never breaks a checkout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.server import ROOT, free_port

ADAPTER = Path(__file__).with_name("cmi5") / "lms.hub.js"
DEFAULT_OUT = ROOT / "var" / "cmi5-conformance"

HOWTO = """\
cmi5 conformance: the ADL cmi5 LMS test suite is not installed (set $CMI5_SUITE_DIR).
Get it once, outside this repository (needs Node.js >= 18, npm and Debian's chromium):

    # the lts/ folder of github.com/adlnet/CATAPULT, e.g. from a clone:
    cp -r CATAPULT/lts /tmp/cmi5-lts && cd /tmp/cmi5-lts
    PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci
    (cd pkg && NODE_OPTIONS=--openssl-legacy-provider npx webpack)
    CMI5_SUITE_DIR=/tmp/cmi5-lts make cmi5-conformance

Options: python -m benchmarks.cmi5_conformance --help (--tests package runs only the package
import tests; --grep PATTERN a subset by test name)."""


@dataclass
class SuiteResult:
    """The outcome of one jest run, read from its ``--json`` report."""

    passed: int
    failed: int
    skipped: int
    total: int
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one line ``make cmi5-conformance`` prints."""
        return (f"cmi5 conformance: {self.passed} passed, {self.failed} failed, "
                f"{self.skipped} skipped of {self.total}")


def suite_dir_from_env() -> Path | None:
    """``$CMI5_SUITE_DIR`` when it holds an installed suite with its built packages."""
    value = os.environ.get("CMI5_SUITE_DIR")
    if not value:
        return None
    path = Path(value).expanduser()
    ready = ((path / "node_modules" / ".bin" / "jest").exists()
             and (path / "pkg" / "dist").is_dir() and (path / "lib" / "errors.js").is_file())
    return path if ready else None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CODE_OR_STACK = re.compile(r"^\s*(>?\s*\d+ \||at )")


def _reason(message: str) -> str:
    """A failure message up to the quoted source or the stack (jest's assertion text and what
    was received: the LMS's error, e.g. the hub's problem detail), on one line."""
    kept: list[str] = []
    for line in _ANSI.sub("", message).splitlines():
        if _CODE_OR_STACK.match(line):
            break
        if line.strip():
            kept.append(line.strip())
    return " ".join(kept)[:800]


def read_report(report: Path) -> SuiteResult:
    """Counts and failures from jest's ``--json`` output. A test file that failed before its
    tests ran (a ``beforeAll`` that threw) has no assertion results but a ``message``."""
    data = json.loads(report.read_text(encoding="utf-8"))
    failures: list[str] = []
    for file_result in data.get("testResults") or ():
        name = Path(str(file_result.get("name") or "")).name
        failed = [a for a in file_result.get("assertionResults") or ()
                  if a.get("status") == "failed"]
        for test in failed:
            why = _reason("\n".join(test.get("failureMessages") or ()))
            failures.append(f"{name} > {test.get('fullName')}: {why}")
        if not failed and file_result.get("status") == "failed":
            lines = [ln.strip() for ln in str(file_result.get("message") or "").splitlines()]
            failures.append(f"{name}: {' '.join(ln for ln in lines if ln)[:500]}")
    return SuiteResult(passed=int(data.get("numPassedTests") or 0),
                       failed=int(data.get("numFailedTests") or 0),
                       skipped=int(data.get("numPendingTests") or 0)
                       + int(data.get("numTodoTests") or 0),
                       total=int(data.get("numTotalTests") or 0), failures=failures)


def provision(store_url: str, blob_url: str) -> tuple[dict[str, str], str]:
    """The organisations and credentials the adapter uses, as its environment variables, and
    the LMS organisation's id."""
    from hub import create_app
    from hub.auth import create_credential, create_organisation
    from hub.principal import OrgKind, Role

    app = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url})
    store = app.extensions["hub.store"]
    env: dict[str, str] = {}
    try:
        for prefix, name, kind, roles in (
                ("PUBLISHER", "cmi5 suite provider", OrgKind.PROVIDER, [Role.PUBLISHER]),
                ("REVIEWER", "cmi5 suite reviewers", OrgKind.PLATFORM_ADMIN, [Role.REVIEWER]),
                ("LMS", "cmi5 suite LMS", OrgKind.LMS, [Role.LRS_WRITER, Role.LRS_READER])):
            org = create_organisation(store, name, kind)
            cred = create_credential(store, org["id"], roles, label="cmi5-lms-test-suite")
            env[f"HUB_{prefix}_KEY"], env[f"HUB_{prefix}_SECRET"] = cred["key"], cred["secret"]
    finally:
        store.close()
    return env, org["id"]


@contextlib.contextmanager
def serve(store_url: str, blob_url: str, log: Path) -> Iterator[str]:
    """The hub under werkzeug in a thread, ``HUB_PUBLIC_URL`` being the address it listens on
    (launch URLs, the AU's endpoint and fetch URL point there); yields that base URL."""
    from werkzeug.serving import make_server

    from hub import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url,
                      "HUB_PUBLIC_URL": base, "HUB_LOG_LEVEL": "WARNING"})
    server = make_server("127.0.0.1", port, app, threaded=True)
    handler = logging.FileHandler(log, mode="w")
    logging.getLogger().addHandler(handler)
    access = logging.getLogger("werkzeug")
    # The access log goes to the file only (the console keeps the summary line): a failure
    # is read against the requests the adapter and the AUs made.
    access.setLevel(logging.INFO)
    access.propagate = False
    access.addHandler(handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        logging.getLogger().removeHandler(handler)
        access.removeHandler(handler)
        handler.close()
        app.extensions["hub.store"].close()


def puppeteer_config(out: Path, chromium: str) -> Path:
    """A jest-puppeteer configuration for Debian's chromium: no download, and no sandbox
    (chromium refuses to start its sandbox as root, which we are here and in CI)."""
    config = out / "jest-puppeteer.config.js"
    launch = {"headless": True, "executablePath": chromium,
              "args": ["--no-sandbox", "--disable-dev-shm-usage"]}
    config.write_text(f"module.exports = {{launch: {json.dumps(launch)}}};\n", encoding="utf-8")
    return config


def run_jest(suite: Path, env: dict[str, str], out: Path, *, tests: str | None,
             grep: str | None, timeout: float) -> SuiteResult:
    """Run the suite's jest in band (the machine's cores are shared) with the hub's adapter."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("cmi5 conformance: node is not on PATH (the suite is a Node.js program)")
    shutil.copyfile(ADAPTER, suite / "lib" / "lms.hub.js")
    report = out / "jest.json"
    report.unlink(missing_ok=True)
    (out / "refusals.txt").write_text("", encoding="utf-8")
    cmd = [node, "node_modules/.bin/jest", "--runInBand", "--json", f"--outputFile={report}"]
    if tests:
        cmd.append(tests)
    if grep:
        cmd += ["-t", grep]
    console = out / "console.txt"
    with console.open("wb") as sink:
        proc = subprocess.Popen(cmd, cwd=suite, stdout=sink, stderr=subprocess.STDOUT,
                                env={**os.environ, **env}, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # jest and the browsers it started
            proc.wait()
            raise SystemExit(f"cmi5 conformance: the suite ran past {timeout:.0f} s; its "
                             f"output is in {console}") from None
    if not report.is_file():
        tail = "\n".join(console.read_text(errors="replace").splitlines()[-20:])
        raise SystemExit(f"cmi5 conformance: jest wrote no report; last output:\n{tail}")
    return read_report(report)


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit status 0 when the suite is absent or passes, 1 when tests fail."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cmi5_conformance",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tests", choices=("package", "runtime"), default=None,
                        help="run one of the suite's two test files (default: both)")
    parser.add_argument("--grep", help="run only the tests whose name matches this pattern")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where jest.json, console.txt, failures.txt go ({DEFAULT_OUT})")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds for the suite")
    args = parser.parse_args(argv)

    suite = suite_dir_from_env()
    if suite is None:
        print(HOWTO)
        return 0
    chromium = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        print(f"cmi5 conformance: no chromium at {chromium} (make chromium, or apt-get install "
              "-y chromium, or set CHROMIUM_PATH)")
        return 0

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hub-cmi5-") as tmp:
        store_url, blob_url = f"sqlite:///{Path(tmp) / 'hub.db'}", f"file://{Path(tmp) / 'blobs'}"
        env, _ = provision(store_url, blob_url)
        with serve(store_url, blob_url, out / "server.log") as base:
            env.update({"HUB_URL": base, "CATAPULT_LMS": "./lib/lms.hub.js",
                        "HUB_REFUSALS_LOG": str(out / "refusals.txt"),
                        "PUPPETEER_EXECUTABLE_PATH": chromium,
                        "JEST_PUPPETEER_CONFIG": str(puppeteer_config(out, chromium))})
            result = run_jest(suite, env, out, tests=args.tests, grep=args.grep,
                              timeout=args.timeout)
    (out / "failures.txt").write_text("".join(f"{line}\n" for line in result.failures),
                                      encoding="utf-8")
    print(result.line())
    print(f"(failing tests in {out / 'failures.txt'}, jest's report in {out / 'jest.json'}, "
          f"server log in {out / 'server.log'})", file=sys.stderr)
    return 0 if result.failed == 0 and result.total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
