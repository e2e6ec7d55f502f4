"""The audit trail: every tool call and every approval decision, in data_dir/audit.sqlite.

One table `audit` (WAL, one short transaction per record) with who, session, when,
what (tool, arguments), the outcome (status, one-line result summary) and the kind of
event (`call` or `approval`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    event TEXT NOT NULL,
    session TEXT NOT NULL,
    user TEXT NOT NULL,
    tool TEXT NOT NULL,
    args TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NOT NULL,
    elapsed REAL,
    approved INTEGER NOT NULL DEFAULT 0,
    runbook TEXT
);
CREATE INDEX IF NOT EXISTS audit_session ON audit(session, ts);
"""


class AuditTrail(Protocol):
    """What the registry and `runbook audit` use: AuditLog (SQLite) or tools.audit_pg.PgAuditLog (server mode)."""

    def record(self, event: str, *, session: str, user: str, tool: str, args: dict[str, Any],
               status: str, summary: str, elapsed: float | None = None, approved: bool = False,
               runbook: str | None = None) -> None: ...

    def records(self, session: str | None = None, limit: int = 100) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


class AuditLog:
    """Append-only audit records; `path=None` keeps them in memory (tests, audit disabled)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            target = ":memory:"
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                target = str(self.path)
            self._conn = sqlite3.connect(target, check_same_thread=False, timeout=10)
            if self.path is not None:
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(SCHEMA)
        return self._conn

    def record(self, event: str, *, session: str, user: str, tool: str, args: dict[str, Any],
               status: str, summary: str, elapsed: float | None = None, approved: bool = False,
               runbook: str | None = None) -> None:
        row = (time.time(), event, session, user, tool, json.dumps(args, ensure_ascii=False, default=str),
               status, summary[:500], elapsed, int(approved), runbook)
        with self._lock:
            conn = self._connection()
            with conn:
                conn.execute(
                    "INSERT INTO audit (ts, event, session, user, tool, args, status, summary, elapsed, approved, runbook)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )

    def records(self, session: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Most recent first."""
        sql = "SELECT id, ts, event, session, user, tool, args, status, summary, elapsed, approved, runbook FROM audit"
        params: tuple[Any, ...] = ()
        if session is not None:
            sql += " WHERE session = ?"
            params = (session,)
        sql += " ORDER BY id DESC LIMIT ?"
        with self._lock:
            rows = self._connection().execute(sql, params + (limit,)).fetchall()
        keys = ("id", "ts", "event", "session", "user", "tool", "args", "status", "summary", "elapsed", "approved", "runbook")
        out = []
        for row in rows:
            item = dict(zip(keys, row))
            item["args"] = json.loads(item["args"])
            item["approved"] = bool(item["approved"])
            out.append(item)
        return out

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
