"""Which sessions a user has: a small SQLite table beside the LangGraph checkpoints.

The checkpointer stores state per thread (`thread_id(user, session)`), but cannot list
one user's threads cheaply; this index can. Same file as the checkpoints
(data_dir/conversations.sqlite), its own table.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path


def thread_id(user: str, session: str) -> str:
    """Thread of one user's session; the user is part of it so users never share threads."""
    return f"{user}::{session}"


class SessionIndex:
    """session_id, title (first message) and last update per user."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS copilot_sessions (user TEXT NOT NULL, session_id TEXT NOT NULL, "
                "title TEXT NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (user, session_id))"
            )

    def touch(self, user: str, session: str, message: str) -> None:
        title = " ".join(message.split())[:30] or session
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO copilot_sessions (user, session_id, title, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(user, session_id) DO UPDATE SET updated_at = excluded.updated_at",
                (user, session, title, time.time()),
            )

    def list(self, user: str) -> list[dict]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT session_id, title, updated_at FROM copilot_sessions WHERE user = ? ORDER BY updated_at DESC",
                (user,),
            ).fetchall()
        return [{"session_id": s, "title": t, "updated_at": u} for s, t, u in rows]

    def remove(self, user: str, session: str) -> None:
        """Forget a session (its checkpoints are removed by `Copilot.forget`)."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM copilot_sessions WHERE user = ? AND session_id = ?", (user, session))

    def close(self) -> None:
        self._conn.close()
