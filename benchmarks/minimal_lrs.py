"""The yardstick for the ingest benchmark: a minimal Flask endpoint that only parses a batch with
orjson and inserts it into SQLite (WAL, the same composite indexes), with no validation, no auth,
no LRS rules. ``gunicorn benchmarks.minimal_lrs:app`` with ``MINIMAL_DB`` naming the file."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime

import orjson
from flask import Flask, Response, request

app = Flask(__name__)
_local = threading.local()

SCHEMA = """
CREATE TABLE IF NOT EXISTS statements (
  id TEXT PRIMARY KEY, verb TEXT NOT NULL, actor TEXT NOT NULL, activity TEXT,
  stored TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS st_verb ON statements (verb, stored DESC);
CREATE INDEX IF NOT EXISTS st_actor ON statements (actor, stored DESC);
CREATE INDEX IF NOT EXISTS st_activity ON statements (activity, stored DESC);
"""


def _db() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(os.environ["MINIMAL_DB"], isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
        _local.conn = conn
    return conn


@app.get("/health")
def health() -> str:
    _db()
    return "ok"


@app.post("/statements")
def statements() -> Response:
    batch = orjson.loads(request.get_data())
    stored = datetime.now(UTC).isoformat()
    rows = [(s["id"], s["verb"]["id"], orjson.dumps(s["actor"]).decode(),
             s["object"].get("id"), stored, orjson.dumps(s).decode()) for s in batch]
    conn = _db()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO statements VALUES (?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    return Response(orjson.dumps([s["id"] for s in batch]), mimetype="application/json")
