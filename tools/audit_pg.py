"""The audit trail in PostgreSQL (storage.mode = server): same API as tools.audit.AuditLog.

Every replica appends to one table, so `runbook audit` and reviewers see the team's tool
calls and approvals together. Table created by the app's migrations (`PG_MIGRATIONS`).
Tests: tests/storage/test_stores.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

from psycopg.types.json import Jsonb

PG_MIGRATIONS = [
    """CREATE TABLE IF NOT EXISTS audit (id BIGSERIAL PRIMARY KEY, ts DOUBLE PRECISION NOT NULL, event TEXT NOT NULL,
        session TEXT NOT NULL, user_name TEXT NOT NULL, tool TEXT NOT NULL, args JSONB NOT NULL, status TEXT NOT NULL,
        summary TEXT NOT NULL, elapsed DOUBLE PRECISION, approved BOOLEAN NOT NULL DEFAULT false, runbook TEXT);
    CREATE INDEX IF NOT EXISTS audit_session ON audit (session, ts);""",
]


class PgAuditLog:
    """Append-only audit records shared by every replica."""

    path = None

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def record(self, event: str, *, session: str, user: str, tool: str, args: dict[str, Any],
               status: str, summary: str, elapsed: float | None = None, approved: bool = False,
               runbook: str | None = None) -> None:
        clean = json.loads(json.dumps(args, ensure_ascii=False, default=str))
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO audit (ts, event, session, user_name, tool, args, status, summary, elapsed, approved, runbook)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (time.time(), event, session, user, tool, Jsonb(clean), status, summary[:500], elapsed, bool(approved),
                 runbook))

    def records(self, session: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Most recent first."""
        where, params = ("WHERE session = %s", (session,)) if session is not None else ("", ())
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT id, ts, event, session, user_name AS user, tool, args, status, summary, elapsed, approved, runbook "
                f"FROM audit {where} ORDER BY id DESC LIMIT %s", (*params, limit)).fetchall()
        return [dict(r) for r in rows]

    def close(self) -> None:
        """The pool belongs to the app."""
