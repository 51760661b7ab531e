"""Start the hub under gunicorn on a free loopback port for benchmarks and the conformance run."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(port: int, timeout: float = 60.0) -> float:
    """Poll ``/health`` until it answers 200; returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
        finally:
            conn.close()
    raise RuntimeError(f"hub on port {port} not healthy after {timeout} s")


#: One line per request: when, what, status, body bytes, milliseconds.
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'


@contextlib.contextmanager
def serve(env: dict[str, str], *, workers: int = 1, threads: int = 1, cpu: int | None = None,
          log: Path | None = None, target: str = "wsgi:app",
          access_log: bool = False) -> Iterator[tuple[str, float]]:
    """Run ``gunicorn wsgi:app`` (pinned to ``cpu`` with taskset when given); yields
    (base URL, seconds until healthy) and stops the server afterwards.

    ``access_log`` adds a line per request to ``log`` (off for timings, where it would cost;
    on for conformance runs, so a run that ends early shows the last requests served)."""
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--threads", str(threads), "--log-level", "warning"]
    if access_log:
        cmd += ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
    cmd.append(target)
    if cpu is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", str(cpu), *cmd]
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
    try:
        wait_healthy(port)
        yield f"http://127.0.0.1:{port}", time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()  # type: ignore[union-attr]


@contextlib.contextmanager
def serve_app(target: str, env: dict[str, str], **kw: int) -> Iterator[str]:
    """Like :func:`serve` for another WSGI app; yields only the base URL."""
    with serve(env, target=target, **kw) as (base, _):  # type: ignore[arg-type]
        yield base
