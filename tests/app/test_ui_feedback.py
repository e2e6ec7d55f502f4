"""Feedback store: ratings with reasons and the turn's trace, per user/session/turn, persisted."""

from __future__ import annotations

import pytest

from app.feedback import FeedbackStore


def turn():
    return {"answer": "放通 22 端口。[1]", "route": "knowledge", "standalone": ["SSH 超时怎么办"],
            "sub_questions": ["SSH 超时怎么办"], "citations": [{"n": 1, "source": "docs/scs/ssh.md"}],
            "grounded": True, "model": "extractive", "trace": {"guard": {"score": 0.9}}}


def test_record_update_and_reopen(tmp_path):
    path = tmp_path / "feedback.sqlite"
    store = FeedbackStore(path)
    first = store.record("alice", "s1", 1, -1, question="SSH 超时怎么办", result=turn())
    again = store.record("alice", "s1", 1, -1, reason="没说安全组", question="SSH 超时怎么办", result=turn())
    assert first == again
    store.record("alice", "s1", 1, 1, question="SSH 超时怎么办", result=turn())  # changed mind, reason kept
    store.record("bob", "s9", 3, 1, question="q", result={})
    store.close()

    reopened = FeedbackStore(path)
    rows = reopened.list(user="alice")
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == 1 and row["reason"] == "没说安全组" and row["route"] == "knowledge"
    assert row["turn_json"]["citations"][0]["source"] == "docs/scs/ssh.md"
    assert row["turn_json"]["trace"]["guard"]["score"] == 0.9
    assert {r["user"] for r in reopened.list()} == {"alice", "bob"}
    with pytest.raises(ValueError):
        reopened.record("alice", "s1", 2, 0)
