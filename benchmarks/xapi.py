"""LRS benchmarks on the embedded store, full validation:

- ingest: HTTP POST batches of 100 from 8 concurrent clients while the store grows to N
  statements (1,000,000 by default), beside the minimal Flask endpoint of
  :mod:`benchmarks.minimal_lrs` fed the same batches in the same run (ratio target >= 0.6);
- query: GET /xapi/statements filtered by verb, by agent and by activity, limit=50, one client,
  p50/p95 at the final size;
- disk: bytes per stored statement (database file + WAL, indexes included).

``HUB_BENCH_STATEMENTS`` overrides N (e.g. 200000 for a quick look).
"""

from __future__ import annotations

import base64
import http.client
import os
import random
import sqlite3
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import orjson

from benchmarks.search import percentile
from benchmarks.server import serve
from benchmarks.xapi_data import VERBS, activity_id, batches, learner

CLIENTS = 8
BATCH = 100
WORKERS, THREADS = 2, 4


def _post_all(base: str, path: str, headers: dict[str, str], total: int,
              report: list[str], label: str,
              templates: list[list[list[dict[str, Any]]]] | None = None,
              fresh_registrations: bool = False) -> float:
    """POST ``total`` statements in batches of 100 from 8 threads; returns statements/s.
    ``templates`` (one list of batches per client) default to :func:`client_templates`;
    ``fresh_registrations`` gives every statement a new registration at each POST too (an
    attempt does not grow with each reuse of its template, for whoever reads it back)."""
    # Each client owns its templates: ids are rewritten in place before every POST.
    templates = templates or client_templates()
    url = urlsplit(base)
    sent = [0]
    lock = threading.Lock()
    errors: list[str] = []
    checkpoints: list[tuple[int, float]] = []
    started = time.perf_counter()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        rng = random.Random(n)
        while True:
            with lock:
                if sent[0] >= total or errors:
                    break
                sent[0] += BATCH
                done = sent[0]
            batch = rng.choice(templates[n])
            for s in batch:
                s["id"] = str(uuid.uuid4())
                if fresh_registrations:
                    s["context"]["registration"] = str(uuid.uuid4())
            conn.request("POST", path, body=orjson.dumps(batch), headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                errors.append(f"{resp.status} {body[:300]!r}")
                break
            if done % 100_000 == 0:
                checkpoints.append((done, time.perf_counter() - started))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{label}: {errors[0]}")
    prev = (0, 0.0)
    segs = []
    for done, at in sorted(checkpoints):
        segs.append(f"{(done - prev[0]) / max(at - prev[1], 1e-9):,.0f}")
        prev = (done, at)
    rate = total / elapsed
    line = (f"xapi ingest {label:8}: {rate:8,.0f} statements/s over {total:,} "
            f"({CLIENTS} clients, batches of {BATCH}); per 100k: {' '.join(segs)}")
    print(line, flush=True)
    report.append(line)
    return rate


def client_templates() -> list[list[list[dict[str, Any]]]]:
    """The batches each of the :data:`CLIENTS` clients posts (in turn, with fresh ids)."""
    return [batches(8, BATCH, seed=100 + n) for n in range(CLIENTS)]


def _query(base: str, headers: dict[str, str], report: list[str]) -> None:
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    rng = random.Random(5)
    cases = {
        "verb": lambda: "verb=" + quote(rng.choice(VERBS), safe=""),
        "agent": lambda: "agent=" + quote(orjson.dumps(learner(rng.randrange(20_000))), safe=""),
        "activity": lambda: "activity=" + quote(activity_id(rng.randrange(5_000)), safe=""),
    }
    for name, make in cases.items():
        ms = []
        for i in range(220):
            path = f"/xapi/statements?{make()}&limit=50"
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{path}: {resp.status} {body[:200]!r}")
            if i >= 20:  # warm-up excluded
                ms.append((time.perf_counter() - started) * 1000)
        line = (f"xapi query by {name:8}: p50 {statistics.median(ms):6.2f} ms  "
                f"p95 {percentile(ms, 95):6.2f} ms  (limit=50, 200 queries, 1 client)")
        print(line, flush=True)
        report.append(line)
    conn.close()


def _credential(store_url: str) -> dict[str, str]:
    from hub.auth import create_credential, create_organisation
    from hub.principal import OrgKind, Role
    from storage import open_store

    store = open_store(store_url)
    try:
        org = create_organisation(store, "Bench LMS", OrgKind.LMS)
        cred = create_credential(store, org["id"], [Role.LRS_WRITER, Role.LRS_READER])
    finally:
        store.close()
    token = base64.b64encode(f"{cred['key']}:{cred['secret']}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json"}


def run() -> list[str]:
    """Run ingest (hub and yardstick), queries and disk; returns the printed lines."""
    total = int(os.environ.get("HUB_BENCH_STATEMENTS", "1000000"))
    report: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hub-xapi-bench-") as tmp:
        minimal_db = Path(tmp) / "minimal.db"
        env = {"MINIMAL_DB": str(minimal_db), "HUB_STORE_URL": f"sqlite:///{tmp}/x.db",
               "HUB_BLOB_URL": f"file://{tmp}/blobs"}
        from benchmarks.server import serve_app

        with serve_app("benchmarks.minimal_lrs:app", env, workers=WORKERS, threads=THREADS) as b:
            baseline = _post_all(b, "/statements", {"Content-Type": "application/json"}, total,
                                 report, "minimal")
        headers = _credential(env["HUB_STORE_URL"])
        with serve(env, workers=WORKERS, threads=THREADS) as (base, _):
            rate = _post_all(base, "/xapi/statements", headers, total, report, "hub")
            _query(base, headers, report)
        line = f"xapi ingest ratio hub/minimal: {rate / baseline:.2f} (target >= 0.6)"
        print(line, flush=True)
        report.append(line)
        db = Path(tmp) / "x.db"
        with sqlite3.connect(db) as conn:  # fold the WAL in so the file size is the data's
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in db.parent.glob("x.db*"))
        line = (f"xapi disk: {size / total:,.0f} bytes per statement incl. indexes "
                f"({size / 1e6:,.0f} MB)")
        print(line, flush=True)
        report.append(line)
    return report


if __name__ == "__main__":
    run()
