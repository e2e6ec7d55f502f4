"""What the app keeps about conversations beside the graph's checkpoints (conversations.sqlite).

Two tables of the app's own, in the same file as the LangGraph checkpoints:
- `ui_turns`: each turn's full result (answer sections, citations, runbook card) keyed by
  the position of its answer in the conversation history, so a reopened conversation —
  also after a restart — shows its sources, citation links and cards again;
- `ui_conversations`: the agent's own title for a conversation and when it was put in the
  trash (NULL: not deleted).
Plain storage; the rules (who may see what, retention) are in app/ui/conversation_service.py.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS ui_turns (user TEXT NOT NULL, session_id TEXT NOT NULL, turn INTEGER NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, result TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (user, session_id, turn));
CREATE TABLE IF NOT EXISTS ui_conversations (user TEXT NOT NULL, session_id TEXT NOT NULL, title TEXT,
    deleted_at REAL, PRIMARY KEY (user, session_id));
"""


class ConversationStore:
    """One SQLite connection (WAL) shared by the app's threads."""

    def __init__(self, path: Path | str) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.executescript(SCHEMA)

    # -- turns ----------------------------------------------------------------------------
    def record_turn(self, user: str, session: str, turn: int, question: str, result: dict[str, Any]) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO ui_turns (user, session_id, turn, question, answer, result, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user, session, int(turn), question, str(result.get("answer") or ""),
                 json.dumps(result, ensure_ascii=False, default=str), time.time()))

    def turns(self, user: str, session: str) -> dict[int, dict[str, Any]]:
        """{answer position in the history: {"question", "result"}}."""
        with self._lock:
            rows = self._conn.execute("SELECT turn, question, result FROM ui_turns WHERE user = ? AND session_id = ?",
                                      (user, session)).fetchall()
        return {int(t): {"question": q, "result": json.loads(r)} for t, q, r in rows}

    def matching(self, user: str, words: list[str]) -> set[str]:
        """Sessions whose stored questions or answers contain every word (ASCII case-insensitive)."""
        if not words:
            return set()
        clause = " AND ".join("(instr(lower(question), ?) > 0 OR instr(lower(answer), ?) > 0)" for _ in words)
        params: list[Any] = [user]
        for word in words:
            params += [word.lower(), word.lower()]
        with self._lock:
            rows = self._conn.execute(f"SELECT DISTINCT session_id FROM ui_turns WHERE user = ? AND {clause}",
                                      params).fetchall()
        return {r[0] for r in rows}

    def sessions_with_turns(self, user: str) -> set[str]:
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT DISTINCT session_id FROM ui_turns WHERE user = ?",
                                                     (user,))}

    # -- titles and trash -----------------------------------------------------------------
    def meta(self, user: str) -> dict[str, dict[str, Any]]:
        """{session_id: {"title", "deleted_at"}} for the sessions the agent renamed or deleted."""
        with self._lock:
            rows = self._conn.execute("SELECT session_id, title, deleted_at FROM ui_conversations WHERE user = ?",
                                      (user,)).fetchall()
        return {s: {"title": t, "deleted_at": d} for s, t, d in rows}

    def rename(self, user: str, session: str, title: str) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO ui_conversations (user, session_id, title) VALUES (?, ?, ?) "
                "ON CONFLICT(user, session_id) DO UPDATE SET title = excluded.title", (user, session, title))

    def set_deleted(self, user: str, session: str, deleted_at: float | None) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO ui_conversations (user, session_id, deleted_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user, session_id) DO UPDATE SET deleted_at = excluded.deleted_at",
                (user, session, deleted_at))

    def deleted_before(self, stamp: float) -> list[tuple[str, str]]:
        """(user, session) of every conversation in the trash since before `stamp`."""
        with self._lock:
            return [(u, s) for u, s in self._conn.execute(
                "SELECT user, session_id FROM ui_conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                (stamp,))]

    def forget(self, user: str, session: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM ui_turns WHERE user = ? AND session_id = ?", (user, session))
            self._conn.execute("DELETE FROM ui_conversations WHERE user = ? AND session_id = ?", (user, session))

    def close(self) -> None:
        self._conn.close()
