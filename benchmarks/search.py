"""Catalogue search through HTTP: seed N published courses, time 200 fixed faceted queries.

The server is one gunicorn worker with one thread pinned to CPU 0 ("on one core"); the client runs
on CPU 1 with a keep-alive connection. Prints p50/p95/max per catalogue size.
"""

from __future__ import annotations

import http.client
import os
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.catalogue_data import add_courses, course_documents, search_queries
from benchmarks.server import serve

PROVIDERS = 24


def seed(store_url: str, n: int) -> list[str]:
    """Fill a fresh store with ``n`` published courses from ``PROVIDERS`` providers."""
    from hub.auth import create_organisation
    from hub.principal import OrgKind
    from storage import open_store
    from tests.frac_support import publish_test_framework

    store = open_store(store_url)
    try:
        publish_test_framework(store)  # the courses are tagged against it (catalogue_data)
        providers = [create_organisation(store, f"Bench Provider {i}", OrgKind.PROVIDER)["id"]
                     for i in range(PROVIDERS)]
        add_courses(store, course_documents(n, providers))
        return providers
    finally:
        store.close()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def time_queries(base: str, paths: list[str], warmup: int = 20) -> list[float]:
    """Milliseconds per query over one keep-alive connection."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    for path in paths[:warmup]:
        conn.request("GET", path)
        conn.getresponse().read()
    out = []
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        out.append((time.perf_counter() - started) * 1000)
        if resp.status != 200:
            raise RuntimeError(f"{path}: {resp.status} {body[:300]!r}")
    conn.close()
    return out


def run(sizes: tuple[int, ...] = (10_000, 50_000)) -> list[str]:
    """Run the benchmark for each size; returns the printed lines."""
    lines = []
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})  # the client on CPU 1, the server on CPU 0
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
            store_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            started = time.perf_counter()
            providers = seed(store_url, n)
            seeded = time.perf_counter() - started
            env = {"HUB_STORE_URL": store_url, "HUB_BLOB_URL": f"file://{tmp}/blobs"}
            with serve(env, cpu=0) as (base, _):
                ms = time_queries(base, search_queries(200, providers))
            line = (f"search  {n:>6} courses: p50 {statistics.median(ms):6.1f} ms  "
                    f"p95 {percentile(ms, 95):6.1f} ms  max {max(ms):6.1f} ms  "
                    f"(200 faceted queries over HTTP, 1 core; seeded in {seeded:.1f} s)")
            print(line, flush=True)
            lines.append(line)
    return lines


if __name__ == "__main__":
    run()
