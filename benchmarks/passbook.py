"""Passbook benchmarks (issue 13 "Speed"), on the embedded store:

- rebuild: ``hub passbook rebuild``'s work (:func:`marketplace.passbook_rebuild.rebuild`) for
  10,000 learners from N statements (1,000,000 by default; ``HUB_BENCH_STATEMENTS`` scales it
  down), attempts at 2,000 tagged catalogue courses: launched, initialized, progressed with
  durations, completed or passed (one in ten too fast, so flagged), terminated;
- ingest: the LRS ingest benchmark's harness and data (:mod:`benchmarks.xapi`, 8 clients,
  batches of 100) with the passbook listener off, then on (``HUB_PASSBOOK_LIVE``), each into a
  fresh store holding 500 tagged courses that a tenth of the statements name, so the listener
  derives completions for real (target: within 10% of the rate without it).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import uuid
from typing import Any

from benchmarks.search import seed
from benchmarks.server import serve
from benchmarks.xapi import BATCH, THREADS, WORKERS, _credential, _post_all, client_templates
from benchmarks.xapi_data import ACTIVITIES
from catalogue_schemas.links import catalogue_item_url

PUBLIC_URL = "https://hub.karmayogi.example"
LEARNERS = 10_000
COURSES = 2_000
ADL = "http://adlnet.gov/expapi/verbs/"


def _attempt(rng: random.Random, learner: int, course: int, day: int) -> list[dict[str, Any]]:
    """One attempt's statements: launch, progress with durations, completion or pass."""
    registration = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    actor = {"objectType": "Agent", "account": {"homePage": PUBLIC_URL,
                                                "name": f"u{learner:06d}"}}
    activity = {"objectType": "Activity",
                "id": catalogue_item_url(PUBLIC_URL, f"crs_bench{course:07d}")}
    fast = rng.random() < 0.1  # a "20-minute course completed in 20 seconds"
    steps = rng.randint(2, 6)
    out = []
    minute = 0
    for verb in ["launched", "initialized", *["progressed"] * steps,
                 rng.choice(["completed", "passed"]), "terminated"]:
        statement: dict[str, Any] = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "actor": actor,
            "verb": {"id": ADL + verb}, "object": activity,
            "context": {"registration": registration},
            "timestamp": f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T10:{minute:02d}:00Z"}
        if verb in ("progressed", "completed", "passed"):
            statement["result"] = {"duration": "PT2S" if fast else f"PT{rng.randint(3, 20)}M"}
        minute = min(59, minute + 3)
        out.append(statement)
    return out


def _fill(store: Any, org_id: str, total: int) -> int:
    """Store ``total`` statements (whole attempts) through the LRS's own service, outside any
    app (so the live listener stays out of it); returns the completions among them."""
    from hub.principal import OrgKind, Principal, Role
    from xapi.statements import store_statements

    writer = Principal(key="bench", org_id=org_id, org_kind=OrgKind.DEPARTMENT,
                       org_name="Bench Dept", roles=frozenset({Role.LRS_WRITER.value}))
    rng = random.Random(13)
    stored = completions = 0
    batch: list[dict[str, Any]] = []
    while stored < total:
        attempt = _attempt(rng, rng.randrange(LEARNERS), rng.randrange(COURSES),
                           rng.randrange(300))
        attempt = attempt[:total - stored]
        completions += sum(s["verb"]["id"] in (ADL + "completed", ADL + "passed")
                           for s in attempt)
        batch += attempt
        stored += len(attempt)
        if len(batch) >= 500 or stored >= total:
            store_statements(store, None, writer, PUBLIC_URL, batch)
            batch = []
    return completions


def _rebuild(total: int, report: list[str]) -> None:
    from hub.auth import create_organisation
    from hub.principal import OrgKind
    from marketplace.passbook_rebuild import rebuild
    from storage import open_store

    with tempfile.TemporaryDirectory(prefix="hub-passbook-bench-") as tmp:
        url = f"sqlite:///{tmp}/hub.db"
        seed(url, COURSES)
        store = open_store(url)
        try:
            org = create_organisation(store, "Bench Dept", OrgKind.DEPARTMENT)
            started = time.perf_counter()
            completions = _fill(store, org["id"], total)
            filled = time.perf_counter() - started
            started = time.perf_counter()
            replayed = rebuild(store, PUBLIC_URL, 0.10)
            took = time.perf_counter() - started
            held = store.passbook.held_levels(org["id"])
            flagged = len(store.passbook.flagged(org["id"], limit=1_000_000))
        finally:
            store.close()
    lines = [f"passbook rebuild: {took:7.1f} s for {total:,} statements of {LEARNERS:,} "
             f"learners ({replayed:,} completions/passes replayed, {flagged:,} flagged, "
             f"{len(held):,} learners holding a level; {total / took:,.0f} statements/s; "
             f"target under 120 s for 1,000,000)",
             f"passbook rebuild setup: {filled:.1f} s to store the statements "
             f"({completions:,} completions/passes)"]
    for line in lines:
        print(line, flush=True)
    report += lines


def _catalogue_templates() -> list[list[list[dict[str, Any]]]]:
    """The ingest benchmark's batches, a tenth of the activities renamed to tagged catalogue
    courses (one of the 500 seeded), so completions and passes of them reach the listener."""
    templates = client_templates()
    for client in templates:
        for batch in client:
            for statement in batch:
                index = int(statement["object"]["id"].rsplit("/", 1)[1])
                if index < ACTIVITIES // 10:
                    statement["object"]["id"] = catalogue_item_url(
                        PUBLIC_URL, f"crs_bench{index % 500:07d}")
    return templates


def _ingest(total: int, report: list[str]) -> None:
    rates = {}
    for live in ("off", "on"):
        with tempfile.TemporaryDirectory(prefix="hub-passbook-ingest-") as tmp:
            env = {"HUB_STORE_URL": f"sqlite:///{tmp}/x.db", "HUB_BLOB_URL": f"file://{tmp}/b",
                   "HUB_PUBLIC_URL": PUBLIC_URL, "HUB_PASSBOOK_LIVE": live}
            seed(env["HUB_STORE_URL"], 500)
            headers = _credential(env["HUB_STORE_URL"])
            with serve(env, workers=WORKERS, threads=THREADS) as (base, _):
                # new registrations at each POST: a template's attempt must not grow with
                # every reuse, which would make the listener read ever longer attempts back
                rates[live] = _post_all(base, "/xapi/statements", headers, total, report,
                                        f"pb-{live}", _catalogue_templates(),
                                        fresh_registrations=True)
            if live == "on":
                from storage import open_store

                store = open_store(env["HUB_STORE_URL"])
                try:
                    org = store.organisations.get_by_name("Bench LMS")
                    derived = len(store.passbook.flagged(org["id"], False, limit=1_000_000))
                    held = len(store.passbook.held_levels(org["id"]))
                finally:
                    store.close()
    line = (f"passbook ingest: {rates['on']:,.0f} statements/s with the listener, "
            f"{rates['off']:,.0f} without ({rates['on'] / rates['off']:.2f}; target >= 0.90); "
            f"batches of {BATCH}, {held:,} learners got evidence, {derived:,} flagged")
    print(line, flush=True)
    report.append(line)


def run() -> list[str]:
    """Rebuild time, then ingest with and without the listener; returns the printed lines."""
    total = int(os.environ.get("HUB_BENCH_STATEMENTS", "1000000"))
    report: list[str] = []
    _rebuild(total, report)
    _ingest(total, report)
    return report


if __name__ == "__main__":
    run()
