"""Feedback store: thumbs up/down on an answer, an optional reason, and the turn's trace.

SQLite in data_dir/feedback.sqlite (WAL). Each row keeps what evaluation and training
data need later: the question, its rewrites, the cited passages, the answer, the route
and the trace. Thread-safe (one connection, a lock); the web app shares one store.
Every field is bounded before it is stored (an API caller once stored 8 MB reasons).
Tests: `pytest tests/app/test_ui_feedback.py tests/hardening/test_limits.py`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    user TEXT NOT NULL,
    session_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    route TEXT NOT NULL DEFAULT '',
    turn_json TEXT NOT NULL DEFAULT '{}',
    UNIQUE (user, session_id, turn)
)
"""
MAX_TEXT_CHARS = 2000
"""Longest reason or question (the app's message limit)."""
MAX_SESSION_CHARS = 64
MAX_RESULT_CHARS = 200_000
"""Longest stored turn (answer, citations, trace) as JSON."""


class FeedbackError(ValueError):
    """A feedback field is too large; the message is for the person sending it (Chinese)."""


class FeedbackStore:
    """Ratings per (user, session, turn); a second rating of the same turn replaces the first."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(SCHEMA)

    def record(self, user: str, session_id: str, turn: int, rating: int, reason: str = "",
               question: str = "", result: dict[str, Any] | None = None) -> int:
        """Store a rating (+1 up, -1 down) with the turn's result/trace; returns the row id."""
        if rating not in (1, -1):
            raise ValueError(f"rating must be 1 or -1, got {rating!r}")
        for name, value, limit in (("原因", reason, MAX_TEXT_CHARS), ("问题", question, MAX_TEXT_CHARS),
                                   ("session_id", session_id, MAX_SESSION_CHARS)):
            if len(value) > limit:
                raise FeedbackError(f"反馈的{name}太长（{len(value)} 字，最多 {limit} 字）。")
        result = result or {}
        payload = {
            "question": question,
            "sub_questions": result.get("sub_questions", []),
            "standalone": result.get("standalone", []),
            "citations": result.get("citations", []),
            "answer": result.get("answer", ""),
            "grounded": result.get("grounded"),
            "model": result.get("model"),
            "trace": result.get("trace", {}),
        }
        turn_json = json.dumps(payload, ensure_ascii=False, default=str)
        if len(turn_json) > MAX_RESULT_CHARS:
            raise FeedbackError(f"反馈附带的回答记录太大（{len(turn_json)} 字符，最多 {MAX_RESULT_CHARS}）。")
        with self._lock, self._conn:
            cur = self._conn.execute(
                "INSERT INTO feedback (created_at, user, session_id, turn, rating, reason, question, answer, route, "
                "turn_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user, session_id, turn) DO UPDATE SET "
                "created_at = excluded.created_at, rating = excluded.rating, "
                "reason = CASE WHEN excluded.reason != '' THEN excluded.reason ELSE feedback.reason END, "
                "question = excluded.question, answer = excluded.answer, route = excluded.route, "
                "turn_json = excluded.turn_json",
                (time.time(), user, session_id, turn, rating, reason.strip(), question,
                 str(result.get("answer", ""))[:MAX_RESULT_CHARS], str(result.get("route", ""))[:64], turn_json),
            )
            row = self._conn.execute("SELECT id FROM feedback WHERE user = ? AND session_id = ? AND turn = ?",
                                     (user, session_id, turn)).fetchone()
        return int(row[0]) if row else int(cur.lastrowid or 0)

    def list(self, user: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first; every user's when `user` is None (for evaluation exports)."""
        query = "SELECT id, created_at, user, session_id, turn, rating, reason, question, answer, route, turn_json " \
                "FROM feedback"
        args: tuple = ()
        if user is not None:
            query += " WHERE user = ?"
            args = (user,)
        query += " ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(query, (*args, limit)).fetchall()
        keys = ("id", "created_at", "user", "session_id", "turn", "rating", "reason", "question", "answer", "route")
        return [{**dict(zip(keys, r[:10])), "turn_json": json.loads(r[10])} for r in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
