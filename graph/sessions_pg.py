"""The session index in PostgreSQL (storage.mode = server): same behaviour as graph.sessions.SessionIndex.

Shared by every replica, so a conversation started on one is listed by all. Takes a
psycopg pool (autocommit, dict rows) built by app.storage; the table is created by the
app's migrations (`PG_MIGRATIONS`). Tests: tests/storage/test_stores.py.
"""

from __future__ import annotations

import time
from typing import Any

PG_MIGRATIONS = [
    "CREATE TABLE IF NOT EXISTS copilot_sessions (user_name TEXT NOT NULL, session_id TEXT NOT NULL, "
    "title TEXT NOT NULL, updated_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (user_name, session_id))",
]


class PgSessionIndex:
    """session_id, title (first message) and last update per user."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def touch(self, user: str, session: str, message: str) -> None:
        title = " ".join(message.split())[:30] or session
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO copilot_sessions (user_name, session_id, title, updated_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (user_name, session_id) DO UPDATE SET updated_at = excluded.updated_at",
                (user, session, title, time.time()))

    def list(self, user: str) -> list[dict]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT session_id, title, updated_at FROM copilot_sessions WHERE user_name = %s "
                                "ORDER BY updated_at DESC", (user,)).fetchall()
        return [{"session_id": r["session_id"], "title": r["title"], "updated_at": r["updated_at"]} for r in rows]

    def remove(self, user: str, session: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM copilot_sessions WHERE user_name = %s AND session_id = %s", (user, session))

    def close(self) -> None:
        """The pool belongs to the app (closed once for every store)."""
