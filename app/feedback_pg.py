"""The feedback store in PostgreSQL (storage.mode = server): same API as app.feedback.FeedbackStore.

Ratings from every replica land in one table, so evaluation exports see the whole team's
feedback. Table created by the app's migrations (`PG_MIGRATIONS`). Tests: tests/storage/test_stores.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

from psycopg.types.json import Jsonb

from app.feedback import MAX_RESULT_CHARS, checked_turn_json

PG_MIGRATIONS = [
    """CREATE TABLE IF NOT EXISTS feedback (id BIGSERIAL PRIMARY KEY, created_at DOUBLE PRECISION NOT NULL,
        user_name TEXT NOT NULL, session_id TEXT NOT NULL, turn INTEGER NOT NULL, rating SMALLINT NOT NULL,
        reason TEXT NOT NULL DEFAULT '', question TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '',
        route TEXT NOT NULL DEFAULT '', turn_json JSONB NOT NULL DEFAULT '{}', UNIQUE (user_name, session_id, turn));
    CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at DESC, id DESC);""",
]


class PgFeedbackStore:
    """Ratings per (user, session, turn); a second rating of the same turn replaces the first."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def record(self, user: str, session_id: str, turn: int, rating: int, reason: str = "",
               question: str = "", result: dict[str, Any] | None = None) -> int:
        if rating not in (1, -1):
            raise ValueError(f"rating must be 1 or -1, got {rating!r}")
        result = result or {}
        payload = json.loads(checked_turn_json(session_id, reason, question, result))
        with self._pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO feedback (created_at, user_name, session_id, turn, rating, reason, question, answer, route, "
                "turn_json) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (user_name, session_id, turn) "
                "DO UPDATE SET created_at = excluded.created_at, rating = excluded.rating, "
                "reason = CASE WHEN excluded.reason <> '' THEN excluded.reason ELSE feedback.reason END, "
                "question = excluded.question, answer = excluded.answer, route = excluded.route, "
                "turn_json = excluded.turn_json RETURNING id",
                (time.time(), user, session_id, turn, rating, reason.strip(), question,
                 str(result.get("answer", ""))[:MAX_RESULT_CHARS], str(result.get("route", ""))[:64],
                 Jsonb(payload))).fetchone()
        return int(row["id"])

    def list(self, user: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first; every user's when `user` is None (for evaluation exports)."""
        where, args = ("WHERE user_name = %s", (user,)) if user is not None else ("", ())
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT id, created_at, user_name AS user, session_id, turn, rating, reason, question, answer, route, "
                f"turn_json FROM feedback {where} ORDER BY created_at DESC, id DESC LIMIT %s", (*args, limit)).fetchall()
        return [dict(r) for r in rows]

    def close(self) -> None:
        """The pool belongs to the app."""
