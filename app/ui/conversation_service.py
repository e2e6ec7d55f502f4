"""Conversations as the agent manages them: list and search, reopen with sources, rename, trash.

A conversation is a Copilot session (checkpoints + session index, graph/); this module adds
what the app keeps beside it (app/ui/conversation_store.py): each turn's result, the
agent's titles and the trash. Deleting puts a conversation in the trash; it can be
restored for `app.trash_days` days, then `purge` removes it for good (checkpoints too).
Used by the chat tab and the /history API; tests: tests/app/test_ui_conversations.py.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from app.ui.conversation_store import ConversationStore
from app.ui.conversations import REPLY_LABELS, chat_messages
from app.ui.errors import UIError
from app.ui.icons import plain_symbols
from app.ui.links import rewrite_doc_links
from app.ui.render import answer_markdown

log = logging.getLogger(__name__)
TITLE_LIMIT = 60
HISTORY_SCAN_LIMIT = 100
"""Conversations without stored turns (made by the CLI, or before turns were stored) searched by history."""


class Conversations:
    def __init__(self, copilot: Any, store: ConversationStore, trash_days: float) -> None:
        self.copilot = copilot
        self.store = store
        self.keep_s = trash_days * 86400.0

    # -- turns ----------------------------------------------------------------------------
    def record(self, user: str, session: str, question: str, result: dict[str, Any]) -> int | None:
        """Keep a finished turn's result with its answer's position in the history; returns the position."""
        history = self.copilot.history(session, user=user)
        if not history or history[-1].get("role") != "assistant":
            return None
        turn = len(history) - 1
        try:
            self.store.record_turn(user, session, turn, question, result)
        except sqlite3.Error:  # the answer was shown; losing its stored copy must not fail the turn
            log.exception("could not store the result of turn %s (user=%s session=%s)", turn, user, session)
            return None
        return turn

    def reopen(self, user: str, session: str) -> tuple[list[dict[str, str]], dict[str, dict], dict | None]:
        """(chat messages, {position: {"question","result"}}, the last turn's result) of a past conversation."""
        self.owned(user, session)
        messages = chat_messages(self.copilot.history(session, user=user))
        stored = self.store.turns(user, session)
        turns: dict[str, dict] = {}
        last: dict | None = None
        for i, message in enumerate(messages):
            turn = stored.get(i)
            if message["role"] == "user":
                message["content"] = REPLY_LABELS.get(message["content"].strip(), message["content"])
            elif turn is not None:
                message["content"] = answer_markdown(turn["result"])
                turns[str(i)] = turn
                last = turn["result"]
            else:
                message["content"] = plain_symbols(rewrite_doc_links(message["content"]))
                last = None
        return messages, turns, last

    # -- listing and search ---------------------------------------------------------------
    def listing(self, user: str, query: str = "") -> list[dict[str, Any]]:
        """The agent's conversations (not in the trash), newest first; `query` matches titles and text."""
        meta = self.store.meta(user)
        sessions = []
        for s in self.copilot.sessions(user):
            info = meta.get(s["session_id"]) or {}
            if info.get("deleted_at") is None:
                sessions.append({**s, "title": info.get("title") or s.get("title") or s["session_id"]})
        words = [w for w in (query or "").lower().split() if w]
        if not words:
            return sessions
        by_text = self.store.matching(user, words)
        with_turns = self.store.sessions_with_turns(user)
        found = []
        scanned = 0
        for s in sessions:
            sid = s["session_id"]
            if all(w in str(s["title"]).lower() for w in words) or sid in by_text:
                found.append(s)
            elif sid not in with_turns and scanned < HISTORY_SCAN_LIMIT:
                scanned += 1
                text = " ".join(m["content"] for m in self.copilot.history(sid, user=user)).lower()
                if all(w in text for w in words):
                    found.append(s)
        return found

    def trashed(self, user: str) -> list[dict[str, Any]]:
        """Conversations in the trash, most recently deleted first, with the days left to restore them."""
        titles = {s["session_id"]: s.get("title") for s in self.copilot.sessions(user)}
        out = []
        for sid, info in self.store.meta(user).items():
            if info.get("deleted_at") is None or sid not in titles:
                continue
            left = max(0.0, (float(info["deleted_at"]) + self.keep_s - time.time()) / 86400.0)
            out.append({"session_id": sid, "title": info.get("title") or titles[sid] or sid,
                        "deleted_at": info["deleted_at"], "days_left": round(left, 1)})
        return sorted(out, key=lambda c: -float(c["deleted_at"]))

    # -- changes --------------------------------------------------------------------------
    def rename(self, user: str, session: str | None, title: str | None) -> str:
        session = self.owned(user, session)
        clean = " ".join((title or "").split())
        if not clean:
            raise UIError("请输入新的对话名称。")
        if len(clean) > TITLE_LIMIT:
            raise UIError(f"对话名称太长（{len(clean)} 字），请控制在 {TITLE_LIMIT} 字以内。")
        self.store.rename(user, session, clean)
        return clean

    def delete(self, user: str, session: str | None) -> None:
        """Move a conversation to the trash (restorable for trash_days)."""
        self.store.set_deleted(user, self.owned(user, session), time.time())

    def restore(self, user: str, session: str | None) -> None:
        session = self.owned(user, session)
        if (self.store.meta(user).get(session) or {}).get("deleted_at") is None:
            raise UIError("这个对话不在回收站中。")
        self.store.set_deleted(user, session, None)

    def purge(self, now: float | None = None) -> int:
        """Remove for good every conversation deleted more than trash_days ago; returns how many."""
        expired = self.store.deleted_before((now or time.time()) - self.keep_s)
        for user, session in expired:
            self.copilot.forget(session, user=user)
            self.store.forget(user, session)
        return len(expired)

    def owned(self, user: str, session: str | None) -> str:
        if not session:
            raise UIError("请先在“历史对话”中选择一个对话。")
        if session not in {s["session_id"] for s in self.copilot.sessions(user)}:
            raise UIError("找不到这个对话（可能已被彻底删除）。")
        return session
