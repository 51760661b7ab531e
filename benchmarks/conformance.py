"""``python -m benchmarks.conformance`` (``make conformance``): the ADL LRS conformance suite.

The suite (GitHub ``adlnet/lrs-conformance-test-suite``, Node.js) is the definition of done of the
LRS. It is kept outside the repository: clone it, ``npm install`` there and point
``$LRS_SUITE_DIR`` at it. This runner then

1. creates a temporary store and blob directory with one organisation and a credential holding
   ``lrs-writer`` and ``lrs-reader`` (the suite authenticates with HTTP Basic);
2. starts the hub under gunicorn on a free 127.0.0.1 port (:func:`benchmarks.server.serve`);
3. runs ``node bin/console_runner.js -x 1.0.3`` against ``<hub>/xapi`` (the 1.0.3 battery);
4. reads the suite's JSON run log and prints exactly ``conformance: P passed, F failed of T``;
   the titles of failing tests (with their suite path and error) go to ``failures.txt`` in the
   output directory, beside the suite's console output and its run log;
5. stops the server.

Without the suite it prints how to get it and exits 0, so ``make conformance`` never breaks a
checkout that does not have Node.js.
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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.server import ROOT, serve

SUITE_REPO = "https://github.com/adlnet/lrs-conformance-test-suite.git"
DEFAULT_OUT = ROOT / "var" / "conformance"

HOWTO = f"""\
conformance: the ADL LRS conformance suite is not installed (set $LRS_SUITE_DIR).
Get it once, outside this repository (needs Node.js >= 18 and npm):

    git clone {SUITE_REPO} /tmp/lrs-suite
    (cd /tmp/lrs-suite && npm install)
    LRS_SUITE_DIR=/tmp/lrs-suite make conformance

Options: python -m benchmarks.conformance --help  (--grep PATTERN runs a subset, e.g.
--grep XAPI-00113 or --grep "Communication 2.1"; --store-url runs it on MongoDB)."""


@dataclass
class ConformanceResult:
    """The outcome of one suite run, read from the suite's JSON run log."""

    passed: int
    failed: int
    total: int
    state: str
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one line ``make conformance`` prints: passed, failed and total."""
        return f"conformance: {self.passed} passed, {self.failed} failed of {self.total}"


def suite_dir_from_env() -> Path | None:
    """``$LRS_SUITE_DIR`` when it holds an installed suite, else None."""
    value = os.environ.get("LRS_SUITE_DIR")
    if not value:
        return None
    path = Path(value).expanduser()
    runner = path / "bin" / "console_runner.js"
    if runner.is_file() and (path / "node_modules").is_dir():
        return path
    return None


def _failed_leaves(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[str]:
    """``suite > sub-suite > test: error`` for every failure recorded in the run-log tree.

    The log is a tree of suites and tests. A suite's status is rolled up from its children, so
    only nodes that carry their own ``error`` name what failed: the tests, and suites whose
    ``before`` hook failed (then their tests never ran; the root suite's hook has no title)."""
    title = node.get("title") or ""
    here = (*path, title) if title else path
    if node.get("status") == "failed" and node.get("error"):
        error = " ".join(str(node["error"]).split())
        yield (" > ".join(here) or "(suite set-up hook)") + f": {error}"
    for child in node.get("tests") or ():
        if child:
            yield from _failed_leaves(child, here)


def read_run_log(log_path: Path) -> ConformanceResult:
    """Parse the JSON log the suite's console runner writes at the end of a run."""
    record = json.loads(log_path.read_text(encoding="utf-8"))
    summary = record.get("summary") or {}
    return ConformanceResult(
        passed=int(summary.get("passed") or 0),
        failed=int(summary.get("failed") or 0),
        total=int(summary.get("total") or 0),
        state=str(record.get("state") or ""),
        failures=list(_failed_leaves(record.get("log") or {})),
    )


_LOG_WRITTEN = re.compile(r"Full run log written to (\S+\.log)")


_PROGRESS = re.compile(rb'^\{"total":\d+,"passed":(\d+),"failed":(\d+)', re.MULTILINE)


def _watch(proc: subprocess.Popen[bytes], console: Path, *, stall: float,
           timeout: float) -> str | None:
    """Wait for the suite; None when it exits, else why it was stopped.

    The suite's HTTP client drops a request that fails without a response (a reset
    connection): its callback never runs, the test never ends, and the suite (its tests mostly
    have no timeout) waits for ever while still printing the same counts every 2 s. Counts
    that do not move for ``stall`` seconds, or a run past ``timeout``, stop its whole session."""
    started = last_move = time.monotonic()
    counts: tuple[bytes, bytes] | None = None
    while True:
        try:
            proc.wait(timeout=1.0)
            return None
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        found = _PROGRESS.findall(console.read_bytes())
        if found and found[-1] != counts:
            counts, last_move = found[-1], now
        reason = None
        if now - last_move > stall:
            done = f"{int(counts[0])} passed, {int(counts[1])} failed" if counts else "no test"
            reason = f"the suite made no progress for {stall:.0f} s after {done}"
        elif now - started > timeout:
            reason = f"the suite ran past {timeout:.0f} s"
        if reason:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            return reason


def run_suite(suite: Path, endpoint: str, key: str, secret: str, out: Path, *,
              version: str = "1.0.3", grep: str | None = None, bail: bool = False,
              timeout: float = 3600.0, stall: float = 300.0) -> ConformanceResult:
    """Run the suite's console runner against ``endpoint``; returns its parsed result.

    The console output goes to ``out/console.txt``; the run log is copied to ``out/run.json``.
    ``-z`` keeps only the failing branches in the log (the summary still counts everything).
    A run whose counts do not move for ``stall`` seconds is stopped (see :func:`_watch`)."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("conformance: node is not on PATH (the suite is a Node.js program)")
    cmd = [node, "bin/console_runner.js", "-e", endpoint, "-a", "-u", key, "-p", secret,
           "-x", version, "-z"]
    if grep:
        cmd += ["-g", grep]
    if bail:
        cmd.append("-b")
    console = out / "console.txt"
    with console.open("wb") as sink:
        # The suite exits with the number of failures; that is not an error of this runner.
        # Its own session, so that a stalled run can be stopped with the test process it forks.
        proc = subprocess.Popen(cmd, cwd=suite, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
        stalled = _watch(proc, console, stall=stall, timeout=timeout)
    text = console.read_text(encoding="utf-8", errors="replace")
    if stalled:
        raise SystemExit(f"conformance: {stalled}; the last requests the hub answered are at "
                         f"the end of server.log beside {console}")
    found = _LOG_WRITTEN.findall(text)
    if not found:
        tail = "\n".join(text.splitlines()[-20:])
        raise SystemExit(f"conformance: the suite wrote no run log; last output:\n{tail}")
    log_path = Path(found[-1])
    shutil.copyfile(log_path, out / "run.json")
    log_path.unlink(missing_ok=True)  # the suite's logs/ directory would grow on every run
    return read_run_log(out / "run.json")


def provision(store_url: str, blob_url: str) -> tuple[str, str]:
    """Create the organisation and an ``lrs-writer``+``lrs-reader`` credential the suite uses;
    returns (key, secret)."""
    from hub import create_app
    from hub.auth import create_credential, create_organisation
    from hub.principal import OrgKind, Role

    app = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url})
    store = app.extensions["hub.store"]
    try:
        org = create_organisation(store, "ADL conformance suite", OrgKind.PLATFORM_ADMIN)
        while True:
            cred = create_credential(store, org["id"], [Role.LRS_WRITER, Role.LRS_READER],
                                     label="lrs-conformance-test-suite")
            if not cred["secret"].startswith("-"):
                break
            # The suite's command line (commander 2) reads an argument starting with "-" as
            # options, never as the value of ``-p``: such a secret (1 in 64 from
            # token_urlsafe) made the runner exit on an unknown option or switch on OAuth,
            # and the run ended without a log. The store is throwaway: draw another.
    finally:
        store.close()
    return cred["key"], cred["secret"]


@contextlib.contextmanager
def serve_in_process(store_url: str, blob_url: str, log: Path) -> Iterator[str]:
    """The hub under werkzeug in a thread of this process (for ``--store-url mongomock``: an
    in-memory MongoDB lives in one process only, so gunicorn cannot serve it)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from hub import create_app

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: object, **kwargs: object) -> None:
            """Thousands of suite requests: the access log would bury the summary line."""

    app = create_app({"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url,
                      "HUB_LOG_LEVEL": "WARNING"})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    handler = logging.FileHandler(log, mode="w")
    logging.getLogger().addHandler(handler)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        logging.getLogger().removeHandler(handler)
        handler.close()


@contextlib.contextmanager
def mongomock_url() -> Iterator[str]:
    """A store URL on mongomock, set up exactly as the tests do (``tests.mongo_support``: the
    adapter's client factory swapped, mongomock's bulk_write patched there only)."""
    sys.path.insert(0, str(ROOT))
    from tests.mongo_support import mongo_store_url

    with mongo_store_url() as url:
        yield url


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit status 0 when the suite is absent or passes, 1 when tests fail."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.conformance",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--grep", help="run only the tests whose title matches this pattern")
    parser.add_argument("--bail", action="store_true", help="stop a battery at its first failure")
    parser.add_argument("--xapi-version", default="1.0.3", choices=("1.0.3", "2.0.0"))
    parser.add_argument("--store-url", default=None,
                        help="store to test (default: a fresh SQLite file in a temp directory); "
                             "a mongodb:// URL must name an empty database; 'mongomock' runs "
                             "the MongoDB adapter on mongomock in this process (no server)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where console.txt, run.json, failures.txt go ({DEFAULT_OUT})")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads (1 worker)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds for the suite")
    parser.add_argument("--stall", type=float, default=300.0,
                        help="stop the suite when its counts do not move for this many seconds")
    args = parser.parse_args(argv)

    suite = suite_dir_from_env()
    if suite is None:
        print(HOWTO)
        return 0

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hub-conformance-")))
        in_process = args.store_url == "mongomock"
        if in_process:
            store_url = stack.enter_context(mongomock_url())
        else:
            store_url = args.store_url or f"sqlite:///{tmp / 'hub.db'}"
        blob_url = f"file://{tmp / 'blobs'}"
        key, secret = provision(store_url, blob_url)
        started = time.perf_counter()
        if in_process:
            base = stack.enter_context(serve_in_process(store_url, blob_url, out / "server.log"))
        else:
            env = {"HUB_STORE_URL": store_url, "HUB_BLOB_URL": blob_url,
                   "HUB_LOG_LEVEL": "WARNING"}
            base, _ = stack.enter_context(
                serve(env, workers=1, threads=args.threads, log=out / "server.log",
                      access_log=True))
        result = run_suite(suite, f"{base}/xapi", key, secret, out, version=args.xapi_version,
                           grep=args.grep, bail=args.bail, timeout=args.timeout,
                           stall=args.stall)
        elapsed = time.perf_counter() - started

    (out / "failures.txt").write_text("".join(f"{line}\n" for line in result.failures),
                                      encoding="utf-8")
    print(result.line())
    note = f"({elapsed:.0f} s, xAPI {args.xapi_version}"
    if result.state != "finished":
        note += f", suite state {result.state!r}: it stopped before the end"
    print(f"{note}; failing tests in {out / 'failures.txt'}, server log in "
          f"{out / 'server.log'})", file=sys.stderr)
    complete = result.state == "finished" and result.passed == result.total
    return 0 if complete and result.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
