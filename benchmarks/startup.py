"""The cost of ``make run`` start-up (once installed): demo load on an empty store, then time
until gunicorn answers ``/health``."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.server import ROOT, serve


def run() -> list[str]:
    """Time the two steps of ``make run`` after installation; returns the printed lines."""
    hub = str(Path(sys.executable).with_name("hub"))
    with tempfile.TemporaryDirectory(prefix="hub-start-") as tmp:
        env = {"HUB_STORE_URL": f"sqlite:///{tmp}/hub.db", "HUB_BLOB_URL": f"file://{tmp}/blobs"}
        started = time.perf_counter()
        subprocess.run([hub, "demo", "load", "--if-empty"], cwd=ROOT, check=True,
                       env={**__import__("os").environ, **env}, capture_output=True)
        demo = time.perf_counter() - started
        with serve(env, workers=2, threads=4) as (_, ready):
            pass
    line = (f"startup demo load (empty store) {demo:.2f} s; gunicorn ready in {ready:.2f} s; "
            f"make run total ~{demo + ready:.2f} s after install")
    print(line, flush=True)
    return [line]


if __name__ == "__main__":
    run()
