"""The app's conversation tables in PostgreSQL (storage.mode = server): same API as ConversationStore.

`ui_turns` (each turn's full result, by answer position) and `ui_conversations` (title,
trash) shared by every replica, so a conversation reopened on another replica shows its
sources and cards. Tables are created by the app's migrations (`PG_MIGRATIONS`).
Tests: tests/storage/test_stores.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

from psycopg.types.json import Jsonb

PG_MIGRATIONS = [
    """CREATE TABLE IF NOT EXISTS ui_turns (user_name TEXT NOT NULL, session_id TEXT NOT NULL, turn INTEGER NOT NULL,
        question TEXT NOT NULL, answer TEXT NOT NULL, result JSONB NOT NULL, created_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (user_name, session_id, turn));
    CREATE TABLE IF NOT EXISTS ui_conversations (user_name TEXT NOT NULL, session_id TEXT NOT NULL, title TEXT,
        deleted_at DOUBLE PRECISION, PRIMARY KEY (user_name, session_id));""",
    "ALTER TABLE ui_conversations ADD COLUMN IF NOT EXISTS kbs JSONB",  # the chat tab's knowledge-base picker
]


class PgConversationStore:
    """Turn results, titles and the trash of conversations, per user."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def record_turn(self, user: str, session: str, turn: int, question: str, result: dict[str, Any]) -> None:
        payload = json.loads(json.dumps(result, ensure_ascii=False, default=str))
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO ui_turns (user_name, session_id, turn, question, answer, result, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (user_name, session_id, turn) DO UPDATE SET "
                "question = excluded.question, answer = excluded.answer, result = excluded.result, "
                "created_at = excluded.created_at",
                (user, session, int(turn), question, str(result.get("answer") or ""), Jsonb(payload), time.time()))

    def turns(self, user: str, session: str) -> dict[int, dict[str, Any]]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT turn, question, result FROM ui_turns WHERE user_name = %s AND session_id = %s",
                                (user, session)).fetchall()
        return {int(r["turn"]): {"question": r["question"], "result": r["result"]} for r in rows}

    def matching(self, user: str, words: list[str]) -> set[str]:
        """Sessions whose stored questions or answers contain every word (case-insensitive)."""
        if not words:
            return set()
        clause = " AND ".join("(strpos(lower(question), %s) > 0 OR strpos(lower(answer), %s) > 0)" for _ in words)
        params: list[Any] = [user]
        for word in words:
            params += [word.lower(), word.lower()]
        with self._pool.connection() as conn:
            rows = conn.execute(f"SELECT DISTINCT session_id FROM ui_turns WHERE user_name = %s AND {clause}",
                                params).fetchall()
        return {r["session_id"] for r in rows}

    def sessions_with_turns(self, user: str) -> set[str]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT DISTINCT session_id FROM ui_turns WHERE user_name = %s", (user,)).fetchall()
        return {r["session_id"] for r in rows}

    def meta(self, user: str) -> dict[str, dict[str, Any]]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT session_id, title, deleted_at FROM ui_conversations WHERE user_name = %s",
                                (user,)).fetchall()
        return {r["session_id"]: {"title": r["title"], "deleted_at": r["deleted_at"]} for r in rows}

    def rename(self, user: str, session: str, title: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("INSERT INTO ui_conversations (user_name, session_id, title) VALUES (%s, %s, %s) "
                         "ON CONFLICT (user_name, session_id) DO UPDATE SET title = excluded.title", (user, session, title))

    def set_deleted(self, user: str, session: str, deleted_at: float | None) -> None:
        with self._pool.connection() as conn:
            conn.execute("INSERT INTO ui_conversations (user_name, session_id, deleted_at) VALUES (%s, %s, %s) "
                         "ON CONFLICT (user_name, session_id) DO UPDATE SET deleted_at = excluded.deleted_at",
                         (user, session, deleted_at))

    def set_kbs(self, user: str, session: str, kbs: list[str]) -> None:
        with self._pool.connection() as conn:
            conn.execute("INSERT INTO ui_conversations (user_name, session_id, kbs) VALUES (%s, %s, %s) "
                         "ON CONFLICT (user_name, session_id) DO UPDATE SET kbs = excluded.kbs",
                         (user, session, Jsonb(list(kbs))))

    def kbs(self, user: str, session: str) -> list[str] | None:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT kbs FROM ui_conversations WHERE user_name = %s AND session_id = %s",
                               (user, session)).fetchone()
        return list(row["kbs"]) if row and row["kbs"] else None

    def deleted_before(self, stamp: float) -> list[tuple[str, str]]:
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT user_name, session_id FROM ui_conversations WHERE deleted_at IS NOT NULL "
                                "AND deleted_at < %s", (stamp,)).fetchall()
        return [(r["user_name"], r["session_id"]) for r in rows]

    def forget(self, user: str, session: str) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM ui_turns WHERE user_name = %s AND session_id = %s", (user, session))
            conn.execute("DELETE FROM ui_conversations WHERE user_name = %s AND session_id = %s", (user, session))

    def close(self) -> None:
        """The pool belongs to the app."""
