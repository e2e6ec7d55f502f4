"""Conversations and paused runbooks survive a restart (SQLite checkpointer on disk)."""

from __future__ import annotations

import sqlite3

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from graph.errors import GraphError
from graph.service import Copilot
from graph.sessions import SessionIndex
from tests.graph.conftest import make_context


def open_copilot(path, context) -> Copilot:
    conn = sqlite3.connect(str(path), check_same_thread=False)
    return Copilot(context, SqliteSaver(conn), sessions=SessionIndex(path))


def test_conversation_continues_after_restart(tmp_path, fake_kb):
    db = tmp_path / "conversations.sqlite"
    first = open_copilot(db, make_context(fake_kb))
    first.ask("MySQL 报 Too many connections 怎么办", "s1")
    second = open_copilot(db, make_context(fake_kb))
    assert len(second.history("s1")) == 2
    assert second.sessions("local")[0]["title"].startswith("MySQL")
    follow = second.ask("那它的默认端口是多少？", "s1")
    assert "MySQL" in follow.standalone[0]


def test_runbook_pauses_resumes_and_survives_restart(tmp_path, fake_kb, runbook_engine):
    db = tmp_path / "conversations.sqlite"
    context = make_context(fake_kb)
    context.runbooks = runbook_engine
    first = open_copilot(db, context)
    started = first.ask("帮我排查磁盘满了的问题", "s1")
    assert started.route == "runbook" and started.runbook["waiting"]["kind"] == "ask"
    assert "挂载点" in started.answer
    assert first.waiting("s1")["prompt"] == "哪个挂载点满了？"

    second = open_copilot(db, context)  # restart
    done = second.resume("s1", "/data")
    assert done.route == "runbook" and "/data" in done.answer and done.runbook["waiting"] is None
    assert second.waiting("s1") is None
    assert [m["role"] for m in second.history("s1")] == ["user", "assistant", "user", "assistant"]
    with pytest.raises(GraphError):
        second.resume("s1", "再来一次")


@pytest.fixture
def paused(fake_kb, runbook_engine) -> Copilot:
    """A copilot whose session "s" has a runbook waiting for the mount point."""
    context = make_context(fake_kb)
    context.runbooks = runbook_engine
    copilot = Copilot(context)
    copilot.ask("帮我排查磁盘满了", "s")
    return copilot


def test_a_message_while_a_runbook_waits_answers_it(paused):
    reply = paused.ask("/var/log", "s")
    assert "/var/log" in reply.answer and reply.runbook["status"] in ("done", "running")


def test_leaving_a_runbook_ends_the_wait(paused):
    left = paused.resume("s", "leave")
    assert left.runbook["status"] == "left" and paused.waiting("s") is None
    follow = paused.ask("CPU 100% 怎么排查", "s")
    assert follow.route == "knowledge"


def test_question_gets_knowledge_and_the_runbook_is_offered(fake_kb, runbook_engine):
    context = make_context(fake_kb)
    context.runbooks = runbook_engine
    fake_kb.passages.append(fake_kb.passages[0].__class__(
        chunk_id="disk-1", source="docs/disk/disk-full.md", title="磁盘满了", heading_path=["磁盘满了"],
        text="磁盘空间满时，先用 df -h 查看各挂载点的使用率，再用 du 找出占用最大的目录。", kb="demo"))
    result = Copilot(context).ask("磁盘满了怎么办？", "s")
    assert result.route == "knowledge" and "df -h" in result.answer and "磁盘空间满排查" in result.answer
